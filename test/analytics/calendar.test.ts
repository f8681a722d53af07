import { afterAll, describe, expect, test } from 'vitest';
import { getAnalysis, type EventCatalog } from '../../src/analytics/index.ts';
import {
  PERIODS, periodLabel, periodOfDate, periodOfInstant, periodRange, periodSql, periodStartUtc, rangePeriodSql,
  type Calendar, type WeekStart,
} from '../../src/analytics/calendar.ts';
import { ENGINE_KINDS, closeTestEngines, testEngine } from '../helpers/engines.ts';

afterAll(closeTestEngines);

const HOUR = 3_600_000;
const catalog: EventCatalog = {
  events: ['signup', 'purchase', 'open'],
  columns: ['user_id', 'event', 'ts', 'revenue', 'score'].map((name) => ({ name, type: 'VARCHAR' })),
  firstTs: Date.UTC(2024, 0, 1),
  lastTs: Date.UTC(2024, 5, 30),
};

// Every analysis that takes calendar options, with what else its spec needs.
const BASES: Record<string, Record<string, unknown>> = {
  retention: {}, funnel: { steps: ['signup', 'purchase'] }, lifecycle: {}, stickiness: {}, active_users: {}, churn: {},
  ltv: {}, sessions: {}, purchases: {}, rfm: {}, survey: { column: 'score' },
};
const WITH_RANGE = ['retention', 'funnel', 'lifecycle', 'stickiness', 'active_users', 'churn', 'ltv', 'sessions', 'purchases'];
const WITH_PERIOD = ['retention', 'lifecycle', 'stickiness', 'churn', 'ltv', 'sessions', 'survey'];

const validate = (kind: string, extra: Record<string, unknown>) => () => getAnalysis(kind)!.validate({ kind, ...BASES[kind], ...extra }, catalog);

describe('one calendar: every analysis speaks the same options and messages', () => {
  test.each(Object.keys(BASES))('%s: timezone', (kind) => {
    expect(validate(kind, { timezone: 'Mars/Olympus' })).toThrow(`${kind} spec: timezone "Mars/Olympus" is not an IANA time zone name (like "Europe/London")`);
    expect(validate(kind, { timezone: 'Asia/Kolkata' })).not.toThrow();
  });

  test.each(WITH_RANGE)('%s: date_from and date_to', (kind) => {
    expect(validate(kind, { date_from: '2024-02-30' })).toThrow(`${kind} spec: date_from must be a local date written YYYY-MM-DD, not "2024-02-30"`);
    expect(validate(kind, { date_to: '2024/01/31' })).toThrow(`${kind} spec: date_to must be a local date written YYYY-MM-DD, not "2024/01/31"`);
    expect(validate(kind, { date_from: '2024-02-01', date_to: '2024-01-15' })).toThrow(`${kind} spec: date_from 2024-02-01 is after date_to 2024-01-15`);
  });

  test.each(WITH_PERIOD)('%s: period and week_start', (kind) => {
    const periods = kind === 'retention' ? '"hour", "day", "week", "month"' : '"day", "week", "month"';
    expect(validate(kind, { period: 'quarter' })).toThrow(`${kind} spec: period must be one of ${periods}, not "quarter"`);
    expect(validate(kind, { period: 'week', week_start: 'friday' })).toThrow(`${kind} spec: week_start must be one of "monday", "sunday", not "friday"`);
  });

  test('rfm: as_of is a local date like the others', () => {
    expect(validate('rfm', { as_of: '11/03/2024' })).toThrow('rfm spec: as_of must be a local date written YYYY-MM-DD, not "11/03/2024"');
  });
});

