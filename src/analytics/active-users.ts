import type { Table } from 'apache-arrow';
import { quoteIdent } from '../engine/index.ts';
import { registerAnalysis, type Analysis } from './analysis.ts';
import { eventSql, specEvents, validateEventOption } from './event-option.ts';
import { dialectOf, userKeySql, type EventCatalog } from './event-catalog.ts';
import { dateOfDay, inPeriodsSql, periodRange, rangePeriodSql, validateCalendarRange, type CalendarRange } from './calendar.ts';
import { specFields } from './spec-fields.ts';
import { validateFilters, whereSql, type BoundSql, type Filter } from './where.ts';

/** An active-users spec after validation; its period is always `day`. */
export interface ActiveUsersSpec extends CalendarRange<'day'> {
  kind: 'active_users';
  /** The event that counts as activity; null for any event. */
  event: string | null;
  where: Filter[];
}

/** One local day: people active that day, in the 7 and 30 days ending that day, and DAU ÷ MAU. */
export type ActiveUsersRow = {
  date: string;
  dau: number;
  wau: number;
  mau: number;
  dau_mau: number | null;
};

const KIND = 'active_users';
const WEEK = 7;
const MONTH = 30;
const FORMULA = 'DAU = people active that day; WAU = in the 7 days ending that day; MAU = in the 30 days ending that day; '
  + 'stickiness = DAU ÷ MAU';

/**
 * Rolling distinct counts without a range join: each active day of a person covers the window
 * days from it up to (not including) the person's next active day or the window's end, whichever
 * comes first. Those spans never overlap, so each window's distinct count is a running sum of +1
 * at a span's start and −1 after its end.
 */
function activeUsersSql(spec: ActiveUsersSpec, table: string, catalog?: EventCatalog): BoundSql {
  const { from, to } = periodRange(spec);
  const first = from - (MONTH - 1);
  const dialect = dialectOf(catalog);
  const where = whereSql(spec.where, dialect);
  const event = eventSql(spec.event);
  const day = dialect.seriesColumn('c', 'range');
  const sql = `WITH base AS (
  SELECT ${userKeySql(catalog)} AS user_id, ${dialect.epochMs('ts')} AS ms FROM ${quoteIdent(table)}
  WHERE (${where.sql}) AND (${event.sql}) AND ${inPeriodsSql(spec, first, to, 'ts', dialect)}
), active AS (
  SELECT DISTINCT user_id, ${rangePeriodSql(spec, 'ms', { daysBefore: MONTH, dialect })} AS d FROM base
), spans AS (
  SELECT d, ${dialect.lead('d', dialect.window('PARTITION BY user_id ORDER BY d'))} AS next_d FROM active WHERE d BETWEEN ${first} AND ${to}
), deltas AS (
  SELECT d AS day, 1 AS dau, 1 AS wau, 1 AS mau FROM spans
  UNION ALL SELECT d + 1, -1, 0, 0 FROM spans
  UNION ALL SELECT least(d + ${WEEK}, coalesce(next_d, d + ${WEEK})), 0, -1, 0 FROM spans
  UNION ALL SELECT least(d + ${MONTH}, coalesce(next_d, d + ${MONTH})), 0, 0, -1 FROM spans
), per_day AS (
  SELECT day, sum(dau) AS dau, sum(wau) AS wau, sum(mau) AS mau FROM deltas WHERE day <= ${to} GROUP BY day
), running AS (
  SELECT ${day} AS day,
    CAST(sum(coalesce(p.dau, 0)) OVER w AS BIGINT) AS dau,
    CAST(sum(coalesce(p.wau, 0)) OVER w AS BIGINT) AS wau,
    CAST(sum(coalesce(p.mau, 0)) OVER w AS BIGINT) AS mau
  FROM ${dialect.series(first, to + 1, 'c', 'range')} LEFT JOIN per_day AS p ON p.day = ${day}
  WINDOW w AS (ORDER BY ${day} ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
)
SELECT day, dau, wau, mau FROM running WHERE day >= ${from} ORDER BY day`;
  return { sql, params: [...where.params, ...event.params] };
}

/**
 * Active users (kind `"active_users"`): DAU, WAU and MAU as rolling windows per local day (WAU =
 * distinct people in the 7 days ending that day, MAU = 30 days) and DAU/MAU stickiness.
 *
 * @example
 * const { rows } = await runAnalysis(engine, { kind: 'active_users', date_from: '2024-03-01', date_to: '2024-03-31' });
 * // [{ date: '2024-03-01', dau: 410, wau: 1630, mau: 4210, dau_mau: 0.0974 }, ...]
 */
export const activeUsers: Analysis<ActiveUsersSpec, ActiveUsersRow> = {
  kind: KIND,
  title: 'Active users: DAU, WAU, MAU (rolling) and DAU/MAU stickiness per day',
  formula: FORMULA,
  dialects: ['duckdb', 'clickhouse'],
  events: (spec) => specEvents(spec, ['event']),
  validate(input, catalog) {
    const spec = specFields(KIND, input, ['event', 'timezone', 'date_from', 'date_to']);
    return {
      kind: KIND,
      event: validateEventOption(KIND, spec, 'event', catalog),
      ...validateCalendarRange(KIND, spec, catalog, { defaultPeriod: 'day', periods: ['day'] }),
      where: validateFilters(KIND, spec.where, catalog),
    };
  },
  sql: activeUsersSql,
  shape(result: Table | null) {
    const rows: ActiveUsersRow[] = (result?.toArray() ?? []).map((row) => {
      const [dau, wau, mau] = [Number(row.dau), Number(row.wau), Number(row.mau)];
      return { date: dateOfDay(Number(row.day)), dau, wau, mau, dau_mau: mau === 0 ? null : dau / mau };
    });
    const ratios = rows.map((r) => r.dau_mau).filter((r): r is number => r !== null);
    const average = ratios.length === 0 ? null : ratios.reduce((a, b) => a + b, 0) / ratios.length;
    return { rows, meta: { formula: FORMULA, average_dau_mau: average } };
  },
};

registerAnalysis(activeUsers);
