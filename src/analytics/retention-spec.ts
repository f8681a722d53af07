import { closestName, type EventCatalog } from './event-catalog.ts';
import {
  PERIODS, checkDateOrder, localDateMs, periodLabel, periodOfInstant, periodOfLocalMs, periodRange, periodStartUtc,
  validateCalendar, type Calendar, type Period,
} from './calendar.ts';
import { SpecError } from './spec-error.ts';
import { validateFilters, type Filter } from './where.ts';

/** A retention spec after validation: every option present, dates resolved. */
export interface RetentionSpec extends Calendar {
  kind: 'retention';
  /** The event that puts a person in a cohort; null for any event. */
  start_event: string | null;
  /** The event that counts as coming back; null for any event. */
  return_event: string | null;
  /** `recurring`: a cohort for every period with a start event; `first_time`: the first-ever one only. */
  mode: 'recurring' | 'first_time';
  /** Count a person in every period up to their last return. */
  cumulative: boolean;
  /** Return events a person needs in a period to count as back in it. */
  min_occurrences: number;
  /** Periods per cohort, period 0 included. */
  intervals: number;
  /** First local date of the range (`YYYY-MM-DD`; `YYYY-MM-DD HH:00` allowed for hours). */
  date_from: string;
  /** Last local date of the range, inclusive of its whole period. */
  date_to: string;
  /** `calendar` periods, or `rolling` 1 h / 24 h / 7 d / 30 d periods from each person's start event. */
  clock: 'calendar' | 'rolling';
  /** The column whose value, at the person's cohort-defining event, splits the cohorts; or null. */
  breakdown: string | null;
  /**
   * With a breakdown, which return events count: `any` (every one) or `same_value` (only those
   * that carry the cohort's value, as PostHog counts; an empty value matches an empty one).
   */
  breakdown_returns: 'any' | 'same_value';
  where: Filter[];
  /**
   * The people behind one cell: `{cohort, period}` (the row's cohort label and period; with a
   * breakdown also its `breakdown` value); null or absent for the matrix.
   */
  people?: RetentionPeople | null;
}

/** The cell whose people a retention spec asks for. */
export interface RetentionPeople {
  cohort: string;
  period: number;
  breakdown?: string | null;
  /** The cohort's period index (from its label). */
  cohort_index: number;
}

const KIND = 'retention';
const FIELDS = [
  'period', 'week_start', 'timezone', 'start_event', 'return_event', 'mode', 'cumulative', 'min_occurrences',
  'intervals', 'date_from', 'date_to', 'clock', 'breakdown', 'breakdown_returns', 'people',
];
const HOUR_MS = 3_600_000;

/**
 * The length of a rolling period (Amplitude's N-day retention): 1 h, 24 h, 7 d or 30 d.
 *
 * @example
 * ROLLING_MS.week // 604800000
 */
export const ROLLING_MS: Record<Period, number> = {
  hour: HOUR_MS, day: 24 * HOUR_MS, week: 7 * 24 * HOUR_MS, month: 30 * 24 * HOUR_MS,
};

function fail(problem: string, field?: string): never {
  throw new SpecError(KIND, problem, field);
}

function oneOf<T extends string>(spec: Record<string, unknown>, field: string, allowed: readonly T[], fallback: T): T {
  const value = spec[field] ?? fallback;
  if (!allowed.includes(value as T)) {
    fail(`${field} must be one of ${allowed.map((a) => `"${a}"`).join(', ')}, not ${JSON.stringify(value)}`, field);
  }
  return value as T;
}

function eventOption(spec: Record<string, unknown>, field: string, catalog: EventCatalog): string | null {
  const value = spec[field];
  if (value === undefined || value === null) return null;
  // a name that never occurs is not an error: runAnalysis warns of it
  if (typeof value !== 'string' || value === '') fail(`${field} must be an event name or null (any event), not ${JSON.stringify(value)}`, field);
  return value;
}

function positiveInteger(spec: Record<string, unknown>, field: string, fallback: number): number {
  const value = spec[field] ?? fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    fail(`${field} must be a whole number >= 1, not ${JSON.stringify(value)}`, field);
  }
  return value;
}

function breakdownOption(spec: Record<string, unknown>, catalog: EventCatalog): string | null {
  const value = spec.breakdown;
  if (value === undefined || value === null) return null;
  const names = catalog.columns.map((c) => c.name);
  if (typeof value !== 'string' || !names.includes(value)) {
    const guess = typeof value === 'string' ? closestName(value, names) : undefined;
    fail(`breakdown: no column ${JSON.stringify(value)}${guess ? ` (did you mean "${guess}"?)` : ''} (columns: ${names.join(', ')})`, 'breakdown');
  }
  return value;
}

/**
 * Reads a range bound as local milliseconds: `YYYY-MM-DD`, and for hours also `YYYY-MM-DD HH:MM`.
 * A bare date means its first hour for `date_from` and its last hour for `date_to`.
 */
function boundLocalMs(value: unknown, field: 'date_from' | 'date_to', period: Period): number {
  const hours = period === 'hour';
  return localDateMs(KIND, value, field, { withTime: hours, endOfDay: hours && field === 'date_to' });
}

