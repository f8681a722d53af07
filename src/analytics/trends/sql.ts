import { quoteIdent, type SqlValue } from '../../engine/index.ts';
import { localMsSql, periodSql, type Calendar, type CalendarRange, type Period } from '../calendar.ts';
import { eventSql } from '../event-option.ts';
import { userKeySql, type EventCatalog } from '../event-catalog.ts';
import { whereSql, type BoundSql } from '../where.ts';
import { DAY_MS, HOUR_MS, effectiveMath, lookbackStartMs, previousRange, trendsWindow, windowDays, type TrendsWindow } from './range.ts';
import type { TrendsMath, TrendsSeries, TrendsSpec } from './spec.ts';

/**
 * The trends query: one sub-query per series (and per range, with `compare`), each a chain of
 * CTEs over the events of that series, joined by UNION ALL. Every sub-query returns
 * `s` (series index), `r` (0 = the range, 1 = the previous one), `rank` (of the breakdown value:
 * 1 for the largest, `breakdown_limit + 1` for "Other", 1 without a breakdown), `key` (the
 * breakdown value, null for none or for "Other"), `p` (period index) and `value`:
 *
 * - `total`, `dau` and the property maths: the value of each period;
 * - `weekly_active` / `monthly_active` counted over a window: the change of the value at `p`
 *   (shaping sums them up), from each person's active spans (see `rollingSql`);
 * - `cumulative` `dau`: the people first seen in each period (shaping sums them up).
 *
 * Each sub-query's chain: `e` holds the series' events (`a` and, for windows, `b` = the first and
 * last period whose value the event counts in; `key`; the property value `v`; `person` where
 * people are counted; `counted` = inside the range itself, for windows that look back); `g` groups
 * them as far as the math allows (see `planOf`); `ranked` the breakdown values by the series' math
 * over the range, `top` those with a line of their own; `m` the grouped rows with their line.
 * The people behind one point are the same chain grouped as `dau` groups it (with the person's id
 * instead of its hash: the `person` option), then `SELECT DISTINCT person FROM m WHERE rank = ?
 * AND p = ?` (for windows, `a <= ? AND b >= ?`).
 */
export function trendsSql(spec: TrendsSpec, table: string, catalog?: EventCatalog, options: { person?: string } = {}): BoundSql {
  const parts: BoundSql[] = [];
  const ranges: [CalendarRange<Period>, number][] = [[spec, 0]];
  if (spec.compare) ranges.push([previousRange(spec), 1]);
  for (const [range, r] of ranges) {
    spec.series.forEach((series, s) => parts.push(seriesSql(spec, range, series, s, r, table, catalog, options.person ?? userKeySql(catalog))));
  }
  return { sql: parts.map((p) => `(${p.sql})`).join('\nUNION ALL\n'), params: parts.flatMap((p) => p.params) };
}

const QUANTILES: Partial<Record<TrendsMath, number>> = { median: 0.5, p75: 0.75, p90: 0.9, p95: 0.95, p99: 0.99 };
const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|REAL|DECIMAL.*)$/;
const FRACTIONAL = /^(FLOAT|DOUBLE|REAL|DECIMAL.*)$/;

/** Whether a series on these periods counts people over a window of periods before each. */
export function isRolling(series: Pick<TrendsSeries, 'math'>, period: Period): boolean {
  const math = effectiveMath(series, period);
  return math === 'weekly_active' || math === 'monthly_active';
}

/**
 * A breakdown value as text: numbers as JavaScript writes them (`10`, not `10.0`), booleans
 * `true`/`false`, and an empty text as null.
 */
function breakdownSql(column: string, catalog?: EventCatalog): string {
  const c = quoteIdent(column);
  const type = catalog?.columns.find((col) => col.name === column)?.type ?? 'VARCHAR';
  const text = FRACTIONAL.test(type)
    ? `CASE WHEN ${c} = trunc(${c}) AND abs(${c}) < 1e15 THEN CAST(CAST(${c} AS BIGINT) AS VARCHAR) ELSE CAST(${c} AS VARCHAR) END`
    : `CAST(${c} AS VARCHAR)`;
  return `nullif(${text}, '')`;
}

