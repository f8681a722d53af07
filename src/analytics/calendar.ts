import type { EventCatalog } from './event-catalog.ts';
import { SpecError } from './spec-error.ts';
import { isTimeZone, localDate, localToUtc, offsetIntervals, parseLocalDate, zoneOffsetMs, type OffsetInterval } from './time-zone.ts';
import { duckdb, type Dialect } from '../engine/dialect/index.ts';

/**
 * The one calendar every analysis counts in: calendar periods (hours, days, weeks, months) in a
 * person's IANA time zone, DST-correct, as integer indexes, so SQL buckets, compares and steps
 * periods with integer arithmetic instead of date functions. The zone's offsets come from a CASE
 * built from the platform's `Intl` data (time-zone.ts), never from ICU, which DuckDB-WASM cannot
 * load offline.
 *
 * Indexes: an hour index counts local hours since 1970-01-01 00:00, a day index local days, a week
 * index local weeks (Monday or Sunday first), a month index is `year * 12 + month - 1`. "Local
 * milliseconds" are a wall-clock time read as if it were UTC (`utc + offset`).
 *
 * One set of spec options, with one set of messages, for every analysis:
 * `period`, `week_start` (`monday` | `sunday`), `timezone` (IANA name, default `UTC`),
 * `date_from` and `date_to` (local dates `YYYY-MM-DD`, inclusive of their whole period).
 *
 * An analysis with periods and a range uses it in four steps:
 * 1. validate: `validateCalendarRange(kind, spec, catalog, { defaultPeriod })` gives a
 *    `CalendarRange` (or `validateCalendar` and `validateDateRange` apart; `validateTimeZone` and
 *    `validateLocalDate` for an analysis with only a zone or a date);
 * 2. range: `periodRange(range)` gives the first and last period index, `periodStartUtc` the
 *    instant a period begins at, `inPeriodsSql` the `ts` condition that keeps their events;
 * 3. SQL: `rangePeriodSql(range, 'ms')` (or `periodSql` with an explicit span) is the period index
 *    of an epoch-milliseconds expression;
 * 4. rows: `periodLabel(calendar, index)` is the period's local start date, its label.
 *
 * @example
 * const range = validateCalendarRange('trends', spec, catalog, { defaultPeriod: 'day' });
 * const { from, to } = periodRange(range);
 * const sql = `SELECT ${rangePeriodSql(range, 'epoch_ms(ts)')} AS p, count(*) FROM events
 *   WHERE ${inPeriodsSql(range, from, to)} GROUP BY p`;
 * // rows: periodLabel(range, p) → '2024-03-04'
 */

export type Period = 'hour' | 'day' | 'week' | 'month';
/** The periods of a range of dates (every analysis but retention, which also counts hours). */
export type DatePeriod = Exclude<Period, 'hour'>;
export type WeekStart = 'monday' | 'sunday';

/** The calendar a period index is counted in. */
export interface Calendar<P extends Period = Period> {
  period: P;
  week_start: WeekStart;
  /** The IANA time zone whose calendar the periods and dates follow, e.g. `Europe/London`. */
  timezone: string;
}

/** A calendar and a range of its periods, as validated specs hold them. */
export interface CalendarRange<P extends Period = DatePeriod> extends Calendar<P> {
  /** First local date of the range (`YYYY-MM-DD`; with hour periods also `YYYY-MM-DD HH:MM`): the range starts with its period. */
  date_from: string;
  /** Last local date of the range: the range runs to the end of its period. */
  date_to: string;
}

/** Every period a calendar counts in. */
export const PERIODS: readonly Period[] = ['hour', 'day', 'week', 'month'];
/** The periods of a range of dates. */
export const DATE_PERIODS: readonly DatePeriod[] = ['day', 'week', 'month'];
const WEEK_STARTS: readonly WeekStart[] = ['monday', 'sunday'];

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
// 1970-01-01 was a Thursday: Monday-weeks began 3 days before it, Sunday-weeks 4.
const weekShiftMs = (weekStart: WeekStart) => (weekStart === 'monday' ? 3 : 4) * DAY_MS;
// DuckDB's `//` truncates towards zero; adding ~1000 years (a whole number of weeks) first keeps
// every realistic instant positive, so truncation is flooring.
const BIAS_MS = WEEK_MS * 52_000;

