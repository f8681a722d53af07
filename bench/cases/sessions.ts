import * as aq from 'arquero';
import type { BenchCase } from '../bench-case.ts';

const { op } = aq;

/** Sessions (30-minute gap) per day over the year, UTC, with mean and median length. */
const sessions: BenchCase = {
  name: 'sessions per day',
  spec: { kind: 'sessions', period: 'day' },
  arquero: (events) => {
    const gap = 30 * 60000;
    const numbered = events.select('user_id', 'ts').groupby('user_id').orderby('ts')
      .derive({ prev: (r: { ts: number }) => op.lag(r.ts) })
      .derive({ starts: aq.escape((r: { ts: number; prev: number }) => (r.prev !== undefined && r.ts - r.prev <= gap ? 0 : 1)) })
      .derive({ session: aq.rolling((r: { starts: number }) => op.sum(r.starts)) })
      .ungroup();
    return numbered.groupby('user_id', 'session').rollup({ start: op.min('ts'), length_ms: (r: { ts: number }) => op.max(r.ts) - op.min(r.ts) })
      .derive({ p: (r: { start: number }) => op.floor(r.start / 86400000) })
      .groupby('p')
      .rollup({ sessions: op.count(), users: op.distinct('user_id'), avg_ms: op.mean('length_ms'), median_ms: op.median('length_ms') })
      .orderby('p').objects();
  },
};

export default sessions;
