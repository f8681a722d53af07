import * as aq from 'arquero';
import type { BenchCase } from '../bench-case.ts';

const { op } = aq;
const WEEK_MS = 7 * 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The activation cohort: people who added to cart at least twice in the 7 × 24 hours from their
 * first event (first seen ≤ ts < first seen + 7 days), with their first and last seen, all their
 * events and the add-to-carts that qualified them.
 */
const cohort: BenchCase = {
  name: 'cohort: 2+ add to cart in the first week',
  spec: { kind: 'cohort', cohort: { name: 'carted_twice_first_week', rules: [{ did: 'add_to_cart', at_least: 2, within_days_of_first_seen: 7 }] } },
  arquero: (events) => {
    const seen = events.groupby('user_id').rollup({ first: op.min('ts'), last: op.max('ts'), events: op.count() });
    const carts = events.filter((d: { event: string }) => d.event === 'add_to_cart').select('user_id', 'ts')
      .join(seen.select('user_id', 'first'), 'user_id')
      .filter(aq.escape((d: { ts: number; first: number }) => d.ts < d.first + WEEK_MS))
      .groupby('user_id').count({ as: 'qualifying_events' })
      .filter((d: { qualifying_events: number }) => d.qualifying_events >= 2);
    return seen.join(carts, 'user_id').orderby('user_id').objects().map((r) => {
      const row = r as { user_id: string; first: number; last: number; events: number; qualifying_events: number };
      return { user_id: row.user_id, first_seen: iso(row.first), last_seen: iso(row.last), events: row.events, qualifying_events: row.qualifying_events };
    });
  },
};

export default cohort;