describe('period indexes', () => {
  const week = (weekStart: WeekStart): Calendar => ({ period: 'week', week_start: weekStart, timezone: 'UTC' });

  test('labels are the local start date; weeks start on Monday or Sunday', () => {
    // Wednesday 2024-01-03
    expect(periodLabel(week('monday'), periodOfDate(week('monday'), '2024-01-03'))).toBe('2024-01-01');
    expect(periodLabel(week('sunday'), periodOfDate(week('sunday'), '2024-01-03'))).toBe('2023-12-31');
    expect(periodLabel({ period: 'month', week_start: 'monday' }, periodOfDate({ period: 'month', week_start: 'monday' }, '2024-02-29'))).toBe('2024-02-01');
    expect(periodLabel({ period: 'hour', week_start: 'monday' }, periodOfDate({ period: 'hour', week_start: 'monday' }, '2024-02-29 17:00'))).toBe('2024-02-29 17:00');
    expect(periodRange({ ...week('monday'), date_from: '2024-01-03', date_to: '2024-01-15' })).toEqual({ from: 2818, to: 2820 });
    // for hours a bare date_to means its last hour
    const hours = { period: 'hour' as const, week_start: 'monday' as const, timezone: 'UTC', date_from: '2024-01-01', date_to: '2024-01-01' };
    expect(periodRange(hours).to - periodRange(hours).from).toBe(23);
  });

  test('periods begin at local midnight, DST included', () => {
    const london: Calendar = { period: 'day', week_start: 'monday', timezone: 'Europe/London' };
    const april = periodOfDate(london, '2024-04-01');
    expect(new Date(periodStartUtc(london, april)).toISOString()).toBe('2024-03-31T23:00:00.000Z');
    expect(new Date(periodStartUtc(london, april - 1)).toISOString()).toBe('2024-03-31T00:00:00.000Z');
    expect(periodOfInstant(london, Date.parse('2024-03-31T23:30:00Z'))).toBe(april);
    // the day of the change has 23 hours
    expect(periodStartUtc(london, april) - periodStartUtc(london, april - 1)).toBe(23 * HOUR);
    // a local hour skipped by the change begins when the next one does
    const hours: Calendar = { period: 'hour', week_start: 'monday', timezone: 'Europe/London' };
    const skipped = periodOfDate(hours, '2024-03-31 01:00');
    expect(periodStartUtc(hours, skipped)).toBe(periodStartUtc(hours, skipped + 1));
  });
});

// The SQL's period of an instant against the platform's own zone data (Intl), hour by hour
// through DST changes in zones with half-hour and 45-minute offsets, on both engines.
describe.each(ENGINE_KINDS)('period SQL on %s', (kind) => {
  const zones = ['UTC', 'Europe/London', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata', 'Pacific/Chatham'];
  const from = Date.UTC(2024, 2, 20);
  const to = Date.UTC(2024, 3, 12);
  const instants = Array.from({ length: (to - from) / (HOUR / 4) }, (_, i) => from + i * (HOUR / 4) + (i % 7) * 60_000);

  test.each(zones)('%s: every quarter hour from 2024-03-20 to 2024-04-12 in its period', async (timezone) => {
    const engine = await testEngine(kind);
    const values = instants.map((ms) => `(${ms}::BIGINT)`).join(', ');
    for (const period of PERIODS) {
      for (const weekStart of ['monday', 'sunday'] as const) {
        if (weekStart === 'sunday' && period !== 'week') continue;
        const calendar: Calendar = { period, week_start: weekStart, timezone };
        const range = { ...calendar, date_from: '2024-03-25', date_to: '2024-04-05' };
        const sql = `SELECT ms, ${periodSql(calendar, 'ms', from, to)} AS p, ${rangePeriodSql(range, 'ms')} AS q FROM (VALUES ${values}) t(ms) ORDER BY ms`;
        const rows = (await engine.query(sql)).toArray();
        const expected = instants.map((ms) => periodOfInstant(calendar, ms));
        expect(rows.map((r) => Number(r.p)), `${period} ${weekStart}`).toEqual(expected);
        // exact over its range and the days around it
        const { from: first, to: last } = periodRange(range);
        const inRange = (ms: number) => ms >= periodStartUtc(calendar, first - 1) && ms < periodStartUtc(calendar, last + 1);
        expect(rows.filter((r) => inRange(Number(r.ms))).map((r) => Number(r.q)), `${period} ${weekStart} in range`)
          .toEqual(instants.filter(inRange).map((ms) => periodOfInstant(calendar, ms)));
      }
    }
  });
});
