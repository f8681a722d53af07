import initParquetWasm, { ParquetFile, Table as WasmTable, WriterPropertiesBuilder, readParquet, writeParquet } from 'parquet-wasm/esm';

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

/**
 * How many row groups a Parquet file has (0 for a file without rows), to decode them one at a time
 * with `parquetRowGroupToIPC`.
 */
export async function parquetRowGroupCount(bytes: Uint8Array): Promise<number> {
  await ensureParquet();
  // parquet-wasm reads the row-group count from the footer of a Blob (a transient copy of the bytes)
  const file = await ParquetFile.fromFile(new Blob([bytes as Uint8Array<ArrayBuffer>]));
  try {
    return file.metadata().numRowGroups();
  } finally {
    file.free();
  }
}

/**
 * Decodes one row group of a Parquet file into an Arrow IPC stream: a large file then goes into
 * DuckDB a row group at a time, and parquet-wasm's memory (which never shrinks) holds one row
 * group's columns rather than the whole file's. `group` null decodes the whole file.
 */
export async function parquetRowGroupToIPC(bytes: Uint8Array, group: number | null): Promise<Uint8Array> {
  await ensureParquet();
  return readParquet(bytes, group === null ? undefined : { rowGroups: [group] }).intoIPCStream();
}

/** Encodes an Arrow IPC stream as Parquet bytes; `maxRowGroupRows` caps the rows of a row group. */
export async function ipcToParquet(ipc: Uint8Array, options: { maxRowGroupRows?: number } = {}): Promise<Uint8Array> {
  await ensureParquet();
  const properties = options.maxRowGroupRows ? new WriterPropertiesBuilder().setMaxRowGroupSize(options.maxRowGroupRows).build() : undefined;
  return writeParquet(WasmTable.fromIPCStream(ipc), properties);
}
