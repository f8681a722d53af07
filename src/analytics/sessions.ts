import type { Table } from 'apache-arrow';
import { quoteIdent, type Dialect } from '../engine/index.ts';
import { registerAnalysis, type Analysis } from './analysis.ts';
import { periodLabel, periodRange, periodStartUtc, rangePeriodSql, validateCalendarRange, type CalendarRange } from './calendar.ts';
import { SpecError } from './spec-error.ts';
import { specFields } from './spec-fields.ts';
import { validateFilters, whereSql, type BoundSql, type Filter } from './where.ts';
import { dialectOf, type EventCatalog } from './event-catalog.ts';

/** A sessions spec after validation. */
export interface SessionsSpec extends CalendarRange {
  kind: 'sessions';
  /** A gap longer than this between two events of a person starts a new session. */
  gap_minutes: number;
  /** Rows per period (default) or per person. */
  per: 'period' | 'user';
  where: Filter[];
}

/** Sessions that began in one period. Averages are null for a period without sessions. */
export type SessionsPeriodRow = {
  period: string;
  sessions: number;
  users: number;
  sessions_per_user: number | null;
  avg_session_seconds: number | null;
  median_session_seconds: number | null;
};

/** One person's sessions that began in the range. */
export type SessionsUserRow = {
  user_id: string;
  sessions: number;
  total_session_seconds: number;
  avg_session_seconds: number;
  median_session_seconds: number;
};

const KIND = 'sessions';
const DEFAULT_GAP_MINUTES = 30;
const formula = (gap: number) => `a session ends after ${gap} minutes without an event; session length = last event − first event; `
  + 'sessions per user = sessions ÷ people with a session; a session belongs to the period it starts in';

/**
 * Sessions by a gap rule in one pass of window functions. Events from `gap` before the range on
 * are enough: a session starting in the range either continues an event at most `gap` earlier
 * (which is then read) or follows a longer gap (which a cut-off at `gap` cannot hide).
 */
function sessionsSql(spec: SessionsSpec, table: string, catalog?: EventCatalog): BoundSql {
  const d = dialectOf(catalog);
  const { from, to } = periodRange(spec);
  const gap = spec.gap_minutes * 60_000;
  const rangeStart = periodStartUtc(spec, from);
  const rangeEnd = periodStartUtc(spec, to + 1);
  const where = whereSql(spec.where, d);
  const sessions = `WITH base AS (
  SELECT user_id, ${d.epochMs('ts')} AS ms FROM ${quoteIdent(table)}
  WHERE (${where.sql}) AND ts >= ${d.timestampOfMs(rangeStart - gap)}
), gaps AS (
  SELECT user_id, ms, CASE WHEN ms - ${d.lag('ms', 'w')} <= ${gap} THEN 0 ELSE 1 END AS starts_session
  FROM base WINDOW ${d.namedWindow('w', 'PARTITION BY user_id ORDER BY ms')}
), numbered AS (
  SELECT user_id, ms, sum(starts_session) OVER (PARTITION BY user_id ORDER BY ms ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS session
  FROM gaps
), sessions AS (
  SELECT user_id, min(ms) AS start_ms, max(ms) - min(ms) AS length_ms FROM numbered GROUP BY user_id, session
), in_range AS (
  SELECT user_id, start_ms, length_ms FROM sessions WHERE start_ms >= ${rangeStart} AND start_ms < ${rangeEnd}
)`;
  const sql = spec.per === 'user'
    ? `${sessions}
SELECT user_id, count(*) AS sessions, CAST(sum(length_ms) AS BIGINT) AS total_ms, ${median(d)} AS median_ms
FROM in_range GROUP BY user_id ORDER BY sessions DESC, user_id`
    : `${sessions}, periods AS (
  SELECT user_id, ${rangePeriodSql(spec, 'start_ms', { dialect: d })} AS p, length_ms FROM in_range
)
SELECT p AS period_index, count(*) AS sessions, count(DISTINCT user_id) AS users,
  CAST(sum(length_ms) AS BIGINT) AS total_ms, ${median(d)} AS median_ms
FROM periods GROUP BY GROUPING SETS ((p), ()) ORDER BY p NULLS LAST`;
  return { sql, params: where.params };
}

