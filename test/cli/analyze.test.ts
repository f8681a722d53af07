import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { analysisKinds } from '../../src/analytics/index.ts';
import { ENGINE_KINDS } from '../helpers/engines.ts';

// `cohortbook analyze` as a person runs it, once per analysis kind, on a log small enough to count
// by hand. 2024-01-01 is a Monday: week 1 is Jan 1–7, week 2 Jan 8–14, week 3 Jan 15–21.
//   a: signup Jan 1 10:00, purchase Jan 2 10:00 (30), purchase Jan 9 10:00 (20, score 9)
//   b: signup Jan 3 10:00, purchase Jan 3 10:20 (10, score 6)
//   c: signup Jan 8 10:00, purchase Jan 16 10:00 (40, score 10)
const LOG = `user_id,event,ts,revenue,score
a,signup,2024-01-01T10:00:00Z,,
a,purchase,2024-01-02T10:00:00Z,30,
a,purchase,2024-01-09T10:00:00Z,20,9
b,signup,2024-01-03T10:00:00Z,,
b,purchase,2024-01-03T10:20:00Z,10,6
c,signup,2024-01-08T10:00:00Z,,
c,purchase,2024-01-16T10:00:00Z,40,10
`;
// Invitations for the K-factor: 2 people, 2 invites, 1 sign-up.
const INVITES = 'user_id,event,ts\na,invite,2024-01-01T00:00:00Z\na,invite,2024-01-02T00:00:00Z\nb,signup,2024-01-03T00:00:00Z\n';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '..', '..');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cohortbook-analyze-'));
  writeFileSync(join(dir, 'log.csv'), LOG);
  writeFileSync(join(dir, 'invites.csv'), INVITES);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Rows = Record<string, unknown>[];
const pick = (rows: Rows, keys: string[]) => rows.map((row) => Object.fromEntries(keys.map((k) => [k, row[k]])));
const WEEK = { period: 'week' };

