// The browser's engine: DuckDB-WASM and parquet-wasm served by the app itself (Vite `?url` assets),
// each in its own Web Worker.
import ehWasm from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import ehWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url';
import mvpWasm from '@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm?url';
import mvpWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-mvp.worker.js?url';
import parquetWasm from 'parquet-wasm/esm/parquet_wasm_bg.wasm?url';
import type { Engine } from './engine.ts';
import { WorkerDecoder } from './decode-client.ts';
import { createWasmWorkerEngine } from './wasm-worker.ts';

/**
 * Starts DuckDB-WASM in a Web Worker, with every binary served by the app. Parquet files are
 * decoded (parquet-wasm) and JSON logs parsed in a second worker, started on first use.
 *
 * @example
 * const engine = await createBrowserEngine();
 */
export function createBrowserEngine(): Promise<Engine> {
  const at = (url: string) => new URL(url, location.href).href;
  return createWasmWorkerEngine({
    mvp: { mainModule: at(mvpWasm), mainWorker: at(mvpWorker) },
    eh: { mainModule: at(ehWasm), mainWorker: at(ehWorker) },
  }, new WorkerDecoder(at(parquetWasm)));
}
