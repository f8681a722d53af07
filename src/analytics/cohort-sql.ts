import { quoteIdent } from '../engine/index.ts';
import { dateWindowMs, reachableCohorts, type CohortDefinition, type CohortRule, type CohortWindow } from './cohort-spec.ts';
import { SqlBuilder } from './funnel-sql-parts.ts';
import { whereSql, type BoundSql, type Filter } from './where.ts';

/**
 * The one piece of SQL through which every analysis takes cohorts: CTEs that find each cohort's
 * members from the whole log, and `cohort__events`, the log restricted to the people an analysis
 * keeps. An analysis reads `cohort__events` instead of its table (`withCohortSource` splices the
 * CTEs in front of its query), so no analysis has cohort code of its own.
 *
 * Members CTEs (`cohort__m0`, `cohort__m1`, ...) have one row per member: `u` (the user id),
 * `first_seen`, `last_seen`, `events` (all their events) and `qualifying_events` (the events their
 * `did` rules counted; null without one).
 */

/** The table name an analysis reads when it takes cohorts. */
export const COHORT_SOURCE = 'cohort__events';

/** Which people an analysis keeps: members of every `include` cohort and of no `exclude` one. */
export interface CohortFilter {
  include: CohortDefinition[];
  exclude: CohortDefinition[];
}

const US_PER_DAY = 86_400_000_000;

function micros(ms: number): string {
  return String(BigInt(Math.round(ms)) * 1000n);
}

/** The `ts` conditions of a rule's window, on microseconds; `s.c__first` is the person's first seen. */
function windowSql(window: CohortWindow, timezone: string): string {
  const t = 'epoch_us(e.ts)';
  if (window.within_days_of_first_seen !== null) {
    return `${t} >= s.c__first AND ${t} < s.c__first + ${Math.round(window.within_days_of_first_seen * US_PER_DAY)}`;
  }
  const { fromMs, toMs } = dateWindowMs(window, timezone);
  return [fromMs !== null ? `${t} >= ${micros(fromMs)}` : '', toMs !== null ? `${t} < ${micros(toMs)}` : ''].filter(Boolean).join(' AND ') || 'TRUE';
}

function eventCount(b: SqlBuilder, event: string, window: CohortWindow, where: Filter[], timezone: string): string {
  const name = b.value(event);
  const filters = b.bind(whereSql(where));
  return `count(*) FILTER (WHERE e.event = ${name} AND ${windowSql(window, timezone)} AND (${filters}))`;
}

function propertyValue(b: SqlBuilder, rule: Extract<CohortRule, { property: string }>): string {
  const test = b.bind(whereSql([{ column: rule.property, op: rule.op, value: rule.value }]));
  const at = rule.of === 'first_event' ? ' FILTER (WHERE epoch_us(e.ts) = s.c__first)'
    : rule.of === 'last_event' ? ' FILTER (WHERE epoch_us(e.ts) = s.c__last)' : '';
  return `coalesce(bool_or(${test})${at}, false)`;
}

/** One cohort's members CTE body, given the CTE names of the cohorts it names. */
function membersSql(b: SqlBuilder, definition: CohortDefinition, table: string, nameOf: (d: CohortDefinition) => string): string {
  const seen = 'SELECT c__u AS u, c__first_ts AS first_seen, c__last_ts AS last_seen, c__n AS events';
  if ('user_ids' in definition) {
    const ids = definition.user_ids.map((id) => b.value(id)).join(', ');
    return `${seen}, CAST(NULL AS BIGINT) AS qualifying_events FROM cohort__seen WHERE ${ids ? `c__u IN (${ids})` : 'FALSE'}`;
  }
  const aggregates: string[] = [];
  const tests: string[] = [];
  const qualifying: string[] = [];
  for (const rule of definition.rules) {
    if ('in_cohort' in rule) tests.push(`a.u IN (SELECT u FROM ${nameOf(rule.in_cohort)})`);
    else if ('not_in_cohort' in rule) tests.push(`a.u NOT IN (SELECT u FROM ${nameOf(rule.not_in_cohort)})`);
    else {
      const column = `r${aggregates.length}`;
      if ('did' in rule) {
        aggregates.push(`${eventCount(b, rule.did, rule, rule.where, definition.timezone)} AS ${column}`);
        tests.push(`a.${column} >= ${rule.at_least}${rule.at_most !== null ? ` AND a.${column} <= ${rule.at_most}` : ''}`);
        qualifying.push(`a.${column}`);
      } else if ('did_not' in rule) {
        aggregates.push(`${eventCount(b, rule.did_not, rule, rule.where, definition.timezone)} AS ${column}`);
        tests.push(`a.${column} = 0`);
      } else {
        aggregates.push(`${propertyValue(b, rule)} AS ${column}`);
        tests.push(`a.${column}`);
      }
    }
  }
  const joiner = definition.match === 'all' ? ' AND ' : ' OR ';
  const condition = tests.map((t) => `(${t})`).join(joiner);
  const counted = qualifying.length ? qualifying.join(' + ') : 'CAST(NULL AS BIGINT)';
  const people = aggregates.length === 0
    ? 'SELECT c__u AS u, c__first_ts AS first_seen, c__last_ts AS last_seen, c__n AS events FROM cohort__seen'
    : `SELECT s.c__u AS u, s.c__first_ts AS first_seen, s.c__last_ts AS last_seen, s.c__n AS events, ${aggregates.join(', ')}
    FROM cohort__seen s JOIN ${quoteIdent(table)} e ON e.user_id = s.c__u
    GROUP BY s.c__u, s.c__first_ts, s.c__last_ts, s.c__n`;
  return `SELECT a.u, a.first_seen, a.last_seen, a.events, ${counted} AS qualifying_events FROM (
    ${people}
  ) a WHERE ${condition}`;
}

