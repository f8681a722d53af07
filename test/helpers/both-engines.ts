import { afterAll, beforeAll } from 'vitest';
import type { Engine } from '../../src/engine/index.ts';
import { createNodeEngine } from '../../src/engine/node.ts';
import { loadTestEvents, type TestEvent } from './events.ts';
import { closeTestEngines } from './engines.ts';

/**
 * DuckDB-WASM and native DuckDB, each with `log` loaded as `events`, for the tests of one file:
 * started before its tests, closed after them. Read `engines.wasm` and `engines.native` in tests;
 * with `clickhouse`, also `engines.clickhouse` (chDB, loaded as `--engine clickhouse` loads).
 */
export function bothEnginesWith(log: TestEvent[], options: { clickhouse?: boolean } = {}): { wasm: Engine; native: Engine; clickhouse: Engine } {
  const engines = {} as { wasm: Engine; native: Engine; clickhouse: Engine };
  beforeAll(async () => {
    [engines.wasm, engines.native] = await Promise.all([createNodeEngine('wasm'), createNodeEngine('native')]);
    for (const engine of [engines.wasm, engines.native]) await loadTestEvents(engine, log);
    if (options.clickhouse) {
      engines.clickhouse = await createNodeEngine('clickhouse');
      await loadTestEvents(engines.clickhouse, log);
    }
  });
  afterAll(async () => {
    await engines.wasm?.close();
    await engines.native?.close();
    await engines.clickhouse?.close();
    await closeTestEngines();
  });
  return engines;
}
