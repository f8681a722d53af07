import { ROLLING_MS } from './retention-spec.ts';
import type { RetentionQuery } from './retention-scan.ts';
import { peopleSelect } from './people.ts';
import type { SqlValue } from '../engine/index.ts';

/** A value bound at this point of the text. */
function bind(q: RetentionQuery, value: SqlValue): string {
  q.params.push(value);
  return '?';
}

/**
 * The general retention query (any breakdown, range length or clock): cohort rows (person, cohort
 * period) joined to return rows on the person. Calendar clock: returns are pre-aggregated to one row
 * per person and period before the join. Rolling clock: return events are joined to each cohort's
 * start instant and bucketed by `(ms - t0) // length`.
 *
 * Columns: `cohort_index`, `breakdown`, `k` (0 = the cohort), `users`; with `cumulative`, rows of
 * k >= 1 count people whose last return is in period k.
 *
 * @example
 * const sql = joinRetentionSql(new RetentionQuery(spec, 'events'));
 */
export function joinRetentionSql(q: RetentionQuery): string {
  const { spec, S } = q;
  const hasBreakdown = spec.breakdown !== null;
  const bkeep = hasBreakdown ? ', b' : '';
  // `same_value`: returns keep their own value and meet only the cohort of that value
  const sameValue = hasBreakdown && spec.breakdown_returns === 'same_value';
  const rkeep = sameValue ? ', b' : '';
  const rmatch = sameValue ? ' AND returns.b IS NOT DISTINCT FROM cohorts.b' : '';
  const bfirst = hasBreakdown ? ', arg_min_null(b, (ms, b)) AS b' : '';
  const firstTime = spec.mode === 'first_time';
  const N = spec.min_occurrences;
  const I = spec.intervals;

  let ctes: string[];
  if (spec.clock === 'calendar') {
    if (firstTime) {
      // The cohort is the period of the first start event ever; people who started before the range are left out.
      const firsts = `firsts AS (
  SELECT user_id, min(ms) AS t0${bfirst} FROM (${q.scan('start', false, true)}) GROUP BY user_id HAVING min(ms) >= ${S}
)`;
      const cohorts = `cohorts AS (SELECT user_id, ${q.period('t0')} AS c${bkeep} FROM firsts)`;
      const back = `back AS (SELECT user_id, ${q.period('ms')} AS p${rkeep} FROM (${q.scan('return', true, sameValue)}))`;
      const returns = `returns AS (SELECT user_id, p${rkeep} FROM back GROUP BY user_id, p${rkeep}${N > 1 ? ` HAVING count(*) >= ${N}` : ''})`;
      ctes = [firsts, cohorts, back, returns];
    } else {
      const simple = q.sameEvents && N === 1 && !hasBreakdown;
      const ev = simple
        ? `ev AS (SELECT user_id, ${q.period('ms')} AS p FROM (${q.scan('both', true)}))`
        : `ev AS (SELECT user_id, ${q.period('ms')} AS p, ms, ${q.flags()}${bkeep} FROM (${q.scan('both', true, true)}))`;
      const perPeriod = simple
        ? 'per_period AS (SELECT DISTINCT user_id, p, TRUE AS is_start, TRUE AS is_return FROM ev)'
        : `per_period AS (
  SELECT user_id, p, bool_or(s) AS is_start, count(*) FILTER (WHERE r) >= ${N} AS is_return${hasBreakdown ? ', arg_min_null(b, (ms, b)) FILTER (WHERE s) AS b' : ''}
  FROM ev GROUP BY user_id, p
)`;
      const cohorts = `cohorts AS (SELECT user_id, p AS c${bkeep} FROM per_period WHERE is_start)`;
      const returns = sameValue
        ? `returns AS (SELECT user_id, p, b FROM ev WHERE r GROUP BY user_id, p, b${N > 1 ? ` HAVING count(*) >= ${N}` : ''})`
        : 'returns AS (SELECT user_id, p FROM per_period WHERE is_return)';
      ctes = [ev, perPeriod, cohorts, returns];
    }
    ctes.push(`hits AS (
  SELECT cohorts.user_id, c${bkeep ? ', cohorts.b' : ''}, returns.p - c AS k FROM cohorts JOIN returns
  ON returns.user_id = cohorts.user_id AND returns.p > c AND returns.p < c + ${I}${rmatch}
)`);
  } else {
    const L = ROLLING_MS[spec.period];
    const ev = `ev AS (${q.scan('both', !firstTime, true)})`;
    const tagged = `tagged AS (SELECT user_id, ms, ${q.flags()}${bkeep} FROM ev)`;
    const cohorts = firstTime
      ? `cohorts AS (
  SELECT user_id, ${q.period('t0')} AS c, t0${bkeep} FROM (
    SELECT user_id, min(ms) AS t0${bfirst} FROM tagged WHERE s GROUP BY user_id HAVING min(ms) >= ${S}
  )
)`
      : `cohorts AS (
  SELECT user_id, c, min(ms) AS t0${bfirst} FROM (SELECT user_id, ms, ${q.period('ms')} AS c${bkeep} FROM tagged WHERE s)
  GROUP BY user_id, c
)`;
    const returns = `returns AS (SELECT user_id, ms${rkeep} FROM tagged WHERE r AND ms >= ${S + L})`;
    const hits = `hits AS (
  SELECT cohorts.user_id, c${bkeep ? ', cohorts.b' : ''}, (returns.ms - t0) // ${L} AS k FROM cohorts JOIN returns
  ON returns.user_id = cohorts.user_id AND returns.ms >= t0 + ${L} AND returns.ms < t0 + ${I * L}${rmatch}
  GROUP BY cohorts.user_id, c${bkeep ? ', cohorts.b' : ''}, k${N > 1 ? ` HAVING count(*) >= ${N}` : ''}
)`;
    ctes = [ev, tagged, cohorts, returns, hits];
  }

  const people = spec.people;
  if (people) {
    const b = hasBreakdown ? ` AND b IS NOT DISTINCT FROM ${bind(q, people.breakdown ?? null)}` : '';
    const c = people.cohort_index;
    const who = people.period === 0 ? `SELECT DISTINCT user_id FROM cohorts WHERE c = ${c}${b}`
      : spec.cumulative ? `SELECT user_id FROM hits WHERE c = ${c}${b} GROUP BY user_id HAVING max(k) >= ${people.period}`
        : `SELECT DISTINCT user_id FROM hits WHERE c = ${c}${b} AND k = ${people.period}`;
    return `WITH ${ctes.join(',\n')},\npeople AS (${who})${peopleSelect(q.table)}`;
  }
  const bout = hasBreakdown ? 'b' : 'CAST(NULL AS VARCHAR)';
  const cells = spec.cumulative
    ? `SELECT c, ${bout} AS breakdown, k, count(*) AS users FROM (
  SELECT c${bkeep}, max(k) AS k FROM hits GROUP BY user_id, c${bkeep}
) GROUP BY c${bkeep}, k`
    : `SELECT c, ${bout} AS breakdown, k, count(*) AS users FROM hits GROUP BY c${bkeep}, k`;
  return `WITH ${ctes.join(',\n')}
SELECT c AS cohort_index, ${bout} AS breakdown, 0 AS k, count(*) AS users FROM cohorts GROUP BY c${bkeep}
UNION ALL
${cells}`;
}
