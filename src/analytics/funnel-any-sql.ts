import { quoteIdent } from '../engine/index.ts';
import type { FunnelSpec } from './funnel-spec.ts';
import type { FunnelPieces, SqlBuilder } from './funnel-sql-parts.ts';
import { whereSql } from './where.ts';

/**
 * The `any`-order funnel's people, per person in one list of their step and exclusion events:
 * 1. `ev`: the events that match a step or an exclusion, each with `m`, a bit mask of the steps it
 *    matches, `x`, a mask of the exclusions, and `i`, its position in the person's event order
 *    (time, then the lowest step matched, then the mask, then breakdown, then `hold` value).
 * 2. `g`: one list per person (per person and `hold` value).
 * 3. Every attempt (each step-1 event in range) fills steps 2..n in step order, each by the earliest
 *    unused event in its window; the best is picked with `arg_max`.
 * 4. Exclusions are checked on the best attempt.
 * Ends with the `pp` CTE: `u, lvl, b, tt, excluded` (see `funnelSql`).
 */

function eventsCte(spec: FunnelSpec, table: string, b: SqlBuilder, pieces: FunnelPieces): string {
  const stepBits = spec.steps.map((step, k) => {
    const filters = whereSql(step.where);
    return `CASE WHEN "event" = ${b.value(step.event)} AND (${b.bind(filters)}) THEN ${2 ** k} ELSE 0 END`;
  });
  const exclusionBits = spec.exclusions.map((x, j) => `CASE WHEN "event" = ${b.value(x.event)} THEN ${2 ** j} ELSE 0 END`);
  const where = b.bind(whereSql(spec.where));
  const names = [...new Set([...spec.steps.map((s) => s.event), ...spec.exclusions.map((x) => x.event)])];
  const conditions = [`(${where})`, 'ts IS NOT NULL', ...pieces.tsInRange, `"event" IN (${names.map((n) => b.value(n)).join(', ')})`];
  const hold = spec.hold ? quoteIdent(spec.hold) : 'NULL';
  const breakdown = spec.breakdown ? `CAST(${quoteIdent(spec.breakdown)} AS VARCHAR)` : 'CAST(NULL AS VARCHAR)';
  return `ev_all AS (
  SELECT ${pieces.user} AS u, ${hold} AS h, epoch_us(ts) AS t,
    (${stepBits.join(' + ')}) AS m,
    (${exclusionBits.length ? exclusionBits.join(' + ') : '0'}) AS x,
    ${breakdown} AS b
  FROM ${quoteIdent(table)}
  WHERE ${conditions.join(' AND ')}
),
ev AS (
  SELECT *, row_number() OVER (PARTITION BY u ORDER BY t, m & -m, m, b NULLS LAST, CAST(h AS VARCHAR) NULLS LAST) AS i
  FROM (SELECT * FROM ev_all WHERE m > 0 OR x > 0)
),
g AS (
  SELECT u, h, list_sort(list({'i': i, 't': t, 'm': m, 'b': b, 'x': x})) AS l
  FROM ev GROUP BY u, h
  HAVING bool_or((m & 1) = 1 AND ${pieces.startsInRange('t')})
)`;
}

function attemptsCte(spec: FunnelSpec, pieces: FunnelPieces): string {
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
    arg_max({'l': a.l, 'f': a.f, 's': {'q': s.i, 'b': s.b, 'tt': a.tt}}, [a.l, -a.f, s.i]) AS r
  FROM att GROUP BY u, h
)`;
}

/**
 * Whether an exclusion event falls between the steps of the best attempt: strictly after its
 * `from_step` event and strictly before its `to_step` event, or, when the attempt never got to
 * `to_step`, up to the end of its window (inclusive).
 */
function taintSql(spec: FunnelSpec, pieces: FunnelPieces): string {
  if (spec.exclusions.length === 0) return 'false';
  const cases = spec.exclusions.map((x, j) => `((e.x & ${2 ** j}) <> 0 AND r.l > ${x.from_step} AND e.t > r.s.tt[${x.from_step + 1}]`
    + ` AND CASE WHEN r.l > ${x.to_step} THEN e.t < r.s.tt[${x.to_step + 1}] ELSE e.t <= r.s.tt[1] + ${pieces.windowUs} END)`);
  return `len(list_filter(l, e -> ${cases.join(' OR ')})) > 0`;
}

function peopleCte(spec: FunnelSpec, pieces: FunnelPieces): string {
  const perGroup = `SELECT u, r.l AS lvl, r.f AS f, r.s.q AS q, r.s.b AS b, r.s.tt AS tt, ${taintSql(spec, pieces)} AS excluded FROM gb`;
  if (!spec.hold) return `pp AS (${perGroup})`;
  // With `hold`, each value has its own attempts; the person's best is the best over the values.
  return `pg AS (${perGroup}),
pp AS (
  SELECT u, p.lvl AS lvl, p.b AS b, p.tt AS tt, p.excluded AS excluded
  FROM (SELECT u, arg_max({'lvl': lvl, 'b': b, 'tt': tt, 'excluded': excluded}, [lvl, -f, q]) AS p FROM pg GROUP BY u)
)`;
}

/**
 * The CTEs of an `any`-order funnel, ending with `pp` (one row per person who entered: `u, lvl, b,
 * tt, excluded`).
 *
 * @example
 * const ctes = anyOrderPeopleCtes(spec, 'events', new SqlBuilder(), funnelPieces(spec));
 */
export function anyOrderPeopleCtes(spec: FunnelSpec, table: string, b: SqlBuilder, pieces: FunnelPieces): string {
  return [eventsCte(spec, table, b, pieces), attemptsCte(spec, pieces), peopleCte(spec, pieces)].join(',\n');
}
