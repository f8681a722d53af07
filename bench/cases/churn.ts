import * as aq from 'arquero';
import type { BenchCase } from '../bench-case.ts';

const { op } = aq;

/**
 * Monthly customer churn over the year, UTC, a customer being lost after 30 days without an
 * event. The Arquero version builds the same spells and counts customers at each month's start,
 * new and lost customers per month.
 */
const churn: BenchCase = {
  name: 'monthly churn (30 days inactive)',
  spec: { kind: 'churn', period: 'month', inactive_days: 30 },
  arquero: (events) => {
    const gap = 30 * 86400000;
    const logEnd = events.rollup({ t: op.max('ts') }).get('t', 0) as number;
    const month = (ms: number) => { const d = new Date(ms); return d.getUTCFullYear() * 12 + d.getUTCMonth(); };
    const spells = events.select('user_id', 'ts').groupby('user_id').orderby('ts')
      .derive({ prev: (r: { ts: number }) => op.lag(r.ts) })
      .derive({ starts: aq.escape((r: { ts: number; prev: number | undefined }) => (r.prev === undefined || r.ts - r.prev > gap ? 1 : 0)) })
      .derive({ spell: aq.rolling((r: { starts: number }) => op.sum(r.starts)) })
      .groupby('user_id', 'spell').rollup({ acquired: op.min('ts'), last: op.max('ts') })
      .derive({
        acq_p: aq.escape((r: { acquired: number }) => month(r.acquired)),
        churn_p: aq.escape((r: { last: number }) => (r.last + gap <= logEnd ? month(r.last + gap) : null)),
      }).objects() as { acq_p: number; churn_p: number | null }[];
    const periods = [...new Set(spells.map((s) => s.acq_p))].sort((a, b) => a - b);
    return periods.map((p) => {
      const start = spells.filter((s) => s.acq_p < p && (s.churn_p === null || s.churn_p >= p)).length;
      const lost = spells.filter((s) => s.acq_p < p && s.churn_p === p).length;
      const added = spells.filter((s) => s.acq_p === p).length;
      return { p, customers_start: start, new_customers: added, lost, churn_rate: start ? lost / start : null };
    });
  },
};

export default churn;
