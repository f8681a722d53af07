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
 *   So also when the breakdown value comes from a later step than the first (`first_touch`,
 *   `last_touch`, `{step: k}` with k > 0): of the events at one instant that match one step, the
 *   first in the event order fills it, and its value is the step's.
 *
 * `strict` follows the same chains and cuts each attempt at its first step that has another event
 * of the person strictly between its time and the previous step's time.
 *
 * Ends with the `pp` CTE: `u, lvl, b, tt, excluded` (see `funnelSql`).
 */

/**
 * Joins on the person alone would pair each attempt with all of the person's step events; every
 * event an attempt can use lies in [start, start + window], so with time buckets one window (plus
 * 1 µs) wide it lies in the start's bucket or the next one, and the join also matches on those.
 */
function bucketUs(pieces: FunnelPieces): string {
  return String(BigInt(pieces.windowUs) + 1n);
}

/** The two buckets an attempt starting at time `start` can reach, as one row each (`bk`). */
function buckets(pieces: FunnelPieces, start: string): string {
  return `unnest([${start} // ${bucketUs(pieces)}, ${start} // ${bucketUs(pieces)} + 1]) AS bk`;
}

/** Whether the breakdown value can come from a step after the first, so every step's value is kept. */
function stepValues(spec: FunnelSpec): boolean {
  const a = spec.breakdown_attribution;
  return spec.breakdown !== null && !(typeof a === 'object' && a.step === 0);
}

/** Whether positions are times (see the module comment). */
function byTime(spec: FunnelSpec): boolean {
  return spec.hold === null && !stepValues(spec) && new Set(spec.steps.map((s) => s.event)).size === spec.steps.length;
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
  // Without step filters every event left matches a step.
  const anyFiltered = spec.steps.some((step) => step.where.length > 0);
  // Only the columns the chain reads: every one is written out and read back once per step.
  const stColumns = ['u', ...(spec.hold ? ['h'] : []), 't', 'm', ...(spec.breakdown ? ['b'] : []),
    ...(byTime(spec) ? [] : ['row_number() OVER (PARTITION BY u ORDER BY t, m & -m, m, b NULLS LAST, CAST(h AS VARCHAR) NULLS LAST) AS p']),
    `t // ${bucketUs(pieces)} AS bk`];
  return `se AS (
  SELECT ${pieces.user} AS u, ${holdSql(spec)} AS h, epoch_us(ts) AS t, (${stepBits.join(' + ')}) AS m, ${breakdown} AS b
  FROM ${quoteIdent(table)}
  WHERE ${conditions.join(' AND ')}
),
st AS MATERIALIZED (SELECT ${stColumns.join(', ')} FROM se${anyFiltered ? ' WHERE m > 0' : ''})`;
}

/**
 * The columns that name an attempt: the person, its start position, and only when they can differ
 * between a person's attempts, the `hold` value and the breakdown value.
 */
function attemptKeys(spec: FunnelSpec): string[] {
  return ['u', 's', ...(spec.hold ? ['h'] : []), ...(spec.breakdown ? ['b'] : [])];
}

/**
 * `c1`: the attempts; `ck`: the attempts that reached step k, with the times t1..tk of their steps
 * (and their breakdown values b2..bk when later steps can give it; `b` is step 1's) and the
 * position `p` of step k's event. With positions by time, `s` is `t1`.
 */
function chainCtes(spec: FunnelSpec, pieces: FunnelPieces): string {
  const timed = byTime(spec);
  const keys = attemptKeys(spec);
  const first = timed ? 't AS s' : 'p AS s, t AS t1';
  const position = timed ? 't' : 'p';
  // `sn` reads every step event: DuckDB would otherwise push the ORed step filters of the other
  // readers into `st`, which costs more than they save.
  const ctes = [`sn AS (SELECT count(*) AS n, min(${position}) AS lo, max(${position}) - min(${position}) AS span FROM st)`,
    `c1 AS MATERIALIZED (SELECT ${keys.filter((k) => k !== 's').join(', ')}, ${first}, ${position} AS p FROM st, sn WHERE sn.n > 0 AND (m & 1) = 1 AND ${pieces.startsInRange('t')})`];
  const start = timed ? 'a.s' : 'a.t1';
  for (let k = 2; k <= spec.steps.length; k++) {
    const carried = Array.from({ length: k - 1 }, (_, i) => i + 1).filter((i) => !(timed && i === 1))
      .map((i) => `any_value(a.t${i}) AS t${i}, ${stepValues(spec) && i > 1 ? `any_value(a.b${i}) AS b${i}, ` : ''}`).join('');
    // positions are unique here (not by time), so the step's event is the one at min(p)
    const value = stepValues(spec) ? `, arg_min(e.b, e.p) AS b${k}` : '';
    ctes.push(`c${k} AS MATERIALIZED (
  SELECT ${keys.map((c) => `a.${c}`).join(', ')}, ${carried}min(e.${position}) AS p, min(e.t) AS t${k}${value}
  FROM (SELECT *, ${buckets(pieces, timed ? 's' : 't1')} FROM c${k - 1}) a
  JOIN st e ON ${sameGroup(spec, 'a', 'e')} AND e.bk = a.bk AND (e.m & ${2 ** (k - 1)}) <> 0
    AND e.${position} ${timed ? '>=' : '>'} a.p AND e.t <= ${start} + ${pieces.windowUs}
  GROUP BY ${keys.map((c) => `a.${c}`).join(', ')}
)`);
  }
  return ctes.join(',\n');
}

