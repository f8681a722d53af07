import { quoteIdent, type SqlValue } from '../engine/index.ts';
import { funnelRangeMs, type FunnelSpec } from './funnel-spec.ts';
import { whereSql, type BoundSql } from './where.ts';

/**
 * The funnel as one SQL query, evaluated per person in a single pass over their time-ordered step
 * events (the way ClickHouse's `windowFunnel` does), never with a self-join per step.
 *
 * How it runs:
 * 1. `ev`: the events that match a step or an exclusion, each with `m`, a bit mask of the steps it
 *    matches, and `x`, a mask of the exclusions; times as epoch microseconds.
 * 2. `g`: one list per person (per person and `hold` value), in the funnel's event order: time, then
 *    the lowest step matched, then the mask, then the breakdown value.
 * 3. `ordered` / `strict`: one `list_reduce` over that list keeps a slot per step level holding the
 *    attempt at that level with the latest start (it dominates older ones: same events ahead, later
 *    deadline), moves attempts up a level as events arrive (highest level first, so an event fills
 *    one step of one attempt), and remembers the first attempt to reach a new level: the best one.
 *    `any`: every attempt is evaluated on its own (steps filled in step order by the earliest unused
 *    matching event in its window); the best is picked with `arg_max`.
 * 4. Exclusions are checked on the best attempt; the rest is counting.
 */

/** SQL text under construction with its bound values, kept in step. */
class SqlBuilder {
  readonly params: SqlValue[] = [];
  bind(part: BoundSql): string {
    this.params.push(...part.params);
    return part.sql;
  }
  value(value: SqlValue): string {
    this.params.push(value);
    return '?';
  }
}

const SLOT_TYPE = 'STRUCT(q BIGINT, ld BIGINT, b VARCHAR, tt BIGINT[])';

/** Epoch microseconds; only numbers the program computed are pasted into SQL, never user text. */
function micros(ms: number): string {
  return String(BigInt(Math.round(ms)) * 1000n);
}

interface Pieces {
  windowUs: string;
  /** SQL condition on `<alias>.t` for a step-1 event to start an attempt (inside [date_from, date_to]). */
  startsInRange: (t: string) => string;
}

function eventsCte(spec: FunnelSpec, table: string, b: SqlBuilder, pieces: Pieces): string {
  const { fromMs, toMs } = funnelRangeMs(spec);
  const stepBits = spec.steps.map((step, k) => {
    const filters = whereSql(step.where);
    return `CASE WHEN "event" = ${b.value(step.event)} AND (${b.bind(filters)}) THEN ${2 ** k} ELSE 0 END`;
  });
  const exclusionBits = spec.exclusions.map((x, j) => `CASE WHEN "event" = ${b.value(x.event)} THEN ${2 ** j} ELSE 0 END`);
  const where = b.bind(whereSql(spec.where));
  const conditions = [`(${where})`, 'ts IS NOT NULL'];
  if (fromMs !== null) conditions.push(`epoch_us(ts) >= ${micros(fromMs)}`);
  if (toMs !== null) conditions.push(`epoch_us(ts) < ${micros(toMs)} + ${pieces.windowUs}`);
  const strict = spec.order === 'strict';
  if (!strict) {
    const names = [...new Set([...spec.steps.map((s) => s.event), ...spec.exclusions.map((x) => x.event)])];
    conditions.push(`"event" IN (${names.map((n) => b.value(n)).join(', ')})`);
  }
  const hold = spec.hold ? quoteIdent(spec.hold) : 'NULL';
  const breakdown = spec.breakdown ? `CAST(${quoteIdent(spec.breakdown)} AS VARCHAR)` : 'CAST(NULL AS VARCHAR)';
  // Strict needs every event of the person to see what comes between two steps: `d` numbers the
  // person's distinct instants, so two steps are adjacent when their `d` differ by at most 1.
  const rank = strict ? 'dense_rank() OVER (PARTITION BY user_id ORDER BY ts)' : '0';
  return `ev_all AS (
  SELECT user_id AS u, ${hold} AS h, epoch_us(ts) AS t,
    (${stepBits.join(' + ')}) AS m,
    (${exclusionBits.length ? exclusionBits.join(' + ') : '0'}) AS x,
    ${breakdown} AS b, CAST(${rank} AS BIGINT) AS d
  FROM ${quoteIdent(table)}
  WHERE ${conditions.join(' AND ')}
),
${positioned(spec)}
g AS (
  SELECT u, h, list_sort(list(${elementFields(spec)})) AS l
  FROM ev GROUP BY u, h
  HAVING bool_or((m & 1) = 1 AND ${pieces.startsInRange('t')})
)`;
}

