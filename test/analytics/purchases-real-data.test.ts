import { afterAll, beforeAll, expect, test } from 'vitest';
import { runAnalysis } from '../../src/analytics/index.ts';
import type { Engine } from '../../src/engine/index.ts';
import { createNodeEngine } from '../../src/engine/node.ts';
import { loadOnlineRetail, onlineRetailLines } from '../helpers/online-retail.ts';

// UCI Online Retail (CC BY 4.0, see public/samples/README.md): one row per invoice line, invoices
// starting with C are cancellations; InvoiceDate is read as UTC by the loader and here alike.
let engine: Engine;

beforeAll(async () => {
  engine = await createNodeEngine('wasm');
  await loadOnlineRetail(engine);
});
afterAll(async () => engine?.close());

/** Orders per customer from the CSV text: invoice → its time, cancellations apart. */
function invoicesByCustomer() {
  const bought = new Map<string, Map<string, number>>();
  const cancelled = new Set<string>();
  for (const line of onlineRetailLines()) {
    if (line.invoice.startsWith('C')) { cancelled.add(`${line.customer}|${line.invoice}`); continue; }
    const orders = bought.get(line.customer) ?? new Map<string, number>();
    orders.set(line.invoice, Math.min(orders.get(line.invoice) ?? Infinity, line.ms));
    bought.set(line.customer, orders);
  }
  return { bought, cancelled: cancelled.size };
}

test('purchases of Online Retail by invoice match a pass over the CSV text', async () => {
  const { rows, meta } = await runAnalysis(engine, {
    kind: 'purchases', order_column: 'InvoiceNo', refund_where: [{ column: 'InvoiceNo', op: 'starts_with', value: 'C' }], bin_days: 30,
  });
  const value = (metric: string) => rows.find((r) => r.metric === metric)?.value;
  const { bought, cancelled } = invoicesByCustomer();
  const counts = [...bought.values()].map((orders) => orders.size);
  const gaps = [...bought.values()].filter((o) => o.size >= 2).map((o) => {
    const times = [...o.values()].sort((a, b) => a - b);
    return (times[1] - times[0]) / 86_400_000;
  }).sort((a, b) => a - b);
  const median = gaps.length % 2 ? gaps[(gaps.length - 1) / 2] : (gaps[gaps.length / 2 - 1] + gaps[gaps.length / 2]) / 2;
  const purchases = counts.reduce((a, b) => a + b, 0);

  // 18,536 invoices, 65.6 % repeat customers, median 50.1 days to the second invoice, 3,654 cancellations
  expect(value('customers')).toBe(4339);
  expect(value('customers')).toBe(bought.size);
  expect(value('purchases')).toBe(purchases);
  expect(value('repeat_purchase_rate')).toBe(counts.filter((k) => k >= 2).length / bought.size);
  expect(value('median_days_to_second_purchase')).toBeCloseTo(median, 9);
  expect(value('refunds')).toBe(cancelled);
  expect(value('return_rate')).toBe(cancelled / purchases);
  expect(value('purchase_frequency_per_month')).toBeCloseTo(purchases / bought.size / (374 / 30.4375), 12);
  const bins = meta.days_to_second_purchase as { customers: number }[];
  expect(bins.reduce((n, b) => n + b.customers, 0)).toBe(gaps.length);
  // the file has no revenue column (Quantity × UnitPrice is not mapped), so there is no order value
  expect(value('average_order_value')).toBeNull();
});