// ---- validation -----------------------------------------------------------------------------

function oneOf<T extends string>(kind: string, spec: Record<string, unknown>, field: string, allowed: readonly T[], fallback: T): T {
  const value = spec[field] ?? fallback;
  if (!allowed.includes(value as T)) {
    throw new SpecError(kind, `${field} must be one of ${allowed.map((a) => `"${a}"`).join(', ')}, not ${JSON.stringify(value)}`, field);
  }
  return value as T;
}

/**
 * Validates `timezone` (default `UTC`).
 *
 * @example
 * validateTimeZone('rfm', { timezone: 'Europe/London' }) // 'Europe/London'
 */
export function validateTimeZone(kind: string, spec: Record<string, unknown>): string {
  const timezone = spec.timezone ?? 'UTC';
  if (!isTimeZone(timezone)) {
    throw new SpecError(kind, `timezone ${JSON.stringify(timezone)} is not an IANA time zone name (like "Europe/London")`, 'timezone');
  }
  return timezone;
}

/**
 * Validates `period` (one of `periods`, default `defaultPeriod`), `week_start` (default `monday`)
 * and `timezone` (default `UTC`).
 *
 * @example
 * validateCalendar('lifecycle', { period: 'week', timezone: 'Europe/London' }, { defaultPeriod: 'week' })
 * // { period: 'week', week_start: 'monday', timezone: 'Europe/London' }
 */
export function validateCalendar<P extends Period = DatePeriod>(
  kind: string, spec: Record<string, unknown>, options: { defaultPeriod: P; periods?: readonly P[] },
): Calendar<P> {
  const periods = options.periods ?? (DATE_PERIODS as readonly Period[] as readonly P[]);
  return {
    period: oneOf(kind, spec, 'period', periods, options.defaultPeriod),
    week_start: oneOf(kind, spec, 'week_start', WEEK_STARTS, 'monday'),
    timezone: validateTimeZone(kind, spec),
  };
}

/**
 * Reads a local date (`YYYY-MM-DD`; with `withTime`, also `YYYY-MM-DD HH:MM`) as local
 * milliseconds, or throws the one message every analysis gives for a bad date. A bare date means
 * its first minute, or with `endOfDay` the start of its last hour (the last hour period of the day).
 *
 * @example
 * localDateMs('funnel', '2024-03-01', 'date_from') // Date.UTC(2024, 2, 1)
 */
export function localDateMs(kind: string, value: unknown, field: string, options: { withTime?: boolean; endOfDay?: boolean } = {}): number {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}):(\d{2}))?$/.exec(typeof value === 'string' ? value : '');
  const date = m ? parseLocalDate(m[1]) : null;
  const withTime = m?.[2] !== undefined;
  if (!m || !date || (withTime && (!options.withTime || Number(m[2]) > 23 || Number(m[3]) > 59))) {
    const form = options.withTime ? 'YYYY-MM-DD or YYYY-MM-DD HH:00' : 'YYYY-MM-DD';
    throw new SpecError(kind, `${field} must be a local date written ${form}, not ${JSON.stringify(value)}`, field);
  }
  const day = Date.UTC(date.year, date.month - 1, date.day);
  if (withTime) return day + Number(m[2]) * HOUR_MS + Number(m[3]) * MINUTE_MS;
  return options.endOfDay ? day + 23 * HOUR_MS : day;
}

/**
 * Validates an optional local date field: null when absent, else the date as given.
 *
 * @example
 * validateLocalDate('rfm', { as_of: '2011-12-10' }, 'as_of') // '2011-12-10'
 */
