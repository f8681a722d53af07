import { afterAll, beforeAll } from 'vitest';
import type { Engine } from '../../src/engine/index.ts';
import { createNodeEngine } from '../../src/engine/node.ts';
import { loadTestEvents, type TestEvent } from './events.ts';

/**
 * DuckDB-WASM and native DuckDB, each with `log` loaded as `events`, for the tests of one file:
 * started before its tests, closed after them. Read `engines.wasm` and `engines.native` in tests.
 */
export function bothEnginesWith(log: TestEvent[]): { wasm: Engine; native: Engine } {
  const engines = {} as { wasm: Engine; native: Engine };
  beforeAll(async () => {
    [engines.wasm, engines.native] = await Promise.all([createNodeEngine('wasm'), createNodeEngine('native')]);
    for (const engine of [engines.wasm, engines.native]) await loadTestEvents(engine, log);
  });
  afterAll(async () => {
    await engines.wasm?.close();
    await engines.native?.close();
  });
  return engines;
}
