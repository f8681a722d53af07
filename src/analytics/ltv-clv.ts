import { quoteIdent } from '../engine/index.ts';
import { eventSql } from './event-option.ts';
import { inPeriodsSql, periodRange, rangePeriodSql, type CalendarRange } from './calendar.ts';
import type { BoundSql, Filter } from './where.ts';
import { whereSql } from './where.ts';

/** The numbers of the CLV mode; those not given in the spec come from the log. */
export interface ClvInputs extends CalendarRange {
  /** Activity that makes someone an active customer in a period; null for any event. */
  event: string | null;
  revenue_event: string | null;
  arpu: number | null;
  churn_rate: number | null;
  lifetime_periods: number | null;
  gross_margin: number;
  cac: number | null;
  where: Filter[];
}

/** The one row of the CLV mode. */
export type ClvRow = {
  arpu: number;
  churn_rate: number | null;
  lifetime_periods: number | null;
  gross_margin: number;
  clv: number | null;
  cac: number | null;
  ltv_cac: number | null;
  payback_periods: number | null;
};

/**
 * Whether the CLV mode must read the log: ARPU or churn (or lifetime) were not given.
 *
 * @example
 * clvNeedsEvents({ arpu: 50, lifetime_periods: 24 }) // false
 */
export function clvNeedsEvents(spec: Record<string, unknown>): boolean {
  const given = (field: string) => spec[field] !== undefined && spec[field] !== null;
  return !given('arpu') || !(given('churn_rate') || given('lifetime_periods'));
}

/**
 * ARPU and churn from the log: each (person, period) with activity is one active customer-period;
 * ARPU = revenue ÷ active customer-periods; a customer active in a period (before the last) is
 * lost when not active in the next one; churn = lost ÷ those customer-periods.
 *
 * @example
 * clvSql(spec, 'events') // { sql: 'WITH base AS (...) SELECT ... AS customer_periods, ... AS lost', params: [...] }
 */
export function clvSql(spec: ClvInputs, table: string): BoundSql {
  const { from, to } = periodRange(spec);
  const where = whereSql(spec.where);
  const active = eventSql(spec.event);
  const paid = eventSql(spec.revenue_event);
  const sql = `WITH base AS (
  SELECT user_id, epoch_ms(ts) AS ms, (${active.sql}) AS is_active, CASE WHEN ${paid.sql} THEN revenue END AS revenue
  FROM ${quoteIdent(table)}
  WHERE (${where.sql}) AND ${inPeriodsSql(spec, from, to)}
), periods AS (
  SELECT user_id, ${rangePeriodSql(spec, 'ms')} AS p, bool_or(is_active) AS is_active, sum(revenue) AS revenue FROM base GROUP BY ALL
), active AS (
  SELECT p, lead(p) OVER (PARTITION BY user_id ORDER BY p) AS next_p FROM periods WHERE is_active
)
SELECT CAST((SELECT count(*) FROM active) AS BIGINT) AS customer_periods,
  CAST((SELECT coalesce(sum(revenue), 0) FROM periods) AS DOUBLE) AS revenue,
  CAST((SELECT count(*) FROM active WHERE p < ${to}) AS BIGINT) AS at_risk,
  CAST((SELECT count(*) FROM active WHERE p < ${to} AND (next_p IS NULL OR next_p > p + 1)) AS BIGINT) AS lost`;
  return { sql, params: [...active.params, ...paid.params, ...where.params] };
}

/**
 * CLV = ARPU × gross margin × average lifetime, with lifetime = 1 ÷ churn; LTV/CAC and the
 * payback period CAC ÷ (ARPU × margin) when a CAC is given.
 *
 * @example
 * clvRow({ arpu: 50, lifetime_periods: 24, churn_rate: null, gross_margin: 1, cac: 300 })
 * // { arpu: 50, churn_rate: 1/24, lifetime_periods: 24, gross_margin: 1, clv: 1200, cac: 300, ltv_cac: 4, payback_periods: 6 }
 */
export function clvRow(inputs: Pick<ClvInputs, 'arpu' | 'churn_rate' | 'lifetime_periods' | 'gross_margin' | 'cac'> & { arpu: number }): ClvRow {
  const { arpu, gross_margin: margin, cac } = inputs;
  const lifetime = inputs.lifetime_periods ?? (inputs.churn_rate ? 1 / inputs.churn_rate : null);
  const churnRate = inputs.churn_rate ?? (lifetime ? 1 / lifetime : null);
  const clv = lifetime === null ? null : arpu * margin * lifetime;
  const perPeriod = arpu * margin;
  return {
    arpu, churn_rate: churnRate, lifetime_periods: lifetime, gross_margin: margin, clv,
    cac, ltv_cac: cac && clv !== null ? clv / cac : null,
    payback_periods: cac === null || perPeriod <= 0 ? null : cac / perPeriod,
  };
}