/**
 * Whether list items carry their position `i` in the person's whole event order (with `hold`, the
 * best attempt is picked across lists; `any` compares positions inside lambdas). Otherwise the
 * position is the list index, which saves a window pass over all events.
 */
function usesRowNumber(spec: FunnelSpec): boolean {
  return spec.hold !== null || spec.order === 'any';
}

// The event order: time, then the lowest step matched (`m & -m`), then the mask, then breakdown.
function positioned(spec: FunnelSpec): string {
  const filtered = 'SELECT * FROM ev_all WHERE m > 0 OR x > 0';
  if (!usesRowNumber(spec)) return `ev AS (${filtered}),`;
  return `ev AS (
  SELECT *, row_number() OVER (PARTITION BY u ORDER BY t, m & -m, m, b NULLS LAST, CAST(h AS VARCHAR) NULLS LAST) AS i
  FROM (${filtered})
),`;
}

// list_sort orders structs field by field, so the fields' order is the event order.
function elementFields(spec: FunnelSpec): string {
  const rest = `'x': x, 'd': d`;
  return usesRowNumber(spec)
    ? `{'i': i, 't': t, 'm': m, 'b': b, ${rest}}`
    : `{'t': t, 'lo': m & -m, 'm': m, 'b': b, ${rest}}`;
}

/** `ordered` and `strict`: one pass per list, a slot per level (see the module comment). */
function slotsCte(spec: FunnelSpec, pieces: Pieces): string {
  const n = spec.steps.length;
  const strict = spec.order === 'strict';
  const position = usesRowNumber(spec) ? 'e.i' : 'j';
  const promote = (k: number) => k === 0
    ? `((e.m & 1) = 1 AND ${pieces.startsInRange('e.t')})`
    : `((e.m & ${2 ** k}) <> 0 AND acc.s${k} IS NOT NULL AND e.t <= acc.s${k}.tt[1] + ${pieces.windowUs}`
      + `${strict ? ` AND e.d - acc.s${k}.ld <= 1` : ''})`;
  const extend = (k: number) => k === 0
    ? `{'q': ${position}, 'ld': e.d, 'b': e.b, 'tt': [e.t]}`
    : `{'q': acc.s${k}.q, 'ld': e.d, 'b': acc.s${k}.b, 'tt': list_append(acc.s${k}.tt, e.t)}`;
  const slots: string[] = [];
  for (let k = 1; k < n; k++) {
    slots.push(`'s${k}': CASE WHEN ${promote(k - 1)} THEN ${extend(k - 1)} WHEN ${promote(k)} THEN NULL ELSE acc.s${k} END`);
  }
  const best: string[] = [];
  for (let k = n - 1; k >= 0; k--) best.push(`WHEN ${promote(k)} AND acc.r.l < ${k + 1} THEN {'l': ${k + 1}, 'f': ${position}, 's': ${extend(k)}}`);
  const initial = [...Array.from({ length: n - 1 }, (_, k) => `'s${k + 1}': NULL::${SLOT_TYPE}`),
    `'r': {'l': 0, 'f': 0::BIGINT, 's': NULL::${SLOT_TYPE}}`];
  return `gb AS (
  SELECT u, h, l, list_reduce(l, (acc, e, j) -> {
    ${slots.join(',\n    ')},
    'r': CASE ${best.join(' ')} ELSE acc.r END
  }, {${initial.join(', ')}}).r AS r
  FROM g
)`;
}

