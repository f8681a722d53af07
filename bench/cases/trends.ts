import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import type { BenchCase } from '../bench-case.ts';

const { op } = aq;
const TOP = 25;

type Row = { country: string; w: number; value: number };

/**
 * One series of the Arquero twin: per country and UTC Monday week, the series' math; the top 25
 * countries by the series' ranking (events for counts and people, the sum for sums) keep a line,
 * the rest are one "Other" line, computed over their events together as the SQL does.
 */
function series(events: ColumnTable, event: string, math: 'total' | 'dau' | 'sum'): Row[] {
  const mine = events.params({ event }).filter((d: { event: string }, $: { event: string }) => d.event === $.event)
    .derive({ w: (d: { ts: number }) => op.floor((d.ts / 86400000 + 3) / 7) });
  const ranking = mine.groupby('country').rollup({ score: math === 'sum' ? op.sum('revenue') : op.count() })
    .orderby(aq.desc('score'), 'country').objects() as { country: string }[];
  const top = new Set(ranking.slice(0, TOP).map((r) => r.country));
  const lined = mine.params({ top: [...top] }).derive({ country: aq.escape((d: { country: string }) => (top.has(d.country) ? d.country : 'Other')) });
  const value = math === 'total' ? op.count() : math === 'dau' ? op.distinct('user_id') : op.sum('revenue');
  return lined.groupby('country', 'w').rollup({ value }).orderby('country', 'w').objects() as Row[];
}

/**
 * Weekly trends of three series (items viewed, people adding to a cart, purchase revenue), each
 * broken down by the users' country (30 values: the top 25 and "Other").
 */
const trends: BenchCase = {
  name: 'weekly trends, 3 series by country (30 values)',
  spec: {
    kind: 'trends', period: 'week', breakdown: 'country',
    series: [{ event: 'view_item' }, { event: 'add_to_cart', math: 'dau' }, { event: 'purchase', math: 'sum', property: 'revenue' }],
  },
  arquero: (events) => [
    ...series(events, 'view_item', 'total'), ...series(events, 'add_to_cart', 'dau'), ...series(events, 'purchase', 'sum'),
  ],
};

export default trends;
