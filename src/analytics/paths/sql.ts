import { quoteIdent, type SqlValue } from '../../engine/index.ts';
import { dayOfDate, periodStartUtc } from '../calendar.ts';
import { userKeySql, type EventCatalog } from '../event-catalog.ts';
import { whereSql, type BoundSql } from '../where.ts';
import { SESSION_GAP_MS, type PathsSpec } from './spec.ts';

/** The first and last instant (epoch ms, UTC; the end exclusive) of a paths spec's local dates. */
export function pathsRangeMs(spec: PathsSpec): { startMs: number; endMs: number } {
  const day = { period: 'day' as const, week_start: 'monday' as const, timezone: spec.timezone };
  return { startMs: periodStartUtc(day, dayOfDate(spec.date_from)), endMs: periodStartUtc(day, dayOfDate(spec.date_to) + 1) };
}

/** Bits of a path item's sort key that hold its event's code: up to 2^20 distinct event names. */
const CODE_BITS = 20;
const CODES = 2 ** CODE_BITS;
/** The code of the "..." item (no event has a negative code). */
const ELLIPSIS = -1;

/**
 * Each person-session's path as lists, cut to its points: `path` (event codes, see `pathsSql`)
 * and `stamps` (the epoch ms of each item: a collapsed run's last event; "..." takes the time of
 * the first item it stands for, as PostHog's does).
 */
function pointsSql(spec: PathsSpec): BoundSql {
  const n = spec.steps;
  const { start_event: start, end_event: end } = spec;
  const code = '(SELECT code FROM dict WHERE item = ?)';
  if (start === null && end === null) {
    return { sql: `SELECT person, items[1:${n}] AS path, times[1:${n}] AS stamps FROM paths`, params: [] };
  }
  if (end === null) {
    return {
      sql: `SELECT person, items[s:s + ${n - 1}] AS path, times[s:s + ${n - 1}] AS stamps
  FROM (SELECT *, list_position(items, ${code}) AS s FROM paths) WHERE s IS NOT NULL`,
      params: [start],
    };
  }
  if (start === null) {
    return {
      sql: `SELECT person, items[greatest(e - ${n - 1}, 1):e] AS path, times[greatest(e - ${n - 1}, 1):e] AS stamps
  FROM (SELECT *, list_position(items, ${code}) AS e FROM paths) WHERE e IS NOT NULL`,
      params: [end],
    };
  }
  const h = Math.floor(n / 2);
  return {
    sql: `SELECT person,
    CASE WHEN len(f) > ${n} THEN list_concat(f[1:${h}], [${ELLIPSIS}], f[-${h}:]) ELSE f END AS path,
    CASE WHEN len(f) > ${n} THEN list_concat(ft[1:${h}], [ft[${h + 1}]], ft[-${h}:]) ELSE ft END AS stamps
  FROM (
    SELECT person, rest[1:e] AS f, rest_at[1:e] AS ft FROM (
      SELECT person, rest, rest_at, list_position(rest, ${code}) AS e FROM (
        SELECT person, items[s:] AS rest, times[s:] AS rest_at FROM (SELECT *, list_position(items, ${code}) AS s FROM paths) WHERE s IS NOT NULL
      )
    ) WHERE e IS NOT NULL
  )`,
    // the innermost placeholder (the start) comes last in the text
    params: [end, start],
  };
}

/**
 * The paths query. Its stages are CTEs, so that the people behind one edge are
 * `SELECT DISTINCT person FROM edges WHERE step = ? AND source = ? AND target = ?` on the same
 * chain (built with the person's id instead of its hash, `person` option):
 *
 * - `base`: the range's events (after `where`); `dict`: a code per event name, in name order;
 * - `people`: each person's events as numbers `ms * 2^20 + code`, sorted, so by time and, at the same
 *   instant, by name (lists of numbers build and sort several times faster than lists of records);
 *   `starts`: where their sessions begin (30 minutes or more after the previous event);
 *   `sessions`: one row per person-session, its events;
 * - `collapsed`, `paths`: a session's items (codes) with each run of one event collapsed into its
 *   last, and their times;
 * - `cut`: each path cut to its start and end points and `steps`; `edges`: one row per
 *   person-session and consecutive pair of items, with the milliseconds between them;
 * - `names`, `named`: codes back to names (and "..."), so edges rank by name;
 * - the result, told apart by `row_kind`: the edges kept (`edge`: `min_sessions`, the top
 *   `max_edges`), one `other` row per source node summing what was cut from it, a `node` row per
 *   step and item with the sessions and people that reach it, and one `total` row with the
 *   sessions and people counted.
 */
