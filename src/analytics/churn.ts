import type { Table } from 'apache-arrow';
import { quoteIdent } from '../engine/index.ts';
import { registerAnalysis, type Analysis } from './analysis.ts';
import { churnSpellsSql } from './churn-spells.ts';
import { eventSql, specEvents, validateEventOption } from './event-option.ts';
import { periodLabel, periodRange, periodStartUtc, rangePeriodSql, validateCalendarRange, type CalendarRange } from './calendar.ts';
import { SpecError } from './spec-error.ts';
import { specFields } from './spec-fields.ts';
import { validateFilters, whereSql, type BoundSql, type Filter } from './where.ts';

/** A churn spec after validation: exactly one of `cancel_event` and `inactive_days` is set. */
export interface ChurnSpec extends CalendarRange {
  kind: 'churn';
  /** The event that makes (and keeps) someone a customer; null for any event but `cancel_event`. */
  event: string | null;
  /** The event that ends a customer's life (a cancellation), or null to use `inactive_days`. */
  cancel_event: string | null;
  /** Days without activity after which a customer counts as lost, or null with `cancel_event`. */
  inactive_days: number | null;
  where: Filter[];
}

/** One period of the churn table. Rates are null where their denominator is 0. */
export type ChurnRow = {
  period: string;
  customers_start: number;
  new_customers: number;
  lost: number;
  customers_end: number;
  churn_rate: number | null;
  retention_rate: number | null;
  revenue_start: number;
  revenue_lost: number;
  revenue_churn: number | null;
  avg_lifetime_periods: number | null;
  /** The log ends before the period does, so its numbers are not final. */
  incomplete: boolean;
};

const KIND = 'churn';
const DEFAULT_INACTIVE_DAYS = 30;
const FORMULA = 'churn = customers lost in the period ÷ customers at its start (new customers excluded); '
  + 'retention = (customers at end − new) ÷ customers at start; revenue churn = previous-period revenue of the lost ÷ '
  + 'previous-period revenue of the customers at start; average lifetime = 1 ÷ churn periods';

/**
 * Counts per period from each customer's spells (acquired → lost): customers at a period's start
 * are spells acquired before it and not lost before it; running sums over per-period counts give
 * them without joining spells to periods. Spells from before the range are counted in period
 * `from - 1`. Revenue "at start" is what the customers at start spent in the previous period.
 */
function churnSql(spec: ChurnSpec, table: string): BoundSql {
  const { from, to } = periodRange(spec);
  const t = quoteIdent(table);
  const where = whereSql(spec.where);
  const activity = eventSql(spec.event);
  const cancel = spec.cancel_event === null ? null : spec.cancel_event;
  const isCancel = cancel === null ? 'FALSE' : 'event = ?';
  const period = (ms: string) => rangePeriodSql(spec, ms);
  const sql = `WITH base AS (
  SELECT user_id, epoch_ms(ts) AS ms, revenue, ${isCancel} AS is_cancel FROM ${t}
  WHERE (${where.sql}) AND ts < epoch_ms(${periodStartUtc(spec, to + 1)})
    AND (${cancel === null ? activity.sql : `(event = ?) OR ((${activity.sql}) AND event <> ?)`})
), ${churnSpellsSql(spec.inactive_days, `(SELECT epoch_ms(max(ts)) FROM ${t})`)},
marked AS (
  SELECT user_id, ${period('acquired_ms')} AS acq_p,
    CASE WHEN churned_ms IS NOT NULL THEN ${period('churned_ms')} END AS churn_p
  FROM spells
), moves AS (
  SELECT greatest(acq_p, ${from - 1}) AS p, 1 AS acquired, 0 AS churned, 0 AS lost FROM marked
  UNION ALL
  SELECT greatest(churn_p, ${from - 1}), 0, 1, CASE WHEN acq_p < churn_p THEN 1 ELSE 0 END
  FROM marked WHERE churn_p IS NOT NULL AND churn_p <= ${to}
), per_period AS (
  SELECT p, sum(acquired) AS acquired, sum(churned) AS churned, sum(lost) AS lost FROM moves GROUP BY p
), counts AS (
  SELECT c.range AS p, coalesce(m.acquired, 0) AS new_customers, coalesce(m.churned, 0) AS churned,
    coalesce(m.lost, 0) AS lost,
    coalesce(sum(m.acquired - m.churned) OVER (ORDER BY c.range ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS customers_start
  FROM range(${from - 1}, ${to + 1}) AS c LEFT JOIN per_period AS m ON m.p = c.range
), spend AS (
  SELECT user_id, ${period('ms')} AS p, sum(revenue) AS revenue FROM base
  WHERE NOT is_cancel AND revenue IS NOT NULL AND ms >= ${periodStartUtc(spec, from - 1)}
  GROUP BY ALL
), revenue AS (
  SELECT s.p + 1 AS p, sum(s.revenue) AS revenue_start, coalesce(sum(s.revenue) FILTER (WHERE m.churn_p = s.p + 1), 0) AS revenue_lost
  FROM spend AS s JOIN marked AS m ON m.user_id = s.user_id
    AND m.acq_p <= s.p AND (m.churn_p IS NULL OR m.churn_p > s.p)
  WHERE s.p + 1 BETWEEN ${from} AND ${to}
  GROUP BY s.p + 1
)
SELECT c.p AS period_index, CAST(c.customers_start AS BIGINT) AS customers_start, CAST(c.new_customers AS BIGINT) AS new_customers,
  CAST(c.lost AS BIGINT) AS lost, CAST(c.customers_start + c.new_customers - c.churned AS BIGINT) AS customers_end,
  coalesce(r.revenue_start, 0) AS revenue_start, coalesce(r.revenue_lost, 0) AS revenue_lost
FROM counts AS c LEFT JOIN revenue AS r ON r.p = c.p
WHERE c.p >= ${from} ORDER BY c.p`;
  const params = [
    ...(cancel === null ? [] : [cancel]), ...where.params,
    ...(cancel === null ? activity.params : [cancel, ...activity.params, cancel]),
  ];
  return { sql, params };
}

