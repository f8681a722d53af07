import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runAnalysis } from '../../../src/analytics/index.ts';
import type { Engine } from '../../../src/engine/index.ts';
import { ENGINE_KINDS, closeTestEngines, testEngine } from '../../helpers/engines.ts';
import { loadTestEvents, type TestEvent } from '../../helpers/events.ts';

// Small logs whose every number is counted by hand in the comments beside it.
const at = (user: string, event: string, ts: string, props: Record<string, unknown> = {}): TestEvent => ({ user_id: user, event, ts, ...props });

// Mon 4 Mar 2024 .. Mon 11 Mar; d's event is the week before.
const WEEK: TestEvent[] = [
  at('a', 'signup', '2024-03-04T09:00:00Z', { src: 'ads', qty: '10', n: 10, paid: true }),
  at('a', 'view', '2024-03-04T10:00:00Z', { src: 'ads', qty: '2.5', n: 2.5, paid: true }),
  at('b', 'signup', '2024-03-05T12:00:00Z', { src: 'seo', qty: 'abc', n: 10, paid: false }),
  at('b', 'view', '2024-03-06T12:00:00Z', { src: '', qty: null, n: null, paid: null }),
  at('c', 'view', '2024-03-06T13:00:00Z', { src: 'seo', qty: '4', n: 4, paid: false }),
  at('a', 'view', '2024-03-08T08:00:00Z', { src: 'ads', qty: '6', n: 6, paid: true }),
  at('c', 'signup', '2024-03-11T00:30:00Z', { src: 'ads', qty: '1', n: 1, paid: true }),
  at('d', 'view', '2024-02-28T12:00:00Z', { src: 'seo', qty: '3', n: 3, paid: false }),
];

// London: clocks go forward at 01:00 UTC on 31 Mar 2024 (no 01:00 local) and back at 01:00 UTC on 27 Oct.
const DST: TestEvent[] = [
  at('a', 'open', '2024-03-31T00:30:00Z'), // 00:30 GMT
  at('b', 'open', '2024-03-31T01:30:00Z'), // 02:30 BST
  at('a', 'open', '2024-10-27T00:30:00Z'), // 01:30 BST
  at('b', 'open', '2024-10-27T01:30:00Z'), // 01:30 GMT: the same local hour
  at('c', 'open', '2024-10-27T02:10:00Z'), // 02:10 GMT
];

// Active people: x on 1 and 10 Mar, y on 5 Mar, z on 9 Mar and 2 Apr.
const ACTIVE: TestEvent[] = [
  at('x', 'open', '2024-03-01T10:00:00Z'), at('x', 'open', '2024-03-10T10:00:00Z'),
  at('y', 'open', '2024-03-05T10:00:00Z'),
  at('z', 'open', '2024-03-09T10:00:00Z'), at('z', 'open', '2024-04-02T10:00:00Z'),
];

const values = (rows: Record<string, unknown>[], series?: string) => rows.filter((r) => series === undefined || r.series === series).map((r) => r.value);
const periods = (rows: Record<string, unknown>[]) => [...new Set(rows.map((r) => r.period))];

afterAll(closeTestEngines);

