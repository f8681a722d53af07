import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { analysesFor, runAnalysis } from '../../src/analytics/index.ts';
import type { Engine } from '../../src/engine/index.ts';
import { closeTestEngines, testEngine } from '../helpers/engines.ts';
import { loadTestEvents } from '../helpers/events.ts';
import { generatedLog } from './generated-log.ts';

// The same rows on ClickHouse (chDB) as on native DuckDB, option by option, for every analysis
// ported to the ClickHouse dialect. The brute-force references run on chDB in each analysis's own
// test file; this covers the options those leave out (filters of every op, people lists, zones).

let native: Engine;
let clickhouse: Engine;

beforeAll(async () => {
  native = await testEngine('native');
  clickhouse = await testEngine('clickhouse');
  const log = generatedLog({ seed: 24, users: 90, start: '2024-02-20T00:00:00Z', days: 100, eventsPerUser: 7 })
    .map((e, i) => ({ ...e, plan: i % 5 === 0 ? null : ['free', 'pro', 'team'][i % 3], score: i % 7 }));
  for (const engine of [native, clickhouse]) await loadTestEvents(engine, log, { source: 'parity' });
}, 120_000);
afterAll(closeTestEngines);

const range = { date_from: '2024-03-01', date_to: '2024-05-20' };
const FILTERS = [
  [{ column: 'plan', op: '=', value: 'pro' }],
  [{ column: 'plan', op: '!=', value: 'pro' }],
  [{ column: 'plan', op: 'in', value: ['free', 'team'] }],
  [{ column: 'plan', op: 'not_in', value: ['free'] }],
  [{ column: 'plan', op: 'contains', value: 'ea' }],
  [{ column: 'user_id', op: 'starts_with', value: 'u0' }],
  [{ column: 'score', op: '>=', value: 3 }, { column: 'score', op: '<', value: 5.5 }],
  [{ column: 'plan', op: 'is_null' }],
  [{ column: 'plan', op: 'not_null' }],
];

const CASES: [string, Record<string, unknown>][] = [
  ...(['day', 'week', 'month'] as const).flatMap((period) => (['UTC', 'America/New_York', 'Asia/Kolkata'] as const).map((timezone) =>
    [`lifecycle ${period} ${timezone}`, { kind: 'lifecycle', period, timezone, event: 'open', ...range }] as [string, Record<string, unknown>])),
  ['lifecycle any event, week starting Sunday', { kind: 'lifecycle', period: 'week', week_start: 'sunday', ...range }],
  ['lifecycle people (returning)', { kind: 'lifecycle', period: 'week', ...range, people: { period: '2024-03-18', status: 'returning' } }],
  ['lifecycle people (dormant)', { kind: 'lifecycle', period: 'week', ...range, people: { period: '2024-03-25', status: 'dormant' } }],
  ...FILTERS.map((where, i) => [`lifecycle where #${i} ${where[0].op}`, { kind: 'lifecycle', period: 'week', ...range, where }] as [string, Record<string, unknown>]),
  ...(['day', 'week', 'month'] as const).flatMap((period) => [false, true].map((cumulative) =>
    [`stickiness ${period} cumulative ${cumulative}`, { kind: 'stickiness', period, cumulative, timezone: 'Europe/Berlin', ...range }] as [string, Record<string, unknown>])),
  ['stickiness people', { kind: 'stickiness', period: 'week', ...range, people: { periods_active: 2 } }],
  ['stickiness people cumulative', { kind: 'stickiness', period: 'day', cumulative: true, ...range, people: { periods_active: 3 } }],
  ...FILTERS.map((where, i) => [`stickiness where #${i} ${where[0].op}`, { kind: 'stickiness', period: 'week', event: 'view', ...range, where }] as [string, Record<string, unknown>]),
  ...(['calendar', 'rolling'] as const).flatMap((clock) => (['recurring', 'first_time'] as const).flatMap((mode) => [false, true].map((cumulative) =>
    [`retention ${clock} ${mode} cumulative ${cumulative}`, { kind: 'retention', period: 'week', clock, mode, cumulative, start_event: 'open', return_event: 'purchase', breakdown: 'plan', ...range }] as [string, Record<string, unknown>]))),
  ['retention weekly, no breakdown (DuckDB: the bitmask form)', { kind: 'retention', period: 'week', timezone: 'Europe/London', ...range }],
  ['retention hours in Kolkata', { kind: 'retention', period: 'hour', timezone: 'Asia/Kolkata', date_from: '2024-03-05', date_to: '2024-03-07', intervals: 12 }],
  ['retention months, min_occurrences 2', { kind: 'retention', period: 'month', min_occurrences: 2, ...range }],
  ['retention breakdown same_value', { kind: 'retention', period: 'week', breakdown: 'plan', breakdown_returns: 'same_value', ...range }],
  ['retention people of a cohort', { kind: 'retention', period: 'week', ...range, people: { cohort: '2024-03-04', period: 0 } }],
  ['retention people back in week 2', { kind: 'retention', period: 'week', ...range, people: { cohort: '2024-03-04', period: 2 } }],
  ['retention people, breakdown', { kind: 'retention', period: 'week', breakdown: 'plan', ...range, people: { cohort: '2024-02-26', period: 1, breakdown: 'pro' } }],
  ...FILTERS.map((where, i) => [`retention where #${i} ${where[0].op}`, { kind: 'retention', period: 'week', ...range, where }] as [string, Record<string, unknown>]),
  ...(['total', 'dau', 'weekly_active', 'monthly_active', 'sum', 'avg', 'min', 'max', 'median', 'p90', 'p99'] as const).flatMap((math) => (['hour', 'day', 'week', 'month'] as const).map((period) =>
    [`trends ${math} by ${period}`, {
      kind: 'trends', period, timezone: 'Europe/London', ...(period === 'hour' ? { date_from: '2024-03-30', date_to: '2024-04-01' } : range),
      series: [{ event: 'purchase', math, ...(['total', 'dau', 'weekly_active', 'monthly_active'].includes(math) ? {} : { property: 'revenue' }) }],
    }] as [string, Record<string, unknown>])),
  ['trends breakdown by plan, limit 2, compare', { kind: 'trends', period: 'week', ...range, breakdown: 'plan', breakdown_limit: 2, compare: true, series: [{ event: 'open' }, { event: 'view', math: 'dau' }] }],
  ['trends numeric breakdown, weekly active', { kind: 'trends', period: 'day', ...range, breakdown: 'score', series: [{ event: null, math: 'weekly_active' }] }],
  ['trends formula, cumulative', { kind: 'trends', period: 'week', ...range, cumulative: true, series: [{ event: 'purchase', math: 'dau' }, { event: 'open', math: 'dau' }], formula: 'A / B' }],
  ['trends text property as numbers', { kind: 'trends', period: 'week', ...range, series: [{ event: 'open', math: 'sum', property: 'plan' }, { event: 'open', math: 'avg', property: 'score' }] }],
  ...FILTERS.map((where, i) => [`trends where #${i} ${where[0].op}`, { kind: 'trends', period: 'week', ...range, series: [{ event: 'view', where }] }] as [string, Record<string, unknown>]),
  ...(['day', 'week', 'month'] as const).flatMap((period) => [5, 30, 240].map((gap_minutes) =>
    [`sessions by ${period}, ${gap_minutes}-minute gap`, { kind: 'sessions', period, gap_minutes, timezone: 'America/New_York', ...range }] as [string, Record<string, unknown>])),
  ['sessions per person', { kind: 'sessions', per: 'user', ...range }],
  ...FILTERS.map((where, i) => [`sessions where #${i} ${where[0].op}`, { kind: 'sessions', period: 'week', ...range, where }] as [string, Record<string, unknown>]),
  ['active users', { kind: 'active_users', ...range }],
  ['active users, purchases in Sydney', { kind: 'active_users', event: 'purchase', timezone: 'Australia/Sydney', ...range }],
  ['active users before the log begins', { kind: 'active_users', date_from: '2024-01-01', date_to: '2024-02-25' }],
  ...FILTERS.map((where, i) => [`active users where #${i} ${where[0].op}`, { kind: 'active_users', ...range, where }] as [string, Record<string, unknown>]),
];

