import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { runAnalysis } from '../../src/analytics/index.ts';
import { loadEvents, type Engine } from '../../src/engine/index.ts';
import { createNodeEngine } from '../../src/engine/node.ts';
import { ONLINE_RETAIL, csvFields } from '../helpers/online-retail.ts';

// UCI Online Retail (CC BY 4.0, see public/samples/README.md), the data set of the RFM paper it
// was donated with: one row per invoice line, revenue = Quantity × UnitPrice, cancellations are
// the rows with a negative Quantity (invoices starting with "C").
const FILE = ONLINE_RETAIL;
const DAY = 86_400_000;

let engine: Engine;
let bytes: Buffer;

beforeAll(async () => {
  engine = await createNodeEngine('wasm');
  bytes = readFileSync(FILE);
  await loadEvents(engine, { name: 'online-retail.csv.gz', bytes }, { mapping: { event: ':purchase' } });
  // the same contract as `events`, with revenue computed from the line
  await engine.exec('CREATE VIEW retail AS SELECT * REPLACE (CAST("Quantity" AS DOUBLE) * CAST("UnitPrice" AS DOUBLE) AS revenue) FROM events');
});
afterAll(async () => engine?.close());

/** Per customer, from the CSV without DuckDB: last purchase day, distinct invoices, revenue (Quantity > 0 rows). */
function customersFromCsv() {
  const lines = gunzipSync(bytes).toString('utf8').split('\n');
  const header = csvFields(lines[0]);
  const [inv, q, date, price, cust] = ['InvoiceNo', 'Quantity', 'InvoiceDate', 'UnitPrice', 'CustomerID'].map((n) => header.indexOf(n));
  const customers = new Map<string, { lastDay: number; invoices: Set<string>; monetary: number }>();
  for (const line of lines.slice(1)) {
    if (!line) continue;
    const f = csvFields(line);
    const id = f[cust].trim();
    if (id === '' || !(Number(f[q]) > 0)) continue;
    const day = Math.floor(Date.parse(`${f[date].replace(' ', 'T')}Z`) / DAY);
    const c = customers.get(id) ?? { lastDay: day, invoices: new Set<string>(), monetary: 0 };
    c.lastDay = Math.max(c.lastDay, day);
    c.invoices.add(f[inv]);
    c.monetary += Number(f[q]) * Number(f[price]);
    customers.set(id, c);
  }
  return customers;
}

test('RFM of every Online Retail customer matches a separate pass over the CSV', async () => {
  const { rows, meta } = await runAnalysis(
    engine, { kind: 'rfm', order_column: 'InvoiceNo', where: [{ column: 'Quantity', op: '>', value: 0 }] }, { table: 'retail' },
  );
  // the day after the last invoice (2011-12-09), as RFM tutorials on this data set take it
  expect(meta.as_of).toBe('2011-12-10');
  const expected = customersFromCsv();
  expect(expected.size).toBe(4339);
  expect(rows).toHaveLength(4339);
  const asOfDay = Date.UTC(2011, 11, 10) / DAY;
  for (const row of rows) {
    const c = expected.get(row.user_id as string)!;
    expect(row.recency_days, row.user_id as string).toBe(asOfDay - c.lastDay);
    expect(row.frequency, row.user_id as string).toBe(c.invoices.size);
    expect(row.monetary as number).toBeCloseTo(c.monetary, 4);
  }
  // the customer who bought 74,215 of one item on 2011-01-18 and cancelled it the same day
  expect(rows.find((r) => r.user_id === '12346')).toMatchObject({ recency_days: 326, frequency: 1, r: 1, f: 1 });
  const scores = (key: 'r' | 'f' | 'm') => [1, 2, 3, 4, 5].map((s) => rows.filter((r) => r[key] === s).length);
  // 4339 = 5 × 867 + 4: NTILE gives the first four groups one more
  for (const key of ['r', 'f', 'm'] as const) expect(scores(key)).toEqual([868, 868, 868, 868, 867]);
});

test('RFM summary of Online Retail: every customer in exactly one segment', async () => {
  const { rows } = await runAnalysis(
    engine, { kind: 'rfm', summary: true, order_column: 'InvoiceNo', where: [{ column: 'Quantity', op: '>', value: 0 }] }, { table: 'retail' },
  );
  expect(rows.reduce((sum, r) => sum + (r.users as number), 0)).toBe(4339);
  expect(rows.reduce((sum, r) => sum + (r.share as number), 0)).toBeCloseTo(1, 12);
  const champions = rows.find((r) => r.segment === 'Champions')!;
  const lost = rows.find((r) => r.segment === 'Lost')!;
  expect(champions.users).toBeGreaterThan(400);
  expect(champions.avg_monetary as number).toBeGreaterThan(5 * (lost.avg_monetary as number));
});