/**
 * The members CTEs of the given cohorts (and every cohort they name), with their CTE names.
 * Identical definitions share one CTE.
 *
 * @example
 * const { ctes, names } = cohortMembersCtes([activated], 'events', new SqlBuilder());
 * // ctes: 'cohort__seen AS (...), cohort__m0 AS (...)', names.get(activated): 'cohort__m0'
 */
export function cohortMembersCtes(cohorts: CohortDefinition[], table: string, b: SqlBuilder): { ctes: string; nameOf: (d: CohortDefinition) => string } {
  const byKey = new Map<string, string>();
  const key = (d: CohortDefinition) => JSON.stringify(d);
  const nameOf = (d: CohortDefinition) => byKey.get(key(d))!;
  const parts = [`cohort__seen AS (
  SELECT user_id AS c__u, min(ts) AS c__first_ts, max(ts) AS c__last_ts, epoch_us(min(ts)) AS c__first, epoch_us(max(ts)) AS c__last, count(*) AS c__n
  FROM ${quoteIdent(table)} WHERE user_id IS NOT NULL GROUP BY user_id
)`];
  for (const cohort of cohorts) {
    for (const d of reachableCohorts(cohort)) {
      if (byKey.has(key(d))) continue;
      const name = `cohort__m${byKey.size}`;
      const body = membersSql(b, d, table, nameOf);
      byKey.set(key(d), name);
      parts.push(`${name} AS (\n  ${body}\n)`);
    }
  }
  return { ctes: parts.join(',\n'), nameOf };
}

/**
 * The CTEs that define `cohort__events`: `table`'s events of the people the filter keeps.
 *
 * @example
 * cohortSourceCtes({ include: [activated], exclude: [] }, 'events') // { sql: 'cohort__seen AS (...), ..., cohort__events AS (...)', params }
 */
export function cohortSourceCtes(filter: CohortFilter, table: string): BoundSql {
  const b = new SqlBuilder();
  const { ctes, nameOf } = cohortMembersCtes([...filter.include, ...filter.exclude], table, b);
  const tests = [
    ...filter.include.map((d) => `user_id IN (SELECT u FROM ${nameOf(d)})`),
    ...filter.exclude.map((d) => `user_id NOT IN (SELECT u FROM ${nameOf(d)})`),
  ];
  return { sql: `${ctes},\n${COHORT_SOURCE} AS (SELECT * FROM ${quoteIdent(table)} WHERE ${tests.join(' AND ') || 'TRUE'})`, params: b.params };
}

const LEADING_WITH = /^\s*WITH\s+(RECURSIVE\s+)?/i;

/**
 * An analysis's query with CTEs put in front of its own (it may or may not begin with `WITH`);
 * the CTEs' values are bound first, as their text comes first.
 *
 * @example
 * withCtes({ sql: 'SELECT count(*) FROM cohort__events', params: [] }, cohortSourceCtes(filter, 'events'))
 */
export function withCtes(query: BoundSql, ctes: BoundSql): BoundSql {
  const match = LEADING_WITH.exec(query.sql);
  const sql = match
    ? `WITH ${match[1] ?? ''}${ctes.sql},\n${query.sql.slice(match[0].length)}`
    : `WITH ${ctes.sql}\n${query.sql}`;
  return { sql, params: [...ctes.params, ...query.params] };
}