/** `any`: each attempt (each step-1 event in range) fills steps 2..n in step order, each by the earliest unused event. */
function anyOrderCte(spec: FunnelSpec, pieces: Pieces): string {
  const n = spec.steps.length;
  const pick = `list_filter(l, e -> ((e.m >> step.k) & 1) = 1 AND e.i > s.i AND e.t <= s.t + ${pieces.windowUs} AND NOT list_contains(acc.used, e.i))[1]`;
  const step = `list_transform([${pick}], c -> CASE WHEN acc.ok AND c IS NOT NULL
      THEN {'ok': true, 'l': acc.l + 1, 'f': greatest(acc.f, c.i), 'used': list_append(acc.used, c.i), 'tt': list_append(acc.tt, greatest(acc.tt[-1], c.t))}
      ELSE {'ok': false, 'l': acc.l, 'f': acc.f, 'used': acc.used, 'tt': acc.tt} END)[1]`;
  // list_reduce wants its start value and the list's items of one (super) type: structs unify by name.
  return `att AS (
  SELECT u, h, l, s, list_reduce(list_transform(range(1, ${n}), k -> {'k': k}), (acc, step) -> ${step},
    {'ok': true, 'l': 1, 'f': s.i, 'used': [s.i], 'tt': [s.t]}) AS a
  FROM (SELECT u, h, l, unnest(list_filter(l, e -> (e.m & 1) = 1 AND ${pieces.startsInRange('e.t')})) AS s FROM g)
),
gb AS (
  SELECT u, h, any_value(l) AS l,
    arg_max({'l': a.l, 'f': a.f, 's': {'q': s.i, 'ld': 0::BIGINT, 'b': s.b, 'tt': a.tt}}, [a.l, -a.f, s.i]) AS r
  FROM att GROUP BY u, h
)`;
}

/**
 * Whether an exclusion event falls between the steps of the best attempt: strictly after its
 * `from_step` event and strictly before its `to_step` event, or, when the attempt never got to
 * `to_step`, up to the end of its window (inclusive).
 */
function taintSql(spec: FunnelSpec, pieces: Pieces): string {
  if (spec.exclusions.length === 0) return 'false';
  const cases = spec.exclusions.map((x, j) => `((e.x & ${2 ** j}) <> 0 AND r.l > ${x.from_step} AND e.t > r.s.tt[${x.from_step + 1}]`
    + ` AND CASE WHEN r.l > ${x.to_step} THEN e.t < r.s.tt[${x.to_step + 1}] ELSE e.t <= r.s.tt[1] + ${pieces.windowUs} END)`);
  return `len(list_filter(l, e -> ${cases.join(' OR ')})) > 0`;
}

/** Per person: the best attempt's level, breakdown value and step times, and whether an exclusion removes them. */
function peopleCte(spec: FunnelSpec, pieces: Pieces): string {
  const perGroup = `SELECT u, r.l AS lvl, r.f AS f, r.s.q AS q, r.s.b AS b, r.s.tt AS tt, ${taintSql(spec, pieces)} AS excluded FROM gb`;
  if (!spec.hold) return `pp AS (${perGroup})`;
  // With `hold`, each value has its own attempts; the person's best is the best over the values.
  return `pg AS (${perGroup}),
pp AS (
  SELECT u, p.lvl AS lvl, p.b AS b, p.tt AS tt, p.excluded AS excluded
  FROM (SELECT u, arg_max({'lvl': lvl, 'b': b, 'tt': tt, 'excluded': excluded}, [lvl, -f, q]) AS p FROM pg GROUP BY u)
)`;
}

