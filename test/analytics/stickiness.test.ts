import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runAnalysis } from '../../src/analytics/index.ts';
import type { Engine } from '../../src/engine/index.ts';
import { createNodeEngine } from '../../src/engine/node.ts';
import { PORTED_ENGINE_KINDS, closeTestEngines, testEngine } from '../helpers/engines.ts';
import { loadTestEvents, type TestEvent } from '../helpers/events.ts';
import { generatedLog, referenceLocalDate, referencePeriods, referencePeriodStart } from './generated-log.ts';

let engine: Engine;
const at = (user: string, ts: string, event = 'open'): TestEvent => ({ user_id: user, event, ts });

const WORKED: TestEvent[] = [
  at('a', '2024-03-01T08:00:00Z'), at('a', '2024-03-02T08:00:00Z'), at('a', '2024-03-02T20:00:00Z'), at('a', '2024-03-03T08:00:00Z'),
  at('b', '2024-03-01T12:00:00Z'),
  at('c', '2024-03-02T12:00:00Z'), at('c', '2024-03-05T23:59:59Z'),
  ...['01', '02', '03', '04', '05'].map((d) => at('d', `2024-03-${d}T06:00:00Z`)),
  at('e', '2024-02-29T12:00:00Z'), at('e', '2024-03-06T00:00:00Z'),
  at('f', '2024-03-03T12:00:00Z', 'view'),
];

beforeAll(async () => {
  engine = await createNodeEngine('wasm');
  await loadTestEvents(engine, WORKED, { source: 'worked' });
});
afterAll(async () => { await engine?.close(); await closeTestEngines(); });

const run = (spec: Record<string, unknown>, table = 'worked', on = engine) => runAnalysis(on, { kind: 'stickiness', ...spec }, { table });
const users = (rows: Record<string, unknown>[]) => rows.map((r) => r.users);

describe('stickiness', () => {
  const range = { date_from: '2024-03-01', date_to: '2024-03-05' };

  test('counts people active on exactly k of 5 days', async () => {
    const { rows, meta } = await run({ event: 'open', ...range });
    expect(rows.map((r) => r.periods_active)).toEqual([1, 2, 3, 4, 5]);
    expect(users(rows)).toEqual([1, 1, 1, 0, 1]);
    expect(meta).toMatchObject({ periods: 5, users: 4, formula: expect.stringMatching(/exactly k/) });
  });

  test('cumulative counts k or more', async () => {
    const { rows, meta } = await run({ event: 'open', cumulative: true, ...range });
    expect(users(rows)).toEqual([4, 3, 2, 1, 1]);
    expect(meta.formula).toMatch(/k or more/);
  });

  test('any event by default; where filters apply first', async () => {
    expect(users((await run(range)).rows)).toEqual([2, 1, 1, 0, 1]);
    expect(users((await run({ ...range, where: [{ column: 'user_id', op: '!=', value: 'd' }] })).rows)).toEqual([2, 1, 1, 0, 0]);
  });

  test('a week range counts whole weeks', async () => {
    const { rows } = await run({ period: 'week', date_from: '2024-02-27', date_to: '2024-03-06' });
    // Weeks of 26 Feb and 4 Mar: a, b, f only in the first; c, d, e in both.
    expect(users(rows)).toEqual([3, 3]);
  });

  describe.each(PORTED_ENGINE_KINDS)('on %s', (kind) => {
    test.each([false, true])('matches a brute-force reference on a generated log (weeks in Berlin, cumulative %s)', async (cumulative) => {
      const on = await testEngine(kind);
      const zone = 'Europe/Berlin';
      const log = generatedLog({ seed: 11, users: 80, start: '2024-02-15T00:00:00Z', days: 90, eventsPerUser: 8 });
      await loadTestEvents(on, log, { source: 'generated' });
      const spec = { period: 'week', timezone: zone, date_from: '2024-03-01', date_to: '2024-04-30', cumulative };
      const { rows } = await run(spec, 'generated', on);
      // `events` points at the same log and groups people by the hash of their id
      expect((await run(spec, 'events', on)).rows).toEqual(rows);
      const expected = referenceStickiness(log, zone, 'week', spec.date_from, spec.date_to, cumulative);
      expect(expected.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
      expect(users(rows)).toEqual(expected);
    });
  });

  test.each([
    [{ cumulative: 'yes' }, /^stickiness spec: cumulative must be true or false, not "yes"$/],
    [{ period: 'quarter' }, /^stickiness spec: period must be one of "day", "week", "month", not "quarter"$/],
  ])('rejects %j', async (extra, message) => {
    await expect(run(extra)).rejects.toThrow(message);
  });
});

function referenceStickiness(log: TestEvent[], zone: string, period: 'week', from: string, to: string, cumulative: boolean): number[] {
  const periods = referencePeriods(period, from, to);
  const active = new Map<string, Set<string>>();
  for (const e of log) {
    const p = referencePeriodStart(period, referenceLocalDate(zone, Date.parse(e.ts)));
    if (!periods.includes(p)) continue;
    if (!active.has(e.user_id!)) active.set(e.user_id!, new Set());
    active.get(e.user_id!)!.add(p);
  }
  return periods.map((_, i) => [...active.values()].filter((s) => (cumulative ? s.size >= i + 1 : s.size === i + 1)).length);
}
