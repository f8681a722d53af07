import { localToUtc, offsetIntervals, zoneOffsetMs, type OffsetInterval } from './time-zone.ts';

/**
 * Calendar periods in a time zone as integer indexes, so SQL buckets, compares and steps them with
 * integer arithmetic instead of date functions. "Local milliseconds" are the wall-clock time read
 * as if it were UTC (`ts + offset`); the offset comes from a CASE built from `Intl` data (see
 * time-zone.ts), never from ICU, which DuckDB-WASM cannot load offline.
 *
 * Indexes: an hour index counts local hours since 1970-01-01 00:00, a day index local days, a week
 * index local weeks (Monday or Sunday first), a month index is `year * 12 + month - 1`.
 */

export type CalendarPeriod = 'hour' | 'day' | 'week' | 'month';
export type WeekStart = 'monday' | 'sunday';

/** The calendar a period index is counted in. */
export interface PeriodCalendar {
  period: CalendarPeriod;
  week_start: WeekStart;
  /** IANA time zone name, `UTC` by default in specs. */
  timezone: string;
}

/**
 * The periods a calendar counts in.
 *
 * @example
 * CALENDAR_PERIODS.includes('week') // true
 */
export const CALENDAR_PERIODS: readonly CalendarPeriod[] = ['hour', 'day', 'week', 'month'];

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
// 1970-01-01 was a Thursday: Monday-weeks began 3 days before it, Sunday-weeks 4.
const weekShiftMs = (weekStart: WeekStart) => (weekStart === 'monday' ? 3 : 4) * DAY_MS;
// DuckDB's `//` truncates towards zero; adding ~1000 years (a whole number of weeks) first keeps
// every realistic instant positive, so truncation is flooring.
const BIAS_MS = WEEK_MS * 52_000;

/**
 * The period index of a local wall-clock time given as local milliseconds.
 *
 * @example
 * periodOfLocalMs('week', 'monday', Date.UTC(2024, 0, 3)) === periodOfLocalMs('week', 'monday', Date.UTC(2024, 0, 1)) // true
 */
export function periodOfLocalMs(period: CalendarPeriod, weekStart: WeekStart, localMs: number): number {
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
export function periodStartLocalMs(period: CalendarPeriod, weekStart: WeekStart, index: number): number {
  switch (period) {
    case 'hour': return index * HOUR_MS;
    case 'day': return index * DAY_MS;
    case 'week': return index * WEEK_MS - weekShiftMs(weekStart);
    case 'month': return Date.UTC(Math.floor(index / 12), index - Math.floor(index / 12) * 12, 1);
  }
}

/**
 * A period's label: its local start date `YYYY-MM-DD`, with the hour (`YYYY-MM-DD HH:00`) for hours.
 *
 * @example
 * periodLabel({ period: 'week', week_start: 'sunday', timezone: 'UTC' }, periodOfInstant(calendar, Date.UTC(2024, 0, 3))) // '2023-12-31'
 */
export function periodLabel(calendar: Pick<PeriodCalendar, 'period' | 'week_start'>, index: number): string {
  const iso = new Date(periodStartLocalMs(calendar.period, calendar.week_start, index)).toISOString();
  return calendar.period === 'hour' ? `${iso.slice(0, 10)} ${iso.slice(11, 13)}:00` : iso.slice(0, 10);
}

/**
 * The period index of an instant (epoch milliseconds, UTC) in the calendar's zone.
 *
 * @example
 * periodOfInstant({ period: 'day', week_start: 'monday', timezone: 'Asia/Tokyo' }, Date.UTC(2024, 0, 7, 23)) // day of 2024-01-08
 */
export function periodOfInstant(calendar: PeriodCalendar, utcMs: number): number {
  return periodOfLocalMs(calendar.period, calendar.week_start, utcMs + zoneOffsetMs(calendar.timezone, utcMs));
}

/**
 * The UTC instant (epoch ms) a period begins at, DST-correct: a local hour skipped by a DST change
 * begins (and ends) when the next one begins.
 *
 * @example
 * periodStartUtc({ period: 'day', week_start: 'monday', timezone: 'Europe/London' }, 19905) // 2024-07-01 00:00 BST as UTC
 */
export function periodStartUtc(calendar: PeriodCalendar, index: number): number {
  const d = new Date(periodStartLocalMs(calendar.period, calendar.week_start, index));
  return localToUtc(calendar.timezone, d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes());
}

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
  const intervals = offsetIntervals(zone, fromMs, toMs);
  const offset = offsetCase(msExpr, intervals);
  return offset === '0' ? msExpr : `(${msExpr} + ${offset})`;
}

/**
 * SQL for the period index of an epoch-milliseconds expression, exact for instants in
 * [fromMs, toMs] (pass the span the query reads). Hours, days and weeks are one integer division;
 * months go through DuckDB's `year`/`month` of the local timestamp.
 *
 * @example
 * periodSql({ period: 'week', week_start: 'monday', timezone: 'UTC' }, 'epoch_ms(ts)', t0, t1)
 * // '((epoch_ms(ts) + 31708857600000) // 604800000 - 52000)'
 */
export function periodSql(calendar: PeriodCalendar, msExpr: string, fromMs: number, toMs: number): string {
  const local = localMsSql(calendar.timezone, msExpr, fromMs, toMs);
  switch (calendar.period) {
    case 'hour': return `((${local} + ${BIAS_MS}) // ${HOUR_MS} - ${BIAS_MS / HOUR_MS})`;
    case 'day': return `((${local} + ${BIAS_MS}) // ${DAY_MS} - ${BIAS_MS / DAY_MS})`;
    case 'week': return `((${local} + ${BIAS_MS + weekShiftMs(calendar.week_start)}) // ${WEEK_MS} - ${BIAS_MS / WEEK_MS})`;
    case 'month': {
      const stamp = `epoch_ms(${local})`;
      return `(year(${stamp}) * 12 + month(${stamp}) - 1)`;
    }
  }
}
