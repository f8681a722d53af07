import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runAnalysis } from '../../src/analytics/index.ts';
import type { Engine } from '../../src/engine/index.ts';
import { createNodeEngine } from '../../src/engine/node.ts';
import { loadTestEvents, type TestEvent } from '../helpers/events.ts';
import { generatedLog, referenceLocalDate } from './generated-log.ts';

let engine: Engine;
let native: Engine;
const at = (user: string, ts: string, event = 'purchase', revenue: number | null = 10): TestEvent => ({ user_id: user, event, ts, revenue });

// a buys 3 times (10 days to the second), b twice (20 days), c and d once; d returns something.
const WORKED: TestEvent[] = [
  at('a', '2024-01-01T09:00:00Z', 'purchase', 30), at('a', '2024-01-11T09:00:00Z'), at('a', '2024-02-01T09:00:00Z'),
  at('b', '2024-01-05T12:00:00Z'), at('b', '2024-01-25T12:00:00Z'),
  at('c', '2024-01-10T12:00:00Z'), at('c', '2024-01-10T13:00:00Z', 'view', null),
  at('d', '2024-02-10T12:00:00Z'), at('d', '2024-02-15T12:00:00Z', 'refund', -10),
  at('e', '2024-03-10T12:00:00Z'),
];

// Line items as in Online Retail: one row per product, invoices starting with C are cancellations.
const line = (user: string, invoice: string, ts: string, revenue: number): TestEvent => ({ user_id: user, event: 'purchase', ts, revenue, InvoiceNo: invoice });
const INVOICES: TestEvent[] = [
  line('x', '1001', '2024-03-01T10:00:00Z', 5), line('x', '1001', '2024-03-01T10:00:00Z', 7),
  line('x', '1002', '2024-03-04T10:00:00Z', 3), line('x', 'C1003', '2024-03-05T10:00:00Z', -5),
  line('y', '1004', '2024-03-02T08:00:00Z', 1), line('y', '1004', '2024-03-02T08:00:00Z', 2), line('y', '1004', '2024-03-02T08:00:00Z', 4),
];

beforeAll(async () => {
  [engine, native] = await Promise.all([createNodeEngine('wasm'), createNodeEngine('native')]);
  await loadTestEvents(engine, WORKED, { source: 'worked' });
  await loadTestEvents(engine, INVOICES, { source: 'invoices' });
});
afterAll(async () => Promise.all([engine?.close(), native?.close()]));

const run = (spec: Record<string, unknown>, table: string, on = engine) => runAnalysis(on, { kind: 'purchases', ...spec }, { table });
const values = (rows: Record<string, unknown>[]) => Object.fromEntries(rows.map((r) => [r.metric, r.value]));

