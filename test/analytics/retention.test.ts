import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  SpecError, readEventCatalog, retention, retentionSql, runAnalysis, validateRetention, wilsonInterval,
} from '../../src/analytics/index.ts';
import type { Engine } from '../../src/engine/index.ts';
import { createNodeEngine } from '../../src/engine/node.ts';
import { loadTestEvents, type TestEvent } from '../helpers/events.ts';

const at = (user: string, event: string, ts: string, props: Record<string, unknown> = {}): TestEvent => ({ user_id: user, event, ts, ...props });

// Monday weeks: W1 2024-01-01, W2 01-08, W3 01-15, W4 01-22. The last event (a's open) is on 01-23, in W4.
const SHOP: TestEvent[] = [
  at('a', 'signup', '2024-01-01T10:00:00Z', { plan: 'pro' }), at('a', 'open', '2024-01-09T10:00:00Z'), at('a', 'open', '2024-01-23T10:00:00Z'),
  at('b', 'signup', '2024-01-02T10:00:00Z', { plan: 'free' }), at('b', 'open', '2024-01-10T10:00:00Z'), at('b', 'open', '2024-01-11T10:00:00Z'),
  at('c', 'signup', '2024-01-09T10:00:00Z', { plan: 'pro' }), at('c', 'open', '2024-01-16T10:00:00Z'),
  at('d', 'open', '2024-01-03T10:00:00Z'), at('d', 'signup', '2024-01-17T10:00:00Z'),
  at('e', 'signup', '2024-01-05T10:00:00Z', { plan: 'free' }),
];

// Around midnight UTC at a month end.
const KINDS: TestEvent[] = [
  at('p', 'x', '2024-01-31T23:30:00Z'), at('p', 'x', '2024-02-01T00:10:00Z'), at('p', 'x', '2024-02-01T02:00:00Z'), at('p', 'x', '2024-03-01T12:00:00Z'),
  at('q', 'x', '2024-02-01T00:50:00Z'), at('q', 'x', '2024-02-02T09:00:00Z'),
];

let engine: Engine;
let native: Engine;

async function loadAll(target: Engine) {
  await loadTestEvents(target, SHOP, { source: 'shop' });
  await loadTestEvents(target, KINDS, { source: 'kinds' });
  // Sunday 2024-01-07 and Monday 01-08.
  await loadTestEvents(target, [at('s', 'x', '2024-01-07T12:00:00Z'), at('s', 'x', '2024-01-08T12:00:00Z')], { source: 'sunday' });
  // London moves to BST at 2024-03-31 01:00 UTC: 23:30 UTC that evening is already Monday 00:30 there.
  await loadTestEvents(target, [at('w', 'x', '2024-03-25T00:30:00Z'), at('w', 'x', '2024-03-31T23:30:00Z'), at('v', 'x', '2024-04-02T12:00:00Z')], { source: 'dst' });
  // 23 h and 49 h after the signup: calendar days 1 and 2, rolling 24 h periods 0 and 2.
  await loadTestEvents(target, [
    at('r', 'signup', '2024-01-01T10:00:00Z'), at('r', 'open', '2024-01-02T09:00:00Z'), at('r', 'open', '2024-01-03T11:00:00Z'),
  ], { source: 'rolling' });
  // Ten people sign up in one week; five come back the next.
  await loadTestEvents(target, Array.from({ length: 10 }, (_, i) => [
    at(`t${i}`, 'signup', `2024-01-0${1 + (i % 5)}T10:00:00Z`),
    ...(i < 5 ? [at(`t${i}`, 'open', '2024-01-09T10:00:00Z')] : []),
  ]).flat(), { source: 'ten' });
}

beforeAll(async () => {
  engine = await createNodeEngine('wasm');
  await loadAll(engine);
});
afterAll(async () => {
  await engine?.close();
  await native?.close();
});

