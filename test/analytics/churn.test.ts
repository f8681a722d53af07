import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runAnalysis } from '../../src/analytics/index.ts';
import type { Engine } from '../../src/engine/index.ts';
import { createNodeEngine } from '../../src/engine/node.ts';
import { ENGINE_KINDS, closeTestEngines, testEngine } from '../helpers/engines.ts';
import { loadTestEvents, type TestEvent } from '../helpers/events.ts';
import { generatedLog, referenceLocalDate, referenceNextPeriod, referencePeriods, referencePeriodStart } from './generated-log.ts';

let engine: Engine;
const at = (user: string, ts: string, event = 'purchase', revenue: number | null = 10): TestEvent => ({ user_id: user, event, ts, revenue });

/** 1000 customers buy in January; 50 of them (who spent 30, not 10) cancel in February; 30 new ones arrive. */
function thousandCustomers(): TestEvent[] {
  const log: TestEvent[] = [];
  for (let i = 0; i < 1000; i++) {
    const user = `c${i}`;
    const lost = i < 50;
    log.push(at(user, `2024-01-${String(1 + (i % 28)).padStart(2, '0')}T12:00:00Z`, 'purchase', lost ? 30 : 10));
    if (lost) log.push(at(user, `2024-02-${String(1 + (i % 28)).padStart(2, '0')}T12:00:00Z`, 'cancel', null));
  }
  for (let i = 0; i < 30; i++) log.push(at(`n${i}`, `2024-02-${String(1 + i % 28).padStart(2, '0')}T15:00:00Z`, 'purchase', 10));
  return log;
}

// Inactive for 30 days means lost; the log ends on 10 April.
const INACTIVE: TestEvent[] = [
  at('a', '2024-01-15T10:00:00Z'), at('a', '2024-02-10T10:00:00Z'),
  at('b', '2024-01-20T10:00:00Z'),
  at('c', '2024-02-15T10:00:00Z', 'purchase', 20), at('c', '2024-03-01T10:00:00Z', 'purchase', 20),
  at('c', '2024-03-20T10:00:00Z', 'purchase', 20), at('c', '2024-04-10T10:00:00Z', 'purchase', 20),
  at('d', '2024-01-10T10:00:00Z'), at('d', '2024-03-25T10:00:00Z'),
];

beforeAll(async () => {
  engine = await createNodeEngine('wasm');
  await loadTestEvents(engine, thousandCustomers(), { source: 'thousand' });
  await loadTestEvents(engine, INACTIVE, { source: 'inactive' });
});
afterAll(async () => { await engine?.close(); await closeTestEngines(); });

const run = (spec: Record<string, unknown>, table: string, on = engine) => runAnalysis(on, { kind: 'churn', ...spec }, { table });

