import { closestName, type EventCatalog } from '../event-catalog.ts';
import { validateEventOption } from '../event-option.ts';
import {
  PERIODS, checkDateOrder, localDateMs, periodOfDate, validateCalendar, type Calendar, type CalendarRange, type Period,
} from '../calendar.ts';
import { localDate } from '../time-zone.ts';
import { checkNumber } from '../number-option.ts';
import { SpecError } from '../spec-error.ts';
import { specFields } from '../spec-fields.ts';
import { validateFilters, type Filter } from '../where.ts';
import { parseFormula, seriesLetter } from './formula.ts';

export const KIND = 'trends';

/** What a series counts per period. */
export const TRENDS_MATHS = [
  'total', 'dau', 'weekly_active', 'monthly_active', 'sum', 'avg', 'min', 'max', 'median', 'p75', 'p90', 'p95', 'p99',
] as const;
export type TrendsMath = (typeof TRENDS_MATHS)[number];

/** The maths that aggregate a numeric `property` of the events. */
export const PROPERTY_MATHS: readonly TrendsMath[] = ['sum', 'avg', 'min', 'max', 'median', 'p75', 'p90', 'p95', 'p99'];

/** One line (or one set of lines, with a breakdown) of the chart. */
export interface TrendsSeries {
  /** The event counted; null for any event. */
  event: string | null;
  /**
   * `total` (events), `dau` (distinct people in the period), `weekly_active` / `monthly_active`
   * (distinct people in the 7 / 30 days ending with the period's day), or a property math.
   */
  math: TrendsMath;
  /** The numeric column a property math aggregates (sum, avg, min, max, median, p75, p90, p95, p99). */
  property: string | null;
  /** Filters of this series alone, applied after the spec's own `where`. */
  where: Filter[];
  /** The series' name in rows and the chart: the label given, else the event name ("all events" for any). */
  label: string;
}

/** A trends spec after validation: every option present, dates resolved. */
export interface TrendsSpec extends CalendarRange<Period> {
  kind: 'trends';
  /** The series, A, B, ... in order; at most 26. */
  series: TrendsSeries[];
  /** The column whose values split every series; or null. */
  breakdown: string | null;
  /** How many of a series' breakdown values get a line of their own (the rest are summed into "Other"). */
  breakdown_limit: number;
  /** Arithmetic over the series letters, computed per period: `"A / B * 100"`; or null. */
  formula: string | null;
  /** Also count the same length of time just before the range. */
  compare: boolean;
  /** Running totals (for `dau`: distinct people so far). */
  cumulative: boolean;
  /**
   * First local date of the range (`YYYY-MM-DD`; with hour periods also `YYYY-MM-DD HH:MM`): day and
   * week periods count from this day, months from the first of its month, as PostHog bounds a range.
   */
  date_from: string;
  /** Last local date of the range: counted to the end of this day (of this hour, when one is given). */
  date_to: string;
  where: Filter[];
}

const FIELDS = ['series', 'period', 'week_start', 'timezone', 'date_from', 'date_to', 'breakdown', 'breakdown_limit', 'formula', 'compare', 'cumulative'];
const SERIES_FIELDS = ['event', 'math', 'property', 'where', 'label'];
const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|REAL|DECIMAL.*)$/;
/** Every range is drawn; past this many periods the chart is a smear and the rows too many. */
export const MAX_PERIODS = 10_000;

function fail(problem: string, field?: string): never {
  throw new SpecError(KIND, problem, field);
}

function column(value: unknown, field: string, catalog: EventCatalog): string {
  const names = catalog.columns.map((c) => c.name);
  if (typeof value !== 'string' || !names.includes(value)) {
    const guess = typeof value === 'string' ? closestName(value, names) : undefined;
    fail(`${field}: no column ${JSON.stringify(value)}${guess ? ` (did you mean "${guess}"?)` : ''} (columns: ${names.join(', ')})`, field);
  }
  return value;
}

function flag(spec: Record<string, unknown>, field: string): boolean {
  const value = spec[field] ?? false;
  if (typeof value !== 'boolean') fail(`${field} must be true or false, not ${JSON.stringify(value)}`, field);
  return value;
}

function validateSeries(input: unknown, catalog: EventCatalog, spec: Record<string, unknown>): TrendsSeries[] {
  if (input === undefined || input === null) return [{ event: null, math: 'total', property: null, where: [], label: 'all events' }];
  if (!Array.isArray(input) || input.length === 0) fail('series must be a non-empty list of {event, math, property?, where?, label?}', 'series');
  if (input.length > 26) fail(`series has ${input.length} entries: at most 26 (A to Z)`, 'series');
  const series = input.map((item, i): TrendsSeries => {
    const at = `series[${i}]`;
    if (!item || typeof item !== 'object' || Array.isArray(item)) fail(`${at} must be an object like {"event": "signup", "math": "total"}`, at);
    const fields = item as Record<string, unknown>;
    for (const name of Object.keys(fields)) {
      if (!SERIES_FIELDS.includes(name)) {
        const guess = closestName(name, SERIES_FIELDS);
        fail(`${at}: unknown field "${name}"${guess ? ` (did you mean "${guess}"?)` : ''} (fields: ${SERIES_FIELDS.join(', ')})`, at);
      }
    }
    const event = validateEventOption(KIND, fields, 'event', catalog);
    const math = fields.math ?? 'total';
    if (!TRENDS_MATHS.includes(math as TrendsMath)) {
      fail(`${at}.math must be one of ${TRENDS_MATHS.map((m) => `"${m}"`).join(', ')}, not ${JSON.stringify(math)}`, `${at}.math`);
    }
    let property: string | null = null;
    if (PROPERTY_MATHS.includes(math as TrendsMath)) {
      if (fields.property === undefined || fields.property === null) fail(`${at}: math "${math}" needs a property (a numeric column, like "revenue")`, `${at}.property`);
      property = column(fields.property, `${at}.property`, catalog);
      const type = catalog.columns.find((c) => c.name === property)!.type;
      if (!NUMERIC.test(type) && type !== 'VARCHAR') fail(`${at}.property "${property}" is a ${type} column: ${math} needs numbers`, `${at}.property`);
    } else if (fields.property !== undefined && fields.property !== null) {
      fail(`${at}.property is only for the property maths (${PROPERTY_MATHS.join(', ')}), not "${math}"`, `${at}.property`);
    }
    const label = fields.label;
    if (label !== undefined && label !== null && (typeof label !== 'string' || label.trim() === '')) fail(`${at}.label must be a non-empty text, not ${JSON.stringify(label)}`, `${at}.label`);
    return {
      event, math: math as TrendsMath, property,
      where: validateFilters(KIND, fields.where, catalog, `${at}.where`),
      label: typeof label === 'string' ? label : event ?? 'all events',
    };
  });
  return uniqueLabels(input as Record<string, unknown>[], series, spec);
}