type Rows = Record<string, unknown>[];
const run = async (table: string, spec: Record<string, unknown>, target = engine) =>
  (await runAnalysis(target, { kind: 'retention', ...spec }, { table })).rows;

/** The matrix as `{cohort: [users by period]}` (cohort keys carry the breakdown when there is one). */
function matrix(rows: Rows): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const row of rows) {
    const key = 'breakdown' in row ? `${row.cohort} ${row.breakdown}` : String(row.cohort);
    (out[key] ??= [])[row.period as number] = row.users as number;
  }
  return out;
}

const incompleteCells = (rows: Rows) => rows.filter((r) => r.incomplete).map((r) => `${r.cohort}+${r.period}`);

const WEEKLY = { period: 'week', start_event: 'signup', return_event: 'open', date_from: '2024-01-01', intervals: 4 };

describe('retention on a hand-counted log', () => {
  test('weekly recurring: cohort sizes, returns k weeks later, rates', async () => {
    const rows = await run('shop', WEEKLY);
    expect(matrix(rows)).toEqual({
      '2024-01-01': [3, 2, 0, 1], '2024-01-08': [1, 1, 0], '2024-01-15': [1, 0], '2024-01-22': [0],
    });
    expect(rows[0]).toMatchObject({ cohort: '2024-01-01', cohort_size: 3, period: 0, users: 3, rate: 1 });
    expect(rows[1].rate).toBeCloseTo(2 / 3, 12);
    expect(rows.at(-1)).toMatchObject({ cohort: '2024-01-22', cohort_size: 0, users: 0, rate: null, rate_low: null, rate_high: null });
  });

  test('incomplete: the cells of the week holding the last event, and nothing else', async () => {
    expect(incompleteCells(await run('shop', WEEKLY))).toEqual(['2024-01-01+3', '2024-01-08+2', '2024-01-15+1', '2024-01-22+0']);
    // A range that ends before the last event has fully elapsed.
    expect(incompleteCells(await run('shop', { ...WEEKLY, date_to: '2024-01-21' }))).toEqual([]);
  });

  test('cumulative counts a person in every period up to their last return', async () => {
    expect(matrix(await run('shop', { ...WEEKLY, cumulative: true }))['2024-01-01']).toEqual([3, 2, 1, 1]);
  });

  test('min_occurrences needs that many return events in the period', async () => {
    expect(matrix(await run('shop', { ...WEEKLY, min_occurrences: 2 }))).toEqual({
      '2024-01-01': [3, 1, 0, 0], '2024-01-08': [1, 0, 0], '2024-01-15': [1, 0], '2024-01-22': [0],
    });
  });

  test('first_time puts a person in the cohort of their first start event only; recurring in every one', async () => {
    const spec = { ...WEEKLY, start_event: null };
    expect(matrix(await run('shop', { ...spec, mode: 'first_time' }))).toEqual({
      '2024-01-01': [4, 2, 0, 1], '2024-01-08': [1, 1, 0], '2024-01-15': [0, 0], '2024-01-22': [0],
    });
    expect(matrix(await run('shop', { ...spec, mode: 'recurring' }))).toEqual({
      '2024-01-01': [4, 2, 0, 1], '2024-01-08': [3, 1, 1], '2024-01-15': [2, 0], '2024-01-22': [1],
    });
  });

  test('first_time leaves out people whose first start event is before the range', async () => {
    // d's first event (01-03) is before a range starting 01-08, so d is in no cohort there.
    expect(matrix(await run('shop', { ...WEEKLY, start_event: null, mode: 'first_time', date_from: '2024-01-08' }))).toEqual({
      '2024-01-08': [1, 1, 0], '2024-01-15': [0, 0], '2024-01-22': [0],
    });
  });

  test('date_to includes its whole week and ignores later events; date_from defaults to intervals - 1 periods before', async () => {
    // a's return on 01-23 is after the range: with it, cumulative week 2 would be 1.
    expect(matrix(await run('shop', { ...WEEKLY, date_to: '2024-01-16', cumulative: true }))).toEqual({
      '2024-01-01': [3, 2, 0], '2024-01-08': [1, 1], '2024-01-15': [1],
    });
    const { rows, meta } = await runAnalysis(engine, { kind: 'retention', start_event: 'signup', return_event: 'open', intervals: 2 }, { table: 'shop' });
    expect(matrix(rows)).toEqual({ '2024-01-15': [1, 0], '2024-01-22': [0] });
    expect(meta.spec).toMatchObject({ date_from: '2024-01-15', date_to: '2024-01-23', period: 'week' });
  });

  test('breakdown takes the value of the cohort-defining event, null included', async () => {
    const rows = await run('shop', { ...WEEKLY, breakdown: 'plan' });
    expect(matrix(rows)).toEqual({
      '2024-01-01 free': [2, 1, 0, 0], '2024-01-01 pro': [1, 1, 0, 1], '2024-01-08 pro': [1, 1, 0], '2024-01-15 null': [1, 0],
    });
    expect(rows.filter((r) => r.cohort === '2024-01-15')[0].breakdown).toBeNull();
  });

  test('where filters the events first', async () => {
    expect(matrix(await run('shop', { ...WEEKLY, where: [{ column: 'user_id', op: '!=', value: 'b' }] }))['2024-01-01']).toEqual([2, 1, 0, 1]);
  });

  test('hour, day and month periods, with hour labels', async () => {
    const hours = await run('kinds', { period: 'hour', date_from: '2024-01-31 23:00', date_to: '2024-02-01 02:00', intervals: 4 });
    expect(matrix(hours)).toEqual({
      '2024-01-31 23:00': [1, 1, 0, 1], '2024-02-01 00:00': [2, 0, 1], '2024-02-01 01:00': [0, 0], '2024-02-01 02:00': [1],
    });
    expect(incompleteCells(hours)).toEqual([]);
    expect(matrix(await run('kinds', { period: 'day', date_from: '2024-01-31', date_to: '2024-02-02', intervals: 3 }))).toEqual({
      '2024-01-31': [1, 1, 0], '2024-02-01': [2, 1], '2024-02-02': [1],
    });
    const months = await run('kinds', { period: 'month', date_from: '2024-01-01', date_to: '2024-03-31', intervals: 3 });
    expect(matrix(months)).toEqual({ '2024-01-01': [1, 1, 1], '2024-02-01': [2, 1], '2024-03-01': [1] });
    expect(incompleteCells(months)).toEqual(['2024-01-01+2', '2024-02-01+1', '2024-03-01+0']);
  });

  test('a time zone moves events near midnight UTC to another local day', async () => {
    const spec = { period: 'day', date_from: '2024-01-31', date_to: '2024-02-02', intervals: 3 };
    // New York (UTC-5): p's and q's first events are all on 01-31; q's 02-02 09:00 UTC is 04:00 there.
    expect(matrix(await run('kinds', { ...spec, timezone: 'America/New_York' }))).toEqual({
      '2024-01-31': [2, 0, 1], '2024-02-01': [0, 0], '2024-02-02': [1],
    });
  });

  test('week_start sunday versus monday', async () => {
    const spec = { date_from: '2024-01-01', date_to: '2024-01-08', intervals: 2 };
    expect(matrix(await run('sunday', spec))).toEqual({ '2024-01-01': [1, 1], '2024-01-08': [1] });
    expect(matrix(await run('sunday', { ...spec, week_start: 'sunday' }))).toEqual({ '2023-12-31': [0, 0], '2024-01-07': [1] });
  });

  test('a DST week in Europe/London: local weeks begin at local midnight', async () => {
    const spec = { date_from: '2024-03-25', date_to: '2024-04-07', intervals: 2 };
    expect(matrix(await run('dst', { ...spec, timezone: 'Europe/London' }))).toEqual({ '2024-03-25': [1, 1], '2024-04-01': [2] });
    // In UTC both of w's events are in the week of 03-25, and only v is in the next.
    expect(matrix(await run('dst', spec))).toEqual({ '2024-03-25': [1, 0], '2024-04-01': [1] });
    // Days: Sunday 03-31 has 23 hours in London, and 23:30 UTC belongs to Monday 04-01.
    const days = await run('dst', { period: 'day', timezone: 'Europe/London', date_from: '2024-03-31', date_to: '2024-04-01', intervals: 2 });
    expect(matrix(days)).toEqual({ '2024-03-31': [0, 0], '2024-04-01': [1] });
  });

  test('rolling clock counts 24 h periods from each person\'s own start event', async () => {
    const spec = { period: 'day', start_event: 'signup', return_event: 'open', date_from: '2024-01-01', date_to: '2024-01-03', intervals: 3 };
    const calendar = await run('rolling', spec);
    expect(matrix(calendar)['2024-01-01']).toEqual([1, 1, 1]);
    expect(incompleteCells(calendar)).toEqual(['2024-01-01+2', '2024-01-02+1', '2024-01-03+0']);
    const rolling = await run('rolling', { ...spec, clock: 'rolling' });
    expect(matrix(rolling)['2024-01-01']).toEqual([1, 0, 1]);
    // The last person of the 01-01 cohort could start at 24:00, so their period 1 ends 01-04 00:00, after the data.
    expect(incompleteCells(rolling).filter((c) => c.startsWith('2024-01-01'))).toEqual(['2024-01-01+1', '2024-01-01+2']);
  });

  test('rate_low and rate_high are the 95 % Wilson interval: 5 of 10 -> [0.2366, 0.7634]', async () => {
    const rows = await run('ten', { date_from: '2024-01-01', date_to: '2024-01-14', intervals: 2, start_event: 'signup', return_event: 'open' });
    expect(rows[1]).toMatchObject({ cohort: '2024-01-01', cohort_size: 10, period: 1, users: 5, rate: 0.5 });
    expect(rows[1].rate_low).toBeCloseTo(0.2366, 4);
    expect(rows[1].rate_high).toBeCloseTo(0.7634, 4);
    expect(wilsonInterval(0, 4)![0]).toBe(0);
    expect(wilsonInterval(4, 4)![1]).toBe(1);
    expect(wilsonInterval(0, 0)).toBeNull();
  });

  test('meta carries the formula and the normalised spec', async () => {
    const { meta } = await runAnalysis(engine, { kind: 'retention', start_event: 'signup' }, { table: 'shop' });
    expect(meta.formula).toMatch(/people in the cohort; period 0 = the cohort itself; 95 % interval: Wilson/);
    expect(meta.spec).toEqual({
      kind: 'retention', period: 'week', week_start: 'monday', timezone: 'UTC', start_event: 'signup', return_event: null,
      mode: 'recurring', cumulative: false, min_occurrences: 1, intervals: 8, date_from: '2023-12-04', date_to: '2024-01-23',
      clock: 'calendar', breakdown: null, breakdown_returns: 'any', where: [],
    });
  });
});

