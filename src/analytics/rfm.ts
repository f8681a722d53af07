import type { Table } from 'apache-arrow';
import { quoteIdent } from '../engine/index.ts';
import { registerAnalysis, type Analysis } from './analysis.ts';
import type { EventCatalog } from './event-catalog.ts';
import { eventSql, specEvents } from './event-option.ts';
import { dateOfDay, dayOfDate, periodSql, validateLocalDate, validateTimeZone } from './calendar.ts';
import { RFM_SEGMENTS, rfmSegmentListSql, type RfmSegment } from './rfm-segments.ts';
import { SpecError } from './spec-error.ts';
import { specFields } from './spec-fields.ts';
import { localDate, localToUtc, parseLocalDate } from './time-zone.ts';
import { validateFilters, whereSql, type BoundSql, type Filter } from './where.ts';

/** An RFM spec after validation. */
export interface RfmSpec {
  kind: 'rfm';
  purchase_event: string;
  /** A column naming the order (e.g. `InvoiceNo`): frequency counts distinct orders, not rows. */
  order_column: string | null;
  /** Local date recency is measured at (`YYYY-MM-DD`); purchases from that day on are left out. */
  as_of: string;
  timezone: string;
  /** Rows per segment instead of per person. */
  summary: boolean;
  where: Filter[];
}

/** One customer's recency (days), frequency (purchases), monetary value (revenue) and scores. */
export type RfmRow = {
  user_id: string;
  recency_days: number;
  frequency: number;
  monetary: number;
  r: number;
  f: number;
  m: number;
  segment: RfmSegment;
};

/** One segment, with `summary: true`. */
export type RfmSummaryRow = {
  segment: RfmSegment;
  users: number;
  share: number;
  avg_monetary: number | null;
  avg_recency_days: number | null;
};

const KIND = 'rfm';
const DAY_MS = 86_400_000;
const FORMULA = 'recency = days from the last purchase to as_of; frequency = purchases; monetary = revenue; '
  + 'R, F, M = quintiles 1..5 (NTILE(5), 5 = most recent / most frequent / highest spend); segment from R and F';

/**
 * Scores with NTILE(5): customers are sorted (recency descending, frequency and monetary
 * ascending) and cut into five groups of equal size (the first groups one larger when the count
 * does not divide by 5). Ties are broken by user_id, so customers with equal values can land in
 * neighbouring scores, as with pandas' `qcut` on `rank(method='first')`.
 */
function rfmSql(spec: RfmSpec, table: string, catalog: EventCatalog): BoundSql {
  const where = whereSql(spec.where);
  const purchase = eventSql(spec.purchase_event);
  const asOf = parseLocalDate(spec.as_of)!;
  const asOfUtc = localToUtc(spec.timezone, asOf.year, asOf.month, asOf.day);
  const from = Math.min(catalog.firstTs ?? asOfUtc, asOfUtc) - 2 * DAY_MS;
  const days = { period: 'day' as const, week_start: 'monday' as const, timezone: spec.timezone };
  const order = spec.order_column === null ? 'count(*)' : `count(DISTINCT ${quoteIdent(spec.order_column)})`;
  const sql = `WITH per_user AS (
  SELECT user_id, max(epoch_ms(ts)) AS last_ms, ${order} AS frequency, coalesce(sum(revenue), 0) AS monetary
  FROM ${quoteIdent(table)}
  WHERE (${where.sql}) AND (${purchase.sql}) AND ts < epoch_ms(${asOfUtc})
  GROUP BY user_id
), scored AS (
  SELECT user_id, ${dayOfDate(spec.as_of)} - ${periodSql(days, 'last_ms', from, asOfUtc + 2 * DAY_MS)} AS recency_days,
    frequency, monetary
  FROM per_user
), ranked AS (
  SELECT user_id, recency_days, frequency, monetary,
    ntile(5) OVER (ORDER BY recency_days DESC, user_id) AS r,
    ntile(5) OVER (ORDER BY frequency, user_id) AS f,
    ntile(5) OVER (ORDER BY monetary, user_id) AS m
  FROM scored
), segmented AS (
  SELECT *, ${rfmSegmentListSql()}[(r - 1) * 5 + f] AS segment FROM ranked
)`;
  const select = spec.summary
    ? `SELECT segment, CAST(count(*) AS BIGINT) AS users, avg(monetary) AS avg_monetary,
  avg(recency_days) AS avg_recency_days FROM segmented GROUP BY segment`
    : `SELECT user_id, CAST(recency_days AS BIGINT) AS recency_days, CAST(frequency AS BIGINT) AS frequency,
  CAST(monetary AS DOUBLE) AS monetary, CAST(r AS INTEGER) AS r, CAST(f AS INTEGER) AS f, CAST(m AS INTEGER) AS m, segment
FROM segmented ORDER BY r DESC, f DESC, m DESC, user_id`;
  return { sql: `${sql}\n${select}`, params: [...where.params, ...purchase.params] };
}

