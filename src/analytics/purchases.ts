import type { Table } from 'apache-arrow';
import { registerAnalysis, type Analysis } from './analysis.ts';
import { specEvents, validateEventOption } from './event-option.ts';
import { dayOfDate, periodRange, periodStartUtc, validateDateRange, validateTimeZone, type CalendarRange } from './calendar.ts';
import { ordersSql, validateOrderColumn, type OrderOptions } from './purchase-orders.ts';
import { SpecError } from './spec-error.ts';
import { specFields } from './spec-fields.ts';
import { validateFilters, whereSql, type BoundSql, type Filter } from './where.ts';

/** A purchases spec after validation; at most one of `refund_event` and `refund_where` is set. */
export interface PurchasesSpec extends OrderOptions {
  kind: 'purchases';
  /** The event that marks a refund (a return), or null. */
  refund_event: string | null;
  /** Filters that mark a purchase row as a refund (`InvoiceNo` starting with `C`); empty for none. */
  refund_where: Filter[];
  /** Width of the bins of days between first and second purchase. */
  bin_days: number;
  timezone: string;
  /** First and last local date of the range; only purchases in it count. */
  date_from: string;
  date_to: string;
}

/** One metric; `value` is null where its denominator is 0 (or no refunds are marked). */
export interface PurchasesRow {
  metric: string;
  value: number | null;
  formula: string;
}

/** A bin of the days-to-second-purchase histogram: customers whose gap is in [bin_start, bin_end). */
export interface DaysToSecondPurchaseBin {
  bin_start: number;
  bin_end: number;
  customers: number;
}

const KIND = 'purchases';
const DAY_MS = 86_400_000;
/** The mean Gregorian month (365.25 ÷ 12 days), so partial months count by their days. */
const MONTH_DAYS = 30.4375;
const FORMULA = 'repeat purchase rate = customers with 2+ purchases ÷ customers; purchase frequency = purchases ÷ customers ÷ months; '
  + 'return rate = refunds ÷ purchases';

/**
 * One row of totals (bin NULL) and one row per non-empty bin of days to the second purchase, in
 * one result. A refund order is never a purchase; the first and second purchase are a customer's
 * first two orders in the range.
 */
function purchasesSql(spec: PurchasesSpec, table: string): BoundSql {
  const days: CalendarRange<'day'> = { period: 'day', week_start: 'monday', timezone: spec.timezone, date_from: spec.date_from, date_to: spec.date_to };
  const { from, to } = periodRange(days);
  const startMs = periodStartUtc(days, from);
  const endMs = periodStartUtc(days, to + 1);
  const refund = spec.refund_event !== null
    ? { event: spec.refund_event }
    : spec.refund_where.length > 0 ? { condition: whereSql(spec.refund_where) } : {};
  const orders = ordersSql(spec, table, { startMs, endMs }, refund);
  const sql = `WITH ${orders.sql},
bought AS (
  SELECT user_id, ms, revenue, row_number() OVER (PARTITION BY user_id ORDER BY ms) AS n FROM orders WHERE NOT is_refund
), per_user AS (
  SELECT user_id, count(*) AS purchases, max(ms) FILTER (WHERE n = 2) - min(ms) FILTER (WHERE n = 1) AS gap_ms
  FROM bought GROUP BY user_id
)
SELECT NULL::BIGINT AS bin, CAST(count(*) AS BIGINT) AS customers, CAST(coalesce(sum(purchases), 0) AS BIGINT) AS purchases,
  CAST(count(*) FILTER (WHERE purchases >= 2) AS BIGINT) AS repeat_customers,
  median(gap_ms / ${DAY_MS}.0) AS median_days,
  (SELECT CAST(count(*) AS BIGINT) FROM orders WHERE is_refund) AS refunds,
  (SELECT sum(revenue) FROM bought) AS revenue
FROM per_user
UNION ALL
SELECT CAST(floor(gap_ms / ${spec.bin_days * DAY_MS}.0) AS BIGINT), CAST(count(*) AS BIGINT), NULL, NULL, NULL, NULL, NULL
FROM per_user WHERE gap_ms IS NOT NULL GROUP BY 1
ORDER BY bin NULLS FIRST`;
  return { sql, params: orders.params };
}

const ratio = (a: number, b: number) => (b === 0 ? null : a / b);

/**
 * Purchases (kind `"purchases"`): customers, purchases, repeat purchase rate, purchase frequency
 * per month, average order value, median days from first to second purchase and, when refunds are
 * marked (`refund_event`, or `refund_where` on the purchase rows), the return rate. `order_column`
 * groups line items into orders. `meta.days_to_second_purchase` bins the days between a customer's
 * first and second purchase (`bin_days` wide, default 7).
 *
 * @example
 * const { rows, meta } = await runAnalysis(engine, {
 *   kind: 'purchases', order_column: 'InvoiceNo', refund_where: [{ column: 'InvoiceNo', op: 'starts_with', value: 'C' }],
 * });
 * // [{ metric: 'customers', value: 4339, formula: '...' }, { metric: 'repeat_purchase_rate', value: 0.656, ... }, ...]
 */