describe.each(ENGINE_KINDS)('trends on %s', (kind) => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await testEngine(kind);
    await loadTestEvents(engine, WEEK, { source: 'week' });
    await loadTestEvents(engine, DST, { source: 'dst' });
    await loadTestEvents(engine, ACTIVE, { source: 'active' });
  });
  const run = (table: string, spec: Record<string, unknown>) => runAnalysis(engine, { kind: 'trends', ...spec }, { table });

  test('total per day: every day of the range, empty ones 0, date_to whole', async () => {
    const { rows, meta } = await run('week', { series: [{ event: 'view' }], date_from: '2024-03-04', date_to: '2024-03-08' });
    expect(rows).toEqual([
      { series: 'view', period: '2024-03-04', value: 1 }, // a 10:00
      { series: 'view', period: '2024-03-05', value: 0 },
      { series: 'view', period: '2024-03-06', value: 2 }, // b, c
      { series: 'view', period: '2024-03-07', value: 0 },
      { series: 'view', period: '2024-03-08', value: 1 }, // a 08:00, the last day counts whole
    ]);
    expect(meta.formula).toBe('A = events (view) per day');
  });

  test('any event, dau, and the default series', async () => {
    const range = { date_from: '2024-03-04', date_to: '2024-03-06' };
    expect(values((await run('week', range)).rows)).toEqual([2, 1, 2]);
    const { rows } = await run('week', { ...range, series: [{ event: null, math: 'dau' }] });
    expect(values(rows)).toEqual([1, 1, 2]); // a twice on the 4th counts once
    expect(rows[0].series).toBe('all events');
  });

  test('week periods count from date_from\'s own day and are labelled by their Monday', async () => {
    const { rows } = await run('week', { period: 'week', series: [{ event: null }], date_from: '2024-03-06', date_to: '2024-03-11' });
    // week of 4 Mar from Wednesday 6th: b, c, a (8th); week of 11 Mar: c
    expect(rows.map((r) => [r.period, r.value])).toEqual([['2024-03-04', 3], ['2024-03-11', 1]]);
    const sunday = await run('week', { period: 'week', week_start: 'sunday', series: [{ event: null }], date_from: '2024-02-25', date_to: '2024-03-09' });
    // Sunday weeks: 25 Feb (d on the 28th), 3 Mar (4th..8th: 6 events)
    expect(sunday.rows.map((r) => [r.period, r.value])).toEqual([['2024-02-25', 1], ['2024-03-03', 6]]);
  });

  test('month periods count from the first of date_from\'s month', async () => {
    const { rows } = await run('week', { period: 'month', series: [{ event: null }], date_from: '2024-02-29', date_to: '2024-03-05' });
    // February from the 1st: d on the 28th; March to the 5th: a, a, b
    expect(rows.map((r) => [r.period, r.value])).toEqual([['2024-02-01', 1], ['2024-03-01', 3]]);
  });

  test('hours in London: a skipped hour is not a period, a repeated one holds both', async () => {
    const spring = await run('dst', { period: 'hour', timezone: 'Europe/London', date_from: '2024-03-31 00:00', date_to: '2024-03-31 03:00' });
    expect(spring.rows.map((r) => [r.period, r.value])).toEqual([['2024-03-31 00:00', 1], ['2024-03-31 02:00', 1], ['2024-03-31 03:00', 0]]);
    const autumn = await run('dst', { period: 'hour', timezone: 'Europe/London', date_from: '2024-10-27 00:00', date_to: '2024-10-27 02:00' });
    expect(autumn.rows.map((r) => [r.period, r.value])).toEqual([['2024-10-27 00:00', 0], ['2024-10-27 01:00', 2], ['2024-10-27 02:00', 1]]);
  });

  test('days in a zone: local days, DST-correct', async () => {
    const { rows } = await run('dst', { timezone: 'America/New_York', date_from: '2024-10-26', date_to: '2024-10-27' });
    // 27 Oct 00:30..02:10 UTC is the evening of the 26th in New York (EDT, UTC-4)
    expect(rows.map((r) => [r.period, r.value])).toEqual([['2024-10-26', 3], ['2024-10-27', 0]]);
  });

  test('weekly and monthly active people on days look back before date_from', async () => {
    const { rows } = await run('active', {
      series: [{ event: null, math: 'weekly_active' }, { event: null, math: 'monthly_active', label: 'mau' }],
      date_from: '2024-03-07', date_to: '2024-03-12',
    });
    // WAU on day d: people with an event in d-6..d. 7th: x (1st), y (5th); 8th: y; 9th: y, z; 10th: x, y, z;
    // 11th: x, y, z (the 5th is 6 days back); 12th: x, z
    expect(values(rows, 'all events')).toEqual([2, 1, 2, 3, 3, 2]);
    // MAU: x from the 1st on, y, z from the 9th
    expect(values(rows, 'mau')).toEqual([2, 2, 3, 3, 3, 3]);
  });

  test('weekly active on weeks is plain distinct people; monthly active on weeks ends with each week\'s first day', async () => {
    const { rows, meta } = await run('active', {
      period: 'week', series: [{ event: null, math: 'weekly_active' }, { event: null, math: 'monthly_active', label: 'mau' }],
      date_from: '2024-03-04', date_to: '2024-04-07',
    });
    // weeks 4, 11, 18, 25 Mar, 1 Apr; WAU = people in the week: y, z, x (10th) | none | none | none | z
    expect(values(rows, 'all events')).toEqual([3, 0, 0, 0, 1]);
    // MAU at each Monday: 30 days ending 4 Mar: x; 11 Mar: x, y, z; 18 Mar: x, y, z; 25 Mar: x, y, z (5th..); 1 Apr (3 Mar..1 Apr): x, y, z
    expect(values(rows, 'mau')).toEqual([1, 3, 3, 3, 3]);
    expect(meta.series).toMatchObject([{ letter: 'A', math: 'dau' }, { letter: 'B', math: 'monthly_active' }]);
  });

  test('weekly active on hours: the 168 hours ending with the hour', async () => {
    const { rows } = await run('active', {
      period: 'hour', series: [{ event: null, math: 'weekly_active' }], date_from: '2024-03-08 10:00', date_to: '2024-03-08 11:00',
    });
    // hour 10:00 on the 8th ends 11:00: from 11:00 on the 1st, x's 10:00 on the 1st is out, y in; hour 11:00: the same
    expect(values(rows)).toEqual([1, 1]);
    const later = await run('active', { period: 'hour', series: [{ event: null, math: 'weekly_active' }], date_from: '2024-03-08 09:00', date_to: '2024-03-08 09:00' });
    // hour 09:00 ends 10:00: from 10:00 on the 1st, x's event at 10:00 counts
    expect(values(later.rows)).toEqual([2]);
  });

  test('property maths ignore what is no number, and an empty period is 0', async () => {
    const series = ['sum', 'avg', 'min', 'max', 'median', 'p75'].map((math) => ({ event: null, math, property: 'qty', label: math }));
    const { rows } = await run('week', { period: 'week', series, date_from: '2024-03-04', date_to: '2024-03-17' });
    // week of 4 Mar: 10, 2.5, 4, 6 ('abc' and null ignored); week of 11 Mar: 1; no week is empty here
    const byMath = (label: string) => values(rows, label);
    expect(byMath('sum')).toEqual([22.5, 1]);
    expect(byMath('avg')).toEqual([22.5 / 4, 1]);
    expect(byMath('min')).toEqual([2.5, 1]);
    expect(byMath('max')).toEqual([10, 1]);
    expect(byMath('median')).toEqual([5, 1]); // 2.5 4 | 6 10
    expect(byMath('p75')).toEqual([7, 1]); // sorted 2.5 4 6 10: position 2.25 → 6 + 0.25 × 4
    const empty = await run('week', { series: [{ event: 'signup', math: 'avg', property: 'n' }], date_from: '2024-03-06', date_to: '2024-03-07' });
    expect(values(empty.rows)).toEqual([0, 0]);
  });

  test('breakdown values are text, an empty text is null, and the rest is "Other"', async () => {
    const range = { period: 'month', date_from: '2024-03-01', date_to: '2024-03-31' };
    const bySrc = await run('week', { ...range, series: [{ event: null }], breakdown: 'src' });
    // March: ads 4 (a ×3, c), seo 2 (b, c), null 1 (b's empty src)
    expect(bySrc.rows).toEqual([
      { series: 'all events', breakdown: 'ads', other: false, period: '2024-03-01', value: 4 },
      { series: 'all events', breakdown: 'seo', other: false, period: '2024-03-01', value: 2 },
      { series: 'all events', breakdown: null, other: false, period: '2024-03-01', value: 1 },
    ]);
    const byNumber = await run('week', { ...range, series: [{ event: null }], breakdown: 'n', breakdown_limit: 2 });
    // n: 10 twice, then 2.5, 4, 6, 1, null once each: ties by value, the rest summed
    expect(byNumber.rows.map((r) => [r.breakdown, r.other, r.value])).toEqual([['10', false, 2], ['1', false, 1], ['Other', true, 4]]);
    const byFlag = await run('week', { ...range, series: [{ event: null, math: 'dau' }], breakdown: 'paid' });
    // paid true: a, c (dau ranks by events: 4); false: b, c (2 events); null: b
    expect(byFlag.rows.map((r) => [r.breakdown, r.value])).toEqual([['true', 2], ['false', 2], [null, 1]]);
  });

  test('"Other" carries the series\' math over the rest together: each person once', async () => {
    const { rows } = await run('week', { period: 'month', series: [{ event: null, math: 'dau' }], breakdown: 'qty', breakdown_limit: 1, date_from: '2024-03-01', date_to: '2024-03-31' });
    // qty values in March, one event each: '10', '2.5', 'abc', null, '4', '6', '1': ties by value, '1' first;
    // the rest are a (10, 2.5, 6), b (abc, null), c (4): 3 people, not 6
    expect(rows.map((r) => [r.breakdown, r.value])).toEqual([['1', 1], ['Other', 3]]);
  });

  test('formula: per period, x / 0 = 0, a missing breakdown value counts 0', async () => {
    const { rows, meta } = await run('week', {
      series: [{ event: 'view' }, { event: 'signup' }], formula: 'A / B * 100', date_from: '2024-03-04', date_to: '2024-03-06',
    });
    // view 1, 0, 2; signup 1, 1, 0
    expect(values(rows, 'formula')).toEqual([100, 0, 0]);
    expect(meta.formula).toMatch(/formula = A \/ B \* 100 \(x \/ 0 = 0\)$/);
    const split = await run('week', {
      period: 'month', series: [{ event: 'view' }, { event: 'signup' }], formula: 'A - B', breakdown: 'src', date_from: '2024-03-01', date_to: '2024-03-31',
    });
    // view: ads 2, seo 1, null 1; signup: ads 2, seo 1 → formula ads 0, seo 0, null 1 - 0
    expect(split.rows.filter((r) => r.series === 'formula').map((r) => [r.breakdown, r.value])).toEqual([['ads', 0], ['seo', 0], [null, 1]]);
  });

  test('compare: the same number of days just before, rows with their own dates', async () => {
    const { rows } = await run('week', { series: [{ event: null }], compare: true, date_from: '2024-03-04', date_to: '2024-03-05' });
    expect(rows).toEqual([
      { series: 'all events', period: '2024-03-04', value: 2, compare: 'current' },
      { series: 'all events', period: '2024-03-05', value: 1, compare: 'current' },
      { series: 'all events', period: '2024-03-02', value: 0, compare: 'previous' },
      { series: 'all events', period: '2024-03-03', value: 0, compare: 'previous' },
    ]);
  });

  test('compare with a breakdown: an empty previous range has a zero line per breakdown value, no "(none)"', async () => {
    const { rows } = await run('week', { series: [{ event: null }], breakdown: 'src', compare: true, date_from: '2024-03-04', date_to: '2024-03-05' });
    expect(rows.map((r) => [r.breakdown, r.period, r.value, r.compare])).toEqual([
      ['ads', '2024-03-04', 2, 'current'], ['ads', '2024-03-05', 0, 'current'], // a's signup and view
      ['seo', '2024-03-04', 0, 'current'], ['seo', '2024-03-05', 1, 'current'], // b's signup
      ['ads', '2024-03-02', 0, 'previous'], ['ads', '2024-03-03', 0, 'previous'],
      ['seo', '2024-03-02', 0, 'previous'], ['seo', '2024-03-03', 0, 'previous'],
    ]);
  });

  test('cumulative: running totals; for dau the people seen so far', async () => {
    const range = { cumulative: true, date_from: '2024-03-04', date_to: '2024-03-08' };
    const { rows } = await run('week', { ...range, series: [{ event: null }, { event: null, math: 'dau', label: 'people' }] });
    expect(values(rows, 'all events')).toEqual([2, 3, 5, 5, 6]);
    expect(values(rows, 'people')).toEqual([1, 2, 3, 3, 3]); // a, b, c; a again on the 8th
  });

  test('where applies to every series, a series\' own where to it alone', async () => {
    const { rows } = await run('week', {
      period: 'month', date_from: '2024-03-01', date_to: '2024-03-31', where: [{ column: 'user_id', op: '!=', value: 'a' }],
      series: [{ event: null }, { event: null, where: [{ column: 'src', op: '=', value: 'seo' }], label: 'seo' }],
    });
    expect(values(rows)).toEqual([4, 2]); // b ×2, c ×2; of those seo: b's signup, c's view
  });

  test('a series event that never occurs counts 0 and warns, with the name it may have meant', async () => {
    const { rows, meta } = await run('week', { period: 'month', date_from: '2024-03-01', date_to: '2024-03-31', series: [{ event: 'veiw' }, { event: null }, { event: 'nothing like it' }] });
    expect(rows.map((r) => [r.series, r.value])).toEqual([['veiw', 0], ['all events', 7], ['nothing like it', 0]]);
    expect(meta.warnings).toEqual([
      'series[0].event: "veiw" never occurs in the data (did you mean "view"?)',
      'series[2].event: "nothing like it" never occurs in the data',
    ]);
  });

  test('two series of one event are named by their math', async () => {
    const { rows } = await run('week', { period: 'month', date_from: '2024-03-01', date_to: '2024-03-31', series: [{ event: 'view' }, { event: 'view', math: 'sum', property: 'n' }] });
    expect(rows.map((r) => [r.series, r.value])).toEqual([['view (total)', 4], ['view (sum of n)', 12.5]]);
  });
});

