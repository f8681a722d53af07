import * as aq from 'arquero';
import { op } from 'arquero';
import type { BenchCase } from '../bench-case.ts';

const DAY = 86_400_000;
const WEEK = 7 * DAY;
// 1970-01-01 was a Thursday: adding 3 days makes UTC weeks start on Monday.
const MONDAY_SHIFT = 3 * DAY;
const FROM = Date.UTC(2024, 0, 1);
const INTERVALS = 12;

/**
 * Weekly retention over the whole benchmark year (DESIGN.md's target: under 1.5 s on 10M events in
 * DuckDB-WASM, within 1.5x of native DuckDB, at least 20x faster than plain Arquero). Recurring
 * cohorts of any event, returns of any event, 12 periods, UTC Monday weeks from 2024-01-01 to the
 * last event (53 cohorts, 570 cells).
 *
 * @example
 * npm run bench -- --cases retention --sizes 1m
 */
const retention: BenchCase = {
  name: 'weekly retention (recurring, any event, 53 cohorts x 12 weeks)',
  spec: { kind: 'retention', period: 'week', date_from: '2024-01-01', intervals: INTERVALS },
  arquero(events) {
    const last = events.rollup({ last: op.max('ts') }).get('last', 0) as number;
    const lastWeek = Math.floor((last + MONDAY_SHIFT) / WEEK);
    const end = (lastWeek + 1) * WEEK - MONDAY_SHIFT;
    // One row per person and week they were active in, as the SQL pre-aggregates.
    const active = events
      .params({ from: FROM, end, shift: MONDAY_SHIFT, week: WEEK })
      .filter((d: any, $: any) => d.ts >= $.from && d.ts < $.end)
      .derive({ p: (d: any, $: any) => op.floor((d.ts + $.shift) / $.week) })
      .select('user_id', 'p')
      .dedupe();
    const cohorts = active.rename({ p: 'c' });
    const sizes = cohorts.groupby('c').count({ as: 'cohort_size' });
    const returns = cohorts
      .join(active, 'user_id')
      .params({ intervals: INTERVALS })
      .filter((d: any, $: any) => d.p > d.c && d.p < d.c + $.intervals)
      .derive({ k: (d: any) => d.p - d.c })
      .groupby('c', 'k')
      .count({ as: 'users' });
    const firstWeek = Math.floor((FROM + MONDAY_SHIFT) / WEEK);
    const cells = [];
    for (let c = firstWeek; c <= lastWeek; c++) for (let k = 0; k < INTERVALS && c + k <= lastWeek; k++) cells.push({ c, k });
    return aq.from(cells)
      .join_left(sizes, 'c')
      .join_left(returns, [['c', 'k'], ['c', 'k']])
      .params({ week: WEEK, shift: MONDAY_SHIFT })
      .derive({
        cohort: (d: any, $: any) => op.format_utcdate(d.c * $.week - $.shift),
        cohort_size: (d: any) => d.cohort_size ?? 0,
        users: (d: any) => (d.k === 0 ? d.cohort_size ?? 0 : d.users ?? 0),
      })
      .derive({ rate: (d: any) => (d.cohort_size > 0 ? d.users / d.cohort_size : null) })
      .select('cohort', 'cohort_size', 'k', 'users', 'rate')
      .rename({ k: 'period' })
      .orderby('cohort', 'period')
      .objects();
  },
};

export default retention;
