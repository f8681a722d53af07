import type { Table } from 'apache-arrow';
import { quoteIdent } from '../engine/index.ts';
import { registerAnalysis, type Analysis } from './analysis.ts';
import { eventSql, specEvents, validateEventOption } from './event-option.ts';
import { clvNeedsEvents, clvRow, clvSql, type ClvInputs, type ClvRow } from './ltv-clv.ts';
import { flattenClvObject } from './ltv-clv-object.ts';
import {
  periodLabel, periodOfDate, periodRange, periodStartUtc, rangePeriodSql, validateCalendarRange, type CalendarRange,
} from './calendar.ts';
import { checkNumber, numberOption } from './number-option.ts';
import { SpecError } from './spec-error.ts';
import { specFields } from './spec-fields.ts';
import { validateFilters, whereSql, type BoundSql } from './where.ts';

/** An LTV spec after validation. */
export interface LtvSpec extends ClvInputs, CalendarRange {
  kind: 'ltv';
  /** `cohorts`: cumulative revenue per user by cohort age; `clv`: ARPU × average lifetime. */
  mode: 'cohorts' | 'clv';
  /** The event whose first occurrence puts a person in a cohort; null for their first event. */
  start_event: string | null;
  /** Acquisition spend per cohort, keyed by the cohort's label (its first local date). */
  acquisition_spend: Record<string, number>;
  /** Ages shown per cohort (0 .. intervals − 1); null for every age the range allows. */
  intervals: number | null;
}

/** One cell of the LTV table: a cohort at an age (periods since its start). */
export type LtvRow = {
  cohort: string;
  cohort_size: number;
  age: number;
  revenue: number;
  cumulative_revenue_per_user: number;
  /** The log ends before this cell's period does. */
  incomplete: boolean;
  /** With `acquisition_spend`: the cohort's CAC (null without spend for it), this cell's LTV ÷ CAC and the cohort's payback age. */
  cac?: number | null;
  ltv_to_cac?: number | null;
  payback_age?: number | null;
};

/** Per cohort, when the spec gives its acquisition spend. */
export type LtvCohortSummary = {
  cohort: string;
  cohort_size: number;
  spend: number | null;
  cac: number | null;
  /** Cumulative revenue per user at the cohort's latest age. */
  ltv: number;
  ltv_cac: number | null;
  /** First age at which cumulative revenue per user reaches the CAC; null if not yet. */
  payback_age: number | null;
};

const KIND = 'ltv';
const COHORT_FORMULA = 'cumulative revenue per user at age k = revenue of the cohort in its periods 0..k ÷ cohort size; '
  + 'CAC = acquisition spend ÷ cohort size; payback = first age where cumulative revenue per user ≥ CAC';
const CLV_FORMULA = 'CLV = ARPU × gross margin × average lifetime; average lifetime = 1 ÷ churn rate; LTV/CAC = CLV ÷ CAC';
const FIELDS = [
  'mode', 'start_event', 'revenue_event', 'event', 'period', 'week_start', 'timezone', 'date_from', 'date_to',
  'acquisition_spend', 'intervals', 'clv', 'arpu', 'churn_rate', 'lifetime_periods', 'gross_margin', 'cac',
];

/**
 * Cohort = local period of a person's first start event (people whose first one is before the
 * range are left out); revenue counts from that instant on, in the period it falls in.
 */
function cohortSql(spec: LtvSpec, table: string): BoundSql {
  const { from, to } = periodRange(spec);
  const where = whereSql(spec.where);
  const start = eventSql(spec.start_event);
  const paid = eventSql(spec.revenue_event);
  const period = (ms: string) => rangePeriodSql(spec, ms);
  const sql = `WITH base AS (
  SELECT user_id, event, epoch_ms(ts) AS ms, revenue FROM ${quoteIdent(table)}
  WHERE (${where.sql}) AND ts < epoch_ms(${periodStartUtc(spec, to + 1)})
), members AS (
  SELECT user_id, first_ms, ${period('first_ms')} AS cohort
  FROM (SELECT user_id, min(ms) AS first_ms FROM base WHERE ${start.sql} GROUP BY user_id)
  WHERE first_ms >= ${periodStartUtc(spec, from)}
), sizes AS (
  SELECT cohort, count(*) AS cohort_size FROM members GROUP BY cohort
), spend AS (
  SELECT m.cohort, ${period('b.ms')} - m.cohort AS age, sum(b.revenue) AS revenue
  FROM base AS b JOIN members AS m ON m.user_id = b.user_id AND b.ms >= m.first_ms
  WHERE b.revenue IS NOT NULL AND (${paid.sql})
  GROUP BY ALL
)
SELECT s.cohort, CAST(s.cohort_size AS BIGINT) AS cohort_size, CAST(a.range AS BIGINT) AS age,
  CAST(coalesce(p.revenue, 0) AS DOUBLE) AS revenue
FROM sizes AS s CROSS JOIN range(0, ${spec.intervals ?? to - from + 1}) AS a
LEFT JOIN spend AS p ON p.cohort = s.cohort AND p.age = a.range
WHERE s.cohort + a.range <= ${to}
ORDER BY s.cohort, age`;
  return { sql, params: [...where.params, ...start.params, ...paid.params] };
}

