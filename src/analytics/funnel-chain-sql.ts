import { quoteIdent } from '../engine/index.ts';
import type { FunnelSpec } from './funnel-spec.ts';
import type { FunnelPieces, SqlBuilder } from './funnel-sql-parts.ts';
import { whereSql } from './where.ts';

/**
 * The `ordered` and `strict` funnels' people, without a fold over each person's events: every
 * attempt (step-1 event in range) follows its greedy chain, one hash join per step.
 *
 * For a fixed start, filling each step with the first matching event after the previous step's
 * event (in the funnel's event order) reaches at least as far as any other choice, and as early,
 * so an attempt is its greedy chain. Step k of an attempt is found by joining the attempts that
 * reached step k-1 with the person's step-k events after that step's event and inside the window,
 * and keeping the first one (`min`). Only the attempts still going are joined at each step.
 *
 * Positions `p` in the event order (time, then the lowest step matched, then the mask, then the
 * breakdown value, then the `hold` value):
 * - when no event can match two steps (the steps' event names all differ) and there is no `hold`,
 *   the position is the time alone: a step-k event at the instant of the step-(k-1) event comes
 *   after it anyway (lower steps first), events at one instant that match the same step are
 *   interchangeable for every attempt, and a tie between two starts at one instant is broken by
 *   their breakdown values when the best attempt is picked. No sort is needed.
 * - otherwise `p` is the event's number in the person's event order (a window pass), so that one
 *   event fills one step even when it matches several, and `hold` values compare across lists.
 *
 * `strict` follows the same chains and cuts each attempt at its first step that has another event
 * of the person strictly between its time and the previous step's time.
 *
 * Ends with the `pp` CTE: `u, lvl, b, tt, excluded` (see `funnelSql`).
 */

/** Whether positions are times (see the module comment). */
function byTime(spec: FunnelSpec): boolean {
  return spec.hold === null && new Set(spec.steps.map((s) => s.event)).size === spec.steps.length;
}

function holdSql(spec: FunnelSpec): string {
  return spec.hold ? quoteIdent(spec.hold) : 'CAST(NULL AS VARCHAR)';
}

function sameGroup(spec: FunnelSpec, a: string, e: string): string {
  return `${e}.u = ${a}.u${spec.hold ? ` AND ${e}.h IS NOT DISTINCT FROM ${a}.h` : ''}`;
}

function stepEventsCte(spec: FunnelSpec, table: string, b: SqlBuilder, pieces: FunnelPieces): string {
  const stepBits = spec.steps.map((step, k) => {
    const filters = whereSql(step.where);
    return `CASE WHEN "event" = ${b.value(step.event)} AND (${b.bind(filters)}) THEN ${2 ** k} ELSE 0 END`;
  });
  const where = b.bind(whereSql(spec.where));
  const names = [...new Set(spec.steps.map((s) => s.event))];
  const conditions = [`(${where})`, 'ts IS NOT NULL', ...pieces.tsInRange, `"event" IN (${names.map((n) => b.value(n)).join(', ')})`];
  const breakdown = spec.breakdown ? `CAST(${quoteIdent(spec.breakdown)} AS VARCHAR)` : 'CAST(NULL AS VARCHAR)';
  const position = byTime(spec)
    ? 't'
    : 'row_number() OVER (PARTITION BY u ORDER BY t, m & -m, m, b NULLS LAST, CAST(h AS VARCHAR) NULLS LAST)';
  return `se AS (
  SELECT user_id AS u, ${holdSql(spec)} AS h, epoch_us(ts) AS t, (${stepBits.join(' + ')}) AS m, ${breakdown} AS b
  FROM ${quoteIdent(table)}
  WHERE ${conditions.join(' AND ')}
),
st AS (SELECT u, h, t, m, b, ${position} AS p FROM se WHERE m > 0)`;
}

/** `c1`: the attempts; `ck`: the attempts that reached step k, with the times t1..tk of their steps. */
function chainCtes(spec: FunnelSpec, pieces: FunnelPieces): string {
  const after = byTime(spec) ? '>=' : '>';
  const ctes = [`c1 AS (SELECT u, h, p AS s, b, t AS t1, p FROM st WHERE (m & 1) = 1 AND ${pieces.startsInRange('t')})`];
  for (let k = 2; k <= spec.steps.length; k++) {
    const carried = Array.from({ length: k - 1 }, (_, i) => `any_value(a.t${i + 1}) AS t${i + 1}`).join(', ');
    ctes.push(`c${k} AS (
  SELECT a.u, a.h, a.s, a.b, ${carried}, min(e.p) AS p, min(e.t) AS t${k}
  FROM c${k - 1} a JOIN st e ON ${sameGroup(spec, 'a', 'e')} AND (e.m & ${2 ** (k - 1)}) <> 0
    AND e.p ${after} a.p AND e.t <= a.t1 + ${pieces.windowUs}
  GROUP BY a.u, a.h, a.s, a.b
)`);
  }
  return ctes.join(',\n');
}

const times = (k: number) => `[${Array.from({ length: k }, (_, i) => `t${i + 1}`).join(', ')}]`;

