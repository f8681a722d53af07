import initParquetWasm, { Table as WasmTable, readParquet, writeParquet } from 'parquet-wasm/esm';

type WasmSource = Uint8Array | URL | string;

let source: (() => Promise<WasmSource>) | undefined;
let ready: Promise<unknown> | undefined;

/**
 * Says where parquet-wasm's WebAssembly binary comes from: the app's own URL in the browser, the
 * installed file in Node. Never a CDN.
 */
export function setParquetWasmSource(load: () => Promise<WasmSource>): void {
  source = load;
  ready = undefined;
}

async function ensureParquet(): Promise<void> {
  if (!source) throw new Error('parquet-wasm is not set up: call setParquetWasmSource first');
  ready ??= source().then((module_or_path) => initParquetWasm({ module_or_path }));
  await ready;
}

/** Decodes Parquet bytes into an Arrow IPC stream, with parquet-wasm (DuckDB-WASM has no Parquet offline). */
export async function parquetToIPC(bytes: Uint8Array): Promise<Uint8Array> {
  await ensureParquet();
  return readParquet(bytes).intoIPCStream();
}

/** Encodes an Arrow IPC stream as Parquet bytes. */
export async function ipcToParquet(ipc: Uint8Array): Promise<Uint8Array> {
  await ensureParquet();
  return writeParquet(WasmTable.fromIPCStream(ipc));
}
