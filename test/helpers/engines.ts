import type { Engine } from '../../src/engine/index.ts';
import { createNodeEngine } from '../../src/engine/node.ts';

/** Both engines the analyses run on: DuckDB-WASM (the browser's) and native DuckDB. */
export const ENGINE_KINDS = ['wasm', 'native'] as const;
export type EngineKind = (typeof ENGINE_KINDS)[number];

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

/** Closes the engines `testEngine` made. */
export async function closeTestEngines(): Promise<void> {
  const made = [...engines.values()];
  engines.clear();
  await Promise.all(made.map(async (engine) => (await engine).close()));
}