export function validateLocalDate(kind: string, spec: Record<string, unknown>, field: string): string | null {
  const value = spec[field];
  if (value === undefined || value === null) return null;
  localDateMs(kind, value, field);
  return value as string;
}

/**
 * Validates `date_from` and `date_to` (local dates in the calendar's zone). They default to the
 * local dates of the first and last event of the log.
 *
 * @example
 * validateDateRange('stickiness', {}, { period: 'day', week_start: 'monday', timezone: 'UTC' }, catalog)
 * // { date_from: '2024-01-01', date_to: '2024-03-31' }
 */
export function validateDateRange(
  kind: string, spec: Record<string, unknown>, calendar: Pick<Calendar, 'timezone'>, catalog: EventCatalog,
): { date_from: string; date_to: string } {
  const bound = (field: 'date_from' | 'date_to', fallbackMs: number | null): string => {
    const given = validateLocalDate(kind, spec, field);
    if (given !== null) return given;
    if (fallbackMs === null) throw new SpecError(kind, `${field} is needed: the event log is empty`, field);
    return localDate(calendar.timezone, fallbackMs);
  };
  const dateFrom = bound('date_from', catalog.firstTs);
  const dateTo = bound('date_to', catalog.lastTs);
  checkDateOrder(kind, dateFrom, dateTo);
  return { date_from: dateFrom, date_to: dateTo };
}

/** Throws the one message for a range that ends before it begins (`reversed`: by default, compared as dates). */
export function checkDateOrder(kind: string, dateFrom: string, dateTo: string, reversed = dateFrom > dateTo): void {
  if (reversed) throw new SpecError(kind, `date_from ${dateFrom} is after date_to ${dateTo}`, 'date_from');
}

/**
 * Validates the calendar and the range of a spec at once (see `validateCalendar` and
 * `validateDateRange`).
 *
 * @example
 * validateCalendarRange('lifecycle', { period: 'week' }, catalog, { defaultPeriod: 'week' })
 * // { period: 'week', week_start: 'monday', timezone: 'UTC', date_from: '2024-01-01', date_to: '2024-03-31' }
 */
export function validateCalendarRange<P extends DatePeriod = DatePeriod>(
  kind: string, spec: Record<string, unknown>, catalog: EventCatalog, options: { defaultPeriod: P; periods?: readonly P[] },
): CalendarRange<P> {
  const calendar = validateCalendar<P>(kind, spec, options);
  return { ...calendar, ...validateDateRange(kind, spec, calendar, catalog) };
}

// ---- period indexes -------------------------------------------------------------------------

/**
 * The period index of a local wall-clock time given as local milliseconds.
 *
 * @example
 * periodOfLocalMs('week', 'monday', Date.UTC(2024, 0, 3)) === periodOfLocalMs('week', 'monday', Date.UTC(2024, 0, 1)) // true
 */
export function periodOfLocalMs(period: Period, weekStart: WeekStart, localMs: number): number {
  switch (period) {
    case 'hour': return Math.floor(localMs / HOUR_MS);
    case 'day': return Math.floor(localMs / DAY_MS);
    case 'week': return Math.floor((localMs + weekShiftMs(weekStart)) / WEEK_MS);
    case 'month': {
      const d = new Date(localMs);
      return d.getUTCFullYear() * 12 + d.getUTCMonth();
    }
  }
}

/**
 * The local wall-clock time (as local milliseconds) a period begins at.
 *
 * @example
 * new Date(periodStartLocalMs('month', 'monday', 2024 * 12 + 1)).toISOString() // '2024-02-01T00:00:00.000Z'
 */
export function periodStartLocalMs(period: Period, weekStart: WeekStart, index: number): number {
  switch (period) {
    case 'hour': return index * HOUR_MS;
    case 'day': return index * DAY_MS;
    case 'week': return index * WEEK_MS - weekShiftMs(weekStart);
    case 'month': return Date.UTC(Math.floor(index / 12), index - Math.floor(index / 12) * 12, 1);
  }
}