export function pathsSql(spec: PathsSpec, table: string, catalog?: EventCatalog, options: { person?: string } = {}): BoundSql {
  const { startMs, endMs } = pathsRangeMs(spec);
  const where = whereSql(spec.where);
  const points = pointsSql(spec);
  const person = options.person ?? userKeySql(catalog);
  const mask = CODES - 1;
  const sql = `WITH base AS (
  SELECT ${person} AS person, event AS item, epoch_ms(ts) AS ms FROM ${quoteIdent(table)}
  WHERE (${where.sql}) AND event IS NOT NULL AND ts >= epoch_ms(${startMs}) AND ts < epoch_ms(${endMs})
), dict AS MATERIALIZED (
  SELECT item, CAST(row_number() OVER (ORDER BY item) - 1 AS BIGINT) AS code FROM (SELECT DISTINCT item FROM base)
), people AS (
  -- one number per event, ordered as (time, name): lists of numbers build and sort fast
  SELECT person, list_sort(list(base.ms * ${CODES} + dict.code)) AS k
  FROM base JOIN dict ON base.item = dict.item GROUP BY person
), starts AS (
  SELECT person, k, list_filter(range(1, len(k) + 1), lambda i: i = 1 OR (k[i] >> ${CODE_BITS}) - (k[i - 1] >> ${CODE_BITS}) >= ${SESSION_GAP_MS}) AS starts
  FROM people
), sessions AS (
  SELECT person, k[starts[j]:coalesce(starts[j + 1], len(k) + 1) - 1] AS s
  FROM (SELECT person, k, starts, unnest(range(1, len(starts) + 1)) AS j FROM starts)
), collapsed AS (
  SELECT person, list_transform(list_filter(range(1, len(s) + 1), lambda i: i = len(s) OR (s[i] & ${mask}) <> (s[i + 1] & ${mask})), lambda i: s[i]) AS c
  FROM sessions
), paths AS MATERIALIZED (
  SELECT person, list_transform(c, lambda x: x & ${mask}) AS items, list_transform(c, lambda x: x >> ${CODE_BITS}) AS times FROM collapsed
), cut AS MATERIALIZED (
  ${points.sql}
), edges AS MATERIALIZED (
  SELECT person, k AS step, path[k] AS source, path[k + 1] AS target, stamps[k + 1] - stamps[k] AS ms
  FROM (SELECT person, path, stamps, unnest(range(1, len(path))) AS k FROM cut)
), names AS (
  SELECT code, item FROM dict UNION ALL SELECT ${ELLIPSIS}, '...'
), edge_totals AS (
  SELECT step, source, target, count(*) AS sessions, count(DISTINCT person) AS people, sum(ms) AS total_ms
  FROM edges GROUP BY step, source, target
), named AS (
  SELECT t.*, s.item AS source_name, n.item AS target_name FROM edge_totals AS t
  JOIN names AS s ON s.code = t.source JOIN names AS n ON n.code = t.target
), ranked AS (
  SELECT *, sessions >= ${spec.min_sessions}
    AND row_number() OVER (ORDER BY sessions >= ${spec.min_sessions} DESC, sessions DESC, step, source_name, target_name) <= ${spec.max_edges} AS kept
  FROM named
), cut_totals AS (
  SELECT e.step, r.source_name, count(*) AS sessions, count(DISTINCT e.person) AS people, sum(e.ms) AS total_ms
  FROM edges AS e JOIN ranked AS r ON e.step = r.step AND e.source = r.source AND e.target = r.target
  WHERE NOT r.kept GROUP BY e.step, r.source_name
), nodes AS (
  SELECT k AS step, names.item AS name, count(*) AS sessions, count(DISTINCT person) AS people
  FROM (SELECT person, path, unnest(range(1, len(path) + 1)) AS k FROM cut) JOIN names ON names.code = path[k] GROUP BY step, name
)
SELECT 'edge' AS row_kind, step, source_name AS source, target_name AS target, sessions, people, CAST(total_ms AS BIGINT) AS total_ms FROM ranked WHERE kept
UNION ALL SELECT 'other', step, source_name, NULL, sessions, people, CAST(total_ms AS BIGINT) FROM cut_totals
UNION ALL SELECT 'node', step, name, NULL, sessions, people, NULL FROM nodes
UNION ALL SELECT 'total', 0, NULL, NULL, count(*), count(DISTINCT person), NULL FROM cut
UNION ALL SELECT 'error', 0, NULL, NULL, error('paths: more than ${CODES.toLocaleString('en-US')} different event names'), NULL, NULL
  WHERE (SELECT count(*) FROM dict) > ${CODES}`;
  const params: SqlValue[] = [...where.params, ...points.params];
  return { sql, params };
}
