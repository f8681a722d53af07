import { afterAll, describe, expect, test } from 'vitest';
import { runAnalysis } from '../../src/analytics/index.ts';
import { seededRandom } from '../../src/notebook/teaching-data/random.ts';
import { ENGINE_KINDS, closeTestEngines, testEngine } from '../helpers/engines.ts';
import { loadTestEvents, type TestEvent } from '../helpers/events.ts';
import type { CohortEvent } from './cohort-reference.ts';
import { randomCohortLog } from './cohort-random-log.ts';

// `people` behind a number, against brute-force references written from the definitions (UTC day
// periods: a day index is floor(ms / 24 h)), on random logs, on both engines.

afterAll(closeTestEngines);

const DAY = 86_400_000;
const FROM = '2024-03-25';
const TO = '2024-04-20';
const dayOf = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY;
const label = (day: number) => new Date(day * DAY).toISOString().slice(0, 10);

function activeDays(events: CohortEvent[], event: string | null, endDay: number): Map<string, Set<number>> {
  const days = new Map<string, Set<number>>();
  for (const e of events) {
    const d = Math.floor(e.ts / DAY);
    if ((event !== null && e.event !== event) || d > endDay) continue;
    days.set(e.user_id, (days.get(e.user_id) ?? new Set()).add(d));
  }
  return days;
}

/** Stickiness: people active on exactly k (or at least k) days of the range. */
function stickinessPeople(events: CohortEvent[], event: string | null, k: number, cumulative: boolean): string[] {
  const [from, to] = [dayOf(FROM), dayOf(TO)];
  return [...activeDays(events, event, to)].filter(([, days]) => {
    const n = [...days].filter((d) => d >= from && d <= to).length;
    return n > 0 && (cumulative ? n >= k : n === k);
  }).map(([u]) => u).sort();
}

/** Lifecycle on day `p`: new = first active day ever, returning = active the day before, resurrecting = after a gap, dormant = active the day before, not on p. */
function lifecyclePeople(events: CohortEvent[], p: number, status: string): string[] {
  return [...activeDays(events, null, dayOf(TO))].filter(([, days]) => {
    const first = Math.min(...days);
    if (status === 'dormant') return days.has(p - 1) && !days.has(p);
    if (!days.has(p)) return false;
    if (status === 'new') return first === p;
    if (status === 'returning') return days.has(p - 1);
    return first !== p && !days.has(p - 1);
  }).map(([u]) => u).sort();
}

/** Retention (UTC days): the cohort day-c people, and those of them back k days later (or up to their last return, cumulative). */
function retentionPeople(events: CohortEvent[], spec: { start_event: string | null; return_event: string | null; mode: string; cumulative: boolean; intervals: number }, c: number, k: number): string[] {
  const [from, to] = [dayOf(FROM), dayOf(TO)];
  const starts = activeDays(events, spec.start_event, to);
  const returns = activeDays(events, spec.return_event, to);
  const out: string[] = [];
  for (const [user, days] of starts) {
    const cohortDays = spec.mode === 'first_time' ? [Math.min(...days)] : [...days];
    if (!cohortDays.includes(c) || c < from || c > to) continue;
    const back = [...(returns.get(user) ?? [])].map((d) => d - c).filter((j) => j >= 1 && j < spec.intervals);
    if (k === 0 || (spec.cumulative ? back.some((j) => j >= k) : back.includes(k))) out.push(user);
  }
  return out.sort();
}

function seen(events: CohortEvent[], user: string) {
  const own = events.filter((e) => e.user_id === user).map((e) => e.ts);
  return { user_id: user, first_seen: new Date(Math.min(...own)).toISOString(), last_seen: new Date(Math.max(...own)).toISOString(), events: own.length };
}

