import { quoteIdent, type SqlValue } from '../engine/index.ts';
import { closestName, type EventCatalog } from './event-catalog.ts';
import { SpecError } from './spec-error.ts';
import { whereSql, type BoundSql, type Filter } from './where.ts';

/** How purchases are read from the events: which event, and which column groups rows into one order. */
export interface OrderOptions {
  purchase_event: string;
  /** A column whose value names an order (an invoice number); null makes every event its own order. */
  order_column: string | null;
  where: Filter[];
}

/**
 * Validates `order_column`: absent/null, or a column of the data. Line-item logs (Online Retail)
 * have one row per product, so without it every line would count as a purchase.
 *
 * @example
 * validateOrderColumn('purchases', { order_column: 'InvoiceNo' }, catalog) // 'InvoiceNo'
 */
export function validateOrderColumn(kind: string, spec: Record<string, unknown>, catalog: EventCatalog): string | null {
  const value = spec.order_column;
  if (value === undefined || value === null) return null;
  const names = catalog.columns.map((c) => c.name);
  if (typeof value !== 'string' || !names.includes(value)) {
    const guess = typeof value === 'string' ? closestName(value, names) : undefined;
    throw new SpecError(kind, `order_column: no column ${JSON.stringify(value)}${guess ? ` (did you mean "${guess}"?)` : ''} (columns: ${names.join(', ')})`, 'order_column');
  }
  return value;
}

/**
 * SQL for the CTEs `lines` and `orders(user_id, ms, revenue, is_refund)`: purchase events (and
 * `refund.event` events) before `endMs`, on or after `startMs` when given, grouped into orders by
 * `order_column`. `refund` marks refund rows, either by their own event name or by a condition on
 * the purchase rows; refund rows and purchase rows of one order key stay separate orders. A row
 * without an order key is an order of its own.
 *
 * @example
 * ordersSql(spec, 'events', { endMs: 1704067200000 }) // { sql: 'lines AS (...), orders AS (...)', params: ['purchase'] }
 */
export function ordersSql(
  options: OrderOptions, table: string,
  bounds: { startMs?: number; endMs: number },
  refund: { event?: string; condition?: BoundSql } = {},
): BoundSql {
  const where = whereSql(options.where);
  const params: SqlValue[] = [];
  let isRefund = 'FALSE';
  if (refund.event !== undefined) {
    isRefund = 'event = ?';
    params.push(refund.event);
  } else if (refund.condition) {
    isRefund = `coalesce(${refund.condition.sql}, FALSE)`;
    params.push(...refund.condition.params);
  }
  const key = options.order_column === null
    ? null
    : `coalesce(CAST(${quoteIdent(options.order_column)} AS VARCHAR), '#' || CAST(row_number() OVER () AS VARCHAR))`;
  params.push(...where.params, options.purchase_event);
  const events = refund.event === undefined ? 'event = ?' : '(event = ? OR event = ?)';
  if (refund.event !== undefined) params.push(refund.event);
  const start = bounds.startMs === undefined ? '' : ` AND ts >= epoch_ms(${bounds.startMs})`;
  const lines = `lines AS (
  SELECT user_id, epoch_ms(ts) AS ms, revenue, ${isRefund} AS is_refund${key ? `, ${key} AS order_key` : ''}
  FROM ${quoteIdent(table)}
  WHERE (${where.sql}) AND ${events} AND ts < epoch_ms(${bounds.endMs})${start}
)`;
  const orders = key === null
    ? 'orders AS (SELECT user_id, ms, revenue, is_refund FROM lines)'
    : 'orders AS (SELECT user_id, min(ms) AS ms, sum(revenue) AS revenue, is_refund FROM lines GROUP BY user_id, order_key, is_refund)';
  return { sql: `${lines}, ${orders}`, params };
}