describe('ClickHouse (chDB) gives the rows native DuckDB gives', () => {
  test.each(CASES)('%s', async (_, spec) => {
    const expected = await runAnalysis(native, spec, { table: 'parity' });
    const actual = await runAnalysis(clickhouse, spec, { table: 'parity' });
    expect(expected.rows.length).toBeGreaterThan(0);
    expect(actual.rows).toEqual(expected.rows);
    expect({ ...actual.meta, engine: null, query_seconds: 0 }).toEqual({ ...expected.meta, engine: null, query_seconds: 0 });
    // the `events` view (DuckDB groups people by the hash of their id there) gives the same rows
    expect((await runAnalysis(clickhouse, spec)).rows).toEqual(actual.rows);
  });

  test('an analysis not ported yet says so, naming the engine and what runs there', async () => {
    expect(analysesFor('clickhouse')).toEqual(['active_users', 'lifecycle', 'retention', 'sessions', 'stickiness', 'trends']);
    await expect(runAnalysis(clickhouse, { kind: 'rfm' })).rejects.toThrow(
      /^the rfm analysis does not run on the ClickHouse engine yet \(it runs there: active_users, lifecycle, retention, sessions, stickiness, trends\); use DuckDB \(--engine native or wasm\) for it$/);
  });

  test('cohort filters say they do not run on ClickHouse yet', async () => {
    await expect(runAnalysis(clickhouse, { kind: 'stickiness', cohort: { name: 'buyers', rules: [{ did: 'purchase' }] } }, { table: 'parity' })).rejects.toThrow(
      /cohort filters \(cohort, breakdown_cohorts\) do not run on the ClickHouse engine yet/);
  });

  test('the catalog reads the same events, columns and range', async () => {
    const { readEventCatalog } = await import('../../src/analytics/event-catalog.ts');
    const [d, c] = [await readEventCatalog(native), await readEventCatalog(clickhouse)];
    expect({ ...c, userHashUnique: d.userHashUnique, dialect: undefined }).toEqual({ ...d, dialect: undefined });
    expect(c.dialect).toBe('clickhouse');
  });
});