describe('trends spec errors', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await testEngine('wasm');
    await loadTestEvents(engine, WEEK, { source: 'week' });
  });
  test.each([
    [{ series: [] }, /^trends spec: series must be a non-empty list/],
    [{ series: [{ event: 'view', math: 'count' }] }, /^trends spec: series\[0\]\.math must be one of "total", "dau", .* not "count"$/],
    [{ series: [{ event: 'view', math: 'sum' }] }, /^trends spec: series\[0\]: math "sum" needs a property \(a numeric column, like "revenue"\)$/],
    [{ series: [{ event: 'view', math: 'sum', property: 'paid' }] }, /^trends spec: series\[0\]\.property "paid" is a BOOLEAN column: sum needs numbers$/],
    [{ series: [{ event: 'view', property: 'n' }] }, /^trends spec: series\[0\]\.property is only for the property maths/],
    [{ series: [{ event: 'view', maths: 'dau' }] }, /^trends spec: series\[0\]: unknown field "maths" \(did you mean "math"\?\)/],
    [{ series: [{ event: 'view' }, { event: 'view' }] }, /^trends spec: series A and B are both named "view \(total\)": give one a label$/],
    [{ formula: 'A + B' }, /^trends spec: formula "A \+ B": there is no series B \(the spec has 1 series: A\)$/],
    [{ formula: 'alert(1)' }, /^trends spec: formula "alert\(1\)": only numbers, series letters and \+ - \* \/ % \*\* \( \) are allowed at character 1$/],
    [{ formula: 'A.constructor' }, /^trends spec: formula "A\.constructor": only numbers/],
    [{ formula: 'A +' }, /^trends spec: formula "A \+" cannot be read: Unexpected token$/],
    [{ formula: 'A; B' }, /^trends spec: formula "A; B": unexpected "; B" at character 2$/],
    [{ breakdown: 'source' }, /^trends spec: breakdown: no column "source"/],
    [{ period: 'hour', date_from: '2020-01-01', date_to: '2024-01-01' }, /^trends spec: the range 2020-01-01 to 2024-01-01 has 35,088 hour periods: at most 10,000/],
    [{ date_from: '2024-03-08', date_to: '2024-03-01' }, /^trends spec: date_from 2024-03-08 is after date_to 2024-03-01$/],
    [{ compare: 'yes' }, /^trends spec: compare must be true or false, not "yes"$/],
  ])('rejects %j', async (extra, message) => {
    await expect(runAnalysis(engine, { kind: 'trends', ...extra }, { table: 'week' })).rejects.toThrow(message);
  });
});
