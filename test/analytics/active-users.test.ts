import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runAnalysis } from '../../src/analytics/index.ts';
import type { Engine } from '../../src/engine/index.ts';
import { createNodeEngine } from '../../src/engine/node.ts';
import { PORTED_ENGINE_KINDS, closeTestEngines, testEngine } from '../helpers/engines.ts';
import { loadTestEvents, type TestEvent } from '../helpers/events.ts';
import { generatedLog, referenceLocalDate, referencePeriods } from './generated-log.ts';

let engine: Engine;
const at = (user: string, ts: string, event = 'open'): TestEvent => ({ user_id: user, event, ts });

const WORKED: TestEvent[] = [
  at('a', '2024-01-01T10:00:00Z'), at('a', '2024-01-05T10:00:00Z'), at('a', '2024-01-20T10:00:00Z'),
  at('b', '2024-01-03T10:00:00Z'), at('b', '2024-01-03T11:00:00Z'), at('b', '2024-01-09T10:00:00Z'),
  at('c', '2024-01-31T10:00:00Z', 'purchase'),
];

beforeAll(async () => {
  engine = await createNodeEngine('wasm');
  await loadTestEvents(engine, WORKED, { source: 'worked' });
});
afterAll(async () => { await engine?.close(); await closeTestEngines(); });

const run = (spec: Record<string, unknown>, table = 'worked', on = engine) => runAnalysis(on, { kind: 'active_users', ...spec }, { table });

describe('active_users', () => {
  test('rolling DAU, WAU, MAU and DAU/MAU on a hand-made log', async () => {
    const { rows, meta } = await run({ date_from: '2024-01-05', date_to: '2024-02-19' });
    expect(rows).toHaveLength(46);
    const day = (date: string) => rows.find((r) => r.date === date);
    expect(day('2024-01-05')).toEqual({ date: '2024-01-05', dau: 1, wau: 2, mau: 2, dau_mau: 0.5 });
    expect(day('2024-01-09')).toEqual({ date: '2024-01-09', dau: 1, wau: 2, mau: 2, dau_mau: 0.5 });
    expect(day('2024-01-10')).toEqual({ date: '2024-01-10', dau: 0, wau: 2, mau: 2, dau_mau: 0 });
    expect(day('2024-01-12')).toMatchObject({ wau: 1, mau: 2 });
    expect(day('2024-01-16')).toMatchObject({ dau: 0, wau: 0, mau: 2 });
    expect(day('2024-01-31')).toEqual({ date: '2024-01-31', dau: 1, wau: 1, mau: 3, dau_mau: 1 / 3 });
    expect(day('2024-02-08')).toMatchObject({ mau: 2 });
    expect(day('2024-02-19')).toEqual({ date: '2024-02-19', dau: 0, wau: 0, mau: 1, dau_mau: 0 });
    expect(meta.formula).toMatch(/DAU ÷ MAU/);
  });

  test('an event and where filters narrow what counts as active', async () => {
    const { rows } = await run({ event: 'open', date_from: '2024-01-31', date_to: '2024-01-31', where: [{ column: 'user_id', op: '!=', value: 'b' }] });
    expect(rows).toEqual([{ date: '2024-01-31', dau: 0, wau: 0, mau: 1, dau_mau: 0 }]);
  });

  test('no activity in the last 30 days gives a null DAU/MAU', async () => {
    const { rows } = await run({ date_from: '2024-03-05', date_to: '2024-03-05' });
    expect(rows).toEqual([{ date: '2024-03-05', dau: 0, wau: 0, mau: 0, dau_mau: null }]);
  });

  describe.each(PORTED_ENGINE_KINDS)('on %s', (kind) => {
    test('matches a brute-force reference on a generated log (Sydney, across the April DST change)', async () => {
      const on = await testEngine(kind);
      const zone = 'Australia/Sydney';
      const log = generatedLog({ seed: 3, users: 70, start: '2024-02-20T00:00:00Z', days: 80, eventsPerUser: 7 });
      await loadTestEvents(on, log, { source: 'generated' });
      const [from, to] = ['2024-03-15', '2024-05-10'];
      const { rows } = await run({ timezone: zone, date_from: from, date_to: to }, 'generated', on);
      // `events` points at the same log and groups people by the hash of their id
      expect((await run({ timezone: zone, date_from: from, date_to: to }, 'events', on)).rows).toEqual(rows);
      const expected = referenceActiveUsers(log, zone, from, to);
      expect(expected.some((r) => r.mau > 20)).toBe(true);
      expect(rows).toEqual(expected);
    });
  });

  test.each([
    [{ period: 'week' }, /^active_users spec: unknown field "period"/],
    [{ date_to: '2024/01/31' }, /^active_users spec: date_to must be a local date written YYYY-MM-DD/],
  ])('rejects %j', async (extra, message) => {
    await expect(run(extra)).rejects.toThrow(message);
  });
});

function referenceActiveUsers(log: TestEvent[], zone: string, from: string, to: string) {
  const daysOf = new Map<string, Set<string>>();
  for (const e of log) {
    const date = referenceLocalDate(zone, Date.parse(e.ts));
    if (!daysOf.has(date)) daysOf.set(date, new Set());
    daysOf.get(date)!.add(e.user_id!);
  }
  const window = (date: string, days: number) => {
    const people = new Set<string>();
    for (let i = 0; i < days; i++) {
      const d = new Date(Date.parse(`${date}T00:00:00Z`) - i * 86_400_000).toISOString().slice(0, 10);
      for (const p of daysOf.get(d) ?? []) people.add(p);
    }
    return people.size;
  };
  return referencePeriods('day', from, to).map((date) => {
    const [dau, wau, mau] = [window(date, 1), window(date, 7), window(date, 30)];
    return { date, dau, wau, mau, dau_mau: mau === 0 ? null : dau / mau };
  });
}