export const purchases: Analysis<PurchasesSpec, PurchasesRow> = {
  kind: KIND,
  title: 'Purchases: repeat purchase rate, purchase frequency, time to second purchase, return rate',
  formula: FORMULA,
  events: (spec) => specEvents(spec, ['purchase_event', 'refund_event']),
  validate(input, catalog) {
    const spec = specFields(KIND, input, [
      'purchase_event', 'refund_event', 'refund_where', 'order_column', 'bin_days', 'timezone', 'date_from', 'date_to',
    ]);
    const purchaseEvent = validateEventOption(KIND, { purchase_event: spec.purchase_event ?? 'purchase' }, 'purchase_event', catalog, false)!;
    const refundEvent = validateEventOption(KIND, spec, 'refund_event', catalog);
    if (refundEvent === purchaseEvent) throw new SpecError(KIND, `purchase_event and refund_event are both "${refundEvent}"`, 'refund_event');
    const refundWhere = validateFilters(KIND, spec.refund_where, catalog, 'refund_where');
    if (refundEvent !== null && refundWhere.length > 0) throw new SpecError(KIND, 'give either refund_event or refund_where, not both', 'refund_where');
    const binDays = spec.bin_days ?? 7;
    if (typeof binDays !== 'number' || !Number.isInteger(binDays) || binDays < 1) {
      throw new SpecError(KIND, `bin_days must be a whole number of days ≥ 1, not ${JSON.stringify(spec.bin_days)}`, 'bin_days');
    }
    const timezone = validateTimeZone(KIND, spec);
    const { date_from, date_to } = validateDateRange(KIND, spec, { timezone }, catalog);
    return {
      kind: KIND, purchase_event: purchaseEvent, refund_event: refundEvent, refund_where: refundWhere,
      order_column: validateOrderColumn(KIND, spec, catalog), bin_days: binDays, timezone, date_from, date_to,
      where: validateFilters(KIND, spec.where, catalog),
    };
  },
  sql: purchasesSql,
  shape(result: Table | null, spec) {
    const all = (result?.toArray() ?? []).map((row) => row.toJSON() as Record<string, unknown>);
    const total = all.find((row) => row.bin === null) ?? {};
    const customers = Number(total.customers ?? 0);
    const count = Number(total.purchases ?? 0);
    const months = (dayOfDate(spec.date_to) - dayOfDate(spec.date_from) + 1) / MONTH_DAYS;
    const marked = spec.refund_event !== null || spec.refund_where.length > 0;
    const refunds = Number(total.refunds ?? 0);
    const rows: PurchasesRow[] = [
      { metric: 'customers', value: customers, formula: `people with a purchase from ${spec.date_from} to ${spec.date_to}` },
      { metric: 'purchases', value: count, formula: spec.order_column === null ? 'purchase events' : `distinct ${spec.order_column} values per customer` },
      { metric: 'repeat_purchase_rate', value: ratio(Number(total.repeat_customers ?? 0), customers), formula: 'customers with 2+ purchases ÷ customers' },
      {
        metric: 'purchase_frequency_per_month', value: customers === 0 ? null : count / customers / months,
        formula: `purchases ÷ customers ÷ months (${round(months)} months = days in the range ÷ ${MONTH_DAYS})`,
      },
      {
        metric: 'average_order_value', value: count === 0 || total.revenue == null ? null : Number(total.revenue) / count,
        formula: 'revenue of purchases ÷ purchases (null when the log has no revenue)',
      },
      {
        metric: 'median_days_to_second_purchase', value: total.median_days == null ? null : Number(total.median_days),
        formula: 'median over repeat customers of (second purchase − first purchase), in days',
      },
    ];
    if (marked) {
      rows.push({ metric: 'refunds', value: refunds, formula: spec.refund_event === null ? 'purchase rows matching refund_where' : `"${spec.refund_event}" events` });
      rows.push({ metric: 'return_rate', value: ratio(refunds, count), formula: 'refunds ÷ purchases' });
    }
    const bins = all.filter((row) => row.bin !== null).map((row) => [Number(row.bin), Number(row.customers)] as const);
    const counts = new Map(bins);
    const last = bins.length === 0 ? -1 : Math.max(...bins.map(([b]) => b));
    const histogram: DaysToSecondPurchaseBin[] = [];
    for (let b = 0; b <= last; b++) histogram.push({ bin_start: b * spec.bin_days, bin_end: (b + 1) * spec.bin_days, customers: counts.get(b) ?? 0 });
    return { rows, meta: { formula: FORMULA, days_to_second_purchase: histogram, months } };
  },
};

const round = (x: number) => Math.round(x * 100) / 100;

registerAnalysis(purchases);
