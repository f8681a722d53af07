import { afterAll, describe, expect, test } from 'vitest';
import { profileColumn } from '../../src/engine/index.ts';
import { ENGINE_KINDS, closeTestEngines, testEngine } from '../helpers/engines.ts';

afterAll(closeTestEngines);

// 8 rows written out, so every count below can be checked by eye
const ROWS = `SELECT * FROM (VALUES
  ('FR', 1.0, TIMESTAMP '2024-01-01 00:00:00'),
  ('FR', 2.0, TIMESTAMP '2024-01-01 12:00:00'),
  ('US', 3.0, TIMESTAMP '2024-01-02 00:00:00'),
  ('US', 4.0, NULL),
  ('US', NULL, TIMESTAMP '2024-01-03 00:00:00'),
  ('GB', 10.0, TIMESTAMP '2024-01-05 00:00:00'),
  (NULL, 10.0, TIMESTAMP '2024-01-05 00:00:00'),
  ('DE', 5.0, TIMESTAMP '2024-01-04 00:00:00')
) AS t(country, amount, ts)`;

describe.each(ENGINE_KINDS)('column profiles on %s', (kind) => {
  test('text: rows, nulls, distinct values and the top values with counts', async () => {
    const engine = await testEngine(kind);
    await engine.exec(`CREATE OR REPLACE TABLE profiled AS ${ROWS}`);
    const profile = await profileColumn(engine, 'profiled', 'country', 'VARCHAR', { top: 3 });
    expect(profile).toEqual({
      column: 'country', type: 'VARCHAR', kind: 'text', rows: 8, nulls: 1, distinct: 4,
      top: [{ value: 'US', count: 3 }, { value: 'FR', count: 2 }, { value: 'DE', count: 1 }],
    });
  });

  test('numbers: an equal-width histogram from min to max; times in epoch milliseconds', async () => {
    const engine = await testEngine(kind);
    await engine.exec(`CREATE OR REPLACE TABLE profiled AS ${ROWS}`);
    const amount = await profileColumn(engine, 'profiled', 'amount', 'DOUBLE', { bins: 3 });
    expect(amount).toMatchObject({ kind: 'number', rows: 8, nulls: 1, distinct: 6, min: 1, max: 10 });
    // bins of width 3: [1, 4) holds 1, 2, 3; [4, 7) holds 4, 5; [7, 10] holds 10 twice
    expect(amount.bins).toEqual([{ x0: 1, x1: 4, count: 3 }, { x0: 4, x1: 7, count: 2 }, { x0: 7, x1: 10, count: 2 }]);
    const ts = await profileColumn(engine, 'profiled', 'ts', 'TIMESTAMP', { bins: 4 });
    expect(ts).toMatchObject({ kind: 'time', nulls: 1, distinct: 6, min: Date.parse('2024-01-01T00:00:00Z'), max: Date.parse('2024-01-05T00:00:00Z') });
    expect(ts.bins!.map((b) => b.count)).toEqual([2, 1, 1, 3]);
  });

  test('a cancelled profile rejects and the engine keeps working', async () => {
    const engine = await testEngine(kind);
    const controller = new AbortController();
    await engine.exec('CREATE OR REPLACE TABLE big_profiled AS SELECT i, i % 1000 AS k FROM range(20000000) t(i)');
    const running = profileColumn(engine, 'big_profiled', 'i', 'BIGINT', { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(running).rejects.toThrow(/cancel/);
    const k = await profileColumn(engine, 'profiled', 'country', 'VARCHAR');
    expect(k.distinct).toBe(4);
  }, 60_000);
});
