import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Engine } from '../../src/engine/index.ts';
import { createNodeEngine } from '../../src/engine/node.ts';
import { cmgr, runAnalysis } from '../../src/analytics/index.ts';
import { loadTestEvents, type TestEvent } from '../helpers/events.ts';

let engine: Engine;
beforeAll(async () => { engine = await createNodeEngine('wasm'); });
afterAll(async () => { await engine?.close(); });

const row = (rows: Record<string, unknown>[], metric: string) => rows.find((r) => r.metric === metric)?.value as number;

describe('growth from figures', () => {
  test('CMGR of the worked example: 100 → 121 over two months is 10 %', async () => {
    expect(cmgr([100, 110, 121])).toBeCloseTo(0.1, 12);
    const { rows } = await runAnalysis(null, { kind: 'growth', series: [100, 105, 121] });
    expect(row(rows, 'cmgr')).toBeCloseTo(0.1, 12);
  });

  test('K-factor, burn rate and runway', async () => {
    const { rows } = await runAnalysis(null, { kind: 'growth', k_factor: { invites_per_user: 4, invite_conversion: 0.2 }, burn: { cash_start: 1_000_000, cash_end: 700_000, months: 6 } });
    expect(row(rows, 'k_factor')).toBeCloseTo(0.8, 12);
    expect(row(rows, 'burn_rate')).toBe(50_000);
    expect(row(rows, 'runway_months')).toBe(14);
  });

  test.each([
    [{ series: [100] }, /series must list at least two monthly values/],
    [{}, /ask for at least one of series, metric, k_factor, burn or concentration/],
    [{ burn: { cash_start: 10, cash_end: 5, months: 0 } }, /burn takes \{cash_start, cash_end, months\} with months > 0/],
  ])('a bad spec is refused: %j', async (spec, message) => {
    await expect(runAnalysis(null, { kind: 'growth', ...spec })).rejects.toThrow(message);
  });
});

describe('growth from events', () => {
  test('monthly revenue CMGR over whole months, concentration and K-factor match a plain pass', async () => {
    let seed = 11;
    const random = () => { seed = (seed * 1664525 + 1013904223) >>> 0; return seed / 2 ** 32; };
    const events: TestEvent[] = [];
    for (let i = 0; i < 600; i++) {
      const month = i % 6; // Jan..Jun 2024, every month covered from its 1st to its last day
      const day = 1 + (i % 28);
      events.push({ user_id: `c${i % 40}`, event: 'purchase', ts: new Date(Date.UTC(2024, month, day, 10)).toISOString(), revenue: Math.round((10 + random() * 90 * (1 + month * 0.2)) * 100) / 100 });
      if (random() < 0.3) events.push({ user_id: `c${i % 40}`, event: 'invite', ts: new Date(Date.UTC(2024, month, day, 11)).toISOString() });
      if (random() < 0.1) events.push({ user_id: `n${i}`, event: 'invited_signup', ts: new Date(Date.UTC(2024, month, day, 12)).toISOString() });
    }
    events.push({ user_id: 'c0', event: 'purchase', ts: '2024-01-01T00:00:00Z', revenue: 1 }, { user_id: 'c0', event: 'purchase', ts: '2024-06-30T23:59:59Z', revenue: 1 });
    await loadTestEvents(engine, events);
    const { rows } = await runAnalysis(engine, { kind: 'growth', metric: 'revenue', concentration: true, k_factor: { invite_event: 'invite', signup_event: 'invited_signup' } });
    const byMonth = new Map<number, number>();
    const byCustomer = new Map<string, number>();
    for (const e of events) {
      if (e.revenue == null) continue;
      const m = new Date(e.ts).getUTCMonth();
      byMonth.set(m, (byMonth.get(m) ?? 0) + e.revenue);
      byCustomer.set(e.user_id!, (byCustomer.get(e.user_id!) ?? 0) + e.revenue);
    }
    expect(row(rows, 'cmgr_revenue')).toBeCloseTo((byMonth.get(5)! / byMonth.get(0)!) ** (1 / 5) - 1, 9);
    const total = [...byCustomer.values()].reduce((a, b) => a + b, 0);
    const sorted = [...byCustomer.values()].sort((a, b) => b - a);
    expect(row(rows, 'largest_customer_share')).toBeCloseTo(sorted[0] / total, 9);
    expect(row(rows, 'top10_share')).toBeCloseTo(sorted.slice(0, 10).reduce((a, b) => a + b, 0) / total, 9);
    const invites = events.filter((e) => e.event === 'invite').length;
    const signups = events.filter((e) => e.event === 'invited_signup').length;
    const users = new Set(events.map((e) => e.user_id)).size;
    expect(row(rows, 'k_factor')).toBeCloseTo((invites / users) * (signups / invites), 9);
  });
});
