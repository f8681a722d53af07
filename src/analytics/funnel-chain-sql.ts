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
  // Without step filters every event left matches a step.
  const anyFiltered = spec.steps.some((step) => step.where.length > 0);
  const position = byTime(spec)
    ? 't'
    : 'row_number() OVER (PARTITION BY u ORDER BY t, m & -m, m, b NULLS LAST, CAST(h AS VARCHAR) NULLS LAST)';
  return `se AS (
  SELECT user_id AS u, ${holdSql(spec)} AS h, epoch_us(ts) AS t, (${stepBits.join(' + ')}) AS m, ${breakdown} AS b
  FROM ${quoteIdent(table)}
  WHERE ${conditions.join(' AND ')}
),
st AS MATERIALIZED (SELECT u, h, t, m, b, ${position} AS p, t // ${bucketUs(pieces)} AS bk FROM se${anyFiltered ? ' WHERE m > 0' : ''})`;
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
 * and the position `p` of step k's event. With positions by time, `s` is `t1`.
 */
function chainCtes(spec: FunnelSpec, pieces: FunnelPieces): string {
  const timed = byTime(spec);
  const keys = attemptKeys(spec);
  const first = timed ? 't AS s' : 'p AS s, t AS t1';
  // `sn` reads every step event: DuckDB would otherwise push the ORed step filters of the other
  // readers into `st`, which costs more than they save.
  const ctes = [`sn AS (SELECT count(*) AS n FROM st)`,
    `c1 AS MATERIALIZED (SELECT ${keys.filter((k) => k !== 's').join(', ')}, ${first}, p FROM st, sn WHERE sn.n > 0 AND (m & 1) = 1 AND ${pieces.startsInRange('t')})`];
  const start = timed ? 'a.s' : 'a.t1';
  for (let k = 2; k <= spec.steps.length; k++) {
    const carried = Array.from({ length: k - 1 }, (_, i) => i + 1).filter((i) => !(timed && i === 1))
      .map((i) => `any_value(a.t${i}) AS t${i}, `).join('');
    ctes.push(`c${k} AS MATERIALIZED (
  SELECT ${keys.map((c) => `a.${c}`).join(', ')}, ${carried}min(e.p) AS p, min(e.t) AS t${k}
  FROM (SELECT *, ${buckets(pieces, timed ? 's' : 't1')} FROM c${k - 1}) a
  JOIN st e ON ${sameGroup(spec, 'a', 'e')} AND e.bk = a.bk AND (e.m & ${2 ** (k - 1)}) <> 0
    AND e.p ${timed ? '>=' : '>'} a.p AND e.t <= ${start} + ${pieces.windowUs}
  GROUP BY ${keys.map((c) => `a.${c}`).join(', ')}
)`);
  }
  return ctes.join(',\n');
}

/** The step times of an attempt at step k, as a list. */
function times(spec: FunnelSpec, k: number): string {
  return `[${Array.from({ length: k }, (_, i) => (i === 0 && byTime(spec) ? 's' : `t${i + 1}`)).join(', ')}]`;
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
  const levels = Array.from({ length: n }, (_, i) => `SELECT u, ${column(spec, 'h')}, s, ${column(spec, 'b')}, ${i + 1} AS lvl, p AS f, ${times(spec, i + 1)} AS tt FROM c${i + 1}`);
  // At step 1 the best attempt is the earliest; when attempts differ in nothing else, one row per
  // person says so, and spares the pick of the best most of its rows.
  if (attemptKeys(spec).length === 2 && byTime(spec)) {
    levels[0] = `SELECT u, ${column(spec, 'h')}, min(s) AS s, ${column(spec, 'b')}, 1 AS lvl, min(s) AS f, [min(s)] AS tt FROM c1 GROUP BY u`;
  }
  if (spec.order !== 'strict') return `lv AS (\n  ${levels.join('\n  UNION ALL ')}\n)`;
  const at = (k: number) => (k === 1 && byTime(spec) ? 's' : `t${k}`);
  const steps = Array.from({ length: n - 1 }, (_, i) => `SELECT u, ${column(spec, 'h')}, s, ${i + 2} AS k, ${at(i + 1)} AS pt, t${i + 2} AS et, ${buckets(pieces, at(1))} FROM c${i + 2} WHERE t${i + 2} > ${at(i + 1)}`);
  const conditions = [`(${b.bind(whereSql(spec.where))})`, 'ts IS NOT NULL', ...pieces.tsInRange];
  return `oe AS (SELECT user_id AS u, epoch_us(ts) AS t, epoch_us(ts) // ${bucketUs(pieces)} AS bk FROM ${quoteIdent(table)} WHERE ${conditions.join(' AND ')}),
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
 * `pp`: each person's best attempt (furthest step, then earliest to get there, then latest start;
 * with positions by time, a tie between starts at one instant goes to the later breakdown value in
 * the event order, NULL last) and whether an exclusion event removes them.
 */
function peopleCte(spec: FunnelSpec, table: string, b: SqlBuilder, pieces: FunnelPieces): string {
  // A list of numbers compares faster than a struct; the breakdown value only matters with one.
  const key = spec.breakdown ? `{'l': lvl, 'f': -f, 's': s, 'bn': b IS NULL, 'b': b}` : '[lvl, -f, s]';
  const best = `pb AS (
  SELECT u, arg_max({'h': h, 'lvl': lvl, 'b': b, 'tt': tt}, ${key}) AS r
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