/**
 * The period index of a local date (`YYYY-MM-DD`, or `YYYY-MM-DD HH:MM` for hours).
 *
 * @example
 * periodOfDate({ period: 'month', week_start: 'monday' }, '2024-02-15') // 2024 * 12 + 1
 */
export function periodOfDate(calendar: Pick<Calendar, 'period' | 'week_start'>, date: string, bound: 'from' | 'to' = 'from'): number {
  const hours = calendar.period === 'hour';
  const localMs = localDateMs('calendar', date, bound === 'from' ? 'date_from' : 'date_to', { withTime: hours, endOfDay: hours && bound === 'to' });
  return periodOfLocalMs(calendar.period, calendar.week_start, localMs);
}

/**
 * The first and last period index of a range.
 *
 * @example
 * periodRange({ period: 'week', week_start: 'monday', timezone: 'UTC', date_from: '2024-01-03', date_to: '2024-01-15' })
 * // { from: 2818, to: 2820 }
 */
export function periodRange(range: CalendarRange<Period>): { from: number; to: number } {
  return { from: periodOfDate(range, range.date_from, 'from'), to: periodOfDate(range, range.date_to, 'to') };
}

/**
 * The period index of an instant (epoch milliseconds, UTC) in the calendar's zone.
 *
 * @example
 * periodOfInstant({ period: 'day', week_start: 'monday', timezone: 'Asia/Tokyo' }, Date.UTC(2024, 0, 7, 23)) // day of 2024-01-08
 */
export function periodOfInstant(calendar: Calendar, utcMs: number): number {
  return periodOfLocalMs(calendar.period, calendar.week_start, utcMs + zoneOffsetMs(calendar.timezone, utcMs));
}

/**
 * The UTC instant (epoch ms) a period begins at, DST-correct: a local hour skipped by a DST change
 * begins (and ends) when the next one begins.
 *
 * @example
 * periodStartUtc({ period: 'day', week_start: 'monday', timezone: 'Europe/London' }, 19905) // 2024-07-01 00:00 BST as UTC
 */
export function periodStartUtc(calendar: Calendar, index: number): number {
  const d = new Date(periodStartLocalMs(calendar.period, calendar.week_start, index));
  return localToUtc(calendar.timezone, d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes());
}

/**
 * A period's label: its local start date `YYYY-MM-DD`, with the hour (`YYYY-MM-DD HH:00`) for hours.
 *
 * @example
 * periodLabel({ period: 'week', week_start: 'sunday' }, periodOfDate({ period: 'week', week_start: 'sunday' }, '2024-01-03')) // '2023-12-31'
 */
export function periodLabel(calendar: Pick<Calendar, 'period' | 'week_start'>, index: number): string {
  const iso = new Date(periodStartLocalMs(calendar.period, calendar.week_start, index)).toISOString();
  return calendar.period === 'hour' ? `${iso.slice(0, 10)} ${iso.slice(11, 13)}:00` : iso.slice(0, 10);
}

/**
 * Local day index (days since 1970-01-01) of a `YYYY-MM-DD` date.
 *
 * @example
 * dayOfDate('1970-01-02') // 1
 */
export function dayOfDate(date: string): number {
  return periodOfDate({ period: 'day', week_start: 'monday' }, date);
}

/**
 * The `YYYY-MM-DD` date of a local day index.
 *
 * @example
 * dateOfDay(1) // '1970-01-02'
 */
export function dateOfDay(day: number): string {
  return periodLabel({ period: 'day', week_start: 'monday' }, day);
}

// ---- SQL ------------------------------------------------------------------------------------

/** A balanced CASE over the offset intervals: log2(n) comparisons per row, not n. */
function offsetCase(msExpr: string, intervals: OffsetInterval[]): string {
  if (intervals.length === 1) return String(intervals[0].offsetMs);
  const middle = Math.floor(intervals.length / 2);
  const left = offsetCase(msExpr, intervals.slice(0, middle));
  const right = offsetCase(msExpr, intervals.slice(middle));
  return `CASE WHEN ${msExpr} < ${intervals[middle].startMs} THEN ${left} ELSE ${right} END`;
}

