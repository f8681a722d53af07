import { quoteIdent } from '../engine/index.ts';
import type { FunnelSpec, FunnelStep } from './funnel-spec.ts';
import type { FunnelPieces, SqlBuilder } from './funnel-sql-parts.ts';
import { whereSql } from './where.ts';

/**
 * The `any`-order funnel's people: PostHog's unordered funnel.
 *
 * An attempt starts at each instant the person did an event of any step (inside [date_from,
 * date_to]); it holds their step events from that instant to the end of its window (with `hold`,
 * only those with the value of the events it starts with). Its level is the number of distinct
 * steps those events can fill, one event per step; level k is reached at the event after which k
 * steps can be filled (`tt[k]`), and the events that raise the level are the attempt's steps, in
 * the order done (their breakdown values give `breakdown_attribution`). An exclusion event strictly
 * after the attempt's level-(from_step + 1) time and strictly before its level-(to_step + 1) time
 * (or up to the end of the window when it never got there) taints that attempt only. Each person
 * counts at their best clean attempt: the highest level, then the earliest to reach it, then the
 * latest start.
 *
 * How the level is counted: one event fills one step, so with repeated or overlapping steps (steps
 * [a, a] need two `a` events; `a where plan = pro` and `a` may share events) the level is the size
 * of a largest matching of steps to events. Only steps with the same event name can share events,
 * so the steps fall into groups by name, and for each group the fold keeps the set of its subsets
 * of steps that the events so far can fill one to one, as a bit mask over the subsets (bit S is set
 * when subset S can be filled). An event that matches step k of its group adds S ∪ {k} for every
 * reachable S without k: `(state & subsetsWithout(k)) << 2^k`. The group's level is the largest
 * reachable subset. All groups' masks are packed into one 64- or 128-bit integer.
 *
 * Two ways to the same attempts, over the person's (and `hold` value's) step and exclusion events in
 * the event order (time, then the lowest step matched, then the mask, then breakdown value):
 * - when the steps' event names all differ, an event fills at most one step, and an attempt's steps
 *   are simply each step's first event from its start: window functions find them for every start
 *   at once (`directAttempts`), with no fold;
 * - otherwise each attempt folds over its slice of one list per person (`foldedAttempts`).
 * Ends with `pp`: `u, lvl, b, tt, excluded`.
 */

/** The most bits the packed state may use (DuckDB's UHUGEINT). */
const MAX_STATE_BITS = 128;

/** Steps that share an event name, with the bit offset of their group's field in the state. */
interface StepGroup {
  /** Global step indexes (0-based), in step order. */
  steps: number[];
  /** Where the group's 2^steps.length bits start in the packed state. */
  offset: number;
}

function stepGroups(steps: readonly FunnelStep[]): { groups: StepGroup[]; bits: number } {
  const byName = new Map<string, number[]>();
  steps.forEach((step, k) => byName.set(step.event, [...(byName.get(step.event) ?? []), k]));
  const groups: StepGroup[] = [];
  let bits = 0;
  for (const members of byName.values()) {
    groups.push({ steps: members, offset: bits });
    bits += 2 ** members.length;
  }
  return { groups, bits };
}

/**
 * Whether an `any`-order funnel's steps fit the packed state, or why not. Each group of `g` steps
 * with one event name takes 2^g bits; 128 bits hold up to 64 steps with different names, or one
 * name repeated up to 7 times.
 *
 * @example
 * anyOrderStepsProblem([{ event: 'a', where: [] }, { event: 'b', where: [] }]); // null
 */
export function anyOrderStepsProblem(steps: readonly FunnelStep[]): string | null {
  const { groups, bits } = stepGroups(steps);
  if (bits <= MAX_STATE_BITS) return null;
  const largest = Math.max(...groups.map((g) => g.steps.length));
  return `an any-order funnel can follow up to 64 steps, and one event name at up to 7 steps; this one has ${steps.length} steps${largest > 1 ? `, ${largest} of them the same event` : ''}`;
}

/** An integer constant of the state's type. */
function constant(value: bigint, type: string): string {
  return `CAST('${value}' AS ${type})`;
}

