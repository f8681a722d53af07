import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runAnalysis } from '../../src/analytics/index.ts';
import type { Engine } from '../../src/engine/index.ts';
import { createNodeEngine } from '../../src/engine/node.ts';
import { ENGINE_KINDS, closeTestEngines, testEngine } from '../helpers/engines.ts';
import { loadTestEvents, type TestEvent } from '../helpers/events.ts';
import { generatedLog, referenceLocalDate } from './generated-log.ts';
import { GRID, ntile } from './rfm-reference.ts';

let engine: Engine;
const buy = (user: string, ts: string, revenue: number, invoice: string): TestEvent => ({ user_id: user, event: 'purchase', ts: `${ts}T10:00:00Z`, revenue, invoice });

const WORKED: TestEvent[] = [
  buy('a', '2024-03-01', 10, 'a1'), buy('a', '2024-03-09', 20, 'a2'), buy('a', '2024-03-10', 30, 'a3'),
  buy('b', '2024-03-05', 100, 'b1'),
  buy('c', '2024-01-10', 5, 'c1'), buy('c', '2024-02-01', 5, 'c2'),
  buy('d', '2024-03-08', 1, 'd1'), buy('d', '2024-03-08', 1, 'd1'), buy('d', '2024-03-08', 1, 'd1'), buy('d', '2024-03-09', 1, 'd2'),
  buy('e', '2023-12-01', 500, 'e1'),
  { user_id: 'f', event: 'open', ts: '2024-03-10T12:00:00Z' },
];

beforeAll(async () => {
  engine = await createNodeEngine('wasm');
  await loadTestEvents(engine, WORKED, { source: 'worked' });
});
afterAll(async () => { await engine?.close(); await closeTestEngines(); });

const run = (spec: Record<string, unknown>, table = 'worked', on = engine) => runAnalysis(on, { kind: 'rfm', ...spec }, { table });

