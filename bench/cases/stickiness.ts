import * as aq from 'arquero';
import type { BenchCase } from '../bench-case.ts';

const { op } = aq;

/** Weekly stickiness over the year, UTC: people by the number of weeks they were active in. */
const stickiness: BenchCase = {
  name: 'weekly stickiness',
  spec: { kind: 'stickiness', period: 'week' },
  arquero: (events) => events
    .derive({ p: (d: { ts: number }) => op.floor((d.ts / 86400000 + 3) / 7) })
    .groupby('user_id').rollup({ k: op.distinct('p') })
    .groupby('k').count({ as: 'users' }).orderby('k').objects(),
};

export default stickiness;