describe('churn', () => {
  test('worked example: 1000 customers at start, 50 lost → churn 5 %, lifetime 20 periods', async () => {
    const { rows, meta } = await run({ cancel_event: 'cancel', date_from: '2024-01-01', date_to: '2024-02-29' }, 'thousand');
    expect(rows[0]).toMatchObject({ period: '2024-01-01', customers_start: 0, new_customers: 1000, lost: 0, churn_rate: null, avg_lifetime_periods: null });
    expect(rows[1]).toEqual({
      period: '2024-02-01', customers_start: 1000, new_customers: 30, lost: 50, customers_end: 980,
      churn_rate: 0.05, retention_rate: 0.95, avg_lifetime_periods: 20,
      revenue_start: 950 * 10 + 50 * 30, revenue_lost: 50 * 30, revenue_churn: 1500 / 11000,
      incomplete: true,
    });
    expect(meta.formula).toMatch(/average lifetime = 1 ÷ churn/);
    expect(meta.churn_rule).toBe('a customer is lost at their "cancel" event');
  });

  test('a new customer lost in the same period is not churn but lowers the retention rate', async () => {
    await loadTestEvents(engine, [
      ...thousandCustomers(), at('n0', '2024-02-20T12:00:00Z', 'cancel', null),
    ], { source: 'thousand_new_lost' });
    const { rows } = await run({ cancel_event: 'cancel', date_from: '2024-02-01', date_to: '2024-02-29' }, 'thousand_new_lost');
    expect(rows[0]).toMatchObject({ customers_start: 1000, new_customers: 30, lost: 50, customers_end: 979, churn_rate: 0.05, retention_rate: 0.949 });
  });

  test('inactive for 30 days means lost, dated when the 30 days are up; a return is a new customer', async () => {
    const { rows, meta } = await run({ inactive_days: 30, date_from: '2024-01-01', date_to: '2024-04-30' }, 'inactive');
    const pick = (r: Record<string, unknown>) => [r.period, r.customers_start, r.new_customers, r.lost, r.customers_end, r.revenue_start, r.revenue_lost, r.incomplete];
    expect(rows.map(pick)).toEqual([
      ['2024-01-01', 0, 3, 0, 3, 0, 0, false],
      ['2024-02-01', 3, 1, 2, 2, 30, 20, false],
      ['2024-03-01', 2, 1, 1, 2, 30, 10, false],
      ['2024-04-01', 2, 0, 0, 2, 50, 0, true],
    ]);
    expect(rows.map((r) => r.churn_rate)).toEqual([null, 2 / 3, 0.5, 0]);
    expect(rows.map((r) => r.retention_rate)).toEqual([null, 1 / 3, 0.5, 1]);
    expect(rows.map((r) => r.avg_lifetime_periods)).toEqual([null, 1.5, 2, null]);
    expect(rows.map((r) => r.revenue_churn)).toEqual([null, 2 / 3, 1 / 3, 0]);
    expect(meta.churn_rule).toMatch(/lost 30 days after their last activity/);
  });

  test('inactive_days defaults to 30 and where filters apply first', async () => {
    const { rows } = await run({ date_from: '2024-02-01', date_to: '2024-02-29', where: [{ column: 'user_id', op: 'in', value: ['a', 'b'] }] }, 'inactive');
    expect(rows[0]).toMatchObject({ customers_start: 2, new_customers: 0, lost: 1, churn_rate: 0.5 });
  });

  describe.each(ENGINE_KINDS)('on %s', (kind) => {
    test.each([
      { mode: 'inactive_days', spec: { inactive_days: 14 } },
      { mode: 'cancel_event', spec: { cancel_event: 'cancel', event: 'purchase' } },
    ])('matches a brute-force reference on a generated log ($mode, weeks in Los Angeles)', async ({ spec }) => {
      const on = await testEngine(kind);
      const zone = 'America/Los_Angeles';
      const log = generatedLog({ seed: 21, users: 120, start: '2024-01-01T00:00:00Z', days: 150, eventsPerUser: 5, events: ['purchase', 'purchase', 'view', 'cancel'] });
      await loadTestEvents(on, log, { source: 'generated' });
      const range = { period: 'week', timezone: zone, date_from: '2024-02-05', date_to: '2024-05-26' };
      const { rows } = await run({ ...spec, ...range }, 'generated', on);
      const expected = referenceChurn(log, zone, range.date_from, range.date_to, spec);
      expect(expected.some((r) => r.lost > 0 && r.new_customers > 0)).toBe(true);
      expect(rows.map(({ period, customers_start, new_customers, lost, customers_end }) => ({ period, customers_start, new_customers, lost, customers_end })))
        .toEqual(expected.map(({ period, customers_start, new_customers, lost, customers_end }) => ({ period, customers_start, new_customers, lost, customers_end })));
      for (const [i, row] of rows.entries()) {
        expect(row.revenue_start).toBeCloseTo(expected[i].revenue_start, 6);
        expect(row.revenue_lost).toBeCloseTo(expected[i].revenue_lost, 6);
      }
    });
  });

  test.each([
    [{ cancel_event: 'cancel', inactive_days: 30 }, /^churn spec: give either cancel_event or inactive_days, not both$/],
    [{ inactive_days: 0 }, /^churn spec: inactive_days must be a whole number of days ≥ 1, not 0$/],
    [{ inactive_days: '30' }, /^churn spec: inactive_days must be a whole number of days ≥ 1, not "30"$/],
    [{ cancel_event: 'cancel', event: 'cancel' }, /^churn spec: event and cancel_event are both "cancel"$/],
  ])('rejects %j', async (extra, message) => {
    await expect(run(extra, 'thousand')).rejects.toThrow(message);
  });
});