describe('the two SQL forms', () => {
  test('the bitmask query and the join query give the same rows', async () => {
    const catalog = await readEventCatalog(engine, 'shop');
    const specs = [
      WEEKLY, { ...WEEKLY, cumulative: true }, { ...WEEKLY, min_occurrences: 2 }, { ...WEEKLY, start_event: null, mode: 'first_time' },
      { ...WEEKLY, return_event: null, min_occurrences: 2, mode: 'first_time', cumulative: true }, { period: 'day', intervals: 9 },
    ];
    for (const input of specs) {
      const spec = validateRetention({ kind: 'retention', ...input }, catalog);
      const shaped = await Promise.all([true, false].map(async (masks) => {
        const { sql, params } = retentionSql(spec, 'shop', { masks });
        return retention.shape(await engine.query(sql, params), spec, catalog).rows;
      }));
      expect(retentionSql(spec, 'shop').sql).toMatch(/bit_or/);
      expect(retentionSql(spec, 'shop', { masks: false }).sql).not.toMatch(/bit_or/);
      expect(shaped[0], JSON.stringify(input)).toEqual(shaped[1]);
    }
  });

  test('values are bound, never pasted into the SQL', () => {
    const catalog = { events: ["it's"], columns: [{ name: 'user_id', type: 'VARCHAR' }, { name: 'plan', type: 'VARCHAR' }], firstTs: 0, lastTs: 1e12 };
    const spec = validateRetention({
      kind: 'retention', start_event: "it's", where: [{ column: 'plan', op: '=', value: "o'hare" }], breakdown: 'plan',
    }, catalog);
    const { sql, params } = retentionSql(spec, 'events');
    expect(sql).not.toMatch(/it's|o'hare/);
    expect(params).toContain("it's");
    expect(params).toContain("o'hare");
  });
});

