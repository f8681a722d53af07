import { afterAll, expect, test } from 'vitest';
import { runAnalysis } from '../../src/analytics/index.ts';
import { seededRandom } from '../../src/notebook/teaching-data/random.ts';
import { PORTED_ENGINE_KINDS, closeTestEngines, testEngine } from '../helpers/engines.ts';
import { loadTestEvents, type TestEvent } from '../helpers/events.ts';
import { referenceRetention, type ReferenceEvent, type ReferenceRow, type ReferenceSpec } from './retention-reference.ts';

const ZONES = ['UTC', 'Europe/London', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata'];
// Around DST changes (London/New York in March and October/November, Sydney in April and October) and month ends.
const ANCHORS = ['2024-03-08', '2024-03-29', '2024-10-25', '2024-11-01', '2024-04-05', '2024-10-04', '2024-01-29', '2024-02-27', '2023-12-30'];
const SPAN_DAYS = { hour: 3, day: 30, week: 70, month: 330 };
const LOGS = 160;
const SPECS_PER_LOG = 3;

afterAll(closeTestEngines);

function randomLog(random: () => number, period: ReferenceSpec['period'], longSpan: boolean) {
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  const days = SPAN_DAYS[period] * (longSpan ? 3 : 1);
  const anchor = Date.parse(`${pick(ANCHORS)}T00:00:00Z`) - (days / 3) * 86_400_000;
  const users = 2 + Math.floor(random() * 10);
  const count = 5 + Math.floor(random() * 50);
  const events: ReferenceEvent[] = [];
  for (let i = 0; i < count; i++) {
    // Whole minutes, and sometimes a repeat of the previous instant, so ties happen.
    const ts = i > 0 && random() < 0.15 ? events[i - 1].ts : anchor + Math.floor(random() * days * 1440) * 60_000;
    const plan = pick(['x', 'y', 'z', null]);
    events.push({ user_id: `u${Math.floor(random() * users)}`, event: pick(['a', 'a', 'b', 'c']), ts, plan });
  }
  events[0].plan = 'x';
  ['a', 'b', 'c'].forEach((name, i) => { events[i].event = name; });
  return { events, anchor, days };
}

function randomSpec(random: () => number, period: ReferenceSpec['period'], log: { anchor: number; days: number }): ReferenceSpec {
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  const dateAt = (ms: number) => {
    const iso = new Date(ms).toISOString();
    return period === 'hour' && random() < 0.5 ? `${iso.slice(0, 10)} ${iso.slice(11, 13)}:00` : iso.slice(0, 10);
  };
  const a = log.anchor + random() * log.days * 0.6 * 86_400_000;
  const b = a + random() * log.days * 0.6 * 86_400_000;
  const dates = random() < 0.75 ? { date_from: dateAt(a), date_to: dateAt(b) } : random() < 0.5 ? { date_to: dateAt(b) } : {};
  return {
    period,
    week_start: pick(['monday', 'sunday'] as const),
    timezone: pick(ZONES),
    start_event: pick([null, null, 'a', 'b']),
    return_event: pick([null, null, 'a', 'c']),
    mode: pick(['recurring', 'first_time'] as const),
    cumulative: random() < 0.3,
    min_occurrences: random() < 0.25 ? 2 : 1,
    intervals: 1 + Math.floor(random() * 7),
    ...dates,
    clock: random() < 0.3 ? 'rolling' : 'calendar',
    breakdown: random() < 0.3 ? 'plan' : null,
    breakdown_returns: random() < 0.5 ? 'same_value' : 'any',
    where: random() < 0.2 ? [pick([
      { column: 'plan', op: '!=', value: 'y' },
      { column: 'plan', op: 'in', value: ['x', 'z'] },
      { column: 'event', op: '=', value: 'a' },
    ] as ReferenceSpec['where'])] : [],
  };
}

const round = (rows: ReferenceRow[] | Record<string, unknown>[]) => rows.map((row) => Object.fromEntries(
  Object.entries(row).map(([k, v]) => [k, typeof v === 'number' ? Math.round(v * 1e9) / 1e9 : v]),
));

test.each(PORTED_ENGINE_KINDS)(`%s matches a brute-force reference on ${LOGS} random logs x ${SPECS_PER_LOG} specs`, async (kind) => {
  const engine = await testEngine(kind);
  const random = seededRandom(20240401);
  const periods = ['hour', 'day', 'week', 'month'] as const;
  let cells = 0;
  let nonEmpty = 0;
  for (let i = 0; i < LOGS; i++) {
    const period = periods[i % 4];
    const log = randomLog(random, period, random() < 0.3);
    const source = `random_${i}`;
    await loadTestEvents(engine, log.events.map((e): TestEvent => ({ ...e, ts: new Date(e.ts).toISOString() })), { source });
    for (let j = 0; j < SPECS_PER_LOG; j++) {
      const spec = randomSpec(random, period, log);
      const expected = referenceRetention(log.events, spec);
      // `events` (the loader points it at this log) groups people by the hash of their id; the
      // table under its own name groups by the id itself: both must agree with the reference.
      const table = j % 2 === 0 ? 'events' : source;
      const { rows } = await runAnalysis(engine, { kind: 'retention', ...spec }, { table });
      expect(round(rows), `log ${i} spec ${JSON.stringify(spec)} on ${table}`).toEqual(round(expected));
      cells += rows.length;
      nonEmpty += rows.filter((r) => (r.period as number) > 0 && (r.users as number) > 0).length;
    }
  }
  // The logs must exercise the interesting cases, not only empty matrices.
  expect(cells).toBeGreaterThan(2000);
  expect(nonEmpty).toBeGreaterThan(200);
}, 120_000);
