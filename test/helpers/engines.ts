import type { Engine } from '../../src/engine/index.ts';
import { createNodeEngine } from '../../src/engine/node.ts';

/** Both engines the analyses run on: DuckDB-WASM (the browser's) and native DuckDB. */
export const ENGINE_KINDS = ['wasm', 'native'] as const;
/**
 * The engines an analysis ported to ClickHouse runs on: both DuckDB engines and ClickHouse in
 * process (chDB). `loadTestEvents` loads a ClickHouse engine through the DuckDB loader as the CLI does.
 */
export const PORTED_ENGINE_KINDS = [...ENGINE_KINDS, 'clickhouse'] as const;
export type EngineKind = (typeof PORTED_ENGINE_KINDS)[number];

const engines = new Map<EngineKind, Promise<Engine>>();

/**
 * One engine of the kind for the test file, made on first use (each test file runs in a process
 * of its own); `closeTestEngines` in its `afterAll` closes them.
 *
 * @example
 * describe.each(ENGINE_KINDS)('on %s', (kind) => test('…', async () => { const engine = await testEngine(kind); }));
 */
export function testEngine(kind: EngineKind): Promise<Engine> {
  let engine = engines.get(kind);
  if (!engine) engines.set(kind, (engine = createNodeEngine(kind)));
  return engine;
}

let reader: Promise<Engine> | null = null;

/** The native DuckDB that reads test logs for a ClickHouse engine (apart from the tests' own engines). */
export function testReader(): Promise<Engine> {
  return (reader ??= createNodeEngine('native'));
}

/** Closes the engines `testEngine` and `testReader` made. */
export async function closeTestEngines(): Promise<void> {
  const made = [...engines.values(), ...(reader ? [reader] : [])];
  engines.clear();
  reader = null;
  await Promise.all(made.map(async (engine) => (await engine).close()));
}
