import type { RetentionQuery } from './retention-scan.ts';

/**
 * Longest range (in periods) the bitmask query handles: one UBIGINT bit per period, shifts below 64.
 *
 * @example
 * range.to - range.from + 1 <= MASK_MAX_PERIODS // a year of weeks fits, a year of days does not
 */
export const MASK_MAX_PERIODS = 63;

/**
 * Whether the fast bitmask query can answer the spec: calendar clock, no breakdown, a range of at
 * most 63 periods and at most 64 intervals.
 *
 * @example
 * canUseMasks(q) // true for weekly retention over a year
 */
export function canUseMasks(q: RetentionQuery): boolean {
  const { spec, range } = q;
  return spec.clock === 'calendar' && spec.breakdown === null
    && range.to - range.from + 1 <= MASK_MAX_PERIODS && spec.intervals <= 64;
}

/**
 * Retention without a join: one pass groups the events by person into a bitmask of the range's
 * periods where they started (`sm`) and came back (`rm`); people with the same masks are counted
 * together (a year of weekly data has tens of thousands of distinct masks for a million people), and
 * each cohort period `i` of a mask gives the return bits that follow it, `(rm >> (i + 1))`. Counting
 * those small patterns by cohort is cheap, so the only heavy step is one hash aggregation by person.
 *
 * Same columns as `joinRetentionSql`: `cohort_index`, `breakdown` (NULL), `k`, `users`.
 *
 * @example
 * if (canUseMasks(q)) sql = maskRetentionSql(q);
 */
export function maskRetentionSql(q: RetentionQuery): string {
  const { spec, S, range } = q;
  const from = range.from;
  const periods = range.to - range.from + 1;
  const N = spec.min_occurrences;
  const I = spec.intervals;
  const window = `${(1n << BigInt(I - 1)) - 1n}::UBIGINT`;
  // 2^i through pow: DuckDB's `<<` checks every shift and costs ~0.25 s more per 10M events in
  // DuckDB-WASM; powers of two up to 2^62 are exact in a DOUBLE.
  const power = 'CAST(pow(2, i) AS UBIGINT)';
  const bit = (condition: string) => `bit_or(CASE WHEN ${condition} THEN ${power} ELSE 0::UBIGINT END)`;

  let ctes: string[];
  if (spec.mode === 'recurring') {
    const simple = q.sameEvents && N === 1;
    const ev = simple
      ? `ev AS (SELECT user_id, ${q.period('ms')} - ${from} AS i FROM (${q.scan('both', true)}))`
      : `ev AS (SELECT user_id, ${q.period('ms')} - ${from} AS i, ${q.flags()} FROM (${q.scan('both', true)}))`;
    if (simple) {
      ctes = [ev, `masks AS (SELECT bit_or(${power}) AS m FROM ev GROUP BY user_id)`,
        'patterns AS (SELECT m AS sm, m AS rm, count(*) AS n FROM masks GROUP BY m)'];
    } else {
      const perPeriod = N > 1
        ? [`per_period AS (SELECT user_id, i, bool_or(s) AS s, count(*) FILTER (WHERE r) >= ${N} AS r FROM ev GROUP BY user_id, i)`]
        : [];
      const source = N > 1 ? 'per_period' : 'ev';
      ctes = [ev, ...perPeriod,
        `masks AS (SELECT ${bit('s')} AS sm, ${bit('r')} AS rm FROM ${source} GROUP BY user_id)`,
        'patterns AS (SELECT sm, rm, count(*) AS n FROM masks WHERE sm <> 0 GROUP BY sm, rm)'];
    }
    ctes.push(`cells AS (
  SELECT i AS ci, (rm >> (i + 1)) & ${window} AS r, sum(n) AS n FROM patterns, range(0, ${periods}) t(i)
  WHERE (sm >> i) & 1 = 1 GROUP BY ALL
)`);
  } else {
    // First start event ever (the whole history is read for it); return bits only inside the range.
    const ev = `ev AS (
  SELECT user_id, ms, ${q.flags()}, CASE WHEN ms >= ${S} THEN ${q.period('ms')} - ${from} END AS i FROM (${q.scan('both', false)})
)`;
    const masks = N > 1
      ? [`per_period AS (
  SELECT user_id, i, min(ms) FILTER (WHERE s) AS t0, count(*) FILTER (WHERE r) >= ${N} AS ok FROM ev GROUP BY user_id, i
)`, `masks AS (
  SELECT min(t0) AS t0, ${bit('ok AND i IS NOT NULL')} AS rm FROM per_period GROUP BY user_id HAVING min(t0) >= ${S}
)`]
      : [`masks AS (
  SELECT min(ms) FILTER (WHERE s) AS t0, ${bit('r AND i IS NOT NULL')} AS rm FROM ev
  GROUP BY user_id HAVING min(ms) FILTER (WHERE s) >= ${S}
)`];
    ctes = [ev, ...masks, `cells AS (
  SELECT ci, (rm >> (ci + 1)) & ${window} AS r, count(*) AS n FROM (SELECT ${q.period('t0')} - ${from} AS ci, rm FROM masks) GROUP BY ALL
)`];
  }
  const returned = spec.cumulative ? 'r >> (k - 1) = 1' : '(r >> (k - 1)) & 1 = 1';
  // One reference to `cells`: DuckDB may inline a CTE used twice and run the aggregation by person twice.
  return `WITH ${ctes.join(',\n')}
SELECT ci + ${from} AS cohort_index, CAST(NULL AS VARCHAR) AS breakdown, k, CAST(sum(n) AS BIGINT) AS users
FROM cells, range(0, ${I}) t(k) WHERE k = 0 OR ${returned} GROUP BY ci, k`;
}
