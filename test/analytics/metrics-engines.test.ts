import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runAnalysis } from '../../src/analytics/index.ts';
import type { Engine } from '../../src/engine/index.ts';
import { createNodeEngine } from '../../src/engine/node.ts';
import { loadTestEvents } from '../helpers/events.ts';
import { generatedLog } from './generated-log.ts';

// The same SQL on DuckDB-WASM and native DuckDB (which has ICU and its own threads) must give the same rows.
let wasm: Engine;
let native: Engine;
const log = generatedLog({ seed: 99, users: 300, start: '2024-01-01T00:00:00Z', days: 200, eventsPerUser: 12, events: ['open', 'purchase', 'cancel'] });

beforeAll(async () => {
  [wasm, native] = await Promise.all([createNodeEngine('wasm'), createNodeEngine('native')]);
  await loadTestEvents(wasm, log);
  await loadTestEvents(native, log);
});
afterAll(async () => Promise.all([wasm?.close(), native?.close()]));

const zone = { timezone: 'Europe/London' };
const SPECS = [
  { kind: 'lifecycle', period: 'week', ...zone },
  { kind: 'stickiness', period: 'week', event: 'open', cumulative: true, ...zone },
  { kind: 'active_users', date_from: '2024-03-01', date_to: '2024-06-30', ...zone },
  { kind: 'churn', period: 'month', inactive_days: 21, ...zone },
  { kind: 'churn', period: 'week', cancel_event: 'cancel', event: 'purchase', ...zone },
  { kind: 'sessions', period: 'day', ...zone },
  { kind: 'sessions', per: 'user', gap_minutes: 20, ...zone },
];

/** Compares rows exactly, except sums of fractional numbers (revenue), which threads may add in another order. */
function expectSameRows(actual: Record<string, unknown>[], expected: Record<string, unknown>[]) {
  expect(actual.length).toBe(expected.length);
  expected.forEach((row, i) => {
    expect(Object.keys(actual[i])).toEqual(Object.keys(row));
    for (const [key, value] of Object.entries(row)) {
      const other = actual[i][key];
      if (typeof value === 'number' && !Number.isInteger(value)) expect(Math.abs((other as number) - value), `${key} of row ${i}`).toBeLessThanOrEqual(1e-9 * Math.abs(value));
      else expect(other, `${key} of row ${i}`).toBe(value);
    }
  });
}

describe('DuckDB-WASM and native DuckDB', () => {
  test.each(SPECS)('give the same rows for $kind', async (spec) => {
    const [a, b] = await Promise.all([runAnalysis(wasm, spec), runAnalysis(native, spec)]);
    expect(a.rows.length).toBeGreaterThan(0);
    expectSameRows(b.rows, a.rows);
  });
});
