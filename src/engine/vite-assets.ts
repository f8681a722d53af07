/**
 * DuckDB-WASM's and parquet-wasm's binaries as a Vite build serves them, for `createBrowserEngine`.
 *
 * @packageDocumentation
 * @module cohortbook/browser/vite-assets
 */
import coiWasm from '@duckdb/duckdb-wasm/dist/duckdb-coi.wasm?url';
import coiWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-coi.worker.js?url';
import coiPthreadWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-coi.pthread.worker.js?url';
import ehWasm from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import ehWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url';
import mvpWasm from '@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm?url';
import mvpWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-mvp.worker.js?url';
import parquetWasm from 'parquet-wasm/esm/parquet_wasm_bg.wasm?url';
import type { BrowserEngineAssets } from './browser.ts';

/**
 * DuckDB-WASM's MVP, exception-handling and threaded (cross-origin isolated) builds and
 * parquet-wasm, for `createBrowserEngine` in an app that Vite builds. The threaded build is used
 * when the page is cross-origin isolated (served with COOP `same-origin` and COEP `require-corp`).
 *
 * @example
 * const engine = await createBrowserEngine(viteAssets);
 */
export const viteAssets: BrowserEngineAssets = {
  bundles: {
    mvp: { mainModule: mvpWasm, mainWorker: mvpWorker },
    eh: { mainModule: ehWasm, mainWorker: ehWorker },
    coi: { mainModule: coiWasm, mainWorker: coiWorker, pthreadWorker: coiPthreadWorker },
  },
  parquetWasm,
};