describe('rfm', () => {
  test('recency, frequency, monetary, quintile scores and segments (hand-counted)', async () => {
    const { rows, meta } = await run({});
    expect(meta.as_of).toBe('2024-03-11');
    expect(rows).toEqual([
      { user_id: 'a', recency_days: 1, frequency: 3, monetary: 60, r: 5, f: 4, m: 3, segment: 'Champions' },
      { user_id: 'd', recency_days: 2, frequency: 4, monetary: 4, r: 4, f: 5, m: 1, segment: 'Loyal' },
      // b and e both bought once: the tie is broken by user_id, so b gets F 1 and e F 2
      { user_id: 'b', recency_days: 6, frequency: 1, monetary: 100, r: 3, f: 1, m: 4, segment: 'About to sleep' },
      { user_id: 'c', recency_days: 39, frequency: 2, monetary: 10, r: 2, f: 3, m: 2, segment: 'At risk' },
      { user_id: 'e', recency_days: 101, frequency: 1, monetary: 500, r: 1, f: 2, m: 5, segment: 'Hibernating' },
    ]);
    expect(meta.formula).toMatch(/NTILE\(5\)/);
  });

  test('order_column counts orders, as_of leaves later purchases out, where filters', async () => {
    const { rows } = await run({ order_column: 'invoice', as_of: '2024-03-09', where: [{ column: 'user_id', op: 'in', value: ['d', 'a'] }] });
    // two customers fill NTILE(5)'s first two groups only; d's three rows of invoice d1 are one purchase
    expect(rows).toEqual([
      { user_id: 'd', recency_days: 1, frequency: 1, monetary: 3, r: 2, f: 2, m: 1, segment: 'Hibernating' },
      { user_id: 'a', recency_days: 8, frequency: 1, monetary: 10, r: 1, f: 1, m: 2, segment: 'Lost' },
    ]);
  });

  test('summary: one row per segment, all eleven, best first', async () => {
    const { rows } = await run({ summary: true });
    expect(rows.map((r) => r.segment)).toEqual([
      'Champions', 'Loyal', 'Potential loyalist', 'New customers', 'Promising', 'Need attention',
      'About to sleep', 'At risk', "Can't lose them", 'Hibernating', 'Lost',
    ]);
    expect(rows.filter((r) => (r.users as number) > 0)).toEqual([
      { segment: 'Champions', users: 1, share: 0.2, avg_monetary: 60, avg_recency_days: 1 },
      { segment: 'Loyal', users: 1, share: 0.2, avg_monetary: 4, avg_recency_days: 2 },
      { segment: 'About to sleep', users: 1, share: 0.2, avg_monetary: 100, avg_recency_days: 6 },
      { segment: 'At risk', users: 1, share: 0.2, avg_monetary: 10, avg_recency_days: 39 },
      { segment: 'Hibernating', users: 1, share: 0.2, avg_monetary: 500, avg_recency_days: 101 },
    ]);
    expect(rows.find((r) => r.segment === 'Lost')).toEqual({ segment: 'Lost', users: 0, share: 0, avg_monetary: null, avg_recency_days: null });
  });

  describe.each(ENGINE_KINDS)('on %s', (kind) => {
    test('matches a brute-force reference on a generated log (Berlin, as_of inside the log)', async () => {
      const on = await testEngine(kind);
      const log = generatedLog({ seed: 21, users: 157, start: '2024-01-01T00:00:00Z', days: 120, eventsPerUser: 9 });
      await loadTestEvents(on, log, { source: 'generated' });
      const { rows } = await run({ timezone: 'Europe/Berlin', as_of: '2024-04-01' }, 'generated', on);
      const expected = referenceRfm(log, 'Europe/Berlin', '2024-04-01');
      expect(expected.length).toBeGreaterThan(80);
      expect(new Set(expected.map((r) => r.segment)).size).toBeGreaterThan(6);
      const sorted = (list: typeof expected) => [...list].sort((x, y) => (x.user_id < y.user_id ? -1 : 1));
      const actual = sorted(rows as typeof expected);
      sorted(expected).forEach((row, i) => {
        expect({ ...actual[i], monetary: 0 }).toEqual({ ...row, monetary: 0 });
        expect(actual[i].monetary).toBeCloseTo(row.monetary, 6);
      });
    });
  });

  test.each([
    [{ as_of: '11/03/2024' }, /^rfm spec: as_of must be a local date written YYYY-MM-DD/],
    [{ order_column: 'InvoiceNo' }, /^rfm spec: order_column: no column "InvoiceNo"/],
    [{ summary: 'yes' }, /^rfm spec: summary must be true or false/],
    [{ timezone: 'Mars/Olympus' }, /^rfm spec: timezone "Mars\/Olympus" is not an IANA time zone name/],
  ])('rejects %j', async (extra, message) => {
    await expect(run(extra)).rejects.toThrow(message);
  });
});

function referenceRfm(log: TestEvent[], zone: string, asOf: string) {
  const days = (date: string) => Date.parse(`${date}T00:00:00Z`) / 86_400_000;
  const customers = new Map<string, { last: string; frequency: number; monetary: number }>();
  for (const e of log) {
    const date = referenceLocalDate(zone, Date.parse(e.ts));
    if (e.event !== 'purchase' || date >= asOf) continue;
    const c = customers.get(e.user_id!) ?? { last: date, frequency: 0, monetary: 0 };
    customers.set(e.user_id!, { last: date > c.last ? date : c.last, frequency: c.frequency + 1, monetary: c.monetary + (e.revenue ?? 0) });
  }
  const list = [...customers].map(([user_id, c]) => ({ user_id, recency_days: days(asOf) - days(c.last), frequency: c.frequency, monetary: c.monetary }));
  type Item = (typeof list)[number];
  const byUser = (a: Item, b: Item) => (a.user_id < b.user_id ? -1 : 1);
  const r = ntile(list, (a, b) => b.recency_days - a.recency_days || byUser(a, b));
  const f = ntile(list, (a, b) => a.frequency - b.frequency || byUser(a, b));
  const m = ntile(list, (a, b) => a.monetary - b.monetary || byUser(a, b));
  return list.map((c) => ({ ...c, r: r.get(c)!, f: f.get(c)!, m: m.get(c)!, segment: GRID[r.get(c)! - 1][f.get(c)! - 1] }));
}