function validateSpend(spec: Record<string, unknown>, periods: CalendarRange): Record<string, number> {
  const spend: Record<string, number> = {};
  const given = spec.acquisition_spend;
  if (given === undefined || given === null) return spend;
  if (typeof given !== 'object' || Array.isArray(given)) {
    throw new SpecError(KIND, 'acquisition_spend must be an object of cohort → spend, like {"2024-01": 5000}', 'acquisition_spend');
  }
  const { from, to } = periodRange(periods);
  for (const [key, value] of Object.entries(given)) {
    const at = `acquisition_spend["${key}"]`;
    const date = /^\d{4}-\d{2}$/.test(key) ? `${key}-01` : key;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) {
      throw new SpecError(KIND, `${at}: a cohort is written YYYY-MM or YYYY-MM-DD (a date in its period)`, 'acquisition_spend');
    }
    const cohort = periodOfDate(periods, date);
    if (cohort < from || cohort > to) {
      throw new SpecError(KIND, `${at}: the cohort is outside the range ${periods.date_from} to ${periods.date_to}`, 'acquisition_spend');
    }
    const label = periodLabel(periods, cohort);
    if (label in spend) throw new SpecError(KIND, `${at}: a second spend for the ${label} cohort`, 'acquisition_spend');
    spend[label] = checkNumber(KIND, value, at, { min: 0 });
  }
  return spend;
}

function shapeCohorts(result: Table | null, spec: LtvSpec, lastTs: number | null) {
  const rows: LtvRow[] = [];
  const cohorts: LtvCohortSummary[] = [];
  let cumulative = 0;
  for (const row of result?.toArray() ?? []) {
    const index = Number(row.cohort);
    const age = Number(row.age);
    const size = Number(row.cohort_size);
    cumulative = age === 0 ? Number(row.revenue) : cumulative + Number(row.revenue);
    const cohort = periodLabel(spec, index);
    rows.push({
      cohort, cohort_size: size, age, revenue: Number(row.revenue), cumulative_revenue_per_user: cumulative / size,
      incomplete: lastTs === null || lastTs < periodStartUtc(spec, index + age + 1) - 1,
    });
    if (age === 0) {
      const spend = spec.acquisition_spend[cohort] ?? null;
      cohorts.push({ cohort, cohort_size: size, spend, cac: spend === null ? null : spend / size, ltv: 0, ltv_cac: null, payback_age: null });
    }
    const summary = cohorts[cohorts.length - 1];
    summary.ltv = cumulative / size;
    if (summary.cac !== null) {
      summary.ltv_cac = summary.cac === 0 ? null : summary.ltv / summary.cac;
      if (summary.payback_age === null && summary.ltv >= summary.cac) summary.payback_age = age;
    }
  }
  if (Object.keys(spec.acquisition_spend).length > 0) {
    const byCohort = new Map(cohorts.map((c) => [c.cohort, c]));
    for (const row of rows) {
      const { cac, payback_age } = byCohort.get(row.cohort)!;
      Object.assign(row, { cac, ltv_to_cac: cac ? row.cumulative_revenue_per_user / cac : null, payback_age });
    }
  }
  return { rows, cohorts };
}

/**
 * LTV (kind `"ltv"`). Mode `cohorts` (default): cumulative revenue per user by cohort and cohort
 * age (`intervals` caps the ages and, without `date_from`, sets the range to the last `intervals`
 * periods), with CAC, LTV/CAC and the payback age per cohort (on every row and in `meta.cohorts`)
 * when `acquisition_spend` is given. Mode `clv` (or a nested `clv: {...}`): CLV = ARPU × average
 * lifetime from given or computed ARPU and churn.
 *
 * @example
 * await runAnalysis(engine, { kind: 'ltv', period: 'month', acquisition_spend: { '2011-01': 5000 } });
 * await runAnalysis(null, { kind: 'ltv', mode: 'clv', arpu: 50, lifetime_periods: 24 }); // rows[0].clv === 1200
 * await runAnalysis(null, { kind: 'ltv', clv: { arpu: 50, churn_rate: 0.05 } }); // the same mode, nested: clv 1000
 */
