// The browser's engine: DuckDB-WASM and parquet-wasm, each in its own Web Worker, from URLs the
// page serves itself. `./vite-assets.ts` names those URLs for a Vite build.
import type { Engine } from './engine.ts';
import { WorkerDecoder } from './decode-client.ts';
import { createWasmWorkerEngine, type WasmBundles } from './wasm-worker.ts';

/** Where the browser engine's binaries are served from: the page's own origin, never a CDN. */
export interface BrowserEngineAssets {
  /** DuckDB-WASM's builds: for each, its WebAssembly module and its worker script. */
  bundles: WasmBundles;
  /** parquet-wasm's WebAssembly binary (`parquet-wasm/esm/parquet_wasm_bg.wasm`), for Parquet files. */
  parquetWasm: string;
}

/**
 * Starts DuckDB-WASM in a Web Worker, with every binary served by the page (relative URLs are
 * read against the page's address). Parquet files are decoded (parquet-wasm) and JSON logs
 * parsed in a second worker, started on first use.
 *
 * @example
 * import { createBrowserEngine, loadEvents, runAnalysis } from 'cohortbook/browser';
 * import { viteAssets } from 'cohortbook/browser/vite-assets';
 * const engine = await createBrowserEngine(viteAssets);
 */
export function createBrowserEngine(assets: BrowserEngineAssets): Promise<Engine> {
  const at = (url: string) => new URL(url, location.href).href;
  // every URL of every build (mvp, eh, coi: module, worker, pthread worker) made absolute
  const bundles = Object.fromEntries(Object.entries(assets.bundles).map(([name, bundle]) => [name,
    Object.fromEntries(Object.entries(bundle as Record<string, string>).map(([key, url]) => [key, at(url)]))])) as unknown as WasmBundles;
  return createWasmWorkerEngine(bundles, new WorkerDecoder(at(assets.parquetWasm)));
}