describe('spec errors name the field and the problem', () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ period: 'year' }, /period must be one of "hour", "day", "week", "month", not "year"/],
    [{ week_start: 'friday' }, /week_start must be one of "monday", "sunday", not "friday"/],
    [{ timezone: 'Mars/Olympus' }, /timezone "Mars\/Olympus" is not an IANA time zone name/],
    [{ intervals: 0 }, /intervals must be a whole number >= 1, not 0/],
    [{ intervals: 2.5 }, /intervals must be a whole number >= 1, not 2.5/],
    [{ min_occurrences: 0 }, /min_occurrences must be a whole number >= 1/],
    [{ breakdown: 'plna' }, /breakdown: no column "plna" \(did you mean "plan"\?\)/],
    [{ date_from: '2024-02-30' }, /date_from must be a local date written YYYY-MM-DD, not "2024-02-30"/],
    [{ date_to: '2024-01-15 10:00' }, /date_to must be a local date written YYYY-MM-DD, not "2024-01-15 10:00"/],
    [{ date_from: '2024-02-01', date_to: '2024-01-15' }, /date_from 2024-02-01 is after date_to 2024-01-15/],
    [{ mode: 'first' }, /mode must be one of "recurring", "first_time", not "first"/],
    [{ clock: 'wall' }, /clock must be one of "calendar", "rolling", not "wall"/],
    [{ interval: 4 }, /unknown field "interval" \(did you mean "intervals"\?\)/],
    [{ where: [{ column: 'nope', op: '=', value: 1 }] }, /where\[0\]: no column "nope"/],
  ];
  test.each(cases)('%j', async (spec, message) => {
    const failure = runAnalysis(engine, { kind: 'retention', ...spec }, { table: 'shop' });
    await expect(failure).rejects.toThrow(SpecError);
    await expect(failure).rejects.toThrow(message);
  });
});

describe('native DuckDB', () => {
  beforeAll(async () => {
    native = await createNodeEngine('native');
    await loadAll(native);
  });

  test('returns the same rows as DuckDB-WASM', async () => {
    const specs: [string, Record<string, unknown>][] = [
      ['shop', WEEKLY], ['shop', { ...WEEKLY, breakdown: 'plan', cumulative: true }], ['shop', { ...WEEKLY, start_event: null, mode: 'first_time' }],
      ['kinds', { period: 'hour', date_from: '2024-01-31', timezone: 'Asia/Kolkata', intervals: 6 }],
      ['dst', { timezone: 'Europe/London', date_from: '2024-03-25', intervals: 3 }],
      ['rolling', { period: 'day', clock: 'rolling', start_event: 'signup', intervals: 3 }],
    ];
    for (const [table, spec] of specs) {
      const [wasmRows, nativeRows] = [await run(table, spec, engine), await run(table, spec, native)];
      expect(wasmRows.length).toBeGreaterThan(0);
      expect(nativeRows, `${table} ${JSON.stringify(spec)}`).toEqual(wasmRows);
    }
  });
});
