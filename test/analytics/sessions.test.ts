import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runAnalysis } from '../../src/analytics/index.ts';
import type { Engine } from '../../src/engine/index.ts';
import { createNodeEngine } from '../../src/engine/node.ts';
import { PORTED_ENGINE_KINDS, closeTestEngines, testEngine } from '../helpers/engines.ts';
import { loadTestEvents, type TestEvent } from '../helpers/events.ts';
import { generatedLog, referenceLocalDate, referencePeriods, referencePeriodStart } from './generated-log.ts';

let engine: Engine;
const at = (user: string, ts: string, event = 'view'): TestEvent => ({ user_id: user, event, ts });

const WORKED: TestEvent[] = [
  // a: 10:00–10:40 (the 30-minute gap still joins), then 11:20–11:25 after 40 minutes.
  at('a', '2024-05-01T10:00:00Z'), at('a', '2024-05-01T10:10:00Z'), at('a', '2024-05-01T10:40:00Z'),
  at('a', '2024-05-01T11:20:00Z'), at('a', '2024-05-01T11:25:00Z'),
  // b: a session across midnight belongs to the day it starts; then a one-event session.
  at('b', '2024-05-01T23:50:00Z'), at('b', '2024-05-02T00:10:00Z'), at('b', '2024-05-02T09:00:00Z'),
  at('c', '2024-05-02T12:00:00Z'), at('c', '2024-05-02T12:29:00Z'), at('c', '2024-05-02T12:58:00Z', 'buy'),
];

beforeAll(async () => {
  engine = await createNodeEngine('wasm');
  await loadTestEvents(engine, WORKED, { source: 'worked' });
});
afterAll(async () => { await engine?.close(); await closeTestEngines(); });

const run = (spec: Record<string, unknown>, table = 'worked', on = engine) => runAnalysis(on, { kind: 'sessions', ...spec }, { table });
const range = { date_from: '2024-05-01', date_to: '2024-05-03' };

