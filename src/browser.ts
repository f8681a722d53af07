/**
 * In a web page: every analysis and loader, and DuckDB-WASM in a Web Worker (`createBrowserEngine`).
 * Nothing here imports a Node module.
 *
 * @packageDocumentation
 * @module cohortbook/browser
 */
export * from './analytics/index.ts';
export * from './engine/index.ts';
export { createBrowserEngine, type BrowserEngineAssets } from './engine/browser.ts';
export { createWasmWorkerEngine, type WasmBundles } from './engine/wasm-worker.ts';
export { WorkerDecoder, type Decoder } from './engine/decode-client.ts';