/** Each kind: its spec and what its rows must hold, counted by hand from LOG. */
const CASES: { kind: string; spec: Record<string, unknown>; file?: string; noLog?: true; check: (rows: Rows, meta: Record<string, unknown>) => void }[] = [
  {
    kind: 'retention', spec: { ...WEEK, start_event: 'signup', return_event: 'purchase', intervals: 3 },
    check: (rows) => expect(pick(rows, ['cohort', 'period', 'cohort_size', 'users', 'incomplete'])).toEqual([
      // a and b sign up in week 1, a buys in week 2; c signs up in week 2 and buys in week 3
      { cohort: '2024-01-01', period: 0, cohort_size: 2, users: 2, incomplete: false },
      { cohort: '2024-01-01', period: 1, cohort_size: 2, users: 1, incomplete: false },
      { cohort: '2024-01-01', period: 2, cohort_size: 2, users: 0, incomplete: true },
      { cohort: '2024-01-08', period: 0, cohort_size: 1, users: 1, incomplete: false },
      { cohort: '2024-01-08', period: 1, cohort_size: 1, users: 1, incomplete: true },
      { cohort: '2024-01-15', period: 0, cohort_size: 0, users: 0, incomplete: true },
    ]),
  },
  {
    kind: 'funnel', spec: { steps: ['signup', 'purchase', 'purchase'] },
    check: (rows) => {
      // everyone buys after signing up; only a buys twice. Seconds to the first purchase: 86400, 1200, 691200.
      expect(pick(rows, ['step', 'event', 'users', 'conversion_from_start'])).toEqual([
        { step: 1, event: 'signup', users: 3, conversion_from_start: 1 },
        { step: 2, event: 'purchase', users: 3, conversion_from_start: 1 },
        { step: 3, event: 'purchase', users: 1, conversion_from_start: 1 / 3 },
      ]);
      expect(rows[1].avg_seconds_from_previous).toBe((86_400 + 1_200 + 691_200) / 3);
      expect(rows[1].median_seconds_from_previous).toBe(86_400);
      expect(rows[2].avg_seconds_from_previous).toBe(7 * 86_400);
    },
  },
  {
    kind: 'lifecycle', spec: WEEK,
    check: (rows) => expect(rows.map((r) => `${r.period} ${r.status} ${r.users}`)).toEqual([
      '2024-01-01 new 2', '2024-01-01 returning 0', '2024-01-01 resurrecting 0', '2024-01-01 dormant 0',
      // a is back, c is new, b did nothing
      '2024-01-08 new 1', '2024-01-08 returning 1', '2024-01-08 resurrecting 0', '2024-01-08 dormant -1',
      // c is back, a did nothing
      '2024-01-15 new 0', '2024-01-15 returning 1', '2024-01-15 resurrecting 0', '2024-01-15 dormant -1',
    ]),
  },
  {
    // a active in weeks 1 and 2, b in week 1, c in weeks 2 and 3
    kind: 'stickiness', spec: WEEK,
    check: (rows) => expect(rows).toEqual([{ periods_active: 1, users: 1 }, { periods_active: 2, users: 2 }, { periods_active: 3, users: 0 }]),
  },
  {
    // Jan 9: only a; Jan 3–9: all three; Dec 11–Jan 9: all three
    kind: 'active_users', spec: { date_from: '2024-01-09', date_to: '2024-01-09' },
    check: (rows) => expect(rows).toEqual([{ date: '2024-01-09', dau: 1, wau: 3, mau: 3, dau_mau: 1 / 3 }]),
  },
  {
    // lost 7 days after the last activity: b on Jan 10 (week 2); a on Jan 16 and c (a first spell) on
    // Jan 15 (week 3); c's second spell from Jan 16 is a new customer in week 3
    kind: 'churn', spec: { ...WEEK, inactive_days: 7 },
    check: (rows) => expect(pick(rows, ['period', 'customers_start', 'new_customers', 'lost', 'customers_end', 'churn_rate', 'revenue_start', 'revenue_lost'])).toEqual([
      { period: '2024-01-01', customers_start: 0, new_customers: 2, lost: 0, customers_end: 2, churn_rate: null, revenue_start: 0, revenue_lost: 0 },
      // revenue at start: what a and b spent in week 1 (30 + 10); b's 10 is lost
      { period: '2024-01-08', customers_start: 2, new_customers: 1, lost: 1, customers_end: 2, churn_rate: 0.5, revenue_start: 40, revenue_lost: 10 },
      { period: '2024-01-15', customers_start: 2, new_customers: 1, lost: 2, customers_end: 1, churn_rate: 1, revenue_start: 20, revenue_lost: 20 },
    ]),
  },
  {
    // cohorts by signup week: a and b (revenue 40 in week 1, 20 in week 2), c (40 in its second week)
    kind: 'ltv', spec: { ...WEEK, start_event: 'signup' },
    check: (rows) => expect(pick(rows, ['cohort', 'age', 'cohort_size', 'revenue', 'cumulative_revenue_per_user', 'incomplete'])).toEqual([
      { cohort: '2024-01-01', age: 0, cohort_size: 2, revenue: 40, cumulative_revenue_per_user: 20, incomplete: false },
      { cohort: '2024-01-01', age: 1, cohort_size: 2, revenue: 20, cumulative_revenue_per_user: 30, incomplete: false },
      { cohort: '2024-01-01', age: 2, cohort_size: 2, revenue: 0, cumulative_revenue_per_user: 30, incomplete: true },
      { cohort: '2024-01-08', age: 0, cohort_size: 1, revenue: 0, cumulative_revenue_per_user: 0, incomplete: false },
      { cohort: '2024-01-08', age: 1, cohort_size: 1, revenue: 40, cumulative_revenue_per_user: 40, incomplete: true },
    ]),
  },
  {
    // 3 customers, 4 purchases worth 100; a bought again 7 days later; 16 days of log
    kind: 'purchases', spec: {},
    check: (rows) => {
      const value = Object.fromEntries(rows.map((r) => [r.metric, r.value]));
      expect(value).toMatchObject({ customers: 3, purchases: 4, repeat_purchase_rate: 1 / 3, average_order_value: 25, median_days_to_second_purchase: 7 });
      expect(value.purchase_frequency_per_month).toBeCloseTo(4 / 3 / (16 / 30.4375), 12);
    },
  },
  {
    // as of Jan 17: recency a 8, b 14, c 1 days; scores by NTILE(5) over three customers
    kind: 'rfm', spec: {},
    check: (rows, meta) => {
      expect(meta.as_of).toBe('2024-01-17');
      expect(rows).toEqual([
        { user_id: 'c', recency_days: 1, frequency: 1, monetary: 40, r: 3, f: 2, m: 2, segment: 'About to sleep' },
        { user_id: 'a', recency_days: 8, frequency: 2, monetary: 50, r: 2, f: 3, m: 3, segment: 'At risk' },
        { user_id: 'b', recency_days: 14, frequency: 1, monetary: 10, r: 1, f: 1, m: 1, segment: 'Lost' },
      ]);
    },
  },
  {
    // b's two events 20 minutes apart are one session of 1200 s; every other event is a session of its own
    kind: 'sessions', spec: WEEK,
    check: (rows, meta) => {
      expect(pick(rows, ['period', 'sessions', 'users', 'avg_session_seconds'])).toEqual([
        { period: '2024-01-01', sessions: 3, users: 2, avg_session_seconds: 400 },
        { period: '2024-01-08', sessions: 2, users: 2, avg_session_seconds: 0 },
        { period: '2024-01-15', sessions: 1, users: 1, avg_session_seconds: 0 },
      ]);
      expect(meta).toMatchObject({ sessions: 6, users: 3, avg_session_seconds: 200 });
    },
  },
  {
    // purchases per week: week 1 a 30 and b 10 (2 buyers), week 2 a 20, week 3 c 40; A / B = revenue per buyer
    kind: 'trends', spec: { ...WEEK, series: [{ event: 'purchase', math: 'sum', property: 'revenue' }, { event: 'purchase', math: 'dau', label: 'buyers' }], formula: 'A / B' },
    check: (rows) => expect(pick(rows, ['series', 'period', 'value'])).toEqual([
      { series: 'purchase', period: '2024-01-01', value: 40 }, { series: 'purchase', period: '2024-01-08', value: 20 }, { series: 'purchase', period: '2024-01-15', value: 40 },
      { series: 'buyers', period: '2024-01-01', value: 2 }, { series: 'buyers', period: '2024-01-08', value: 1 }, { series: 'buyers', period: '2024-01-15', value: 1 },
      { series: 'formula', period: '2024-01-01', value: 20 }, { series: 'formula', period: '2024-01-08', value: 20 }, { series: 'formula', period: '2024-01-15', value: 40 },
    ]),
  },
  {
    // only b's signup and purchase, 20 minutes apart, share a session; a's three and c's two events are a session each
    kind: 'paths', spec: {},
    check: (rows, meta) => {
      expect(rows).toEqual([{ step: 1, source: 'signup', target: 'purchase', sessions: 1, people: 1, avg_seconds: 1200, other: false }]);
      expect(meta).toMatchObject({ sessions: 6, people: 3 });
    },
  },
  {
    // DESIGN.md's example: 2 of 10 against 10 of 100 is not significant (p = 0.3335)
    kind: 'ab_test', spec: { variants: [{ name: 'A', users: 10, conversions: 2 }, { name: 'B', users: 100, conversions: 10 }] }, noLog: true,
    check: (rows) => {
      const b = rows.find((r) => r.variant === 'B')!;
      expect(b.significant).toBe(false);
      expect(b.p_value as number).toBeCloseTo(0.3335, 4);
    },
  },
  {
    // answers 9, 6 and 10: two promoters, one detractor
    kind: 'survey', spec: { column: 'score' },
    check: (rows) => {
      expect(rows).toMatchObject([{ responses: 3, promoters: 2, passives: 0, detractors: 1 }]);
      expect(rows[0].nps as number).toBeCloseTo(100 / 3, 12);
    },
  },
  {
    // revenue 50 (a), 40 (c), 10 (b)
    kind: 'growth', spec: { concentration: true },
    check: (rows) => expect(pick(rows, ['metric', 'value'])).toEqual([
      { metric: 'largest_customer_share', value: 0.5 }, { metric: 'top10_share', value: 1 },
    ]),
  },
  {
    // 2 invites by 2 people (1 per person), 1 sign-up (50 % of the invites)
    kind: 'growth', spec: { k_factor: { invite_event: 'invite', signup_event: 'signup' } }, file: 'invites.csv',
    check: (rows) => expect(pick(rows, ['metric', 'value'])).toEqual([{ metric: 'k_factor', value: 0.5 }]),
  },
  {
    // a bought twice; b and c once
    kind: 'cohort', spec: { cohort: { name: 'repeat', rules: [{ did: 'purchase', at_least: 2 }] } },
    check: (rows, meta) => {
      expect(pick(rows, ['user_id', 'events', 'qualifying_events'])).toEqual([{ user_id: 'a', events: 3, qualifying_events: 2 }]);
      expect(meta).toMatchObject({ size: 1 });
    },
  },
  {
    // a (after 24 h, the window's end, inclusive) and b buy within a day of signing up, c after 8 days;
    // nobody did anything else in between, so there is no row
    kind: 'correlation', spec: { funnel: { steps: ['signup', 'purchase'], window_seconds: 86400 } },
    check: (rows, meta) => {
      expect(rows).toEqual([]);
      expect(meta).toMatchObject({ success_total: 2, failure_total: 1 });
    },
  },
];

test('every analysis kind has a success case here', () => {
  expect([...new Set(CASES.map((c) => c.kind))].sort()).toEqual(analysisKinds().sort());
});

describe.each(ENGINE_KINDS)('cohortbook analyze --engine %s', (engine) => {
  test.each(CASES.map((c) => [`${c.kind} ${JSON.stringify(c.spec)}`, c] as const))('%s', async (_, { kind, spec, file, noLog, check }) => {
    const { stdout, stderr } = await run(process.execPath, [
      'bin/cohortbook.js', 'analyze', '--events', join(dir, file ?? 'log.csv'), '--spec', JSON.stringify({ kind, ...spec }), '--engine', engine,
    ], { cwd: ROOT, maxBuffer: 16 << 20 });
    const output = JSON.parse(stdout);
    expect(output.kind).toBe(kind);
    // counts given in the spec need no query, so no engine
    expect(output.meta.engine).toBe(noLog ? null : engine);
    check(output.rows, output.meta);
    if (!noLog) expect(stderr).toMatch(/loaded \d+ events of \d+ users/);
  });
});