describe('sessions', () => {
  test('splits at gaps over 30 minutes and summarises each day', async () => {
    const { rows, meta } = await run(range);
    expect(rows).toEqual([
      { period: '2024-05-01', sessions: 3, users: 2, sessions_per_user: 1.5, avg_session_seconds: 1300, median_session_seconds: 1200 },
      { period: '2024-05-02', sessions: 2, users: 2, sessions_per_user: 1, avg_session_seconds: 1740, median_session_seconds: 1740 },
      { period: '2024-05-03', sessions: 0, users: 0, sessions_per_user: null, avg_session_seconds: null, median_session_seconds: null },
    ]);
    expect(meta).toMatchObject({ sessions: 5, users: 3, avg_session_seconds: 1476, median_session_seconds: 1200 });
    expect(meta.formula).toMatch(/^a session ends after 30 minutes without an event/);
  });

  test('per user', async () => {
    const { rows } = await run({ ...range, per: 'user' });
    expect(rows).toEqual([
      { user_id: 'a', sessions: 2, total_session_seconds: 2700, avg_session_seconds: 1350, median_session_seconds: 1350 },
      { user_id: 'b', sessions: 2, total_session_seconds: 1200, avg_session_seconds: 600, median_session_seconds: 600 },
      { user_id: 'c', sessions: 1, total_session_seconds: 3480, avg_session_seconds: 3480, median_session_seconds: 3480 },
    ]);
  });

  test('gap_minutes, date_from cutting into a session, time zones and where filters', async () => {
    const longer = await run({ ...range, gap_minutes: 45, per: 'user', where: [{ column: 'user_id', op: '=', value: 'a' }] });
    expect(longer.rows).toEqual([{ user_id: 'a', sessions: 1, total_session_seconds: 5100, avg_session_seconds: 5100, median_session_seconds: 5100 }]);
    const fromSecond = await run({ date_from: '2024-05-02', date_to: '2024-05-02' });
    expect(fromSecond.rows).toMatchObject([{ period: '2024-05-02', sessions: 2, users: 2 }]);
    const tokyo = await run({ ...range, timezone: 'Asia/Tokyo' });
    expect(tokyo.rows.map((r) => r.sessions)).toEqual([2, 3, 0]);
    const noBuy = await run({ ...range, where: [{ column: 'event', op: '!=', value: 'buy' }] });
    expect(noBuy.rows[1]).toMatchObject({ sessions: 2, avg_session_seconds: (0 + 1740) / 2 });
  });

  describe.each(PORTED_ENGINE_KINDS)('on %s', (kind) => {
    test.each(['period', 'user'] as const)('matches a brute-force reference on a generated log (per %s, weeks in Paris)', async (per) => {
      const on = await testEngine(kind);
      const zone = 'Europe/Paris';
      const log = generatedLog({ seed: 5, users: 60, start: '2024-03-01T00:00:00Z', days: 60, eventsPerUser: 10 });
      await loadTestEvents(on, log, { source: 'generated' });
      const spec = { per, period: 'week', timezone: zone, date_from: '2024-03-11', date_to: '2024-04-21' };
      const { rows } = await run(spec, 'generated', on);
      const expected = referenceSessions(log, zone, 30, spec.date_from, spec.date_to, per);
      expect(expected.length).toBeGreaterThan(5);
      expect(rows).toHaveLength(expected.length);
      for (const [i, row] of rows.entries()) {
        for (const [key, value] of Object.entries(expected[i])) {
          if (typeof value === 'number') expect(row[key], `${key} of row ${i}`).toBeCloseTo(value, 6);
          else expect(row[key], `${key} of row ${i}`).toBe(value);
        }
      }
    });
  });

  test.each([
    [{ gap_minutes: 0 }, /^sessions spec: gap_minutes must be a number of minutes > 0, not 0$/],
    [{ per: 'person' }, /^sessions spec: per must be "period" or "user", not "person"$/],
    [{ gap: 10 }, /^sessions spec: unknown field "gap"/],
  ])('rejects %j', async (extra, message) => {
    await expect(run(extra)).rejects.toThrow(message);
  });
});

const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

function referenceSessions(log: TestEvent[], zone: string, gapMinutes: number, from: string, to: string, per: 'period' | 'user') {
  const periods = referencePeriods('week', from, to);
  const times = new Map<string, number[]>();
  for (const e of log) {
    if (!times.has(e.user_id!)) times.set(e.user_id!, []);
    times.get(e.user_id!)!.push(Date.parse(e.ts));
  }
  const sessions: { user: string; week: string; seconds: number }[] = [];
  for (const [user, list] of times) {
    list.sort((a, b) => a - b);
    let start = list[0], last = list[0];
    const close = () => sessions.push({ user, week: referencePeriodStart('week', referenceLocalDate(zone, start)), seconds: (last - start) / 1000 });
    for (const t of list.slice(1)) {
      if (t - last > gapMinutes * 60_000) { close(); start = t; }
      last = t;
    }
    close();
  }
  const inRange = sessions.filter((s) => periods.includes(s.week));
  if (per === 'user') {
    const users = [...new Set(inRange.map((s) => s.user))].map((user) => {
      const lengths = inRange.filter((s) => s.user === user).map((s) => s.seconds);
      return { user_id: user, sessions: lengths.length, total_session_seconds: lengths.reduce((a, b) => a + b, 0), avg_session_seconds: mean(lengths), median_session_seconds: median(lengths) };
    });
    return users.sort((a, b) => b.sessions - a.sessions || (a.user_id < b.user_id ? -1 : 1));
  }
  return periods.map((week) => {
    const list = inRange.filter((s) => s.week === week);
    const users = new Set(list.map((s) => s.user)).size;
    const lengths = list.map((s) => s.seconds);
    return {
      period: week, sessions: list.length, users, sessions_per_user: users ? list.length / users : null,
      avg_session_seconds: lengths.length ? mean(lengths) : null, median_session_seconds: lengths.length ? median(lengths) : null,
    };
  });
}