/** The subsets (as bits over 2^size subset masks) that satisfy `keep`. */
function subsetBits(size: number, keep: (subset: number) => boolean): bigint {
  let bits = 0n;
  for (let subset = 0; subset < 2 ** size; subset++) if (keep(subset)) bits |= 1n << BigInt(subset);
  return bits;
}

function popcount(n: number): number {
  let count = 0;
  for (let v = n; v; v &= v - 1) count++;
  return count;
}

/** The state's SQL type, its start value, and the level of a state as SQL. */
interface State {
  type: string;
  start: string;
  /** Most steps in one group: an event's effect is `largest` shifted terms. */
  largest: number;
  level: (state: string) => string;
  /** The per-event masks `a0..`: subsets of its group without step k, where it matches step k. */
  eventMasks: (mask: string) => string[];
}

function packedState(spec: FunnelSpec): State {
  const { groups, bits } = stepGroups(spec.steps);
  const type = bits <= 64 ? 'UBIGINT' : 'UHUGEINT';
  const largest = Math.max(...groups.map((g) => g.steps.length));
  const field = (g: StepGroup, subsets: bigint) => subsets << BigInt(g.offset);
  const start = constant(groups.reduce((all, g) => all | field(g, 1n), 0n), type);
  const level = (state: string) => groups.map((g) => {
    const size = g.steps.length;
    const cases = Array.from({ length: size }, (_, i) => size - i)
      .map((j) => `WHEN (${state} & ${constant(field(g, subsetBits(size, (s) => popcount(s) === j)), type)}) <> 0 THEN ${j}`);
    return `(CASE ${cases.join(' ')} ELSE 0 END)`;
  }).join(' + ');
  const eventMasks = (mask: string) => Array.from({ length: largest }, (_, k) => {
    const terms = groups.filter((g) => g.steps.length > k).map((g) => {
      const without = field(g, subsetBits(g.steps.length, (s) => (s & (1 << k)) === 0));
      return `WHEN (${mask} & ${2 ** g.steps[k]}) <> 0 THEN ${constant(without, type)}`;
    });
    return `CASE ${terms.join(' ')} ELSE ${constant(0n, type)} END`;
  });
  return { type, start, largest, level, eventMasks };
}

/** `ev_all`: the events that match a step (mask `m`) or an exclusion (mask `x`), with `b` and `h`. */
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
)`;
}

/** The event order within a person (and hold value): time, lowest step matched, mask, breakdown value. */
const EVENT_ORDER = 't, m & -m, m, b NULLS LAST';

/**
 * The position `i` of an event in the person's event order, so that attempts with different
 * `hold` values compare; without `hold` it is `withinHold`, the position within the hold value.
 */
function personPosition(spec: FunnelSpec, withinHold: string): string {
  return spec.hold ? `row_number() OVER (PARTITION BY u ORDER BY ${EVENT_ORDER}, CAST(h AS VARCHAR) NULLS LAST)` : withinHold;
}

/** Whether no two steps share an event name, so that an event fills at most one step. */
function distinctSteps(spec: FunnelSpec): boolean {
  return new Set(spec.steps.map((s) => s.event)).size === spec.steps.length;
}

/**
 * The exclusion test of attempt `a` (`a.r`: level `l` and step times `tt`; `a.st.t`: its start)
 * against exclusion event `x`: strictly after the attempt's step `from_step` and strictly before
 * its step `to_step`, or, when it never got there, up to the end of its window (inclusive).
 */
function taintSql(spec: FunnelSpec, pieces: FunnelPieces, a: string, x: string): string {
  return spec.exclusions.map((ex, j) => `((${x}.x & ${2 ** j}) <> 0 AND ${a}r.l > ${ex.from_step} AND ${x}.t > ${a}r.tt[${ex.from_step + 1}]`
    + ` AND CASE WHEN ${a}r.l > ${ex.to_step} THEN ${x}.t < ${a}r.tt[${ex.to_step + 1}] ELSE ${x}.t <= ${a}st.t + ${pieces.windowUs} END)`).join(' OR ');
}

/**
 * `att` (`u, st {t, q}, r {l, f, tt, bb}, tainted`) without a fold: for each start, each step's
 * first event from the start instant on (its time `t0`, `t1`, ..., position `p0`, ... and value
 * `b0`, ..., by window aggregates over the frame from the start instant on; integers, which
 * DuckDB aggregates over frames several times faster than structs), those inside the window taken
 * in the event order (time, then step); and the exclusion events, by a join on time buckets one
 * window wide (as the chain funnel does).
 */
function directAttempts(spec: FunnelSpec, pieces: FunnelPieces): string {
  // one sort serves every window here: the event order within the person and hold value
  const order = `PARTITION BY u, h ORDER BY ${EVENT_ORDER}`;
  const frame = `${order} ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING`;
  const firsts = spec.steps.flatMap((_, k) => {
    const when = (v: string) => `CASE WHEN (m & ${2 ** k}) <> 0 THEN ${v} END`;
    return [`min(${when('t')}) OVER (${frame}) AS t${k}`, `min(${when('i')}) OVER (${frame}) AS p${k}`,
      ...(spec.breakdown ? [`arg_min(${when("{'b': b}")}, ${when('i')}) OVER (${frame}).b AS b${k}`] : [])];
  });
  const candidates = `[${spec.steps.map((_, k) => `{'t': t${k}, 'k': ${k}, 'p': p${k}${spec.breakdown ? `, 'b': b${k}` : ''}}`).join(', ')}]`;
  const done = `list_sort(list_filter(${candidates}, s -> s.t <= t + ${pieces.windowUs}))`;
  const values = spec.breakdown ? `, 'bb': list_transform(d, s -> s.b)` : '';
  // A start is the first step event of an instant: from it, the frame holds every event of that
  // instant and after (so the frame's first event of each step is the attempt's).
  const direct = `ds AS (SELECT *, ${personPosition(spec, `row_number() OVER (${order})`)} AS i FROM ev_all WHERE m > 0),