const median = (d: Dialect) => d.median('CAST(length_ms AS DOUBLE)');

// Lengths travel as whole milliseconds and their exact sums, so every engine gives the same seconds.
const seconds = (ms: unknown) => (ms === null || ms === undefined ? null : Number(ms) / 1000);
const average = (row: Record<string, unknown> | undefined) => (row && Number(row.sessions) > 0 ? Number(row.total_ms) / Number(row.sessions) / 1000 : null);

/**
 * Sessions (kind `"sessions"`): a person's events split wherever `gap_minutes` (default 30) pass
 * without one; per period the sessions that began in it, the people who had them, sessions per
 * person and the mean and median session length. `per: "user"` gives a row per person instead.
 *
 * @example
 * const { rows } = await runAnalysis(engine, { kind: 'sessions', period: 'week', gap_minutes: 30 });
 * // [{ period: '2024-03-04', sessions: 5210, users: 1804, sessions_per_user: 2.89, avg_session_seconds: 412.5, median_session_seconds: 180 }, ...]
 */
export const sessions: Analysis<SessionsSpec, SessionsPeriodRow | SessionsUserRow> = {
  kind: KIND,
  title: 'Sessions: sessions by an inactivity gap, per period or per person, with their length',
  formula: formula(DEFAULT_GAP_MINUTES),
  dialects: ['duckdb', 'clickhouse'],
  validate(input, catalog) {
    const spec = specFields(KIND, input, ['gap_minutes', 'per', 'period', 'week_start', 'timezone', 'date_from', 'date_to']);
    const gap = spec.gap_minutes ?? DEFAULT_GAP_MINUTES;
    if (typeof gap !== 'number' || !Number.isFinite(gap) || gap <= 0) {
      throw new SpecError(KIND, `gap_minutes must be a number of minutes > 0, not ${JSON.stringify(spec.gap_minutes)}`, 'gap_minutes');
    }
    const per = spec.per ?? 'period';
    if (per !== 'period' && per !== 'user') throw new SpecError(KIND, `per must be "period" or "user", not ${JSON.stringify(per)}`, 'per');
    return {
      kind: KIND, gap_minutes: gap, per,
      ...validateCalendarRange(KIND, spec, catalog, { defaultPeriod: 'day' }),
      where: validateFilters(KIND, spec.where, catalog),
    };
  },
  sql: sessionsSql,
  shape(result: Table | null, spec) {
    const all = (result?.toArray() ?? []).map((row) => row.toJSON() as Record<string, unknown>);
    if (spec.per === 'user') {
      const rows: SessionsUserRow[] = all.map((row) => ({
        user_id: String(row.user_id), sessions: Number(row.sessions), total_session_seconds: seconds(row.total_ms)!,
        avg_session_seconds: average(row)!, median_session_seconds: seconds(row.median_ms)!,
      }));
      return { rows, meta: { formula: formula(spec.gap_minutes), users: rows.length } };
    }
    const byPeriod = new Map(all.filter((row) => row.period_index !== null).map((row) => [Number(row.period_index), row]));
    const total = all.find((row) => row.period_index === null);
    const { from, to } = periodRange(spec);
    const rows: SessionsPeriodRow[] = [];
    for (let p = from; p <= to; p++) {
      const row = byPeriod.get(p);
      const count = Number(row?.sessions ?? 0);
      const users = Number(row?.users ?? 0);
      rows.push({
        period: periodLabel(spec, p), sessions: count, users,
        sessions_per_user: users === 0 ? null : count / users,
        avg_session_seconds: average(row), median_session_seconds: seconds(row?.median_ms),
      });
    }
    const meta = {
      formula: formula(spec.gap_minutes),
      sessions: Number(total?.sessions ?? 0), users: Number(total?.users ?? 0),
      avg_session_seconds: average(total), median_session_seconds: seconds(total?.median_ms),
    };
    return { rows, meta };
  },
};

registerAnalysis(sessions);
