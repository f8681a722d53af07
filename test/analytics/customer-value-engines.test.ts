import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runAnalysis } from '../../src/analytics/index.ts';
import type { Engine } from '../../src/engine/index.ts';
import { createNodeEngine } from '../../src/engine/node.ts';
import { loadTestEvents, type TestEvent } from '../helpers/events.ts';
import { generatedLog } from './generated-log.ts';

// ltv, purchases and rfm: the same SQL on DuckDB-WASM and native DuckDB (ICU, threads) must give the same rows.
let wasm: Engine;
let native: Engine;
const log: TestEvent[] = generatedLog({ seed: 77, users: 400, start: '2024-01-01T00:00:00Z', days: 180, eventsPerUser: 10, events: ['open', 'purchase', 'purchase', 'refund'] })
  .map((e, i) => ({ ...e, order: `o${Math.floor(i / 2)}` }));

beforeAll(async () => {
  [wasm, native] = await Promise.all([createNodeEngine('wasm'), createNodeEngine('native')]);
  await loadTestEvents(wasm, log);
  await loadTestEvents(native, log);
});
afterAll(async () => Promise.all([wasm?.close(), native?.close()]));

const zone = { timezone: 'America/Chicago' };
const SPECS: Record<string, unknown>[] = [
  { kind: 'ltv', period: 'month', acquisition_spend: { '2024-02-01': 900, '2024-03-01': 1500 }, ...zone },
  { kind: 'ltv', period: 'week', start_event: 'purchase', date_from: '2024-03-04', date_to: '2024-05-26', ...zone },
  { kind: 'purchases', refund_event: 'refund', bin_days: 3, ...zone },
  { kind: 'purchases', order_column: 'order', refund_where: [{ column: 'revenue', op: '<', value: 20 }], ...zone },
  { kind: 'rfm', ...zone },
  { kind: 'rfm', summary: true, as_of: '2024-05-01', ...zone },
];

/** Rows equal, except sums of fractional money, which threads may add in another order. */
function expectSameRows(actual: Record<string, unknown>[], expected: Record<string, unknown>[]) {
  expect(actual.length).toBe(expected.length);
  expected.forEach((row, i) => {
    expect(Object.keys(actual[i])).toEqual(Object.keys(row));
    for (const [key, value] of Object.entries(row)) {
      const other = actual[i][key];
      if (typeof value === 'number' && !Number.isInteger(value)) expect(Math.abs((other as number) - value), `${key} of row ${i}`).toBeLessThanOrEqual(1e-9 * Math.abs(value));
      else expect(other, `${key} of row ${i}`).toEqual(value);
    }
  });
}

describe('DuckDB-WASM and native DuckDB', () => {
  test.each(SPECS)('give the same rows for $kind %#', async (spec) => {
    const [a, b] = await Promise.all([runAnalysis(wasm, spec), runAnalysis(native, spec)]);
    expect(a.rows.length).toBeGreaterThan(0);
    expectSameRows(b.rows, a.rows);
    if (spec.kind === 'purchases') expect(b.meta.days_to_second_purchase).toEqual(a.meta.days_to_second_purchase);
    if (spec.kind === 'ltv') expectSameRows(b.meta.cohorts as Record<string, unknown>[], a.meta.cohorts as Record<string, unknown>[]);
  });
});
