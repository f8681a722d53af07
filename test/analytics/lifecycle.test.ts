import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runAnalysis } from '../../src/analytics/index.ts';
import type { Engine } from '../../src/engine/index.ts';
import { createNodeEngine } from '../../src/engine/node.ts';
import { PORTED_ENGINE_KINDS, closeTestEngines, testEngine } from '../helpers/engines.ts';
import { loadTestEvents, type TestEvent } from '../helpers/events.ts';
import { generatedLog, referenceLocalDate, referencePeriods, referencePeriodStart } from './generated-log.ts';

let engine: Engine;

const at = (user: string, ts: string, event = 'open'): TestEvent => ({ user_id: user, event, ts });

// Weeks (Monday start): W0 2023-12-25, W1 2024-01-01, W2 01-08, W3 01-15, W4 01-22.
const WORKED: TestEvent[] = [
  at('a', '2024-01-02T10:00:00Z'), at('a', '2024-01-03T10:00:00Z'), at('a', '2024-01-09T10:00:00Z'), at('a', '2024-01-23T10:00:00Z'),
  at('b', '2024-01-10T10:00:00Z'), at('b', '2024-01-16T10:00:00Z'),
  at('c', '2024-01-05T10:00:00Z'), at('c', '2024-02-01T10:00:00Z'),
  at('d', '2023-12-27T10:00:00Z'), at('d', '2024-01-17T10:00:00Z'),
  at('e', '2023-12-28T10:00:00Z'), at('e', '2024-01-01T00:00:00Z'),
  at('f', '2024-01-02T10:00:00Z', 'view'),
];

beforeAll(async () => {
  engine = await createNodeEngine('wasm');
  await loadTestEvents(engine, WORKED, { source: 'worked' });
});
afterAll(async () => { await engine?.close(); await closeTestEngines(); });

const run = (spec: Record<string, unknown>, table: string, on = engine) => runAnalysis(on, spec, { table });

function table(rows: Record<string, unknown>[]): Record<string, Record<string, number>> {
  const byPeriod: Record<string, Record<string, number>> = {};
  for (const row of rows) (byPeriod[row.period as string] ??= {})[row.status as string] = row.users as number;
  return byPeriod;
}

