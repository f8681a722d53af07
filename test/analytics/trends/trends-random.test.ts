import { afterAll, expect, test } from 'vitest';
import { runAnalysis } from '../../../src/analytics/index.ts';
import { seededRandom } from '../../../src/notebook/teaching-data/random.ts';
import { ENGINE_KINDS, closeTestEngines, testEngine } from '../../helpers/engines.ts';
import { loadTestEvents, type TestEvent } from '../../helpers/events.ts';
import { referenceTrends, type ReferenceSeries, type ReferenceTrendsSpec, type TrendsEvent } from './trends-reference.ts';

const ZONES = ['UTC', 'Europe/London', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata'];
// Around DST changes (London/New York in March and October/November, Sydney in April and October) and month ends.
const ANCHORS = ['2024-03-08', '2024-03-29', '2024-10-25', '2024-11-01', '2024-04-05', '2024-10-04', '2024-01-29', '2024-02-27', '2023-12-30'];
const SPAN_DAYS = { hour: 3, day: 40, week: 90, month: 330 };
const LOGS = 150;
const SPECS_PER_LOG = 2;
const MATHS = ['total', 'total', 'dau', 'weekly_active', 'monthly_active', 'sum', 'avg', 'min', 'max', 'median', 'p90'];
const div = (a: number, b: number) => (b === 0 ? 0 : a / b);
const FORMULAS: [string, (v: number[]) => number][] = [
  ['A + B', (v) => v[0] + (v[1] ?? 0)],
  ['A / B * 100', (v) => div(v[0], v[1] ?? 0) * 100],
  ['(A - B) % 3', (v) => { const r = 3; return (v[0] - (v[1] ?? 0)) % r; }],
  ['A ** 2 - 1', (v) => v[0] ** 2 - 1],
  ['a * 2 + 0.5', (v) => v[0] * 2 + 0.5],
];

afterAll(closeTestEngines);

function randomLog(random: () => number, period: ReferenceTrendsSpec['period']) {
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  const days = SPAN_DAYS[period];
  const anchor = Date.parse(`${pick(ANCHORS)}T00:00:00Z`) - (days / 3) * 86_400_000;
  const users = 2 + Math.floor(random() * 8);
  const count = 5 + Math.floor(random() * 60);
  const events: TrendsEvent[] = [];
  for (let i = 0; i < count; i++) {
    // Whole minutes, sometimes a repeat of the previous instant, so ties and shared periods happen.
    const ts = i > 0 && random() < 0.15 ? events[i - 1].ts : anchor + Math.floor(random() * days * 1440) * 60_000;
    events.push({
      user_id: `u${Math.floor(random() * users)}`, event: pick(['a', 'a', 'b', 'c']), ts,
      plan: pick(['x', 'y', 'z', 'w', '', null]),
      qty: pick([1, 2, 2.5, 7, 10, -3, null]),
    });
  }
  events[0].plan = 'x';
  events[1].qty = 4;
  ['a', 'b', 'c'].forEach((name, i) => { events[i].event = name; });
  return { events, anchor, days };
}

function randomSpec(random: () => number, period: ReferenceTrendsSpec['period'], log: { anchor: number; days: number }): ReferenceTrendsSpec {
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  const dateAt = (ms: number) => {
    const iso = new Date(ms).toISOString();
    return period === 'hour' && random() < 0.5 ? `${iso.slice(0, 10)} ${iso.slice(11, 13)}:00` : iso.slice(0, 10);
  };
  const a = log.anchor + random() * log.days * 0.6 * 86_400_000;
  const b = a + random() * log.days * 0.6 * 86_400_000;
  // b is not before a, so the range never ends before it begins
  const [dateFrom, dateTo] = [dateAt(a), dateAt(b)];
  const count = 1 + Math.floor(random() * 3);
  const series: ReferenceSeries[] = Array.from({ length: count }, () => {
    const math = pick(MATHS);
    const s: ReferenceSeries = { event: pick([null, 'a', 'a', 'b', 'c']), math };
    if (!['total', 'dau', 'weekly_active', 'monthly_active'].includes(math)) s.property = 'qty';
    if (random() < 0.15) s.where = [{ column: 'plan', op: '!=', value: 'y' }];
    return s;
  });
  // two series of one event and math would share a name: label them
  series.forEach((s, i) => { if (series.some((o, j) => j !== i && o.event === s.event)) s.label = `s${i}`; });
  return {
    series,
    period,
    week_start: pick(['monday', 'sunday'] as const),
    timezone: pick(ZONES),
    date_from: dateFrom,
    date_to: dateTo,
    ...(random() < 0.45 ? { breakdown: 'plan', breakdown_limit: 1 + Math.floor(random() * 4) } : {}),
    ...(random() < 0.3 ? { formula: pick(FORMULAS.filter(([text]) => count > 1 || !text.includes('B'))) } : {}),
    ...(random() < 0.3 ? { compare: true } : {}),
    ...(random() < 0.25 ? { cumulative: true } : {}),
    ...(random() < 0.15 ? { where: [pick([{ column: 'plan', op: 'in', value: ['x', 'z'] }, { column: 'event', op: '!=', value: 'c' }] as const)] } : {}),
  };
}

/** The analysis spec for a reference spec: the same fields, the formula as its text. */
function analysisSpec(spec: ReferenceTrendsSpec): Record<string, unknown> {
  const { formula, ...rest } = spec;
  return { kind: 'trends', ...rest, ...(formula ? { formula: formula[0] } : {}) };
}

const key = (row: Record<string, unknown>) => [row.series, row.compare ?? '', row.other ?? '', row.breakdown ?? '\u0000', row.period].join('|');
const normal = (rows: Record<string, unknown>[]) => rows
  .map((row) => ({ ...row, value: typeof row.value === 'number' ? Math.round(row.value * 1e6) / 1e6 : row.value }))
  .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));

