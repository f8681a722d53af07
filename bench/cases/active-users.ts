import * as aq from 'arquero';
import type { BenchCase } from '../bench-case.ts';

const { op } = aq;

/**
 * Rolling DAU, WAU and MAU for every day of the year, UTC. The Arquero version uses the same
 * running-sum method as the SQL (a distinct count per window by a range join would be far slower
 * in Arquero): each active day covers the windows up to the person's next active day.
 */
const activeUsers: BenchCase = {
  name: 'DAU/WAU/MAU per day',
  spec: { kind: 'active_users' },
  arquero: (events) => {
    const days = events.derive({ d: (r: { ts: number }) => op.floor(r.ts / 86400000) }).select('user_id', 'd').dedupe();
    const spans = days.groupby('user_id').orderby('d').derive({ next: (r: { d: number }) => op.lead(r.d) }).ungroup();
    const end = (r: { d: number; next: number }, w: number) => (r.next != null && r.next < r.d + w ? r.next : r.d + w);
    const deltas = aq.table({
      day: [], dau: [], wau: [], mau: [],
    }).concat(
      spans.derive({ day: (r: { d: number }) => r.d, dau: () => 1, wau: () => 1, mau: () => 1 }).select('day', 'dau', 'wau', 'mau'),
      spans.derive({ day: (r: { d: number }) => r.d + 1, dau: () => -1, wau: () => 0, mau: () => 0 }).select('day', 'dau', 'wau', 'mau'),
      spans.params({ w: 7 }).derive({ day: aq.escape((r: { d: number; next: number }) => end(r, 7)), dau: () => 0, wau: () => -1, mau: () => 0 }).select('day', 'dau', 'wau', 'mau'),
      spans.derive({ day: aq.escape((r: { d: number; next: number }) => end(r, 30)), dau: () => 0, wau: () => 0, mau: () => -1 }).select('day', 'dau', 'wau', 'mau'),
    );
    const range = days.rollup({ from: op.min('d'), to: op.max('d') }).object() as { from: number; to: number };
    const perDay = deltas.groupby('day').rollup({ dau: op.sum('dau'), wau: op.sum('wau'), mau: op.sum('mau') });
    const calendar = aq.table({ day: Array.from({ length: range.to - range.from + 1 }, (_, i) => range.from + i) });
    return calendar.join_left(perDay, 'day').orderby('day')
      .derive({ dau: aq.rolling((r: { dau: number }) => op.sum(r.dau)), wau: aq.rolling((r: { wau: number }) => op.sum(r.wau)), mau: aq.rolling((r: { mau: number }) => op.sum(r.mau)) })
      .derive({ dau_mau: (r: { dau: number; mau: number }) => (r.mau ? r.dau / r.mau : null) })
      .objects();
  },
};

export default activeUsers;