/** The range's first and last period index, with the dates as the normalised spec shows them. */
function resolveRange(
  spec: Record<string, unknown>, calendar: Calendar, intervals: number, catalog: EventCatalog,
): { date_from: string; date_to: string; from: number; to: number } {
  let dateTo: string;
  let to: number;
  if (spec.date_to === undefined || spec.date_to === null) {
    if (catalog.lastTs === null) fail('date_to is needed: the event log is empty', 'date_to');
    to = periodOfInstant(calendar, catalog.lastTs);
    const unit = { ...calendar, period: calendar.period === 'hour' ? 'hour' as const : 'day' as const };
    dateTo = periodLabel(unit, periodOfInstant(unit, catalog.lastTs));
  } else {
    to = periodOfLocalMs(calendar.period, calendar.week_start, boundLocalMs(spec.date_to, 'date_to', calendar.period));
    dateTo = spec.date_to as string;
  }
  let dateFrom: string;
  let from: number;
  if (spec.date_from === undefined || spec.date_from === null) {
    from = to - (intervals - 1);
    dateFrom = periodLabel(calendar, from);
  } else {
    const fromMs = boundLocalMs(spec.date_from, 'date_from', calendar.period);
    from = periodOfLocalMs(calendar.period, calendar.week_start, fromMs);
    dateFrom = spec.date_from as string;
    const toMs = spec.date_to == null ? null : boundLocalMs(spec.date_to, 'date_to', calendar.period);
    if ((toMs !== null && fromMs > toMs) || from > to) checkDateOrder(KIND, dateFrom, dateTo, true);
  }
  return { date_from: dateFrom, date_to: dateTo, from, to };
}

/**
 * Validates a retention spec against the data and fills in every default (DESIGN.md, "Retention").
 *
 * @example
 * validateRetention({ kind: 'retention', period: 'week', start_event: 'signup' }, catalog)
 * // { kind: 'retention', period: 'week', week_start: 'monday', timezone: 'UTC', start_event: 'signup',
 * //   return_event: null, mode: 'recurring', cumulative: false, min_occurrences: 1, intervals: 8,
 * //   date_from: '2024-01-01', date_to: '2024-02-21', clock: 'calendar', breakdown: null, where: [] }
 */
export function validateRetention(input: unknown, catalog: EventCatalog): RetentionSpec {
  if (!input || typeof input !== 'object' || Array.isArray(input)) fail('a spec must be a JSON object');
  const spec = input as Record<string, unknown>;
  const allowed = ['kind', 'where', ...FIELDS];
  for (const field of Object.keys(spec)) {
    if (!allowed.includes(field)) {
      const guess = closestName(field, allowed);
      fail(`unknown field "${field}"${guess ? ` (did you mean "${guess}"?)` : ''} (fields: ${allowed.join(', ')})`, field);
    }
  }
  const calendar = validateCalendar<Period>(KIND, spec, { defaultPeriod: 'week', periods: PERIODS });
  if (spec.cumulative !== undefined && spec.cumulative !== null && typeof spec.cumulative !== 'boolean') {
    fail(`cumulative must be true or false, not ${JSON.stringify(spec.cumulative)}`, 'cumulative');
  }
  const intervals = positiveInteger(spec, 'intervals', 8);
  const range = resolveRange(spec, calendar, intervals, catalog);
  return {
    kind: KIND,
    ...calendar,
    start_event: eventOption(spec, 'start_event', catalog),
    return_event: eventOption(spec, 'return_event', catalog),
    mode: oneOf(spec, 'mode', ['recurring', 'first_time'], 'recurring'),
    cumulative: spec.cumulative === true,
    min_occurrences: positiveInteger(spec, 'min_occurrences', 1),
    intervals,
    date_from: range.date_from,
    date_to: range.date_to,
    clock: oneOf(spec, 'clock', ['calendar', 'rolling'], 'calendar'),
    breakdown: breakdownOption(spec, catalog),
    breakdown_returns: oneOf(spec, 'breakdown_returns', ['any', 'same_value'], 'any'),
    where: validateFilters(KIND, spec.where, catalog),
    ...peopleField(validatePeople(spec.people, calendar, range, intervals, spec.breakdown != null)),
  };
}

const peopleField = (people: RetentionPeople | null) => (people ? { people } : {});

function validatePeople(value: unknown, calendar: Calendar, range: { from: number; to: number }, intervals: number, broken: boolean): RetentionPeople | null {
  if (value === undefined || value === null) return null;
  const v = value as Record<string, unknown>;
  const allowed = ['cohort', 'period', ...(broken ? ['breakdown'] : [])];
  if (typeof value !== 'object' || Object.keys(v).some((k) => !allowed.includes(k)) || typeof v.cohort !== 'string'
    || typeof v.period !== 'number' || !Number.isInteger(v.period) || v.period < 0 || v.period >= intervals) {
    fail(`people must be {"cohort": LABEL, "period": 0..${intervals - 1}${broken ? ', "breakdown": VALUE' : ''}}, not ${JSON.stringify(value)}`, 'people');
  }
  let index = -1;
  for (let p = range.from; p <= range.to; p++) if (periodLabel(calendar, p) === v.cohort) index = p;
  if (index < 0) fail(`people.cohort "${v.cohort as string}" is not a cohort of the range (${periodLabel(calendar, range.from)} … ${periodLabel(calendar, range.to)})`, 'people.cohort');
  const out: RetentionPeople = { cohort: v.cohort as string, period: v.period as number, cohort_index: index };
  if (broken) out.breakdown = v.breakdown === undefined || v.breakdown === null ? null : String(v.breakdown);
  return out;
}

/** The range of a validated spec: cohort period indexes `from..to` and the UTC instants around them. */
export interface RetentionRange {
  from: number;
  to: number;
  /** Where the first cohort period begins and the last one ends (epoch ms, UTC). */
  startMs: number;
  endMs: number;
}

/**
 * The period indexes and instants a validated spec covers.
 *
 * @example
 * retentionRange(spec) // { from: 2818, to: 2825, startMs: 1704067200000, endMs: 1708905600000 }
 */
export function retentionRange(spec: RetentionSpec): RetentionRange {
  const { from, to } = periodRange(spec);
  return { from, to, startMs: periodStartUtc(spec, from), endMs: periodStartUtc(spec, to + 1) };
}
