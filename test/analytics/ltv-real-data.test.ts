import { afterAll, beforeAll, expect, test } from 'vitest';
import { runAnalysis } from '../../src/analytics/index.ts';
import type { Engine } from '../../src/engine/index.ts';
import { createNodeEngine } from '../../src/engine/node.ts';
import { loadOnlineRetail, onlineRetailLines } from '../helpers/online-retail.ts';

// UCI Online Retail (CC BY 4.0, see public/samples/README.md): one row per invoice line,
// InvoiceDate in UK local time without a zone, read as UTC by the loader and here alike;
// revenue = Quantity × UnitPrice; cancellations (negative Quantity) are left out.
let engine: Engine;

beforeAll(async () => {
  engine = await createNodeEngine('wasm');
  await loadOnlineRetail(engine);
});
afterAll(async () => engine?.close());

/** Monthly first-purchase cohorts from the CSV without DuckDB: `cohort age` → [size, revenue]. */
function cohortTableFromCsv(): Map<string, [number, number]> {
  const sales = onlineRetailLines().filter((l) => l.quantity > 0).map((l) => ({ id: l.customer, month: l.month, revenue: l.quantity * l.price }));
  const first = new Map<string, number>();
  for (const l of sales) first.set(l.id, Math.min(first.get(l.id) ?? Infinity, l.month));
  const sizes = new Map<number, number>();
  for (const m of first.values()) sizes.set(m, (sizes.get(m) ?? 0) + 1);
  const table = new Map<string, [number, number]>();
  for (const [cohort, size] of sizes) for (let m = cohort; m <= 2011 * 12 + 11; m++) table.set(`${cohort} ${m - cohort}`, [size, 0]);
  for (const l of sales) table.get(`${first.get(l.id)} ${l.month - first.get(l.id)!}`)![1] += l.revenue;
  return table;
}

test('monthly LTV cohorts of Online Retail match a separate pass over the CSV', async () => {
  const { rows, meta } = await runAnalysis(engine, {
    kind: 'ltv', period: 'month', where: [{ column: 'Quantity', op: '>', value: 0 }],
    acquisition_spend: { '2010-12': 1_327_500 },
  }, { table: 'retail' });
  const expected = cohortTableFromCsv();
  // 13 cohorts (December 2010 to December 2011): 13 + 12 + ... + 1 cells
  expect(rows).toHaveLength(91);
  expect(expected.size).toBe(91);
  for (const row of rows) {
    const [year, month] = (row.cohort as string).split('-').map(Number);
    const [size, revenue] = expected.get(`${year * 12 + month - 1} ${row.age}`)!;
    expect(row.cohort_size).toBe(size);
    expect(row.revenue as number).toBeCloseTo(revenue, 4);
  }
  const december = rows.filter((r) => r.cohort === '2010-12-01');
  expect(december[0].cohort_size).toBe(885); // customers whose first non-cancelled line is in December 2010
  // cumulative revenue per user never falls (no refunds in the data after the filter)
  december.slice(1).forEach((r, i) => expect(r.cumulative_revenue_per_user).toBeGreaterThanOrEqual(december[i].cumulative_revenue_per_user as number));
  // the last month (the log stops on December 9) is incomplete, and only it: each cohort's cell of
  // December 2011, one per cohort
  const december2011 = 2011 * 12 + 11;
  const monthOf = (cohort: string) => Number(cohort.slice(0, 4)) * 12 + Number(cohort.slice(5, 7)) - 1;
  for (const row of rows) expect(row.incomplete, `${row.cohort} +${row.age}`).toBe(monthOf(row.cohort as string) + (row.age as number) === december2011);
  expect(rows.filter((r) => r.incomplete)).toHaveLength(13);
  const summary = (meta.cohorts as { cohort: string; cac: number | null; payback_age: number | null }[])[0];
  expect(summary.cac).toBe(1500);
  // wholesale customers: about 647, 959, 1223, 1566 per customer after months 0..3, so a CAC of 1500 pays back at age 3
  expect(summary.payback_age).toBe(3);
  expect(december.find((r) => (r.cumulative_revenue_per_user as number) >= 1500)!.age).toBe(3);
});