describe('lifecycle', () => {
  test('counts a hand-made log week by week, dormant negative', async () => {
    const { rows, meta } = await run({
      kind: 'lifecycle', period: 'week', event: 'open', date_from: '2024-01-01', date_to: '2024-01-24',
    }, 'worked');
    expect(table(rows)).toEqual({
      '2024-01-01': { new: 2, returning: 1, resurrecting: 0, dormant: -1 },
      '2024-01-08': { new: 1, returning: 1, resurrecting: 0, dormant: -2 },
      '2024-01-15': { new: 0, returning: 1, resurrecting: 1, dormant: -1 },
      '2024-01-22': { new: 0, returning: 0, resurrecting: 1, dormant: -2 },
    });
    expect(rows.slice(0, 4).map((r) => r.status)).toEqual(['new', 'returning', 'resurrecting', 'dormant']);
    expect(meta.formula).toMatch(/dormant = −/);
  });

  test('any event by default, and where filters apply first', async () => {
    const any = await run({ kind: 'lifecycle', date_from: '2024-01-01', date_to: '2024-01-07' }, 'worked');
    expect(table(any.rows)['2024-01-01']).toEqual({ new: 3, returning: 1, resurrecting: 0, dormant: -1 });
    const filtered = await run({
      kind: 'lifecycle', date_from: '2024-01-01', date_to: '2024-01-07', where: [{ column: 'user_id', op: 'in', value: ['a', 'd'] }],
    }, 'worked');
    expect(table(filtered.rows)['2024-01-01']).toEqual({ new: 1, returning: 0, resurrecting: 0, dormant: -1 });
  });

  test('periods are local: an event late on Sunday in UTC is Monday in Tokyo', async () => {
    await loadTestEvents(engine, [at('t', '2024-01-05T10:00:00Z'), at('t', '2024-01-07T23:30:00Z')], { source: 'tokyo' });
    const utc = await run({ kind: 'lifecycle', date_from: '2024-01-01', date_to: '2024-01-14' }, 'tokyo');
    expect(table(utc.rows)['2024-01-08']).toEqual({ new: 0, returning: 0, resurrecting: 0, dormant: -1 });
    const tokyo = await run({ kind: 'lifecycle', timezone: 'Asia/Tokyo', date_from: '2024-01-01', date_to: '2024-01-14' }, 'tokyo');
    expect(table(tokyo.rows)['2024-01-08']).toEqual({ new: 0, returning: 1, resurrecting: 0, dormant: 0 });
  });

  test('months follow summer time: 23:30 UTC on 31 March is April in London', async () => {
    await loadTestEvents(engine, [at('g', '2024-03-15T12:00:00Z'), at('g', '2024-03-31T23:30:00Z')], { source: 'london' });
    const spec = { kind: 'lifecycle', period: 'month', date_from: '2024-03-01', date_to: '2024-04-30' };
    const utc = await runAnalysis(engine, spec, { table: 'london' });
    expect(table(utc.rows)['2024-04-01']).toEqual({ new: 0, returning: 0, resurrecting: 0, dormant: -1 });
    const london = await run({ ...spec, timezone: 'Europe/London' }, 'london');
    expect(table(london.rows)['2024-04-01']).toEqual({ new: 0, returning: 1, resurrecting: 0, dormant: 0 });
  });

  describe.each(PORTED_ENGINE_KINDS)('on %s', (kind) => {
    test.each(['day', 'week', 'month'] as const)('matches a brute-force reference on a generated log (%s, New York)', async (period) => {
      const on = await testEngine(kind);
      const zone = 'America/New_York';
      const log = generatedLog({ seed: 6, users: 60, start: '2024-01-20T00:00:00Z', days: 120, eventsPerUser: 6 });
      await loadTestEvents(on, log, { source: 'generated' });
      const [from, to] = period === 'day' ? ['2024-03-01', '2024-03-20'] : ['2024-02-10', '2024-05-05'];
      const { rows } = await run({ kind: 'lifecycle', period, timezone: zone, event: 'open', date_from: from, date_to: to }, 'generated', on);
      // `events` points at the same log and groups people by the hash of their id
      expect((await run({ kind: 'lifecycle', period, timezone: zone, event: 'open', date_from: from, date_to: to }, 'events', on)).rows).toEqual(rows);
      expect(table(rows)).toEqual(referenceLifecycle(log.filter((e) => e.event === 'open'), zone, period, from, to));
    });
  });

  test.each([
    [{ period: 'year' }, /^lifecycle spec: period must be one of "day", "week", "month", not "year"$/],
    [{ timezone: 'Mars/Olympus' }, /^lifecycle spec: timezone "Mars\/Olympus" is not an IANA time zone name/],
    [{ date_from: '2024-13-01' }, /^lifecycle spec: date_from must be a local date written YYYY-MM-DD, not "2024-13-01"$/],
    [{ date_from: '2024-02-01', date_to: '2024-01-01' }, /^lifecycle spec: date_from 2024-02-01 is after date_to 2024-01-01$/],
    [{ perod: 'week' }, /^lifecycle spec: unknown field "perod" \(did you mean "period"\?\)/],
    [{ where: [{ column: 'plan', op: '=', value: 'x' }] }, /^lifecycle spec: where\[0\]: no column "plan"/],
  ])('rejects %j', async (extra, message) => {
    await expect(run({ kind: 'lifecycle', ...extra }, 'worked')).rejects.toThrow(message);
  });
});

/** Lifecycle from the definitions, person by person, period by period. */
function referenceLifecycle(log: TestEvent[], zone: string, period: 'day' | 'week' | 'month', from: string, to: string) {
  const periods = referencePeriods(period, from, to);
  const active = new Map<string, Set<string>>();
  for (const e of log) {
    const p = referencePeriodStart(period, referenceLocalDate(zone, Date.parse(e.ts)));
    if (!active.has(e.user_id!)) active.set(e.user_id!, new Set());
    active.get(e.user_id!)!.add(p);
  }
  const previous = (p: string) => referencePeriodStart(period, new Date(Date.parse(`${p}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10));
  const result: Record<string, Record<string, number>> = {};
  for (const p of periods) {
    const counts = { new: 0, returning: 0, resurrecting: 0, dormant: 0 };
    for (const set of active.values()) {
      const first = [...set].sort()[0];
      if (set.has(p)) {
        if (first === p) counts.new++;
        else if (set.has(previous(p))) counts.returning++;
        else counts.resurrecting++;
      } else if (set.has(previous(p))) {
        counts.dormant--;
      }
    }
    result[p] = counts;
  }
  return result;
}
