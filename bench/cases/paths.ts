import * as aq from 'arquero';
import type { BenchCase } from '../bench-case.ts';

const { op } = aq;
const GAP = 30 * 60_000;
const STEPS = 5;
const MAX_EDGES = 50;

/**
 * Paths of 5 steps from each session's first `view_item`. The Arquero twin does the same work:
 * sessions by the 30-minute gap, repeats collapsed, each session's items from its first view_item,
 * the edges counted by sessions, people and mean time, the top 50 kept and the rest summed per source.
 */
const paths: BenchCase = {
  name: 'paths: 5 steps after view_item',
  spec: { kind: 'paths', start_event: 'view_item', steps: STEPS },
  arquero: (events) => {
    const sessions = events.select('user_id', 'event', 'ts').groupby('user_id').orderby('ts', 'event')
      .derive({ prev: (d: { ts: number }) => op.lag(d.ts), next: (d: { event: string }) => op.lead(d.event), next_ts: (d: { ts: number }) => op.lead(d.ts) })
      .derive({ starts: aq.escape((d: { ts: number; prev: number | undefined }) => (d.prev !== undefined && d.ts - d.prev < GAP ? 0 : 1)) })
      .derive({ session: aq.rolling((d: { starts: number }) => op.sum(d.starts)) })
      .ungroup()
      .filter(aq.escape((d: { event: string; next: string | undefined; ts: number; next_ts: number | undefined }) => !(d.next === d.event && d.next_ts! - d.ts < GAP)))
      .groupby('user_id', 'session')
      .rollup({ items: op.array_agg('event'), times: op.array_agg('ts') });
    const edges = sessions.derive({
      edge: aq.escape((d: { items: string[]; times: number[] }) => {
        const s = d.items.indexOf('view_item');
        if (s < 0) return [];
        const out: [number, string, string, number][] = [];
        for (let k = s; k + 1 < Math.min(d.items.length, s + STEPS); k++) out.push([k - s + 1, d.items[k], d.items[k + 1], d.times[k + 1] - d.times[k]]);
        return out;
      }),
    }).select('user_id', 'edge').unroll('edge')
      .derive({ step: (d: { edge: unknown[] }) => d.edge[0], source: (d: { edge: unknown[] }) => d.edge[1], target: (d: { edge: unknown[] }) => d.edge[2], ms: (d: { edge: unknown[] }) => d.edge[3] });
    const totals = edges.groupby('step', 'source', 'target')
      .rollup({ sessions: op.count(), people: op.distinct('user_id'), avg_seconds: (d: { ms: number }) => op.mean(d.ms) / 1000 })
      .orderby(aq.desc('sessions'), 'step', 'source', 'target').objects() as { step: number; source: string; target: string }[];
    const cut = new Set(totals.slice(MAX_EDGES).map((e) => `${e.step}|${e.source}|${e.target}`));
    const other = edges.filter(aq.escape((d: { step: number; source: string; target: string }) => cut.has(`${d.step}|${d.source}|${d.target}`)))
      .groupby('step', 'source').rollup({ sessions: op.count(), people: op.distinct('user_id'), avg_seconds: (d: { ms: number }) => op.mean(d.ms) / 1000 })
      .objects();
    return [...totals.slice(0, MAX_EDGES), ...other];
  },
};

export default paths;
