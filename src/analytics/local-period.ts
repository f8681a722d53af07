import type { EventCatalog } from './event-catalog.ts';
import { SpecError } from './spec-error.ts';
import { isTimeZone, localDate, localToUtc, offsetIntervals, parseLocalDate } from './time-zone.ts';

/**
 * Calendar periods in a person's time zone as integers, so SQL compares and steps them with plain
 * arithmetic: a day index counts local days since 1970-01-01, a week index local weeks, a month
 * index `year * 12 + month - 1`. Local time comes from an offsets CASE built from `Intl` data
 * (see time-zone.ts), never from ICU.
 */

export type Period = 'day' | 'week' | 'month';
export type WeekStart = 'monday' | 'sunday';

/** The period options every period-based spec shares, normalised. */
export interface PeriodOptions {
  period: Period;
  week_start: WeekStart;
  timezone: string;
  /** First local date of the range (`YYYY-MM-DD`); the range starts at the beginning of its period. */
  date_from: string;
  /** Last local date of the range; the range runs to the end of its period. */
  date_to: string;
}

const DAY_MS = 86_400_000;
const PERIODS: Period[] = ['day', 'week', 'month'];

/**
 * Validates `period`, `week_start`, `timezone`, `date_from` and `date_to` of a spec. The dates
 * default to the local dates of the first and last event in the log.
 *
 * @example
 * validatePeriodOptions('lifecycle', { period: 'week', timezone: 'Europe/London' }, catalog, 'week');
 * // { period: 'week', week_start: 'monday', timezone: 'Europe/London', date_from: '2024-01-01', date_to: '2024-03-31' }
 */
export function validatePeriodOptions(
  kind: string, spec: Record<string, unknown>, catalog: EventCatalog, defaultPeriod: Period,
): PeriodOptions {
  const period = spec.period ?? defaultPeriod;
  if (!PERIODS.includes(period as Period)) {
    throw new SpecError(kind, `period must be one of ${PERIODS.join(', ')}, not ${JSON.stringify(period)}`, 'period');
  }
  const weekStart = spec.week_start ?? 'monday';
  if (weekStart !== 'monday' && weekStart !== 'sunday') {
    throw new SpecError(kind, `week_start must be "monday" or "sunday", not ${JSON.stringify(weekStart)}`, 'week_start');
  }
  const timezone = spec.timezone ?? 'UTC';
  if (!isTimeZone(timezone)) {
    throw new SpecError(kind, `timezone ${JSON.stringify(timezone)} is not an IANA time zone name (like "Europe/London")`, 'timezone');
  }
  const dateFrom = validateDate(kind, spec, 'date_from', catalog.firstTs, timezone);
  const dateTo = validateDate(kind, spec, 'date_to', catalog.lastTs, timezone);
  if (dateFrom > dateTo) throw new SpecError(kind, `date_from ${dateFrom} is after date_to ${dateTo}`, 'date_from');
  return { period: period as Period, week_start: weekStart, timezone, date_from: dateFrom, date_to: dateTo };
}

function validateDate(kind: string, spec: Record<string, unknown>, field: string, fallbackMs: number | null, zone: string): string {
  const value = spec[field];
  if (value === undefined || value === null) {
    if (fallbackMs === null) throw new SpecError(kind, `${field} is needed: the event log is empty`, field);
    return localDate(zone, fallbackMs);
  }
  if (!parseLocalDate(value)) throw new SpecError(kind, `${field} must be a date written YYYY-MM-DD, not ${JSON.stringify(value)}`, field);
  return value as string;
}

/** Local day index (days since 1970-01-01) of a `YYYY-MM-DD` date. */
export function dayIndexOf(date: string): number {
  const d = parseLocalDate(date);
  if (!d) throw new Error(`not a YYYY-MM-DD date: ${date}`);
  return Date.UTC(d.year, d.month - 1, d.day) / DAY_MS;
}