describe.each(ENGINE_KINDS)('on %s', (kind) => {
  test('stickiness and lifecycle: the people behind every bar are those a brute-force reference finds', async () => {
    const engine = await testEngine(kind);
    const random = seededRandom(1903);
    let people = 0;
    for (let i = 0; i < 12; i++) {
      const events = randomCohortLog(random, 8 + Math.floor(random() * 10));
      const source = `people_${i}`;
      await loadTestEvents(engine, events.map((e): TestEvent => ({ ...e, ts: new Date(e.ts).toISOString() })), { source });
      const table = i % 2 ? source : 'events';
      const event = i % 3 === 0 ? 'a' : null;
      const cumulative = i % 4 === 1;
      const sticky = await runAnalysis(engine, { kind: 'stickiness', period: 'day', date_from: FROM, date_to: TO, event, cumulative }, { table });
      for (const row of sticky.rows) {
        const k = row.periods_active as number;
        const expected = stickinessPeople(events, event, k, cumulative);
        expect(expected.length).toBe(row.users);
        if (expected.length === 0) continue;
        const { rows } = await runAnalysis(engine, { kind: 'stickiness', period: 'day', date_from: FROM, date_to: TO, event, cumulative, people: { periods_active: k } }, { table });
        expect(rows, `log ${i} k ${k}`).toEqual(expected.map((u) => seen(events, u)));
        people += rows.length;
      }
      const life = await runAnalysis(engine, { kind: 'lifecycle', period: 'day', date_from: FROM, date_to: TO }, { table });
      for (const row of life.rows.filter((r) => r.users !== 0).slice(0, 25)) {
        const expected = lifecyclePeople(events, dayOf(row.period as string), row.status as string);
        expect(expected.length).toBe(Math.abs(row.users as number));
        const { rows } = await runAnalysis(engine, { kind: 'lifecycle', period: 'day', date_from: FROM, date_to: TO, people: { period: row.period, status: row.status } }, { table });
        expect(rows.map((r) => r.user_id), `log ${i} ${row.period} ${row.status}`).toEqual(expected);
        people += rows.length;
      }
    }
    expect(people).toBeGreaterThan(200);
  }, 180_000);

  test('retention: the people behind every cell are those a brute-force reference finds', async () => {
    const engine = await testEngine(kind);
    const random = seededRandom(1905);
    let people = 0;
    for (let i = 0; i < 10; i++) {
      const events = randomCohortLog(random, 6 + Math.floor(random() * 8));
      const source = `retention_people_${i}`;
      await loadTestEvents(engine, events.map((e): TestEvent => ({ ...e, ts: new Date(e.ts).toISOString() })), { source });
      const spec = {
        kind: 'retention', period: 'day', date_from: FROM, date_to: TO, intervals: 6,
        start_event: i % 3 === 0 ? 'a' : null, return_event: i % 2 ? null : 'b', mode: i % 4 < 2 ? 'recurring' : 'first_time', cumulative: i % 5 === 1,
      };
      const table = i % 2 ? source : 'events';
      const matrix = await runAnalysis(engine, spec, { table });
      for (const row of matrix.rows.filter((r) => (r.users as number) > 0).slice(0, 30)) {
        const expected = retentionPeople(events, spec, dayOf(row.cohort as string), row.period as number);
        expect(expected.length, `log ${i} ${row.cohort} +${row.period}`).toBe(row.users);
        const { rows } = await runAnalysis(engine, { ...spec, people: { cohort: row.cohort, period: row.period } }, { table });
        expect(rows.map((r) => r.user_id), `log ${i} ${row.cohort} +${row.period}`).toEqual(expected);
        people += rows.length;
      }
    }
    expect(people).toBeGreaterThan(100);
  }, 180_000);
});

test('people and a cohort together; bad people fields get clear messages', async () => {
  const engine = await testEngine('native');
  const events: TestEvent[] = [
    { user_id: 'ann', event: 'open', ts: '2024-03-25T10:00:00Z' },
    { user_id: 'ann', event: 'open', ts: '2024-03-26T10:00:00Z' },
    { user_id: 'bob', event: 'open', ts: '2024-03-25T11:00:00Z' },
    { user_id: 'bob', event: 'buy', ts: '2024-03-26T11:00:00Z' },
  ];
  await loadTestEvents(engine, events, { source: 'two' });
  const base = { kind: 'stickiness', period: 'day', date_from: '2024-03-25', date_to: '2024-03-26' };
  const both = await runAnalysis(engine, { ...base, people: { periods_active: 2 } }, { table: 'two' });
  expect(both.rows.map((r) => r.user_id)).toEqual(['ann', 'bob']);
  const buyers = await runAnalysis(engine, { ...base, people: { periods_active: 2 }, cohort: { name: 'buyers', rules: [{ did: 'buy' }] } }, { table: 'two' });
  expect(buyers.rows).toEqual([{ user_id: 'bob', first_seen: '2024-03-25T11:00:00.000Z', last_seen: '2024-03-26T11:00:00.000Z', events: 2 }]);
  await expect(runAnalysis(engine, { ...base, people: { k: 2 } }, { table: 'two' })).rejects.toThrow('stickiness spec: people must be {"periods_active": k}');
  await expect(runAnalysis(engine, { kind: 'lifecycle', period: 'day', date_from: '2024-03-25', date_to: '2024-03-26', people: { period: '2024-04-01', status: 'new' } }, { table: 'two' }))
    .rejects.toThrow('lifecycle spec: people.period "2024-04-01" is not a period of the range (2024-03-25 … 2024-03-26)');
});