test.each(ENGINE_KINDS)(`%s matches a brute-force reference on ${LOGS} random logs x ${SPECS_PER_LOG} specs across DST changes`, async (kind) => {
  const engine = await testEngine(kind);
  const random = seededRandom(20241018);
  const periods = ['hour', 'day', 'week', 'month'] as const;
  let values = 0;
  let nonZero = 0;
  const seen = new Set<string>();
  for (let i = 0; i < LOGS; i++) {
    const period = periods[i % 4];
    const log = randomLog(random, period);
    const source = `random_${i}`;
    await loadTestEvents(engine, log.events.map((e): TestEvent => ({ ...e, ts: new Date(e.ts).toISOString() })), { source });
    for (let j = 0; j < SPECS_PER_LOG; j++) {
      const spec = randomSpec(random, period, log);
      const expected = referenceTrends(log.events, spec);
      // `events` groups people by the hash of their id, the table under its own name by the id itself
      const table = j % 2 === 0 ? 'events' : source;
      const { rows } = await runAnalysis(engine, analysisSpec(spec), { table });
      expect(normal(rows), `log ${i} spec ${JSON.stringify(analysisSpec(spec))} on ${table}`).toEqual(normal(expected as never));
      values += rows.length;
      nonZero += rows.filter((r) => typeof r.value === 'number' && r.value !== 0).length;
      for (const s of spec.series) seen.add(`${period} ${s.math}`);
      if (spec.breakdown && rows.some((r) => r.other === true)) seen.add('other');
    }
  }
  // The logs must exercise the interesting cases, not only zeros.
  expect(values).toBeGreaterThan(3000);
  expect(nonZero).toBeGreaterThan(600);
  expect(seen.has('other')).toBe(true);
  for (const p of periods) for (const m of ['weekly_active', 'monthly_active', 'median']) expect(seen.has(`${p} ${m}`), `${p} ${m}`).toBe(true);
}, 300_000);
