import { afterAll, beforeAll, expect, test } from 'vitest';
import { runAnalysis } from '../../src/analytics/index.ts';
import type { Engine } from '../../src/engine/index.ts';
import { createNodeEngine } from '../../src/engine/node.ts';
import { loadOnlineRetail, onlineRetailLines } from '../helpers/online-retail.ts';

// UCI Online Retail (CC BY 4.0, see public/samples/README.md): one row per invoice line,
// InvoiceDate in UK local time without a zone, read as UTC by the loader and here alike.
const DAY = 86_400_000;
const WEEK = 7 * DAY;

let engine: Engine;

beforeAll(async () => {
  engine = await createNodeEngine('wasm');
  await loadOnlineRetail(engine);
});
afterAll(async () => engine?.close());

/** Customer and purchase instant of every row with a customer, parsed without DuckDB. */
function purchases(options: { positiveOnly: boolean }): { customer: string; ms: number }[] {
  return onlineRetailLines().filter((line) => !options.positiveOnly || line.quantity > 0).map(({ customer, ms }) => ({ customer, ms }));
}

// 2010-11-29 was a Monday; weeks are counted from it.
const MONDAY = Date.UTC(2010, 10, 29);
const weekOf = (ms: number) => Math.floor((ms - MONDAY) / WEEK);
const monthOf = (ms: number) => new Date(ms).getUTCFullYear() * 12 + new Date(ms).getUTCMonth();

/** First-purchase cohorts: users[cohort][k] = customers of the cohort buying k periods after it. */
function firstTimeMatrix(rows: { customer: string; ms: number }[], periodOf: (ms: number) => number, intervals: number) {
  const periods = new Map<string, Set<number>>();
  for (const { customer, ms } of rows) {
    let set = periods.get(customer);
    if (!set) periods.set(customer, (set = new Set()));
    set.add(periodOf(ms));
  }
  const matrix = new Map<number, number[]>();
  for (const set of periods.values()) {
    const first = Math.min(...set);
    const counts = matrix.get(first) ?? Array(intervals).fill(0);
    for (let k = 0; k < intervals; k++) if (set.has(first + k)) counts[k]++;
    matrix.set(first, counts);
  }
  return matrix;
}

test('weekly first-purchase retention of Online Retail matches a pass over the CSV text', async () => {
  const { rows } = await runAnalysis(engine, {
    kind: 'retention', period: 'week', mode: 'first_time', date_from: '2010-12-01', intervals: 6,
    where: [{ column: 'Quantity', op: '>', value: 0 }],
  });
  const expected = firstTimeMatrix(purchases({ positiveOnly: true }), weekOf, 6);
  const lastWeek = weekOf(Date.UTC(2011, 11, 9, 12, 50));
  expect(lastWeek).toBe(53);
  let checked = 0;
  for (const row of rows) {
    const cohort = weekOf(Date.parse(`${row.cohort as string}T00:00:00Z`));
    const counts = expected.get(cohort) ?? Array(6).fill(0);
    expect(row.cohort_size, `${row.cohort}`).toBe(counts[0]);
    expect(row.users, `${row.cohort} +${row.period}`).toBe(counts[row.period as number]);
    expect(row.incomplete).toBe(cohort + (row.period as number) === lastWeek);
    checked++;
  }
  // 54 weekly cohorts (weeks 0..53); cohort c has min(6, 54 - c) cells.
  expect(checked).toBe(49 * 6 + 5 + 4 + 3 + 2 + 1);
  // The first cohort is the week of Monday 2010-11-29 (the log begins on Wednesday 12-01).
  expect(rows.slice(0, 6).map((r) => r.users)).toEqual(expected.get(0));
  // Week 4 (2010-12-27) is empty: the shop had no invoices between 2010-12-23 and 2011-01-04.
  expect(rows.slice(0, 6).map((r) => r.users)).toEqual([303, 65, 73, 20, 0, 60]);
  expect(rows[0]).toMatchObject({ cohort: '2010-11-29', cohort_size: 303, rate: 1, incomplete: false });
  expect(rows[1].rate_low).toBeCloseTo(0.17203, 5);
  expect(rows[1].rate_high).toBeCloseTo(0.26416, 5);
});

test('monthly first-purchase retention: the December 2010 cohort of the classic tutorials (948 customers)', async () => {
  const { rows } = await runAnalysis(engine, { kind: 'retention', period: 'month', mode: 'first_time', date_from: '2010-12-01', intervals: 13 });
  const expected = firstTimeMatrix(purchases({ positiveOnly: false }), monthOf, 13);
  const december = rows.filter((r) => r.cohort === '2010-12-01');
  expect(december.map((r) => r.users)).toEqual(expected.get(2010 * 12 + 11));
  expect(december.slice(0, 4).map((r) => r.users)).toEqual([948, 362, 317, 367]);
  expect(december[1].rate).toBeCloseTo(362 / 948, 12);
  expect(rows.filter((r) => r.period === 0).map((r) => r.cohort_size).reduce((a, b) => (a as number) + (b as number))).toBe(4372);
});
