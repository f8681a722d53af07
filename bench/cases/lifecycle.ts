import * as aq from 'arquero';
import type { BenchCase } from '../bench-case.ts';

const { op } = aq;

/**
 * Weekly lifecycle (new / returning / resurrecting / dormant) over the whole year, UTC. The
 * Arquero version does the same work: each person's active weeks, the previous and next active
 * week beside each, and counts per week and status.
 */
const lifecycle: BenchCase = {
  name: 'weekly lifecycle',
  spec: { kind: 'lifecycle', period: 'week' },
  arquero: (events) => {
    // Monday weeks counted from 1970-01-01 (a Thursday), as the SQL does.
    const active = events.derive({ p: (d: { ts: number }) => op.floor((d.ts / 86400000 + 3) / 7) }).select('user_id', 'p').dedupe();
    const marked = active.groupby('user_id').orderby('p')
      .derive({ prev: (d: { p: number }) => op.lag(d.p), next: (d: { p: number }) => op.lead(d.p) }).ungroup();
    const last = marked.rollup({ to: op.max('p') }).get('to', 0) as number;
    const statuses = marked.derive({
      status: (d: { p: number; prev: number }) => (d.prev == null ? 'new' : d.prev === d.p - 1 ? 'returning' : 'resurrecting'),
    }).select('p', 'status');
    const dormant = marked.params({ last })
      .filter((d: { p: number; next: number }, $: { last: number }) => (d.next == null || d.next > d.p + 1) && d.p + 1 <= $.last)
      .derive({ p: (d: { p: number }) => d.p + 1, status: () => 'dormant' }).select('p', 'status');
    return statuses.concat(dormant).groupby('p', 'status').count({ as: 'users' }).orderby('p', 'status').objects();
  },
};

export default lifecycle;