/**
 * The step times t1..tn of an attempt at step k, NULL after step k. Kept as columns rather than a
 * list until the best attempt is known: most attempts are not, and a list per row costs.
 */
function times(spec: FunnelSpec, k: number, first = byTime(spec) ? 's' : 't1'): string {
  return Array.from({ length: spec.steps.length }, (_, i) => (i >= k ? `NULL::BIGINT AS t${i + 1}` : `${i === 0 ? first : `t${i + 1}`} AS t${i + 1}`)).join(', ');
}

/**
 * The breakdown value of an attempt at step k, by `breakdown_attribution`, from the values b1..bk of
 * its steps (`b` is step 1's): the first non-empty one, the last, or step j's.
 */
function attributed(spec: FunnelSpec, k: number): string {
  if (!stepValues(spec)) return 'b';
  const value = (i: number) => (i === 1 ? 'b' : i <= k ? `b${i}` : 'CAST(NULL AS VARCHAR)');
  const reached = Array.from({ length: k }, (_, i) => value(i + 1));
  const a = spec.breakdown_attribution;
  if (a === 'first_touch') return reached.length === 1 ? reached[0] : `coalesce(${reached.join(', ')})`;
  if (a === 'last_touch') return reached.length === 1 ? reached[0] : `coalesce(${reached.reverse().join(', ')})`;
  return value((a as { step: number }).step + 1);
}

/** The step times of the best attempt as one list (`tt`). */
function timeList(spec: FunnelSpec): string {
  return `[${spec.steps.map((_, i) => `t${i + 1}`).join(', ')}]`;
}

/** A column of an attempt, or its constant when attempts do not carry it. */
function column(spec: FunnelSpec, name: 'h' | 'b'): string {
  return attemptKeys(spec).includes(name) ? name : `CAST(NULL AS VARCHAR) AS ${name}`;
}

/**
 * `lv`: every attempt once per step it reached (`lvl`, the position `f` of that step's event).
 * `strict` drops the levels at and after an attempt's first step with another event of the person
 * strictly between it and the previous step.
 */