interface Spell { user: string; acquired: number; churned: number | null }

/** Churn from the definitions: spells per customer, then per week counts and previous-week revenue. */
function referenceChurn(log: TestEvent[], zone: string, from: string, to: string, spec: { inactive_days?: number; cancel_event?: string; event?: string }) {
  const day = 86_400_000;
  const logEnd = Math.max(...log.map((e) => Date.parse(e.ts)));
  const byUser = new Map<string, TestEvent[]>();
  for (const e of log) {
    if (!byUser.has(e.user_id!)) byUser.set(e.user_id!, []);
    byUser.get(e.user_id!)!.push(e);
  }
  const isActivity = (e: TestEvent) => e.event !== spec.cancel_event && (!spec.event || e.event === spec.event);
  const spells: Spell[] = [];
  for (const [user, events] of byUser) {
    events.sort((a, b) => Date.parse(a.ts) - Date.parse(b.ts) || Number(a.event === spec.cancel_event) - Number(b.event === spec.cancel_event));
    let open: Spell | null = null;
    let last = 0;
    for (const e of events) {
      const t = Date.parse(e.ts);
      if (spec.inactive_days) {
        if (!isActivity(e)) continue;
        if (open && t - last > spec.inactive_days * day) { open.churned = last + spec.inactive_days * day; open = null; }
        if (!open) { open = { user, acquired: t, churned: null }; spells.push(open); }
        last = t;
      } else if (e.event === spec.cancel_event) {
        if (open) { open.churned = t; open = null; }
      } else if (isActivity(e) && !open) {
        open = { user, acquired: t, churned: null };
        spells.push(open);
      }
    }
    if (open && spec.inactive_days && last + spec.inactive_days * day <= logEnd) open.churned = last + spec.inactive_days * day;
  }
  const weekOf = (ms: number) => referencePeriodStart('week', referenceLocalDate(zone, ms));
  const spend = new Map<string, number>();
  for (const e of log) if (isActivity(e) && e.revenue != null) {
    const key = `${e.user_id}|${weekOf(Date.parse(e.ts))}`;
    spend.set(key, (spend.get(key) ?? 0) + e.revenue);
  }
  const weeks = referencePeriods('week', from, to);
  return weeks.map((week) => {
    const next = referenceNextPeriod('week', week);
    const previous = referencePeriodStart('week', new Date(Date.parse(`${week}T00:00:00Z`) - day).toISOString().slice(0, 10));
    const before = (ms: number) => weekOf(ms) < week;
    const within = (ms: number) => weekOf(ms) === week;
    const atStart = spells.filter((s) => before(s.acquired) && (s.churned === null || !before(s.churned)));
    const lost = atStart.filter((s) => s.churned !== null && within(s.churned));
    const atEnd = spells.filter((s) => weekOf(s.acquired) < next && (s.churned === null || weekOf(s.churned) >= next));
    const revenue = (list: Spell[]) => list.reduce((sum, s) => sum + (spend.get(`${s.user}|${previous}`) ?? 0), 0);
    return {
      period: week, customers_start: atStart.length, new_customers: spells.filter((s) => within(s.acquired)).length,
      lost: lost.length, customers_end: atEnd.length, revenue_start: revenue(atStart), revenue_lost: revenue(lost),
    };
  });
}
