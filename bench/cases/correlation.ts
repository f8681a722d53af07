import * as aq from 'arquero';
import { correlationStats } from '../../src/analytics/correlation.ts';
import type { BenchCase } from '../bench-case.ts';

const STEPS = ['view_item', 'purchase'];
const WINDOW_MS = 7 * 86_400_000;

/**
 * The same correlation with Arquero verbs and one walk per person (Arquero has no ordered per-group
 * fold): each view_item starts an attempt that the next purchase within 7 days completes; the
 * attempt that counts is the furthest, then the one finishing first, then the latest start (the
 * funnel's rule). Converters' events count strictly between their view and purchase, the others'
 * strictly within the 7 days after their first view; `country` is read on the view that counts.
 * Only the statistics of the few finished rows come from cohortbook (`correlationStats`).
 */
function arqueroCorrelation(events: aq.ColumnTable): Record<string, unknown>[] {
  const sorted = events.select('user_id', 'event', 'ts', 'country')
    .derive({ step: aq.escape((d: { event: string }) => STEPS.indexOf(d.event)) })
    // events at one instant: the step order first, as the funnel matches them
    .orderby('user_id', 'ts', aq.escape((d: { step: number }) => (d.step < 0 ? 9 : d.step)));
  const user = sorted.array('user_id') as string[];
  const event = sorted.array('event') as string[];
  const ts = sorted.array('ts') as number[];
  const step = sorted.array('step') as number[];
  const country = sorted.array('country') as (string | null)[];
  const counts = new Map<string, { type: 'event' | 'property'; s: number; f: number }>();
  const add = (name: string, type: 'event' | 'property', success: boolean) => {
    let c = counts.get(name);
    if (!c) counts.set(name, (c = { type, s: 0, f: 0 }));
    if (success) c.s++;
    else c.f++;
  };
  let S = 0;
  let F = 0;
  for (let i = 0; i < user.length;) {
    let j = i;
    while (j < user.length && user[j] === user[i]) j++;
    // the best attempt: [start index, end index or -1]
    let best: [number, number] | null = null;
    let nextPurchase = -1;
    for (let p = j - 1; p >= i; p--) {
      if (step[p] === 1) nextPurchase = p;
      if (step[p] !== 0) continue;
      const end = nextPurchase >= 0 && ts[nextPurchase] <= ts[p] + WINDOW_MS ? nextPurchase : -1;
      const level = end >= 0 ? 2 : 1;
      const finish = end >= 0 ? end : p;
      if (!best) { best = [p, end]; continue; }
      const bestLevel = best[1] >= 0 ? 2 : 1;
      const bestFinish = best[1] >= 0 ? best[1] : best[0];
      // walking backwards, an equal attempt seen later in the walk starts earlier: keep the one held
      if (level > bestLevel || (level === bestLevel && finish < bestFinish)) best = [p, end];
    }
    if (best) {
      const success = best[1] >= 0;
      if (success) S++;
      else F++;
      const t0 = ts[best[0]];
      const t1 = success ? ts[best[1]] : t0 + WINDOW_MS;
      const names = new Set<string>();
      for (let p = i; p < j; p++) if (ts[p] > t0 && ts[p] < t1 && step[p] < 0) names.add(event[p]);
      for (const name of names) add(name, 'event', success);
      const values: string[] = [];
      for (let p = i; p < j; p++) if (ts[p] === t0 && step[p] === 0 && country[p] !== null) values.push(String(country[p]));
      add(`country=${values.sort()[0] ?? ''}`, 'property', success);
    }
    i = j;
  }
  if (S === 0 || F === 0) return [];
  const rows = [...counts].filter(([, c]) => c.s + c.f >= Math.min(25, 0.02 * (S + F))).map(([name, c]) => {
    const stats = correlationStats(c.s, c.f, S, F);
    return { event: name, type: c.type, success_count: c.s, failure_count: c.f, odds_ratio: stats.odds_ratio,
      correlation_type: stats.odds_ratio > 1 ? 'success' : 'failure', p_value: stats.p_value, odds_ratio_low: stats.odds_ratio_low, odds_ratio_high: stats.odds_ratio_high };
  });
  const byName = (a: { event: string }, b: { event: string }) => (a.event < b.event ? -1 : a.event > b.event ? 1 : 0);
  const success = rows.filter((r) => r.correlation_type === 'success').sort((a, b) => b.odds_ratio - a.odds_ratio || byName(a, b)).slice(0, 10);
  const failure = rows.filter((r) => r.correlation_type === 'failure').sort((a, b) => a.odds_ratio - b.odds_ratio || byName(a, b)).slice(0, 10);
  return [...success, ...failure];
}

/** What did buyers do between viewing and buying that the others did not (7-day window), and their country. */
const correlation: BenchCase = {
  name: 'correlation: view item → purchase, events and country',
  spec: { kind: 'correlation', funnel: { steps: STEPS, window_seconds: 7 * 86400 }, properties: ['country'] },
  arquero: arqueroCorrelation,
};

export default correlation;
