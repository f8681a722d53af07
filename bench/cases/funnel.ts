import * as aq from 'arquero';
import type { BenchCase } from '../bench-case.ts';

const STEPS = ['session_start', 'view_item', 'add_to_cart', 'checkout', 'purchase'];
const WINDOW_MS = 7 * 86_400_000;

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = values.sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/**
 * The same funnel in plain Arquero: Arquero verbs pick the step events and sort them per person,
 * then one loop walks each person's events with a slot per step level (the latest-starting attempt
 * at each level), as the SQL does; Arquero has no ordered per-group fold of its own.
 */
function arqueroFunnel(events: aq.ColumnTable): Record<string, unknown>[] {
  const steps = aq.table({ event: STEPS, step: STEPS.map((_, i) => i) });
  const sorted = events.select('user_id', 'event', 'ts').join(steps, 'event').orderby('user_id', 'ts', 'step');
  const user = sorted.array('user_id') as string[];
  const ts = sorted.array('ts') as number[];
  const step = sorted.array('step') as number[];
  const n = STEPS.length;
  const reached = new Array<number>(n).fill(0);
  const seconds: number[][] = Array.from({ length: n }, () => []);
  let i = 0;
  while (i < user.length) {
    const slots: (number[] | null)[] = new Array(n).fill(null);
    let best: number[] | null = null;
    let j = i;
    for (; j < user.length && user[j] === user[i]; j++) {
      const k = step[j];
      let promoted: number[] | null = null;
      if (k === 0) promoted = [ts[j]];
      else if (slots[k] && ts[j] <= slots[k]![0] + WINDOW_MS) promoted = [...slots[k]!, ts[j]];
      if (k > 0 && promoted) slots[k] = null;
      if (promoted) {
        if (promoted.length < n) slots[promoted.length] = promoted;
        if (!best || promoted.length > best.length) best = promoted;
      }
    }
    if (best) {
      for (let k = 0; k < best.length; k++) {
        reached[k]++;
        if (k > 0) seconds[k].push((best[k] - best[k - 1]) / 1000);
      }
    }
    i = j;
  }
  return aq.table({
    step: STEPS.map((_, k) => k + 1),
    event: STEPS,
    users: reached,
    conversion_from_start: reached.map((u) => (reached[0] ? u / reached[0] : null)),
    conversion_from_previous: reached.map((u, k) => (k === 0 ? (reached[0] ? 1 : null) : reached[k - 1] ? u / reached[k - 1] : null)),
    avg_seconds_from_previous: seconds.map((s, k) => (k === 0 || s.length === 0 ? null : s.reduce((a, b) => a + b, 0) / s.length)),
    median_seconds_from_previous: seconds.map((s, k) => (k === 0 ? null : median(s))),
  }).objects() as Record<string, unknown>[];
}

/**
 * A 5-step shop funnel with a 7-day window over the whole log. DESIGN.md's target: under 2 s in
 * DuckDB-WASM on 10M events.
 */
const funnel: BenchCase = {
  name: '5-step funnel, 7-day window',
  spec: { kind: 'funnel', steps: STEPS, order: 'ordered', window_seconds: 7 * 86_400 },
  arquero: arqueroFunnel,
};

export default funnel;
