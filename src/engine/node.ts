import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Engine, EngineKind } from './engine.ts';
import { setParquetWasmSource } from './parquet.ts';

const require = createRequire(import.meta.url);

setParquetWasmSource(async () => readFile(require.resolve('parquet-wasm/esm/parquet_wasm_bg.wasm')));

/**
 * Starts an engine in this Node process: DuckDB-WASM (`wasm`, the default, the browser's own build),
 * native DuckDB (`native`) or ClickHouse through chDB (`clickhouse`; load files into it with
 * `loadEventsInto`).
 *
 * @example
 * const engine = await createNodeEngine('native');
 */
export async function createNodeEngine(kind: EngineKind = 'wasm'): Promise<Engine> {
  if (kind === 'clickhouse') {
    const { createClickHouseEngine } = await import('./clickhouse.ts');
    return createClickHouseEngine();
  }
  if (kind === 'native') {
    const { createNativeEngine } = await import('./native.ts');
    return createNativeEngine();
  }
  const { createWasmNodeEngine } = await import('./wasm-node.ts');
  return createWasmNodeEngine();
}