/**
 * `lv`: every attempt once per step it reached (`lvl`, the position `f` of that step's event).
 * `strict` drops the levels at and after an attempt's first step with another event of the person
 * strictly between it and the previous step.
 */
function levelsCte(spec: FunnelSpec, table: string, b: SqlBuilder, pieces: FunnelPieces): string {
  const n = spec.steps.length;
  const levels = Array.from({ length: n }, (_, i) => `SELECT u, h, s, b, ${i + 1} AS lvl, p AS f, ${times(i + 1)} AS tt FROM c${i + 1}`);
  if (spec.order !== 'strict') return `lv AS (\n  ${levels.join('\n  UNION ALL ')}\n)`;
  const steps = Array.from({ length: n - 1 }, (_, i) => `SELECT u, h, s, ${i + 2} AS k, t${i + 1} AS pt, t${i + 2} AS et FROM c${i + 2} WHERE t${i + 2} > t${i + 1}`);
  const conditions = [`(${b.bind(whereSql(spec.where))})`, 'ts IS NOT NULL', ...pieces.tsInRange];
  return `oe AS (SELECT user_id AS u, epoch_us(ts) AS t FROM ${quoteIdent(table)} WHERE ${conditions.join(' AND ')}),
tr AS (
  ${steps.join('\n  UNION ALL ')}
),
br AS (
  SELECT tr.u, tr.h, tr.s, min(tr.k) AS k
  FROM tr JOIN oe ON oe.u = tr.u AND oe.t > tr.pt AND oe.t < tr.et
  GROUP BY tr.u, tr.h, tr.s
),
lv AS (
  SELECT l.* FROM (
    ${levels.join('\n    UNION ALL ')}
  ) l LEFT JOIN br ON ${sameGroup(spec, 'l', 'br')} AND br.s = l.s
  WHERE br.k IS NULL OR l.lvl < br.k
)`;
}

/**
 * `pp`: each person's best attempt (furthest step, then earliest to get there, then latest start;
 * with positions by time, a tie between starts at one instant goes to the later breakdown value in
 * the event order, NULL last) and whether an exclusion event removes them.
 */
function peopleCte(spec: FunnelSpec, table: string, b: SqlBuilder, pieces: FunnelPieces): string {
  const best = `pb AS (
  SELECT u, arg_max({'h': h, 'lvl': lvl, 'b': b, 'tt': tt}, {'l': lvl, 'f': -f, 's': s, 'bn': b IS NULL, 'b': b}) AS r
  FROM lv GROUP BY u
)`;
  if (spec.exclusions.length === 0) return `${best},\npp AS (SELECT u, r.lvl AS lvl, r.b AS b, r.tt AS tt, false AS excluded FROM pb)`;
  const bits = spec.exclusions.map((x, j) => `CASE WHEN "event" = ${b.value(x.event)} THEN ${2 ** j} ELSE 0 END`);
  const names = [...new Set(spec.exclusions.map((x) => x.event))];
  const conditions = [`(${b.bind(whereSql(spec.where))})`, 'ts IS NOT NULL', ...pieces.tsInRange, `"event" IN (${names.map((n) => b.value(n)).join(', ')})`];
  // Strictly after the from_step event and strictly before the to_step event, or, when the attempt
  // never got to to_step, up to the end of its window (inclusive).
  const cases = spec.exclusions.map((x, j) => `((xe.x & ${2 ** j}) <> 0 AND p.r.lvl > ${x.from_step} AND xe.t > p.r.tt[${x.from_step + 1}]`
    + ` AND CASE WHEN p.r.lvl > ${x.to_step} THEN xe.t < p.r.tt[${x.to_step + 1}] ELSE xe.t <= p.r.tt[1] + ${pieces.windowUs} END)`);
  return `${best},
xe AS (
  SELECT user_id AS u, ${holdSql(spec)} AS h, epoch_us(ts) AS t, (${bits.join(' + ')}) AS x
  FROM ${quoteIdent(table)} WHERE ${conditions.join(' AND ')}
),
tx AS (
  SELECT DISTINCT p.u FROM pb p JOIN xe ON xe.u = p.u${spec.hold ? ' AND xe.h IS NOT DISTINCT FROM p.r.h' : ''}
  WHERE ${cases.join(' OR ')}
),
pp AS (SELECT pb.u, r.lvl AS lvl, r.b AS b, r.tt AS tt, tx.u IS NOT NULL AS excluded FROM pb LEFT JOIN tx ON tx.u = pb.u)`;
}

/**
 * The CTEs of an `ordered` or `strict` funnel, ending with `pp` (one row per person who entered:
 * `u, lvl, b, tt, excluded`).
 *
 * @example
 * const ctes = chainPeopleCtes(spec, 'events', new SqlBuilder(), funnelPieces(spec));
 */
export function chainPeopleCtes(spec: FunnelSpec, table: string, b: SqlBuilder, pieces: FunnelPieces): string {
  return [stepEventsCte(spec, table, b, pieces), chainCtes(spec, pieces), levelsCte(spec, table, b, pieces), peopleCte(spec, table, b, pieces)].join(',\n');
}