/** The `YYYY-MM-DD` date of a local day index. */
export function dateOfDayIndex(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

// 1970-01-01 was a Thursday: Monday-weeks start 3 days before it, Sunday-weeks 4.
const weekShift = (weekStart: WeekStart) => (weekStart === 'monday' ? 3 : 4);

/**
 * The period index of a local date.
 *
 * @example
 * periodIndexOf('month', 'monday', '2024-02-15') // 2024 * 12 + 1
 */
export function periodIndexOf(period: Period, weekStart: WeekStart, date: string): number {
  const day = dayIndexOf(date);
  if (period === 'day') return day;
  if (period === 'week') return Math.floor((day + weekShift(weekStart)) / 7);
  const d = parseLocalDate(date)!;
  return d.year * 12 + d.month - 1;
}

/**
 * The local date a period begins on: its label in result rows.
 *
 * @example
 * periodStartDate('week', 'monday', periodIndexOf('week', 'monday', '2024-03-07')) // '2024-03-04'
 */
export function periodStartDate(period: Period, weekStart: WeekStart, index: number): string {
  if (period === 'day') return dateOfDayIndex(index);
  if (period === 'week') return dateOfDayIndex(index * 7 - weekShift(weekStart));
  const year = Math.floor(index / 12);
  return `${String(year).padStart(4, '0')}-${String(index - year * 12 + 1).padStart(2, '0')}-01`;
}

/** The UTC instant (epoch ms) a period begins at in `zone`, DST-correct. */
export function periodStartUtc(options: Pick<PeriodOptions, 'period' | 'week_start' | 'timezone'>, index: number): number {
  const d = parseLocalDate(periodStartDate(options.period, options.week_start, index))!;
  return localToUtc(options.timezone, d.year, d.month, d.day);
}

/** The first and last period index of the range. */
export function periodRange(options: PeriodOptions): { from: number; to: number } {
  return {
    from: periodIndexOf(options.period, options.week_start, options.date_from),
    to: periodIndexOf(options.period, options.week_start, options.date_to),
  };
}

/**
 * SQL for the local day index of an instant given as epoch milliseconds (`msExpr`, a BIGINT). The
 * zone's offsets over [fromMs, toMs] become a CASE on the instant; outside that span the nearest
 * offset holds (offsetIntervals extends the first and last interval).
 *
 * @example
 * localDaySql('Europe/London', 'ms', t0, t1)
 * // floor((ms + CASE WHEN ms < 1711846800000 THEN 0 WHEN ... ELSE 0 END) / 86400000)
 */
export function localDaySql(zone: string, msExpr: string, fromMs: number, toMs: number): string {
  const intervals = offsetIntervals(zone, fromMs, toMs);
  let offset: string;
  if (intervals.length === 1) {
    offset = String(intervals[0].offsetMs);
  } else {
    const whens = intervals.slice(0, -1).map((i) => `WHEN ${msExpr} < ${i.endMs} THEN ${i.offsetMs}`);
    offset = `CASE ${whens.join(' ')} ELSE ${intervals[intervals.length - 1].offsetMs} END`;
  }
  const local = offset === '0' ? msExpr : `${msExpr} + ${offset}`;
  return `CAST(floor((${local}) / ${DAY_MS}.0) AS BIGINT)`;
}

/**
 * SQL for the period index of a local day index expression (see `periodIndexOf`).
 *
 * @example
 * periodOfDaySql('week', 'monday', 'day') // '((day + 3) // 7)' in effect, floored for negative days
 */
export function periodOfDaySql(period: Period, weekStart: WeekStart, dayExpr: string): string {
  if (period === 'day') return dayExpr;
  if (period === 'week') return `CAST(floor((${dayExpr} + ${weekShift(weekStart)}) / 7.0) AS BIGINT)`;
  const date = `(DATE '1970-01-01' + CAST(${dayExpr} AS INTEGER))`;
  return `(year(${date}) * 12 + month(${date}) - 1)`;
}

/**
 * SQL for the local period index of an epoch-milliseconds expression. The offsets CASE covers the
 * range, one period before it (the "previous period" several analyses look at) and `daysBefore`
 * more days, each side padded by two days. Instants outside that span take the nearest offset,
 * which can move them by at most a day (offsets differ by at most 26 hours): they stay outside
 * the span, so every period inside it is exact, DST included.
 *
 * @example
 * localPeriodSql(spec, 'epoch_ms(ts)')
 */
export function localPeriodSql(options: PeriodOptions, msExpr: string, daysBefore = 0): string {
  const { from, to } = periodRange(options);
  const fromMs = periodStartUtc(options, from - 1) - (daysBefore + 2) * DAY_MS;
  const toMs = periodStartUtc(options, to + 1) + 2 * DAY_MS;
  const day = localDaySql(options.timezone, msExpr, fromMs, toMs);
  return periodOfDaySql(options.period, options.week_start, day);
}
