// An experiment for bench/README.md (issue 21.1), not a case of `npm run bench`: run it with
// npx tsx bench/run.ts --sizes 1m --cases funnel,bench/experiments/funnel-list-fold.ts --engines wasm,native --keep-readme
// A SQL form of windowFunnel: DuckDB groups each person's step events into one list (a hash
// aggregate, no global sort), sorts each list, and folds it with `list_reduce` keeping, per level,
// the step times of the latest-starting attempt there (ClickHouse's slots) and the best attempt.
// Correct (its counts, sums and medians equal the funnel's) but far slower: `list_reduce` wants
// the accumulator and the elements of one type, so every event is a 15-field struct and every
// step of the fold builds one.
import { registerAnalysis, type Analysis } from '../../src/analytics/analysis.ts';
import type { BenchCase } from '../bench-case.ts';

const STEPS = ['session_start', 'view_item', 'add_to_cart', 'checkout', 'purchase'];
const WINDOW_US = 7 * 86_400 * 1e6;

/** The fold: slot k (1..n-1) holds the step times `s{k}_0..` of the latest start at level k; `lv`, `b0..` the best attempt. */
function foldSql(n: number): { fields: string[]; sql: string } {
  const slot = (k: number) => Array.from({ length: k }, (_, i) => `s${k}_${i}`);
  const fields = [...Array.from({ length: n - 1 }, (_, k) => slot(k + 1)).flat(), 'lv', ...Array.from({ length: n }, (_, i) => `b${i}`)];
  const struct = (values: Record<string, string>) => `{${fields.map((f) => `'${f}': ${values[f] ?? 'NULL'}`).join(', ')}}`;
  const keep = (changed: Record<string, string>) => struct(Object.fromEntries(fields.map((f) => [f, changed[f] ?? `a.${f}`])));
  // an event is a struct of the same fields: its time in s1_0, its step in lv
  const branches = [`WHEN 0 THEN ${keep({ s1_0: 'e.s1_0', lv: 'greatest(a.lv, 1)', b0: 'CASE WHEN a.lv < 1 THEN e.s1_0 ELSE a.b0 END' })}`];
  for (let k = 1; k < n; k++) {
    const changed: Record<string, string> = {};
    for (const f of slot(k)) changed[f] = 'NULL';
    if (k + 1 < n) {
      slot(k).forEach((f, i) => { changed[`s${k + 1}_${i}`] = `a.${f}`; });
      changed[`s${k + 1}_${k}`] = 'e.s1_0';
    }
    const better = `a.lv < ${k + 1}`;
    changed.lv = `greatest(a.lv, ${k + 1})`;
    for (let i = 0; i <= k; i++) changed[`b${i}`] = `CASE WHEN ${better} THEN ${i < k ? `a.s${k}_${i}` : 'e.s1_0'} ELSE a.b${i} END`;
    branches.push(`WHEN ${k} THEN CASE WHEN e.s1_0 <= a.s${k}_0 + ${WINDOW_US} THEN ${keep(changed)} ELSE a END`);
  }
  return { fields, sql: `list_reduce(l, (a, e) -> CASE e.lv ${branches.join(' ')} ELSE a END, ${struct({ lv: '0' })})` };
}

const fold: Analysis<{ kind: string }> = {
  kind: 'funnel_list_fold',
  title: 'probe',
  validate: (spec) => spec as { kind: string },
  sql: (_spec, table) => {
    const n = STEPS.length;
    const { fields, sql } = foldSql(n);
    const element = `{${fields.map((f) => `'${f}': ${f === 's1_0' ? 't' : f === 'lv' ? 'k' : 'NULL::BIGINT'}`).join(', ')}}`;
    const steps = Array.from({ length: n - 1 }, (_, i) => `count(*) FILTER (WHERE r.lv >= ${i + 2}) AS users_${i + 2},
  CAST(sum(r.b${i + 1} - r.b${i}) FILTER (WHERE r.lv >= ${i + 2}) AS DOUBLE) AS sum_us_${i + 2}, median(r.b${i + 1} - r.b${i}) FILTER (WHERE r.lv >= ${i + 2}) AS median_us_${i + 2}`);
    return {
      sql: `WITH se AS (
  SELECT hash(user_id) AS u, epoch_us(ts) AS t, CAST(CASE event ${STEPS.map((s, i) => `WHEN '${s}' THEN ${i}`).join(' ')} END AS INTEGER) AS k
  FROM ${table} WHERE event IN (${STEPS.map((s) => `'${s}'`).join(', ')}) AND ts IS NOT NULL
),
g AS (SELECT list_sort(list(${element})) AS l FROM se GROUP BY u)
SELECT count(*) AS users_1, ${steps.join(', ')} FROM (SELECT ${sql} AS r FROM g) WHERE r.lv >= 1`,
      params: [],
    };
  },
  shape(result) {
    if (!result) return { rows: [] };
    const r = result.toArray()[0].toJSON() as Record<string, unknown>;
    return {
      rows: STEPS.map((event, s) => {
        const users = Number(r[`users_${s + 1}`]);
        return { step: s + 1, event, users, avg_seconds_from_previous: s && users ? Number(r[`sum_us_${s + 1}`]) / users / 1e6 : null,
          median_seconds_from_previous: s && users ? Number(r[`median_us_${s + 1}`]) / 1e6 : null };
      }),
    };
  },
};
registerAnalysis(fold);

const bench: BenchCase = { name: 'funnel probe: list per person folded by list_reduce (SQL windowFunnel)', spec: { kind: 'funnel_list_fold' } };
export default bench;