/** A property as a number: text that reads as one counts, anything else (and infinities) is null. */
function propertySql(column: string, catalog?: EventCatalog): string {
  const c = quoteIdent(column);
  const type = catalog?.columns.find((col) => col.name === column)?.type ?? 'VARCHAR';
  const number = NUMERIC.test(type) ? `CAST(${c} AS DOUBLE)` : `TRY_CAST(${c} AS DOUBLE)`;
  return `CASE WHEN isfinite(${number}) THEN ${number} END`;
}

/** The span `[a, b]` of periods an event counts in, as SQL over its local milliseconds `lms`. */
function spanSql(range: CalendarRange<Period>, math: TrendsMath, rolling: boolean, readFromMs: number, endMs: number): { a: string; b: string } {
  const local = (period: Period, expr: string) => periodSql({ ...range, period, timezone: 'UTC' } as Calendar, expr, 0, 0);
  const p = local(range.period, 'lms');
  if (!rolling) return { a: p, b: p };
  const days = windowDays(math);
  if (range.period === 'day') return { a: p, b: `${p} + ${days - 1}` };
  if (range.period === 'hour') {
    // the hours whose 168 / 720 real hours contain the instant: from its own hour to the one
    // before the hour of (instant + window)
    const w = days * 24 * HOUR_MS;
    const later = localMsSql(range.timezone, `(ms + ${w})`, readFromMs + w - 2 * DAY_MS, endMs + w + 2 * DAY_MS);
    return { a: p, b: `${local('hour', later)} - 1` };
  }
  // monthly active on weeks: the weeks whose first day is one of the 30 days from the event's day
  return { a: local('week', `lms + ${6 * DAY_MS}`), b: local('week', `lms + ${(days - 1) * DAY_MS}`) };
}

function seriesSql(
  spec: TrendsSpec, range: CalendarRange<Period>, series: TrendsSeries, s: number, r: number, table: string,
  catalog: EventCatalog | undefined, person: string,
): BoundSql {
  const window = trendsWindow(range);
  const math = effectiveMath(series, range.period);
  const rolling = isRolling(series, range.period);
  const readFromMs = rolling ? lookbackStartMs(range, math, window) : window.startMs;
  const where = whereSql(spec.where);
  const own = whereSql(series.where);
  const event = eventSql(series.event);
  const lms = localMsSql(range.timezone, 'ms', readFromMs - 2 * DAY_MS, window.endMs + 2 * DAY_MS);
  const { a, b } = spanSql(range, math, rolling, readFromMs, window.endMs);
  const key = spec.breakdown === null ? 'CAST(NULL AS VARCHAR)' : breakdownSql(spec.breakdown, catalog);
  const v = series.property === null ? 'CAST(NULL AS DOUBLE)' : propertySql(series.property, catalog);
  const needsPerson = math === 'dau' || rolling;
  const e = `e AS (
  SELECT ${needsPerson ? 'person, ' : ''}${a} AS a${rolling ? `, ${b} AS b, ms >= ${window.startMs} AS counted` : ''}, key${series.property ? ', v' : ''} FROM (
    SELECT ${needsPerson ? `${person} AS person, ` : ''}epoch_ms(ts) AS ms, ${lms} AS lms, ${key} AS key${series.property ? `, ${v} AS v` : ''} FROM ${quoteIdent(table)}
    WHERE (${where.sql}) AND (${own.sql}) AND (${event.sql}) AND ts >= epoch_ms(${readFromMs}) AND ts < epoch_ms(${window.endMs})
  )
)`;
  const plan = planOf(math, spec.cumulative);
  const other = spec.breakdown_limit + 1;
  const lines = spec.breakdown === null
    ? `m AS (SELECT *, 1 AS rank FROM g)`
    : `ranked AS (
  SELECT key, row_number() OVER (ORDER BY score ${math === 'min' ? 'ASC' : 'DESC'} NULLS LAST, key ASC NULLS LAST) AS rank
  FROM (SELECT key, ${plan.score} AS score FROM ${plan.rankFrom ?? 'g'} GROUP BY key)
), top AS (
  SELECT key, rank FROM ranked WHERE rank <= ${spec.breakdown_limit}
), m AS (
  SELECT g.* EXCLUDE (key), coalesce(top.rank, ${other}) AS rank, CASE WHEN top.rank IS NULL THEN NULL ELSE g.key END AS key
  FROM g LEFT JOIN top ON g.key IS NOT DISTINCT FROM top.key
  -- "Other" only when the range has more values than lines: a value seen only before the range
  -- (a rolling window's look-back) is then part of the rest, else it has no line at all
  WHERE top.rank IS NOT NULL OR (SELECT count(*) FROM ranked) > ${spec.breakdown_limit}
)`;
  const head = `SELECT ${s} AS s, ${r} AS r, rank, key`;
  const body = rolling ? rollingSql(head, window) : `${head}, ${plan.value}`;
  // every line a breakdown gives shows, even where no period counts anything (p is null)
  const allLines = spec.breakdown === null ? '' : `
UNION ALL SELECT ${s}, ${r}, rank, key, NULL, NULL FROM top
UNION ALL SELECT ${s}, ${r}, ${other}, NULL, NULL, NULL WHERE (SELECT count(*) FROM ranked) > ${spec.breakdown_limit}`;
  const params: SqlValue[] = [...where.params, ...own.params, ...event.params];
  return { sql: `WITH ${e},\ng AS (${plan.grouped}),\n${lines}\n${body}${allLines}`, params };
}