function stepsSelect(spec: FunnelSpec): string {
  const columns = ['count(*) AS users_1'];
  for (let k = 2; k <= spec.steps.length; k++) {
    const diff = `(tt[${k}] - tt[${k - 1}])`;
    columns.push(`count(*) FILTER (WHERE lvl >= ${k}) AS users_${k}`,
      // An exact integer sum, so every engine returns the same mean whatever order it adds in.
      `CAST(sum(${diff}) FILTER (WHERE lvl >= ${k}) AS DOUBLE) AS sum_us_${k}`,
      `median(${diff}) FILTER (WHERE lvl >= ${k}) AS median_us_${k}`);
  }
  const grouped = spec.breakdown !== null;
  return `SELECT ${grouped ? 'b AS breakdown, ' : ''}${columns.join(', ')}
FROM pp WHERE NOT excluded${grouped ? '\nGROUP BY b ORDER BY b NULLS LAST' : ''}`;
}

function peopleSelect(spec: FunnelSpec): string {
  const people = spec.people!;
  const condition = people.kind === 'reached' ? `lvl >= ${people.step}` : `lvl = ${people.step}`;
  return `SELECT u AS user_id, ${spec.breakdown ? 'b AS breakdown, ' : ''}lvl AS furthest_step
FROM pp WHERE NOT excluded AND ${condition} ORDER BY user_id`;
}

function timeToConvertSelect(spec: FunnelSpec): string {
  const { from_step: from, to_step: to, bins } = spec.time_to_convert!;
  const grouped = spec.breakdown !== null;
  return `, conv AS (SELECT b, (tt[${to}] - tt[${from}]) / 1e6 AS seconds FROM pp WHERE NOT excluded AND lvl >= ${to}),
binned AS (
  SELECT b, seconds, greatest(1, ceil(max(seconds) OVER () / ${bins})) AS width FROM conv
)
SELECT ${grouped ? 'b AS breakdown, ' : ''}CAST(least(floor(seconds / width), ${bins - 1}) * width AS DOUBLE) AS bin_start_seconds,
  CAST((least(floor(seconds / width), ${bins - 1}) + 1) * width AS DOUBLE) AS bin_end_seconds,
  count(*) AS users, CAST(sum(seconds) AS DOUBLE) AS sum_seconds
FROM binned GROUP BY ALL ORDER BY ${grouped ? 'breakdown NULLS LAST, ' : ''}bin_start_seconds`;
}

/**
 * The funnel's SQL over `table` (the canonical events view): step rows by default, the people of
 * one step with `people`, or a histogram of conversion times with `time_to_convert`.
 *
 * @example
 * const { sql, params } = funnelSql(validateFunnel({ kind: 'funnel', steps: ['signup', 'purchase'] }, catalog), 'events');
 * const table = await engine.query(sql, params);
 */
export function funnelSql(spec: FunnelSpec, table: string): BoundSql {
  const { fromMs, toMs } = funnelRangeMs(spec);
  const pieces: Pieces = {
    windowUs: String(Math.round(spec.window_seconds * 1e6)),
    startsInRange: (t) => [fromMs !== null ? `${t} >= ${micros(fromMs)}` : '', toMs !== null ? `${t} < ${micros(toMs)}` : '']
      .filter(Boolean).join(' AND ') || 'true',
  };
  const b = new SqlBuilder();
  const ctes = [eventsCte(spec, table, b, pieces), spec.order === 'any' ? anyOrderCte(spec, pieces) : slotsCte(spec, pieces), peopleCte(spec, pieces)];
  const head = `WITH ${ctes.join(',\n')}`;
  let sql: string;
  if (spec.people) sql = `${head}\n${peopleSelect(spec)}`;
  else if (spec.time_to_convert) sql = `${head}${timeToConvertSelect(spec)}`;
  else sql = `${head}\n${stepsSelect(spec)}`;
  return { sql, params: b.params };
}
