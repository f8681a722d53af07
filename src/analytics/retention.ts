import { shapePeople } from './people.ts';
import type { Table } from 'apache-arrow';
import { registerAnalysis, type Analysis } from './analysis.ts';
import { specEvents } from './event-option.ts';
import { periodLabel, periodStartUtc } from './calendar.ts';
import { retentionSql } from './retention-sql.ts';
import { ROLLING_MS, retentionRange, validateRetention, type RetentionSpec } from './retention-spec.ts';

export { validateRetention, retentionRange, ROLLING_MS, type RetentionSpec, type RetentionRange } from './retention-spec.ts';
export { retentionSql } from './retention-sql.ts';

/** One cell of the retention matrix. */
export interface RetentionRow {
  /** The cohort period's local start date, `YYYY-MM-DD` (`YYYY-MM-DD HH:00` for hours). */
  cohort: string;
  /** The breakdown value of the cohort (only with a `breakdown`; null when the column was empty). */
  breakdown?: string | null;
  cohort_size: number;
  /** Periods after the cohort period; 0 is the cohort itself. */
  period: number;
  users: number;
  /** users / cohort_size, or null for an empty cohort. */
  rate: number | null;
  /** 95 % Wilson score interval of the rate. */
  rate_low: number | null;
  rate_high: number | null;
  /** The period has not fully elapsed by the data's last event (or the range's end). */
  incomplete: boolean;
}

const KIND = 'retention';
const FORMULA = 'rate(cohort, k) = people of the cohort with a return event k periods after the cohort period '
  + '(at least min_occurrences of them in that period; cumulative: k or later) / people in the cohort; '
  + 'period 0 = the cohort itself; 95 % interval: Wilson score';

// The 0.975 quantile of the standard normal distribution.
const Z95 = 1.959963984540054;

/**
 * The 95 % Wilson score interval of a proportion `successes / trials`: unlike the normal
 * approximation it stays inside [0, 1] and works for 0 and for all successes.
 *
 * @example
 * wilsonInterval(5, 10) // [0.2366, 0.7634] (rounded)
 */
export function wilsonInterval(successes: number, trials: number, z = Z95): [number, number] | null {
  if (trials <= 0) return null;
  const p = successes / trials;
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / denominator;
  // The bounds at 0 and at all successes are exactly 0 and 1; floating point would miss them by 1e-16.
  return [successes === 0 ? 0 : Math.max(0, centre - half), successes === trials ? 1 : Math.min(1, centre + half)];
}

interface CohortCounts {
  index: number;
  breakdown: string | null;
  size: number;
  /** Users by period k >= 1 (or, cumulative, users whose last return is in period k). */
  byPeriod: Map<number, number>;
}

function readCohorts(result: Table | null, spec: RetentionSpec, from: number, to: number): CohortCounts[] {
  const cohorts = new Map<string, CohortCounts>();
  const get = (index: number, breakdown: string | null) => {
    const key = `${index}\u0000${breakdown ?? '\u0001'}`;
    let cohort = cohorts.get(key);
    if (!cohort) cohorts.set(key, (cohort = { index, breakdown, size: 0, byPeriod: new Map() }));
    return cohort;
  };
  // Without a breakdown every cohort period of the range is shown, empty or not (as PostHog does).
  if (spec.breakdown === null) for (let c = from; c <= to; c++) get(c, null);
  for (const row of result?.toArray() ?? []) {
    const cohort = get(Number(row.cohort_index), row.breakdown == null ? null : String(row.breakdown));
    const k = Number(row.k);
    if (k === 0) cohort.size = Number(row.users);
    else cohort.byPeriod.set(k, Number(row.users));
  }
  return [...cohorts.values()].sort((a, b) => a.index - b.index || compareBreakdown(a.breakdown, b.breakdown));
}

function compareBreakdown(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

/**
 * Turns the query's counts into the matrix's rows: every cohort x period that can exist in the range,
 * with rates, Wilson intervals and the incomplete flag.
 */
function shapeRetention(result: Table | null, spec: RetentionSpec, lastTs: number | null): RetentionRow[] {
  const range = retentionRange(spec);
  // A period has fully elapsed when the data reaches its end; nothing after the range counts.
  const asOf = Math.min(lastTs ?? range.endMs, range.endMs);
  const rolling = spec.clock === 'rolling' ? ROLLING_MS[spec.period] : 0;
  const rows: RetentionRow[] = [];
  for (const cohort of readCohorts(result, spec, range.from, range.to)) {
    const label = periodLabel(spec, cohort.index);
    const cohortStart = periodStartUtc(spec, cohort.index);
    const cohortEnd = periodStartUtc(spec, cohort.index + 1);
    let cumulative = 0;
    const users: number[] = [];
    for (let k = spec.intervals - 1; k >= 1; k--) {
      cumulative += cohort.byPeriod.get(k) ?? 0;
      users[k] = spec.cumulative ? cumulative : cohort.byPeriod.get(k) ?? 0;
    }
    users[0] = cohort.size;
    for (let k = 0; k < spec.intervals; k++) {
      // Calendar: the cell's period must begin inside the range. Rolling: someone's k-th window must.
      const exists = rolling ? cohortStart + k * rolling < range.endMs : cohort.index + k <= range.to;
      if (!exists) break;
      const end = rolling ? cohortEnd + (k + 1) * rolling : periodStartUtc(spec, cohort.index + k + 1);
      const interval = wilsonInterval(users[k], cohort.size);
      rows.push({
        cohort: label,
        ...(spec.breakdown === null ? {} : { breakdown: cohort.breakdown }),
        cohort_size: cohort.size,
        period: k,
        users: users[k],
        rate: cohort.size > 0 ? users[k] / cohort.size : null,
        rate_low: interval?.[0] ?? null,
        rate_high: interval?.[1] ?? null,
        incomplete: end > asOf,
      });
    }
  }
  return rows;
}

/**
 * Cohort retention (kind `"retention"`), as PostHog defines it (DESIGN.md, "Retention"): people are
 * grouped by the calendar period of their start event (every such period, or only the first ever)
 * and followed period by period; each cell counts the cohort's people with a return event k
 * periods later.
 *
 * @example
 * const { rows } = await runAnalysis(engine, { kind: 'retention', period: 'week', start_event: 'signup', mode: 'first_time' });
 * // [{ cohort: '2024-01-01', cohort_size: 120, period: 0, users: 120, rate: 1, ... },
 * //  { cohort: '2024-01-01', cohort_size: 120, period: 1, users: 31, rate: 0.258, rate_low: 0.188, rate_high: 0.344, incomplete: false }, ...]
 */
export const retention: Analysis<RetentionSpec, RetentionRow> = {
  kind: KIND,
  breakdownField: 'breakdown',
  title: 'Cohort retention: of the people who started in a period, how many came back each later period',
  formula: FORMULA,
  validate: validateRetention,
  events: (spec) => specEvents(spec, ['start_event', 'return_event']),
  sql: (spec, table, catalog) => retentionSql(spec, table, { catalog }),
  shape(result, spec, catalog) {
    if (spec.people) return { rows: shapePeople(result) as never[], meta: { people: spec.people } };
    const range = retentionRange(spec);
    return {
      rows: shapeRetention(result, spec, catalog.lastTs),
      meta: {
        formula: FORMULA,
        cohorts: range.to - range.from + 1,
        range: { from: new Date(range.startMs).toISOString(), to: new Date(range.endMs).toISOString() },
      },
    };
  },
};

registerAnalysis(retention);
