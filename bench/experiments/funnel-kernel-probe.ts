// An experiment for bench/README.md (issue 21.1), not a case of `npm run bench`: run it with
// npx tsx bench/run.ts --sizes 10m --cases funnel,bench/experiments/funnel-kernel-probe.ts --engines chromium
// Experiment for issue 21.1: how long would "DuckDB sorts the step events into compact columns,
// a typed-array kernel walks each person once" take? Ordered 5-step funnel, the bench case's.
import { registerAnalysis, type Analysis } from '../../src/analytics/analysis.ts';
import type { BenchCase } from '../bench-case.ts';

const STEPS = ['session_start', 'view_item', 'add_to_cart', 'checkout', 'purchase'];
const WINDOW_US = 7 * 86_400 * 1e6;

const probe: Analysis<{ kind: string }> = {
  kind: 'funnel_kernel_probe',
  title: 'probe',
  validate: (spec) => spec as { kind: string },
  sql: () => ({
    sql: `SELECT CAST(hash(user_id) >> 12 AS DOUBLE) AS u, CAST(epoch_us(ts) AS DOUBLE) AS t,
  CAST(CASE event ${STEPS.map((s, i) => `WHEN '${s}' THEN ${i}`).join(' ')} END AS TINYINT) AS k
FROM events WHERE event IN (${STEPS.map((s) => `'${s}'`).join(', ')}) ORDER BY u, t, k`,
    params: [],
  }),
  shape(result) {
    if (!result) return { rows: [] };
    const started = performance.now();
    const n = STEPS.length;
    const reached = new Float64Array(n);
    const sums = new Float64Array(n);
    const rows = result.numRows;
    const u = result.getChild('u')!.toArray() as Float64Array;
    const t = result.getChild('t')!.toArray() as Float64Array;
    const k = result.getChild('k')!.toArray() as Int8Array;
    // per level, the latest-starting attempt: its start time and its step times
    const slotStart = new Float64Array(n).fill(NaN);
    const slotTimes = new Float64Array(n * n);
    const best = new Float64Array(n);
    let i = 0;
    while (i < rows) {
      slotStart.fill(NaN);
      let bestLevel = 0;
      let j = i;
      for (; j < rows && u[j] === u[i]; j++) {
        const step = k[j];
        if (step === 0) {
          slotStart[1 % n] = t[j];
          slotTimes[1 * n] = t[j];
          if (bestLevel < 1) { bestLevel = 1; best[0] = t[j]; }
        } else if (!Number.isNaN(slotStart[step]) && t[j] <= slotStart[step] + WINDOW_US) {
          const level = step + 1;
          if (level < n) {
            for (let s = 0; s < step; s++) slotTimes[level * n + s] = slotTimes[step * n + s];
            slotTimes[level * n + step] = t[j];
            slotStart[level] = slotStart[step];
          }
          if (level > bestLevel) {
            bestLevel = level;
            for (let s = 0; s < step; s++) best[s] = slotTimes[step * n + s];
            best[step] = t[j];
          }
          slotStart[step] = NaN;
        }
      }
      for (let s = 0; s < bestLevel; s++) {
        reached[s]++;
        if (s > 0) sums[s] += best[s] - best[s - 1];
      }
      i = j;
    }
    return {
      rows: STEPS.map((event, s) => ({ step: s + 1, event, users: reached[s], avg_seconds_from_previous: s ? sums[s] / reached[s] / 1e6 : null })),
      meta: { kernel_ms: performance.now() - started, step_events: rows },
    };
  },
};
registerAnalysis(probe);

const bench: BenchCase = { name: 'funnel kernel probe (sorted step events + typed-array walk)', spec: { kind: 'funnel_kernel_probe' } };
export default bench;