dw AS (
  SELECT u, h, t, i, t IS DISTINCT FROM lag(t) OVER (${order}) AND ${pieces.startsInRange('t')} AS starts, ${firsts.join(', ')}
  FROM ds
),
ad AS (
  SELECT u, h, {'t': t, 'q': i} AS st,
    list_transform([${done}], d -> {'l': len(d), 'f': d[-1].p, 'tt': list_transform(d, s -> s.t)${values}})[1] AS r
  FROM dw WHERE starts
)`;
  if (spec.exclusions.length === 0) return `${direct},\natt AS (SELECT u, st, r, false AS tainted FROM ad)`;
  const bucket = String(BigInt(pieces.windowUs) + 1n);
  return `${direct},
tx AS (
  SELECT DISTINCT a.u, a.h, a.st.t AS t
  FROM (SELECT *, unnest([st.t // ${bucket}, st.t // ${bucket} + 1]) AS bk FROM ad) a
  JOIN (SELECT u, h, t, x, t // ${bucket} AS bk FROM ev_all WHERE x > 0) x ON x.u = a.u AND x.h IS NOT DISTINCT FROM a.h AND x.bk = a.bk
  WHERE ${taintSql(spec, pieces, 'a.', 'x')}
),
att AS (
  SELECT ad.u, ad.st, ad.r, tx.u IS NOT NULL AS tainted
  FROM ad LEFT JOIN tx ON tx.u = ad.u AND tx.h IS NOT DISTINCT FROM ad.h AND tx.t = ad.st.t
)`;
}

/** `att` by folding each attempt's slice of its person's list of events (see the module comment). */
function foldedAttempts(spec: FunnelSpec, pieces: FunnelPieces, state: State): string {
  const fields = ['j', 'i', 't', 'm', 'x', 'b', ...Array.from({ length: state.largest }, (_, k) => `a${k}`)];
  const grown = ['acc.z', ...Array.from({ length: state.largest }, (_, k) => `((acc.z & e.a${k}) << ${2 ** k})`)].join(' | ');
  const values = spec.breakdown ? `, 'bb': list_append(acc.bb, e.b)` : '';
  const kept = spec.breakdown ? `, 'bb': acc.bb` : '';
  // `[z] -> ...[1]` names the new state once; a raised level appends the event's time (and value).
  const fold = `(acc, e) -> list_transform([${grown}], z -> CASE WHEN ${state.level('z')} > acc.l
      THEN {'z': z, 'l': acc.l + 1, 'f': e.i, 'tt': list_append(acc.tt, e.t)${values}}
      ELSE {'z': z, 'l': acc.l, 'f': acc.f, 'tt': acc.tt${kept}} END)[1]`;
  // list_reduce wants the start value and the list's items of one (super) type: structs unify by name.
  const start = `{'z': ${state.start}, 'l': 0, 'f': CAST(0 AS BIGINT), 'tt': CAST([] AS BIGINT[])${spec.breakdown ? ", 'bb': CAST([] AS VARCHAR[])" : ''}}`;
  const tainted = spec.exclusions.length ? `len(list_filter(sl, e -> ${taintSql(spec, pieces, '', 'e')})) > 0` : 'false';
  const order = `PARTITION BY u, h ORDER BY ${EVENT_ORDER}`;
  const masks = state.eventMasks('m').map((sql, k) => `, ${sql} AS a${k}`).join('');
  // `j` numbers the events of one person and hold value (the list's index); a start is the first
  // step event of an instant (from it, the slice holds every event of that instant and after) and
  // its slice ends at the last event inside its window (`last_j`).
  return `ev AS (
  SELECT *, row_number() OVER (${order}) AS j${masks} FROM ev_all WHERE m > 0 OR x > 0
),
es AS (
  SELECT *, ${personPosition(spec, 'j')} AS i,
    m > 0 AND j = min(CASE WHEN m > 0 THEN j END) OVER (PARTITION BY u, h ORDER BY t RANGE BETWEEN CURRENT ROW AND CURRENT ROW)
      AND ${pieces.startsInRange('t')} AS starts,
    count(*) OVER (PARTITION BY u, h ORDER BY t RANGE BETWEEN UNBOUNDED PRECEDING AND ${pieces.windowUs} FOLLOWING) AS last_j
  FROM ev
),
g AS (
  SELECT u, h, list({${fields.map((f) => `'${f}': ${f}`).join(', ')}} ORDER BY j) AS l,
    list({'t': t, 's': j, 'e': last_j, 'q': i} ORDER BY j) FILTER (WHERE starts) AS starts
  FROM es GROUP BY u, h HAVING bool_or(starts)
),
sl AS (
  SELECT u, unnest(list_transform(starts, st -> {'st': st, 'sl': list_slice(l, st.s, st.e)})) AS a FROM g
),
af AS (
  SELECT u, a.st AS st, a.sl AS sl, list_reduce(a.sl, ${fold}, ${start}) AS r FROM sl
),
att AS (SELECT u, st, r, ${tainted} AS tainted FROM af)`;
}

/** The breakdown value of an attempt `r` by `breakdown_attribution`, from its steps' values. */
function attributedSql(spec: FunnelSpec): string {
  if (!spec.breakdown) return 'CAST(NULL AS VARCHAR)';
  const a = spec.breakdown_attribution;
  if (a === 'first_touch') return 'list_filter(r.bb, v -> v IS NOT NULL)[1]';
  if (a === 'last_touch') return 'list_filter(r.bb, v -> v IS NOT NULL)[-1]';
  return `r.bb[${a.step + 1}]`;
}

/**
 * The CTEs of an `any`-order funnel, ending with `pp` (one row per person who entered through a
 * clean attempt: `u, lvl, b, tt, excluded`).
 *
 * @example
 * const ctes = anyOrderPeopleCtes(spec, 'events', new SqlBuilder(), funnelPieces(spec));
 */
export function anyOrderPeopleCtes(spec: FunnelSpec, table: string, b: SqlBuilder, pieces: FunnelPieces): string {
  const events = eventsCte(spec, table, b, pieces);
  const attempts = distinctSteps(spec) ? directAttempts(spec, pieces) : foldedAttempts(spec, pieces, packedState(spec));
  const best = `clean AS (SELECT u, st, r, ${attributedSql(spec)} AS ba FROM att WHERE NOT tainted),
pp AS (
  SELECT u, p.lvl AS lvl, p.b AS b, p.tt AS tt, false AS excluded
  FROM (SELECT u, arg_max({'lvl': r.l, 'b': ba, 'tt': r.tt}, [r.l, -r.f, st.q]) AS p FROM clean GROUP BY u)
)`;
  return [events, attempts, best].join(',\n');
}