function levelsCte(spec: FunnelSpec, table: string, b: SqlBuilder, pieces: FunnelPieces): string {
  const n = spec.steps.length;
  const value = (k: number) => (spec.breakdown ? `, ${attributed(spec, k)} AS ba` : '');
  const levels = Array.from({ length: n }, (_, i) => `SELECT u, ${column(spec, 'h')}, s, ${column(spec, 'b')}, ${i + 1} AS lvl, p AS f, ${times(spec, i + 1)}${value(i + 1)} FROM c${i + 1}`);
  // At step 1 the best attempt is the earliest; when attempts differ in nothing else, one row per
  // person says so, and spares the pick of the best most of its rows.
  if (attemptKeys(spec).length === 2 && byTime(spec)) {
    levels[0] = `SELECT u, ${column(spec, 'h')}, min(s) AS s, ${column(spec, 'b')}, 1 AS lvl, min(s) AS f, ${times(spec, 1, 'min(s)')} FROM c1 GROUP BY u`;
  }
  if (spec.order !== 'strict') return `lv AS (\n  ${levels.join('\n  UNION ALL ')}\n)`;
  const at = (k: number) => (k === 1 && byTime(spec) ? 's' : `t${k}`);
  const steps = Array.from({ length: n - 1 }, (_, i) => `SELECT u, ${column(spec, 'h')}, s, ${i + 2} AS k, ${at(i + 1)} AS pt, t${i + 2} AS et, ${buckets(pieces, at(1))} FROM c${i + 2} WHERE t${i + 2} > ${at(i + 1)}`);
  const conditions = [`(${b.bind(whereSql(spec.where))})`, 'ts IS NOT NULL', ...pieces.tsInRange];
  return `oe AS (SELECT ${pieces.user} AS u, epoch_us(ts) AS t, epoch_us(ts) // ${bucketUs(pieces)} AS bk FROM ${quoteIdent(table)} WHERE ${conditions.join(' AND ')}),
tr AS (
  ${steps.join('\n  UNION ALL ')}
),
br AS (
  SELECT tr.u, tr.h, tr.s, min(tr.k) AS k
  FROM tr JOIN oe ON oe.u = tr.u AND oe.bk = tr.bk AND oe.t > tr.pt AND oe.t < tr.et
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
 * The best attempt without a breakdown: its order (furthest step, then earliest last step, then
 * latest start) packed into one 128-bit number, whose maximum per person a plain `max` finds; the
 * attempt is then the row with that number. This is several times faster than `arg_max` over a
 * list or struct, which DuckDB compares field by field. Positions are counted from the first one,
 * so both fit in 56 bits as long as the events span less than 2,283 years.
 */
function bestByNumber(spec: FunnelSpec): string {
  const span = String(2n ** 56n);
  const max = String(2n ** 56n - 1n);
  return `lk AS MATERIALIZED (
  SELECT lv.*, CASE WHEN sn.span < ${span}
    THEN (lvl::HUGEINT << 112) | ((${max} - (f - sn.lo))::HUGEINT << 56) | (s - sn.lo)::HUGEINT
    ELSE error('the events span more than 2,000 years, too long for a funnel') END AS k
  FROM lv, sn
),
pm AS (SELECT u, max(k) AS k FROM lk GROUP BY u),
pb AS (SELECT lk.u, h, lvl, b, ${timeList(spec)} AS tt FROM lk SEMI JOIN pm ON pm.u = lk.u AND pm.k = lk.k)`;
}

/**
 * `pp`: each person's best attempt (furthest step, then earliest to get there, then latest start;
 * with positions by time, a tie between starts at one instant goes to the later step-1 breakdown
 * value in the event order, NULL last) and whether an exclusion event removes them. Its breakdown
 * value `b` is the attempt's by `breakdown_attribution` (`ba`).
 */
function peopleCte(spec: FunnelSpec, table: string, b: SqlBuilder, pieces: FunnelPieces): string {
  const best = spec.breakdown ? `pb AS (
  SELECT u, r.h AS h, r.lvl AS lvl, r.b AS b, r.tt AS tt FROM (
    SELECT u, arg_max({'h': h, 'lvl': lvl, 'b': ba, 'tt': ${timeList(spec)}}, {'l': lvl, 'f': -f, 's': s, 'bn': b IS NULL, 'b': b}) AS r
    FROM lv GROUP BY u
  )
)` : bestByNumber(spec);
  if (spec.exclusions.length === 0) return `${best},\npp AS (SELECT u, lvl, b, tt, false AS excluded FROM pb)`;
  const bits = spec.exclusions.map((x, j) => `CASE WHEN "event" = ${b.value(x.event)} THEN ${2 ** j} ELSE 0 END`);
  const names = [...new Set(spec.exclusions.map((x) => x.event))];
  const conditions = [`(${b.bind(whereSql(spec.where))})`, 'ts IS NOT NULL', ...pieces.tsInRange, `"event" IN (${names.map((n) => b.value(n)).join(', ')})`];
  // Strictly after the from_step event and strictly before the to_step event, or, when the attempt
  // never got to to_step, up to the end of its window (inclusive).
  const cases = spec.exclusions.map((x, j) => `((xe.x & ${2 ** j}) <> 0 AND p.lvl > ${x.from_step} AND xe.t > p.tt[${x.from_step + 1}]`
    + ` AND CASE WHEN p.lvl > ${x.to_step} THEN xe.t < p.tt[${x.to_step + 1}] ELSE xe.t <= p.tt[1] + ${pieces.windowUs} END)`);
  return `${best},
xe AS (
  SELECT ${pieces.user} AS u, ${holdSql(spec)} AS h, epoch_us(ts) AS t, (${bits.join(' + ')}) AS x
  FROM ${quoteIdent(table)} WHERE ${conditions.join(' AND ')}
),
tx AS (
  SELECT DISTINCT p.u FROM pb p JOIN xe ON xe.u = p.u${spec.hold ? ' AND xe.h IS NOT DISTINCT FROM p.h' : ''}
  WHERE ${cases.join(' OR ')}
),
pp AS (SELECT pb.u, lvl, b, tt, tx.u IS NOT NULL AS excluded FROM pb LEFT JOIN tx ON tx.u = pb.u)`;
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