describe('purchases', () => {
  test('worked example: 4 customers, 7 purchases, half of them repeat, 15 days to the second purchase', async () => {
    const { rows, meta } = await run({ refund_event: 'refund', date_from: '2024-01-01', date_to: '2024-02-29' }, 'worked');
    const months = 60 / 30.4375;
    expect(values(rows)).toEqual({
      customers: 4, purchases: 7, repeat_purchase_rate: 0.5, purchase_frequency_per_month: 7 / 4 / months,
      average_order_value: 90 / 7, median_days_to_second_purchase: 15, refunds: 1, return_rate: 1 / 7,
    });
    expect(rows.find((r) => r.metric === 'repeat_purchase_rate')?.formula).toBe('customers with 2+ purchases ÷ customers');
    expect(meta.days_to_second_purchase).toEqual([
      { bin_start: 0, bin_end: 7, customers: 0 }, { bin_start: 7, bin_end: 14, customers: 1 }, { bin_start: 14, bin_end: 21, customers: 1 },
    ]);
    expect(meta.formula).toMatch(/return rate = refunds ÷ purchases/);
  });

  test('without marked refunds there is no return rate; bin_days sets the bins', async () => {
    const { rows, meta } = await run({ date_from: '2024-01-01', date_to: '2024-01-31', bin_days: 30 }, 'worked');
    expect(values(rows)).toEqual({
      customers: 3, purchases: 5, repeat_purchase_rate: 2 / 3, purchase_frequency_per_month: 5 / 3 / (31 / 30.4375),
      average_order_value: 70 / 5, median_days_to_second_purchase: 15,
    });
    expect(meta.days_to_second_purchase).toEqual([{ bin_start: 0, bin_end: 30, customers: 2 }]);
  });

  test('order_column groups line items into orders; refund_where marks cancellations', async () => {
    const refundWhere = [{ column: 'InvoiceNo', op: 'starts_with', value: 'C' }];
    const { rows } = await run({ order_column: 'InvoiceNo', refund_where: refundWhere }, 'invoices');
    expect(values(rows)).toMatchObject({
      customers: 2, purchases: 3, repeat_purchase_rate: 0.5, average_order_value: 22 / 3, median_days_to_second_purchase: 3,
      refunds: 1, return_rate: 1 / 3,
    });
    const lines = await run({ refund_where: refundWhere }, 'invoices');
    expect(values(lines.rows)).toMatchObject({ purchases: 6, refunds: 1, median_days_to_second_purchase: 0 });
  });

  test('matches a plain TypeScript reference on a generated log (New York dates)', async () => {
    const zone = 'America/New_York';
    const log = generatedLog({ seed: 17, users: 150, start: '2024-01-01T00:00:00Z', days: 120, eventsPerUser: 6, events: ['purchase', 'purchase', 'view', 'refund'] });
    await loadTestEvents(engine, log, { source: 'generated' });
    await loadTestEvents(native, log, { source: 'generated' });
    const spec = { refund_event: 'refund', timezone: zone, date_from: '2024-01-20', date_to: '2024-04-10', bin_days: 5 };
    const { rows, meta } = await run(spec, 'generated');
    const expected = referencePurchases(log, zone, spec.date_from, spec.date_to, 5);
    expect(expected.customers).toBeGreaterThan(50);
    expect(expected.refunds).toBeGreaterThan(0);
    expect(expected.bins.length).toBeGreaterThan(3);
    const got = values(rows);
    expect(got).toMatchObject({ customers: expected.customers, purchases: expected.purchases, refunds: expected.refunds });
    expect(got.repeat_purchase_rate).toBe(expected.repeat / expected.customers);
    expect(got.median_days_to_second_purchase).toBeCloseTo(expected.median, 9);
    expect(got.return_rate).toBe(expected.refunds / expected.purchases);
    expect(got.average_order_value).toBeCloseTo(expected.revenue / expected.purchases, 9);
    expect(meta.days_to_second_purchase).toEqual(expected.bins);

    const other = await run(spec, 'generated', native);
    expect(other.rows.map((r) => r.metric)).toEqual(rows.map((r) => r.metric));
    other.rows.forEach((r, i) => expect(r.value as number).toBeCloseTo(rows[i].value as number, 9));
    expect(other.meta.days_to_second_purchase).toEqual(meta.days_to_second_purchase);
  });

  test.each([
    [{ refund_event: 'refund', refund_where: [{ column: 'user_id', op: '=', value: 'a' }] }, /^purchases spec: give either refund_event or refund_where, not both$/],
    [{ refund_event: 'purchase' }, /^purchases spec: purchase_event and refund_event are both "purchase"$/],
    [{ refund_where: [{ column: 'Invoice', op: 'starts_with', value: 'C' }] }, /^purchases spec: refund_where\[0\]: no column "Invoice"/],
    [{ order_column: 'invoice' }, /^purchases spec: order_column: no column "invoice"/],
    [{ bin_days: 0 }, /^purchases spec: bin_days must be a whole number of days ≥ 1, not 0$/],
    [{ period: 'week' }, /^purchases spec: unknown field "period"/],
  ])('rejects %j', async (extra, message) => {
    await expect(run(extra, 'worked')).rejects.toThrow(message);
  });
});

/** The metrics from their definitions, over purchases whose local date falls in [from, to]. */
function referencePurchases(log: TestEvent[], zone: string, from: string, to: string, binDays: number) {
  const inRange = (e: TestEvent) => {
    const date = referenceLocalDate(zone, Date.parse(e.ts));
    return date >= from && date <= to;
  };
  const byUser = new Map<string, number[]>();
  let revenue = 0;
  for (const e of log.filter((e) => e.event === 'purchase' && inRange(e))) {
    byUser.set(e.user_id!, [...(byUser.get(e.user_id!) ?? []), Date.parse(e.ts)]);
    revenue += e.revenue ?? 0;
  }
  const gaps = [...byUser.values()].filter((t) => t.length >= 2).map((t) => {
    t.sort((a, b) => a - b);
    return (t[1] - t[0]) / 86_400_000;
  });
  const sorted = [...gaps].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  const median = sorted.length % 2 ? sorted[Math.floor(mid)] : (sorted[mid - 1] + sorted[mid]) / 2;
  const counts: number[] = [];
  for (const g of gaps) {
    const b = Math.floor(g / binDays);
    while (counts.length <= b) counts.push(0);
    counts[b]++;
  }
  return {
    customers: byUser.size,
    purchases: [...byUser.values()].reduce((n, t) => n + t.length, 0),
    repeat: gaps.length,
    refunds: log.filter((e) => e.event === 'refund' && inRange(e)).length,
    revenue, median,
    bins: counts.map((customers, b) => ({ bin_start: b * binDays, bin_end: (b + 1) * binDays, customers })),
  };
}
