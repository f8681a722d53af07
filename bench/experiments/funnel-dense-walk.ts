// An experiment for bench/README.md (issue 21.1), not a case of `npm run bench`: run it with
// npx tsx bench/run.ts --sizes 1m,10m --cases funnel,bench/experiments/funnel-dense-walk.ts --engines wasm,native --keep-readme
// The second form of "DuckDB selects the step events, a typed-array kernel walks each person":
// no sort in DuckDB at all. DuckDB only filters the step events and numbers the people densely
// (a hash aggregate and a hash join, no ORDER BY); the page counting-sorts the rows by person and
// insertion-sorts each person's few events by (time, step), then walks them once per person
// keeping the latest-starting attempt per level, as the Arquero twin does. Ordered 5-step funnel,
// the bench case's; its rows (users, mean and median seconds) equal the funnel's.
import { registerAnalysis, type Analysis } from '../../src/analytics/analysis.ts';
import type { BenchCase } from '../bench-case.ts';

const STEPS = ['session_start', 'view_item', 'add_to_cart', 'checkout', 'purchase'];
const WINDOW_US = 7 * 86_400 * 1e6;

function median(values: Float64Array): number | null {
  if (values.length === 0) return null;
  const s = values.slice().sort();
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

const walk: Analysis<{ kind: string }> = {
  kind: 'funnel_dense_walk',
  title: 'probe',
  validate: (spec) => spec as { kind: string },
  sql: (_spec, table) => ({
    sql: `WITH se AS (
  SELECT hash(user_id) AS u, epoch_us(ts) AS t, CAST(CASE event ${STEPS.map((s, i) => `WHEN '${s}' THEN ${i}`).join(' ')} END AS TINYINT) AS k
  FROM ${table} WHERE event IN (${STEPS.map((s) => `'${s}'`).join(', ')}) AND ts IS NOT NULL
),
p AS (SELECT u, CAST(row_number() OVER () - 1 AS INTEGER) AS d FROM (SELECT DISTINCT u FROM se))
SELECT p.d, CAST(se.t - (SELECT min(t) FROM se) AS DOUBLE) AS t, se.k, (SELECT count(*) FROM p) AS np FROM se JOIN p USING (u)`,
    params: [],
  }),
  shape(result) {
    if (!result || result.numRows === 0) return { rows: [] };
    const started = performance.now();
    const n = STEPS.length;
    const rows = result.numRows;
    const d = result.getChild('d')!.toArray() as Int32Array;
    const tt = result.getChild('t')!.toArray() as Float64Array;
    const kk = result.getChild('k')!.toArray() as Int8Array;
    const people = Number(result.getChild('np')!.get(0));
    // counting sort by person (stable), then each person's events by (time, step)
    const start = new Int32Array(people + 1);
    for (let i = 0; i < rows; i++) start[d[i] + 1]++;
    for (let p = 0; p < people; p++) start[p + 1] += start[p];
    const fill = start.slice(0, people);
    const st = new Float64Array(rows);
    const sk = new Int8Array(rows);
    for (let i = 0; i < rows; i++) { const j = fill[d[i]]++; st[j] = tt[i]; sk[j] = kk[i]; }
    for (let p = 0; p < people; p++) {
      for (let i = start[p] + 1; i < start[p + 1]; i++) {
        const t = st[i], k = sk[i];
        let j = i - 1;
        for (; j >= start[p] && (st[j] > t || (st[j] === t && sk[j] > k)); j--) { st[j + 1] = st[j]; sk[j + 1] = sk[j]; }
        st[j + 1] = t; sk[j + 1] = k;
      }
    }
    const sorted = performance.now();
    // per level, the latest-starting attempt (its start and step times); the best attempt's times
    const reached = new Float64Array(n);
    const gaps: number[][] = Array.from({ length: n }, () => []);
    const slotStart = new Float64Array(n);
    const slotTimes = new Float64Array(n * n);
    const best = new Float64Array(n);
    for (let p = 0; p < people; p++) {
      slotStart.fill(NaN);
      let bestLevel = 0;
      for (let j = start[p]; j < start[p + 1]; j++) {
        const step = sk[j], t = st[j];
        if (step === 0) {
          slotStart[1 % n] = t; slotTimes[n] = t;
          if (bestLevel < 1) { bestLevel = 1; best[0] = t; }
        } else if (!Number.isNaN(slotStart[step]) && t <= slotStart[step] + WINDOW_US) {
          const level = step + 1;
          if (level < n) {
            for (let s = 0; s < step; s++) slotTimes[level * n + s] = slotTimes[step * n + s];
            slotTimes[level * n + step] = t;
            slotStart[level] = slotStart[step];
          }
          if (level > bestLevel) { bestLevel = level; for (let s = 0; s < step; s++) best[s] = slotTimes[step * n + s]; best[step] = t; }
          slotStart[step] = NaN;
        }
      }
      for (let s = 0; s < bestLevel; s++) { reached[s]++; if (s > 0) gaps[s].push(best[s] - best[s - 1]); }
    }
    return {
      rows: STEPS.map((event, s) => ({
        step: s + 1, event, users: reached[s],
        avg_seconds_from_previous: s && reached[s] ? gaps[s].reduce((a, b) => a + b, 0) / reached[s] / 1e6 : null,
        median_seconds_from_previous: s ? (median(Float64Array.from(gaps[s])) ?? NaN) / 1e6 : null,
      })),
      meta: { sort_ms: sorted - started, walk_ms: performance.now() - sorted, step_events: rows },
    };
  },
};
registerAnalysis(walk);

const bench: BenchCase = { name: 'funnel probe: unsorted step events, dense people, sort and walk in TypeScript', spec: { kind: 'funnel_dense_walk' } };
export default bench;