export const ltv: Analysis<LtvSpec, LtvRow | ClvRow> = {
  kind: KIND,
  title: 'LTV: cumulative revenue per user by cohort age, CLV, CAC, LTV/CAC and payback',
  formula: `${COHORT_FORMULA}; ${CLV_FORMULA}`,
  needsEvents: (input) => {
    const spec = flattenClvObject(KIND, input) as Record<string, unknown>;
    return spec.mode !== 'clv' || clvNeedsEvents(spec);
  },
  events: (spec) => specEvents(spec, ['start_event', 'revenue_event', 'event']),
  validate(input, catalog) {
    const spec = specFields(KIND, flattenClvObject(KIND, input), FIELDS);
    const mode = spec.mode ?? 'cohorts';
    if (mode !== 'cohorts' && mode !== 'clv') throw new SpecError(KIND, `mode must be "cohorts" or "clv", not ${JSON.stringify(mode)}`, 'mode');
    const churnRate = numberOption(KIND, spec, 'churn_rate', { above: 0, max: 1 });
    const lifetime = numberOption(KIND, spec, 'lifetime_periods', { above: 0 });
    if (churnRate !== null && lifetime !== null) throw new SpecError(KIND, 'give either churn_rate or lifetime_periods (= 1 ÷ churn), not both', 'lifetime_periods');
    const clvOnly = ['arpu', 'churn_rate', 'lifetime_periods', 'gross_margin', 'cac'].filter((f) => spec[f] !== undefined);
    if (mode === 'cohorts' && clvOnly.length > 0) throw new SpecError(KIND, `${clvOnly[0]} belongs to mode "clv" (add "mode": "clv")`, clvOnly[0]);
    if (mode === 'clv' && spec.acquisition_spend !== undefined) throw new SpecError(KIND, 'acquisition_spend belongs to mode "cohorts"; give cac in mode "clv"', 'acquisition_spend');
    const fromLog = mode === 'cohorts' || clvNeedsEvents(spec);
    const intervals = numberOption(KIND, spec, 'intervals', { min: 1, integer: true });
    if (mode === 'clv' && intervals !== null) throw new SpecError(KIND, 'intervals belongs to mode "cohorts"', 'intervals');
    const periods = fromLog
      ? validateCalendarRange(KIND, spec, catalog, { defaultPeriod: 'month' })
      : { period: 'month' as const, week_start: 'monday' as const, timezone: 'UTC', date_from: '', date_to: '' };
    if (intervals !== null && (spec.date_from === undefined || spec.date_from === null)) {
      // as in retention: without date_from the range is the last `intervals` periods
      const to = periodOfDate(periods, periods.date_to);
      periods.date_from = periodLabel(periods, to - (intervals - 1));
    }
    return {
      kind: KIND, mode,
      start_event: fromLog ? validateEventOption(KIND, spec, 'start_event', catalog) : null,
      revenue_event: fromLog ? validateEventOption(KIND, spec, 'revenue_event', catalog) : null,
      event: fromLog ? validateEventOption(KIND, spec, 'event', catalog) : null,
      ...periods,
      acquisition_spend: mode === 'cohorts' ? validateSpend(spec, periods) : {},
      intervals,
      arpu: numberOption(KIND, spec, 'arpu', { min: 0 }),
      churn_rate: churnRate,
      lifetime_periods: lifetime,
      gross_margin: numberOption(KIND, spec, 'gross_margin', { above: 0, max: 1 }) ?? 1,
      cac: numberOption(KIND, spec, 'cac', { min: 0 }),
      where: fromLog ? validateFilters(KIND, spec.where, catalog) : [],
    };
  },
  sql: (spec, table) => (spec.mode === 'clv' ? clvSql(spec, table) : cohortSql(spec, table)),
  shape(result, spec, catalog) {
    if (spec.mode === 'cohorts') {
      const { rows, cohorts } = shapeCohorts(result, spec, catalog.lastTs);
      return { rows, meta: { formula: COHORT_FORMULA, cohorts } };
    }
    const measured = result?.get(0);
    const customerPeriods = Number(measured?.customer_periods ?? 0);
    const atRisk = Number(measured?.at_risk ?? 0);
    const arpu = spec.arpu ?? (customerPeriods === 0 ? 0 : Number(measured?.revenue) / customerPeriods);
    const churnRate = spec.churn_rate ?? (spec.lifetime_periods !== null || atRisk === 0 ? null : Number(measured?.lost) / atRisk || null);
    const row = clvRow({ ...spec, arpu, churn_rate: churnRate });
    const measuredMeta = measured
      ? { customer_periods: customerPeriods, revenue: Number(measured.revenue), customers_at_risk: atRisk, customers_lost: Number(measured.lost) }
      : null;
    return { rows: [row], meta: { formula: CLV_FORMULA, per: spec.period, measured: measuredMeta } };
  },
};

registerAnalysis(ltv);
