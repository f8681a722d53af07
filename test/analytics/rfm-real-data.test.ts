import { afterAll, beforeAll, expect, test } from 'vitest';
import { runAnalysis } from '../../src/analytics/index.ts';
import type { Engine } from '../../src/engine/index.ts';
import { createNodeEngine } from '../../src/engine/node.ts';
import { loadOnlineRetail, onlineRetailLines } from '../helpers/online-retail.ts';
import { GRID, ntile } from './rfm-reference.ts';

// UCI Online Retail (CC BY 4.0, see public/samples/README.md), the data set of the RFM paper it
// was donated with: one row per invoice line, revenue = Quantity × UnitPrice, cancellations are
// the rows with a negative Quantity (invoices starting with "C").
const DAY = 86_400_000;

let engine: Engine;

beforeAll(async () => {
  engine = await createNodeEngine('wasm');
  await loadOnlineRetail(engine);
});
afterAll(async () => engine?.close());

/**
 * Per customer, from the CSV without DuckDB: recency, distinct invoices and revenue of the
 * Quantity > 0 lines, then the scores by the definition of NTILE(5) and the published grid.
 */
function customersFromCsv(asOfDay: number) {
  const customers = new Map<string, { lastDay: number; invoices: Set<string>; monetary: number }>();
  for (const line of onlineRetailLines()) {
    if (!(line.quantity > 0)) continue;
    const day = Math.floor(line.ms / DAY);
    const c = customers.get(line.customer) ?? { lastDay: day, invoices: new Set<string>(), monetary: 0 };
    c.lastDay = Math.max(c.lastDay, day);
    c.invoices.add(line.invoice);
    c.monetary += line.quantity * line.price;
    customers.set(line.customer, c);
  }
  const list = [...customers].map(([user_id, c]) => ({
    user_id, recency_days: asOfDay - c.lastDay, frequency: c.invoices.size,
    // cents: sums of the same lines in another order differ in the last bits, never in cents
    monetary: c.monetary, cents: Math.round(c.monetary * 100),
  }));
  type Item = (typeof list)[number];
  const byUser = (a: Item, b: Item) => (a.user_id < b.user_id ? -1 : 1);
  const r = ntile(list, (a, b) => b.recency_days - a.recency_days || byUser(a, b));
  const f = ntile(list, (a, b) => a.frequency - b.frequency || byUser(a, b));
  const m = ntile(list, (a, b) => a.cents - b.cents || byUser(a, b));
  return new Map(list.map((c) => [c.user_id, { ...c, r: r.get(c)!, f: f.get(c)!, m: m.get(c)!, segment: GRID[r.get(c)! - 1][f.get(c)! - 1] }]));
}

test('RFM of every Online Retail customer: values, R, F and M scores and segment match a separate pass over the CSV', async () => {
  const { rows, meta } = await runAnalysis(
    engine, { kind: 'rfm', order_column: 'InvoiceNo', where: [{ column: 'Quantity', op: '>', value: 0 }] }, { table: 'retail' },
  );
  // the day after the last invoice (2011-12-09), as RFM tutorials on this data set take it
  expect(meta.as_of).toBe('2011-12-10');
  const expected = customersFromCsv(Date.UTC(2011, 11, 10) / DAY);
  expect(expected.size).toBe(4339);
  expect(rows).toHaveLength(4339);
  for (const row of rows) {
    const c = expected.get(row.user_id as string)!;
    const id = `customer ${row.user_id}`;
    expect([row.recency_days, row.frequency], id).toEqual([c.recency_days, c.frequency]);
    expect(row.monetary as number, id).toBeCloseTo(c.monetary, 4);
    expect({ r: row.r, f: row.f, m: row.m, segment: row.segment }, id).toEqual({ r: c.r, f: c.f, m: c.m, segment: c.segment });
  }
  // the customer who bought 74,215 of one item on 2011-01-18 and cancelled it the same day
  expect(rows.find((r) => r.user_id === '12346')).toMatchObject({ recency_days: 326, frequency: 1, r: 1, f: 1 });
  // 4339 = 5 × 867 + 4: NTILE gives the first four groups one more
  const scores = (key: 'r' | 'f' | 'm') => [1, 2, 3, 4, 5].map((s) => rows.filter((r) => r[key] === s).length);
  for (const key of ['r', 'f', 'm'] as const) expect(scores(key)).toEqual([868, 868, 868, 868, 867]);
});

test('RFM summary of Online Retail: the per-customer segments counted, every customer in exactly one', async () => {
  const { rows } = await runAnalysis(
    engine, { kind: 'rfm', summary: true, order_column: 'InvoiceNo', where: [{ column: 'Quantity', op: '>', value: 0 }] }, { table: 'retail' },
  );
  const customers = [...customersFromCsv(Date.UTC(2011, 11, 10) / DAY).values()];
  expect(rows.reduce((sum, r) => sum + (r.users as number), 0)).toBe(4339);
  expect(rows.reduce((sum, r) => sum + (r.share as number), 0)).toBeCloseTo(1, 12);
  for (const row of rows) {
    const members = customers.filter((c) => c.segment === row.segment);
    expect(row.users, row.segment as string).toBe(members.length);
    if (members.length) expect(row.avg_monetary as number).toBeCloseTo(members.reduce((s, c) => s + c.monetary, 0) / members.length, 4);
  }
  const champions = rows.find((r) => r.segment === 'Champions')!;
  const lost = rows.find((r) => r.segment === 'Lost')!;
  expect(champions.users).toBeGreaterThan(400);
  expect(champions.avg_monetary as number).toBeGreaterThan(5 * (lost.avg_monetary as number));
});