/**
 * SQL for the local milliseconds of an epoch-milliseconds expression (a BIGINT). The offsets are
 * exact for instants in [fromMs, toMs]; outside it the nearest interval's offset holds.
 *
 * @example
 * localMsSql('Europe/London', 'ms', Date.UTC(2024, 0, 1), Date.UTC(2024, 11, 31))
 * // '(ms + CASE WHEN ms < 1711846800000 THEN 0 ELSE CASE WHEN ms < 1729990800000 THEN 3600000 ELSE 0 END END)'
 */
export function localMsSql(zone: string, msExpr: string, fromMs: number, toMs: number): string {
  const offset = offsetCase(msExpr, offsetIntervals(zone, fromMs, toMs));
  return offset === '0' ? msExpr : `(${msExpr} + ${offset})`;
}

/**
 * SQL for the period index of an epoch-milliseconds expression (a BIGINT), exact for instants in
 * [fromMs, toMs] (pass the span the query reads). Hours, days and weeks are one integer division;
 * months go through the year and month of the local timestamp. `d`: the engine's dialect.
 *
 * @example
 * periodSql({ period: 'week', week_start: 'monday', timezone: 'UTC' }, 'epoch_ms(ts)', t0, t1)
 * // '((epoch_ms(ts) + 31708857600000) // 604800000 - 52000)'
 */
export function periodSql(calendar: Calendar, msExpr: string, fromMs: number, toMs: number, d: Dialect = duckdb): string {
  const local = localMsSql(calendar.timezone, msExpr, fromMs, toMs);
  switch (calendar.period) {
    case 'hour': return `(${d.intDiv(`(${local} + ${BIAS_MS})`, HOUR_MS)} - ${BIAS_MS / HOUR_MS})`;
    case 'day': return `(${d.intDiv(`(${local} + ${BIAS_MS})`, DAY_MS)} - ${BIAS_MS / DAY_MS})`;
    case 'week': return `(${d.intDiv(`(${local} + ${BIAS_MS + weekShiftMs(calendar.week_start)})`, WEEK_MS)} - ${BIAS_MS / WEEK_MS})`;
    case 'month': return d.monthIndex(local);
  }
}

/**
 * SQL for the period index of an epoch-milliseconds expression, exact over the range, one period
 * before it (the "previous period" several analyses look at) and `daysBefore` more days, each side
 * padded by two days. Instants outside that span take the nearest offset, which can move them by
 * at most a day (offsets differ by at most 26 hours): they stay outside the span, so every period
 * inside it is exact, DST included.
 *
 * @example
 * rangePeriodSql(spec, 'epoch_ms(ts)')
 * rangePeriodSql(spec, 'ms', { daysBefore: 30 }) // active users: each day's 30-day window
 */
export function rangePeriodSql(range: CalendarRange<Period>, msExpr: string, options: { daysBefore?: number; dialect?: Dialect } = {}): string {
  const { from, to } = periodRange(range);
  const fromMs = periodStartUtc(range, from - 1) - ((options.daysBefore ?? 0) + 2) * DAY_MS;
  const toMs = periodStartUtc(range, to + 1) + 2 * DAY_MS;
  return periodSql(range, msExpr, fromMs, toMs, options.dialect);
}

/**
 * The condition that keeps the events of periods `from..to` (both included): those at or after the
 * first one's start and before the end of the last one.
 *
 * @example
 * inPeriodsSql({ period: 'day', week_start: 'monday', timezone: 'UTC' }, 19723, 19723)
 * // 'ts >= epoch_ms(1704067200000) AND ts < epoch_ms(1704153600000)'
 */
export function inPeriodsSql(calendar: Calendar, from: number, to: number, column = 'ts', d: Dialect = duckdb): string {
  return `${column} >= ${d.timestampOfMs(periodStartUtc(calendar, from))} AND ${column} < ${d.timestampOfMs(periodStartUtc(calendar, to + 1))}`;
}
