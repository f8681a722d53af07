import * as aq from 'arquero';
import { op } from 'arquero';
import type { BenchCase } from '../bench-case.ts';

const month = (ms: number) => { const d = new Date(ms); return d.getUTCFullYear() * 12 + d.getUTCMonth(); };

/**
 * Monthly LTV over the benchmark year: cohorts by first event (UTC months from 2024-01), cumulative
 * revenue per user at every age up to the last month (12 + 11 + ... + 1 = 78 cells). The Arquero
 * version finds each person's first event, joins it back to the revenue events and sums per
 * cohort and age.
 *
 * @example
 * npm run bench -- --cases ltv --sizes 1m
 */
const ltv: BenchCase = {
  name: 'monthly LTV (cumulative revenue per user by cohort age)',
  spec: { kind: 'ltv', period: 'month', date_from: '2024-01-01' },
  arquero(events) {
    const last = month(events.rollup({ last: op.max('ts') }).get('last', 0) as number);
    const from = month(Date.UTC(2024, 0, 1));
    const firsts = events.groupby('user_id').rollup({ first_ms: op.min('ts') })
      .derive({ cohort: aq.escape((d: { first_ms: number }) => month(d.first_ms)) })
      .params({ from, last }).filter((d: any, $: any) => d.cohort >= $.from && d.cohort <= $.last);
    const sizes = firsts.groupby('cohort').count({ as: 'cohort_size' }).objects() as { cohort: number; cohort_size: number }[];
    const spend = events.filter((d: any) => d.revenue != null)
      .join(firsts, 'user_id')
      .filter((d: any) => d.ts >= d.first_ms)
      .derive({ age: aq.escape((d: { ts: number; cohort: number }) => month(d.ts) - d.cohort) })
      .params({ span: last }).filter((d: any, $: any) => d.cohort + d.age <= $.span)
      .groupby('cohort', 'age').rollup({ revenue: op.sum('revenue') }).objects() as { cohort: number; age: number; revenue: number }[];
    const revenue = new Map(spend.map((s) => [`${s.cohort} ${s.age}`, s.revenue]));
    const rows = [];
    for (const { cohort, cohort_size } of sizes.sort((a, b) => a.cohort - b.cohort)) {
      let cumulative = 0;
      for (let age = 0; cohort + age <= last; age++) {
        const r = revenue.get(`${cohort} ${age}`) ?? 0;
        cumulative += r;
        const label = new Date(Date.UTC(Math.floor(cohort / 12), cohort % 12, 1)).toISOString().slice(0, 10);
        rows.push({ cohort: label, cohort_size, age, revenue: r, cumulative_revenue_per_user: cumulative / cohort_size });
      }
    }
    return rows;
  },
};

export default ltv;