const ratio = (a: number, b: number) => (b === 0 ? null : a / b);

/**
 * Churn (kind `"churn"`): per period, customers at its start, new customers, customers lost
 * (through `cancel_event`, or after `inactive_days` without activity, default 30), churn and
 * retention rates, revenue churn and the average lifetime 1 ÷ churn.
 *
 * @example
 * const { rows } = await runAnalysis(engine, { kind: 'churn', period: 'month', inactive_days: 90 });
 * // [{ period: '2011-02-01', customers_start: 1000, new_customers: 80, lost: 50, churn_rate: 0.05, avg_lifetime_periods: 20, ... }]
 */
export const churn: Analysis<ChurnSpec, ChurnRow> = {
  kind: KIND,
  title: 'Churn: customers and revenue lost per period, retention rate and average lifetime',
  formula: FORMULA,
  events: (spec) => specEvents(spec, ['event', 'cancel_event']),
  validate(input, catalog) {
    const spec = specFields(KIND, input, ['event', 'cancel_event', 'inactive_days', 'period', 'week_start', 'timezone', 'date_from', 'date_to']);
    const event = validateEventOption(KIND, spec, 'event', catalog);
    const cancelEvent = validateEventOption(KIND, spec, 'cancel_event', catalog);
    if (cancelEvent !== null && spec.inactive_days !== undefined && spec.inactive_days !== null) {
      throw new SpecError(KIND, 'give either cancel_event or inactive_days, not both', 'inactive_days');
    }
    if (cancelEvent !== null && cancelEvent === event) throw new SpecError(KIND, `event and cancel_event are both "${event}"`, 'cancel_event');
    let inactiveDays: number | null = null;
    if (cancelEvent === null) {
      inactiveDays = (spec.inactive_days ?? DEFAULT_INACTIVE_DAYS) as number;
      if (!Number.isInteger(inactiveDays) || inactiveDays < 1) {
        throw new SpecError(KIND, `inactive_days must be a whole number of days ≥ 1, not ${JSON.stringify(spec.inactive_days)}`, 'inactive_days');
      }
    }
    return {
      kind: KIND, event, cancel_event: cancelEvent, inactive_days: inactiveDays,
      ...validateCalendarRange(KIND, spec, catalog, { defaultPeriod: 'month' }),
      where: validateFilters(KIND, spec.where, catalog),
    };
  },
  sql: churnSql,
  shape(result: Table | null, spec, catalog) {
    const rows: ChurnRow[] = (result?.toArray() ?? []).map((row) => {
      const p = Number(row.period_index);
      const start = Number(row.customers_start);
      const added = Number(row.new_customers);
      const lost = Number(row.lost);
      const end = Number(row.customers_end);
      const revenueStart = Number(row.revenue_start);
      const revenueLost = Number(row.revenue_lost);
      const churnRate = ratio(lost, start);
      return {
        period: periodLabel(spec, p),
        customers_start: start, new_customers: added, lost, customers_end: end,
        churn_rate: churnRate,
        retention_rate: ratio(end - added, start),
        revenue_start: revenueStart, revenue_lost: revenueLost,
        revenue_churn: ratio(revenueLost, revenueStart),
        avg_lifetime_periods: churnRate ? 1 / churnRate : null,
        incomplete: catalog.lastTs === null || catalog.lastTs < periodStartUtc(spec, p + 1) - 1,
      };
    });
    const rule = spec.cancel_event === null
      ? `a customer is lost ${spec.inactive_days} days after their last activity, if no activity follows within them`
      : `a customer is lost at their "${spec.cancel_event}" event`;
    return { rows, meta: { formula: FORMULA, churn_rule: rule } };
  },
};

registerAnalysis(churn);