function validatePurchaseEvent(spec: Record<string, unknown>): string {
  const event = spec.purchase_event ?? 'purchase';
  if (typeof event !== 'string' || event === '') throw new SpecError(KIND, `purchase_event must be an event name, not ${JSON.stringify(event)}`, 'purchase_event');
  return event;
}

/**
 * RFM segmentation (kind `"rfm"`): per customer, recency, frequency and monetary value of their
 * purchases, quintile scores 1..5 and a named segment from R and F (see rfm-segments.ts); with
 * `summary: true`, one row per segment.
 *
 * @example
 * const { rows } = await runAnalysis(engine, { kind: 'rfm', order_column: 'InvoiceNo', where: [{ column: 'InvoiceNo', op: 'starts_with', value: 'C' }] });
 * // [{ user_id: '14646', recency_days: 2, frequency: 73, monetary: 279489.02, r: 5, f: 5, m: 5, segment: 'Champions' }, ...]
 */
export const rfm: Analysis<RfmSpec, RfmRow | RfmSummaryRow> = {
  kind: KIND,
  title: 'RFM: recency, frequency and monetary scores per customer, and named segments',
  formula: FORMULA,
  events: (spec) => specEvents(spec, ['purchase_event']),
  validate(input, catalog) {
    const spec = specFields(KIND, input, ['purchase_event', 'order_column', 'as_of', 'timezone', 'summary']);
    const timezone = validateTimeZone(KIND, spec);
    let asOf = validateLocalDate(KIND, spec, 'as_of');
    if (asOf === null) {
      if (catalog.lastTs === null) throw new SpecError(KIND, 'as_of is needed: the event log is empty', 'as_of');
      asOf = dateOfDay(dayOfDate(localDate(timezone, catalog.lastTs)) + 1);
    }
    const column = spec.order_column ?? null;
    const names = catalog.columns.map((c) => c.name);
    if (column !== null && (typeof column !== 'string' || !names.includes(column))) {
      throw new SpecError(KIND, `order_column: no column ${JSON.stringify(column)} (columns: ${names.join(', ')})`, 'order_column');
    }
    if (spec.summary !== undefined && typeof spec.summary !== 'boolean') throw new SpecError(KIND, `summary must be true or false, not ${JSON.stringify(spec.summary)}`, 'summary');
    return {
      kind: KIND, purchase_event: validatePurchaseEvent(spec), order_column: column as string | null,
      as_of: asOf as string, timezone, summary: spec.summary === true, where: validateFilters(KIND, spec.where, catalog),
    };
  },
  sql(spec, table) {
    // the catalog's first instant only bounds the offsets table; a wide fixed span does as well
    return rfmSql(spec, table, { events: [], columns: [], firstTs: Date.UTC(1990, 0, 1), lastTs: null });
  },
  shape(result: Table | null, spec) {
    const found = (result?.toArray() ?? []).map((row) => ({ ...row.toJSON() }));
    if (!spec.summary) {
      const rows: RfmRow[] = found.map((row) => ({
        user_id: String(row.user_id), recency_days: Number(row.recency_days), frequency: Number(row.frequency),
        monetary: Number(row.monetary), r: Number(row.r), f: Number(row.f), m: Number(row.m), segment: row.segment as RfmSegment,
      }));
      return { rows, meta: { formula: FORMULA, as_of: spec.as_of } };
    }
    const total = found.reduce((sum, row) => sum + Number(row.users), 0);
    const rows: RfmSummaryRow[] = RFM_SEGMENTS.map((segment) => {
      const row = found.find((r) => r.segment === segment);
      const users = row ? Number(row.users) : 0;
      return { segment, users, share: total === 0 ? 0 : users / total, avg_monetary: row ? Number(row.avg_monetary) : null,
        avg_recency_days: row ? Number(row.avg_recency_days) : null };
    });
    return { rows, meta: { formula: FORMULA, as_of: spec.as_of, customers: total } };
  },
};

registerAnalysis(rfm);