/**
 * How a math is counted in two stages, so that the breakdown's ranking and its "Other" line work on
 * the events grouped as far as the math allows (per value and period, with the person only where
 * people are counted), not on every event: `grouped` groups `e`, `score` ranks a breakdown value
 * over its grouped rows (`rankFrom`: those of the range itself, for windows that look back), and
 * `value` is the final select over `m` (the grouped rows with their line).
 */
function planOf(math: TrendsMath, cumulative: boolean): { grouped: string; score: string; value: string; rankFrom?: string } {
  const q = QUANTILES[math];
  const byLine = 'FROM m GROUP BY rank, key, p';
  if (q !== undefined) return { grouped: 'SELECT key, a AS p, v FROM e', score: `quantile_cont(v, ${q})`, value: `p, quantile_cont(v, ${q}) AS value ${byLine}` };
  switch (math) {
    case 'total': return { grouped: 'SELECT key, a AS p, count(*) AS n FROM e GROUP BY key, a', score: 'sum(n)', value: `p, sum(n) AS value ${byLine}` };
    case 'sum': case 'min': case 'max':
      return { grouped: `SELECT key, a AS p, ${math}(v) AS x FROM e GROUP BY key, a`, score: `${math}(x)`, value: `p, ${math}(x) AS value ${byLine}` };
    case 'avg':
      return { grouped: 'SELECT key, a AS p, sum(v) AS x, count(v) AS c FROM e GROUP BY key, a', score: 'sum(x) / nullif(sum(c), 0)', value: `p, sum(x) / nullif(sum(c), 0) AS value ${byLine}` };
    case 'dau':
      // PostHog ranks dau's breakdown values by their events
      return {
        grouped: 'SELECT key, a AS p, person, count(*) AS n FROM e GROUP BY key, a, person',
        score: 'sum(n)',
        value: cumulative
          ? 'p, count(*) AS value FROM (SELECT person, rank, key, min(p) AS p FROM m GROUP BY person, rank, key) GROUP BY rank, key, p'
          : `p, count(DISTINCT person) AS value ${byLine}`,
      };
    case 'weekly_active': case 'monthly_active':
      return {
        grouped: 'SELECT person, key, a, max(b) AS b, bool_or(counted) AS counted FROM e GROUP BY person, key, a',
        score: 'count(DISTINCT person)',
        value: '',
        rankFrom: 'g WHERE counted',
      };
  }
  throw new Error(`trends: no plan for math ${math}`);
}

/**
 * Distinct people over windows without a range join (as active users does): each event counts in
 * the periods `a..b`; per person, the periods a distinct `a` covers run to `b` or to the period
 * before the person's next `a`, whichever is first. Those spans never overlap, so a period's
 * count is the sum of +1 at each span's start and -1 after its end.
 */
function rollingSql(head: string, window: TrendsWindow): string {
  return `, act AS (
  SELECT person, rank, key, a, max(b) AS b FROM m GROUP BY person, rank, key, a
), spans AS (
  SELECT rank, key, greatest(a, ${window.from}) AS a,
    least(b, coalesce(lead(a) OVER (PARTITION BY person, rank, key ORDER BY a) - 1, b), ${window.to}) AS b
  FROM act
), deltas AS (
  SELECT rank, key, a AS p, 1 AS d FROM spans WHERE a <= b
  UNION ALL SELECT rank, key, b + 1 AS p, -1 AS d FROM spans WHERE a <= b AND b < ${window.to}
)
${head}, p, sum(d) AS value FROM deltas GROUP BY rank, key, p`;
}
