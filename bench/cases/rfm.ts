import * as aq from 'arquero';
import { op } from 'arquero';
import type { BenchCase } from '../bench-case.ts';
import { rfmSegment } from '../../src/analytics/index.ts';

const DAY = 86_400_000;

/** SQL's NTILE(5) of the k-th of n rows (1-based): the first n mod 5 groups get one row more. */
function ntile5(k: number, n: number): number {
  const size = Math.floor(n / 5);
  const big = (n % 5) * (size + 1);
  return k <= big ? Math.ceil(k / (size + 1)) : n % 5 + Math.ceil((k - big) / size);
}

/**
 * RFM of every purchaser of the benchmark year, one row per customer with quintile scores and
 * segments (UTC, as_of the day after the last event). The Arquero version aggregates per person,
 * scores with SQL's NTILE(5) rule over the same orderings (ties broken by user_id) and names segments from
 * the same R × F grid.
 *
 * @example
 * npm run bench -- --cases rfm --sizes 1m
 */
const rfm: BenchCase = {
  name: 'RFM per customer (quintile scores, segments)',
  spec: { kind: 'rfm', purchase_event: 'purchase' },
  arquero(events) {
    const last = events.rollup({ last: op.max('ts') }).get('last', 0) as number;
    const customers = events
      .filter((d: any) => d.event === 'purchase')
      .groupby('user_id')
      .rollup({ last_ms: op.max('ts'), frequency: op.count(), monetary: op.sum('revenue') })
      .params({ as_of: Math.floor(last / DAY) + 1, day: DAY })
      .derive({ recency_days: (d: any, $: any) => $.as_of - op.floor(d.last_ms / $.day) });
    const n = customers.numRows();
    // Arquero's own ntile spreads the remainder differently from SQL's, so score from row numbers.
    const score = (table: typeof customers, name: string) => table
      .derive({ k: () => op.row_number() })
      .derive({ [name]: aq.escape((d: { k: number }) => ntile5(d.k, n)) });
    const scored = score(score(score(
      customers.orderby(aq.desc('recency_days'), 'user_id'), 'r').orderby('frequency', 'user_id'), 'f').orderby('monetary', 'user_id'), 'm');
    return scored
      .derive({ segment: aq.escape((d: { r: number; f: number }) => rfmSegment(d.r, d.f)) })
      .select('user_id', 'recency_days', 'frequency', 'monetary', 'r', 'f', 'm', 'segment')
      .orderby(aq.desc('r'), aq.desc('f'), aq.desc('m'), 'user_id')
      .objects();
  },
};

export default rfm;