/**
 * Two series of one event (its count and its people, say) would share a name: a default name then
 * gets its math (`purchase (dau)`, `purchase (sum of revenue)`). Labels given twice are an error.
 */
function uniqueLabels(input: Record<string, unknown>[], series: TrendsSeries[], spec: Record<string, unknown>): TrendsSeries[] {
  const count = (label: string) => series.filter((s) => s.label === label).length;
  const named = series.map((s, i) => {
    if (typeof input[i].label === 'string' || count(s.label) === 1) return s;
    const math = s.property ? `${s.math} of ${s.property}` : s.math;
    return { ...s, label: `${s.label} (${math})` };
  });
  named.forEach((s, i) => {
    const j = named.findIndex((other) => other.label === s.label);
    if (j !== i) fail(`series ${seriesLetter(j)} and ${seriesLetter(i)} are both named "${s.label}": give one a label`, `series[${i}].label`);
    if (s.label === 'formula' && spec.formula !== undefined && spec.formula !== null) fail(`series ${seriesLetter(i)} may not be named "formula": that is the formula's name in the rows`, `series[${i}].label`);
  });
  return named;
}

/**
 * The range's dates as the normalised spec shows them: given ones as written, else the local dates
 * of the log's first and last event.
 */
function validateRange(spec: Record<string, unknown>, calendar: Calendar<Period>, catalog: EventCatalog): { date_from: string; date_to: string } {
  const hours = calendar.period === 'hour';
  const bound = (field: 'date_from' | 'date_to', fallback: number | null): string => {
    const value = spec[field];
    if (value !== undefined && value !== null) {
      localDateMs(KIND, value, field, { withTime: hours });
      return value as string;
    }
    if (fallback === null) fail(`${field} is needed: the event log is empty`, field);
    return localDate(calendar.timezone, fallback);
  };
  const dateFrom = bound('date_from', catalog.firstTs);
  const dateTo = bound('date_to', catalog.lastTs);
  const fromMs = localDateMs(KIND, dateFrom, 'date_from', { withTime: hours });
  const toMs = localDateMs(KIND, dateTo, 'date_to', { withTime: hours, endOfDay: hours });
  checkDateOrder(KIND, dateFrom, dateTo, fromMs > toMs);
  return { date_from: dateFrom, date_to: dateTo };
}

/**
 * Validates a trends spec against the data and fills in every default.
 *
 * @example
 * validateTrends({ kind: 'trends', series: [{ event: 'signup' }], period: 'week' }, catalog)
 * // { kind: 'trends', series: [{ event: 'signup', math: 'total', property: null, where: [], label: 'signup' }],
 * //   period: 'week', week_start: 'monday', timezone: 'UTC', date_from: '2024-01-01', date_to: '2024-03-31',
 * //   breakdown: null, breakdown_limit: 25, formula: null, compare: false, cumulative: false, where: [] }
 */
export function validateTrends(input: unknown, catalog: EventCatalog): TrendsSpec {
  const spec = specFields(KIND, input, FIELDS);
  const calendar = validateCalendar<Period>(KIND, spec, { defaultPeriod: 'day', periods: PERIODS });
  const series = validateSeries(spec.series, catalog, spec);
  const range = { ...calendar, ...validateRange(spec, calendar, catalog) };
  const periods = periodOfDate(range, range.date_to, 'to') - periodOfDate(range, range.date_from) + 1;
  if (periods > MAX_PERIODS) {
    fail(`the range ${range.date_from} to ${range.date_to} has ${periods.toLocaleString('en-US')} ${range.period} periods: at most ${MAX_PERIODS.toLocaleString('en-US')}; choose a longer period or a shorter range`, 'date_from');
  }
  const formula = spec.formula ?? null;
  if (formula !== null) {
    if (typeof formula !== 'string') fail(`formula must be a text over the series letters, like "A / B * 100", not ${JSON.stringify(formula)}`, 'formula');
    parseFormula(KIND, formula, series.length);
  }
  const limit = spec.breakdown_limit ?? 25;
  return {
    kind: KIND,
    series,
    ...range,
    breakdown: spec.breakdown === undefined || spec.breakdown === null ? null : column(spec.breakdown, 'breakdown', catalog),
    breakdown_limit: checkNumber(KIND, limit, 'breakdown_limit', { min: 1, max: 1000, integer: true }),
    formula: formula === null ? null : formula.trim(),
    compare: flag(spec, 'compare'),
    cumulative: flag(spec, 'cumulative'),
    where: validateFilters(KIND, spec.where, catalog),
  };
}
