import {
  periodLabel, periodOfDate, periodRange, periodStartLocalMs, periodStartUtc, type Calendar, type CalendarRange, type Period,
} from '../calendar.ts';
import type { TrendsMath, TrendsSeries } from './spec.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** The periods of a range and the instants its events are read between. */
export interface TrendsWindow {
  /** First and last period index of the range. */
  from: number;
  to: number;
  /** The period indexes shown: every one of from..to but a local hour a DST change skips. */
  periods: number[];
  /**
   * The first instant counted (epoch ms, UTC), as PostHog bounds a range: the start of
   * `date_from`'s day for day and week periods, of its month for months, of its hour for hours.
   */
  startMs: number;
  /** The end of `date_to`'s day (of its hour, when an hour is given), exclusive. */
  endMs: number;
}

const unitOf = (period: Period): Period => (period === 'hour' ? 'hour' : 'day');

/**
 * The periods and bounds of a range.
 *
 * @example
 * trendsWindow({ period: 'week', week_start: 'monday', timezone: 'UTC', date_from: '2024-01-03', date_to: '2024-01-15' })
 * // { from: 2818, to: 2820, periods: [2818, 2819, 2820], startMs: Date.UTC(2024, 0, 3), endMs: Date.UTC(2024, 0, 16) }
 */
export function trendsWindow(range: CalendarRange<Period>): TrendsWindow {
  const { from, to } = periodRange(range);
  const lower: Calendar = { ...range, period: range.period === 'month' ? 'month' : unitOf(range.period) };
  const unit: Calendar = { ...range, period: unitOf(range.period) };
  const startMs = periodStartUtc(lower, periodOfDate(lower, range.date_from));
  const endMs = periodStartUtc(unit, periodOfDate(unit, range.date_to, 'to') + 1);
  const periods: number[] = [];
  for (let p = from; p <= to; p++) if (periodStartUtc(range, p + 1) > periodStartUtc(range, p)) periods.push(p);
  return { from, to, periods, startMs, endMs };
}

/**
 * The range `compare` counts too: as many days (hours, for hours given with a time) as the range,
 * ending just before it. Its rows carry their own dates.
 *
 * @example
 * previousRange({ period: 'day', week_start: 'monday', timezone: 'UTC', date_from: '2024-03-08', date_to: '2024-03-14' })
 * // { ..., date_from: '2024-03-01', date_to: '2024-03-07' }
 */
export function previousRange<R extends CalendarRange<Period>>(range: R): R {
  const unit = { ...range, period: unitOf(range.period) };
  const from = periodOfDate(unit, range.date_from);
  const length = periodOfDate(unit, range.date_to, 'to') - from + 1;
  return { ...range, date_from: periodLabel(unit, from - length), date_to: periodLabel(unit, from - 1) };
}

/**
 * How a series counts people over a window of periods, once PostHog's rewrite is applied: weekly
 * active on week or month periods and monthly active on month periods are plain distinct people
 * (`dau`); otherwise they count the 7 / 30 days (168 / 720 hours for hours) ending with a period.
 */
export function effectiveMath(series: Pick<TrendsSeries, 'math'>, period: Period): TrendsMath {
  if (series.math === 'weekly_active' && (period === 'week' || period === 'month')) return 'dau';
  if (series.math === 'monthly_active' && period === 'month') return 'dau';
  return series.math;
}

/** Days in the rolling window of a weekly or monthly active math. */
export function windowDays(math: TrendsMath): number {
  return math === 'weekly_active' ? 7 : 30;
}

/**
 * The first instant a rolling series must read: the start of the window of the range's first
 * period (weekly active on days: six days before `date_from`'s day).
 */
export function lookbackStartMs(range: CalendarRange<Period>, math: TrendsMath, window: TrendsWindow): number {
  const days = windowDays(math);
  const day: Calendar = { ...range, period: 'day' };
  if (range.period === 'hour') return periodStartUtc(range, window.from + 1) - days * 24 * HOUR_MS;
  if (range.period === 'day') return periodStartUtc(day, window.from - (days - 1));
  // monthly active on weeks: the 30 days ending with the first week's first day
  const firstDay = Math.floor(periodStartLocalMs(range.period, range.week_start, window.from) / DAY_MS);
  return periodStartUtc(day, firstDay - (days - 1));
}

export { HOUR_MS, DAY_MS };
