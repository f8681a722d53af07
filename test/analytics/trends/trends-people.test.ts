import { afterAll, expect, test } from 'vitest';
import { runAnalysis } from '../../../src/analytics/index.ts';
import { seededRandom } from '../../../src/notebook/teaching-data/random.ts';
import { ENGINE_KINDS, closeTestEngines, testEngine } from '../../helpers/engines.ts';
import { loadTestEvents, type TestEvent } from '../../helpers/events.ts';
import { peopleKey, referenceTrends, type ReferencePeople, type TrendsEvent } from './trends-reference.ts';
import { analysisSpec, randomLog, randomSpec } from './trends-random-log.ts';

// `people` on trends (issue 19): the people behind a point (series, period, breakdown value or
// "Other", current or previous range) are those the brute-force reference counts for that row,
// on random logs across DST changes, every math, cumulative and compare, on both engines.

afterAll(closeTestEngines);

const LOGS = 48;
const POINTS_PER_SPEC = 6;

function seen(events: TrendsEvent[], user: string) {
  const own = events.filter((e) => e.user_id === user).map((e) => e.ts);
  return { user_id: user, first_seen: new Date(Math.min(...own)).toISOString(), last_seen: new Date(Math.max(...own)).toISOString(), events: own.length };
}

test.each(ENGINE_KINDS)(`%s: the people behind trends points on ${LOGS} random logs are those a brute-force reference finds`, async (kind) => {
  const engine = await testEngine(kind);
  const random = seededRandom(19_2024);
  const periods = ['hour', 'day', 'week', 'month'] as const;
  let checked = 0;
  let people = 0;
  const kinds = new Set<string>();
  for (let i = 0; i < LOGS; i++) {
    const period = periods[i % 4];
    const log = randomLog(random, period);
    const source = `trends_people_${i}`;
    await loadTestEvents(engine, log.events.map((e): TestEvent => ({ ...e, ts: new Date(e.ts).toISOString() })), { source });
    for (let j = 0; j < 2; j++) {
      const spec = analysisSpec(randomSpec(random, period, log));
      const expected: ReferencePeople = new Map();
      const ref = { ...spec, formula: undefined } as never;
      referenceTrends(log.events, ref, expected);
      const { rows } = await runAnalysis(engine, spec, { table: source });
      const points = rows.filter((r) => r.series !== 'formula');
      // the points with people first, so most checks find someone; a few empty ones too
      const withPeople = points.filter((r) => (expected.get(peopleKey(r as never))?.length ?? 0) > 0);
      const picked = [...withPeople.slice(0, POINTS_PER_SPEC - 1), ...points.filter((r) => !withPeople.includes(r)).slice(0, 1)];
      for (const row of picked) {
        const want = expected.get(peopleKey(row as never));
        expect(want, `no reference row for ${JSON.stringify(row)}`).toBeDefined();
        const ask = {
          series: row.series, period: row.period,
          ...('breakdown' in row ? (row.other ? { other: true } : { breakdown: row.breakdown }) : {}),
          ...(row.compare === 'previous' ? { compare: 'previous' } : {}),
        };
        const got = await runAnalysis(engine, { ...spec, people: ask }, { table: source });
        expect(got.rows, `log ${i} ${JSON.stringify({ ...spec, people: ask })}`).toEqual(want!.map((u) => seen(log.events, u)));
        const math = (spec.series as { math?: string; label?: string; event: string | null }[]).find((s) => (s.label ?? s.event ?? 'all events') === row.series)?.math;
        if (math === 'dau' && !spec.cumulative) expect(got.rows.length).toBe(row.value);
        kinds.add(`${spec.cumulative ? 'cumulative ' : ''}${row.compare === 'previous' ? 'previous ' : ''}${row.other ? 'other ' : ''}${math}`);
        checked++;
        people += got.rows.length;
      }
    }
  }
  expect(checked).toBeGreaterThan(300);
  expect(people).toBeGreaterThan(500);
  for (const math of ['total', 'dau', 'weekly_active', 'monthly_active', 'sum', 'median']) expect(kinds.has(math), math).toBe(true);
  expect([...kinds].some((k) => k.startsWith('cumulative'))).toBe(true);
  expect([...kinds].some((k) => k.includes('previous'))).toBe(true);
  expect([...kinds].some((k) => k.includes('other'))).toBe(true);
}, 300_000);

test('a trends point\'s people by hand; bad people fields get clear messages', async () => {
  const engine = await testEngine('native');
  const events: TestEvent[] = [
    { user_id: 'ann', event: 'open', ts: '2024-03-04T10:00:00Z', plan: 'pro' },
    { user_id: 'ann', event: 'open', ts: '2024-03-05T10:00:00Z', plan: 'pro' },
    { user_id: 'bob', event: 'open', ts: '2024-03-04T11:00:00Z', plan: 'free' },
    { user_id: 'cat', event: 'buy', ts: '2024-03-04T12:00:00Z', plan: 'free' },
  ];
  await loadTestEvents(engine, events, { source: 'hand' });
  const base = { kind: 'trends', period: 'day', date_from: '2024-03-04', date_to: '2024-03-05', series: [{ event: 'open' }, { event: 'buy', math: 'dau' }] };
  const first = await runAnalysis(engine, { ...base, people: { series: 'open', period: '2024-03-04' } }, { table: 'hand' });
  expect(first.rows).toEqual([
    { user_id: 'ann', first_seen: '2024-03-04T10:00:00.000Z', last_seen: '2024-03-05T10:00:00.000Z', events: 2 },
    { user_id: 'bob', first_seen: '2024-03-04T11:00:00.000Z', last_seen: '2024-03-04T11:00:00.000Z', events: 1 },
  ]);
  const pro = await runAnalysis(engine, { ...base, breakdown: 'plan', people: { series: 'open', period: '2024-03-04', breakdown: 'free' } }, { table: 'hand' });
  expect(pro.rows.map((r) => r.user_id)).toEqual(['bob']);
  const fail = (people: unknown, extra: Record<string, unknown> = {}) => runAnalysis(engine, { ...base, ...extra, people }, { table: 'hand' });
  await expect(fail({ series: 'opened', period: '2024-03-04' })).rejects.toThrow('trends spec: people.series must be one of the series ("open", "buy"), not "opened"');
  await expect(fail({ series: 'open', period: '2024-03-09' })).rejects.toThrow('trends spec: people.period "2024-03-09" is not a period of the range (2024-03-04 … 2024-03-05)');
  await expect(fail({ series: 'formula', period: '2024-03-04' }, { formula: 'A + B' })).rejects.toThrow('people.series: the formula is arithmetic over the series, it has no people of its own');
  await expect(fail({ series: 'open', period: '2024-03-04' }, { breakdown: 'plan' })).rejects.toThrow('people.breakdown is needed: the line\'s value of plan (null for none), or "other": true');
  await expect(fail({ series: 'open', period: '2024-03-04', compare: 'previous' })).rejects.toThrow('people.compare "previous" needs "compare": true on the spec');
});
