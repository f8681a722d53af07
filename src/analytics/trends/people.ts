import { periodLabel, type CalendarRange, type Period } from '../calendar.ts';
import { dialectOf, type EventCatalog } from '../event-catalog.ts';
import { peopleSelect } from '../people.ts';
import { SpecError } from '../spec-error.ts';
import type { BoundSql } from '../where.ts';
import { previousRange, trendsWindow } from './range.ts';
import { seriesCtes } from './sql.ts';
import type { TrendsSpec } from './spec.ts';

/**
 * The people behind one point of a trends chart: `{series, period, breakdown?, other?, compare?}`,
 * as a row of the result names it (its `series` label, `period`, `breakdown` value, `other` for the
 * "Other" line and `compare: "previous"` for the range before).
 */
export interface TrendsPeople {
  /** The series' label, as the rows carry it. */
  series: string;
  /** The period's label (its local start, `YYYY-MM-DD`, or `YYYY-MM-DD HH:00` for hours). */
  period: string;
  /** The breakdown value of the line (null for events without one); only with a breakdown. */
  breakdown?: string | null;
  /** The "Other" line: the values past the top `breakdown_limit`. */
  other?: boolean;
  /** The range the point counts: `"previous"` for the one just before the range (with `compare`). */
  compare?: 'current' | 'previous';
}

const KIND = 'trends';
const FIELDS = ['series', 'period', 'breakdown', 'other', 'compare'];

function fail(problem: string, field = 'people'): never {
  throw new SpecError(KIND, problem, field);
}

/**
 * Checks `people` against the validated spec: the series is one of its labels (not the formula,
 * whose value is arithmetic over people counted elsewhere), the period one of the range's.
 */
export function validateTrendsPeople(value: unknown, spec: Omit<TrendsSpec, 'people'>): TrendsPeople | null {
  if (value === undefined || value === null) return null;
  const shape = '{"series": LABEL, "period": "YYYY-MM-DD", "breakdown"?: VALUE, "other"?: true, "compare"?: "previous"}';
  if (typeof value !== 'object' || Array.isArray(value)) fail(`people must be ${shape}, not ${JSON.stringify(value)}`);
  const v = value as Record<string, unknown>;
  const unknown = Object.keys(v).find((key) => !FIELDS.includes(key));
  if (unknown) fail(`people: unknown field "${unknown}" (fields: ${FIELDS.join(', ')})`);
  const labels = spec.series.map((s) => s.label);
  if (v.series === 'formula' && spec.formula !== null) {
    fail('people.series: the formula is arithmetic over the series, it has no people of its own; ask for one of its series', 'people.series');
  }
  if (typeof v.series !== 'string' || !labels.includes(v.series)) {
    fail(`people.series must be one of the series (${labels.map((l) => JSON.stringify(l)).join(', ')}), not ${JSON.stringify(v.series)}`, 'people.series');
  }
  const compare = v.compare ?? 'current';
  if (compare !== 'current' && compare !== 'previous') fail(`people.compare must be "current" or "previous", not ${JSON.stringify(compare)}`, 'people.compare');
  if (compare === 'previous' && !spec.compare) fail('people.compare "previous" needs "compare": true on the spec', 'people.compare');
  const range = compare === 'previous' ? previousRange(spec) : spec;
  const periods = trendsWindow(range).periods.map((p) => periodLabel(range, p));
  if (typeof v.period !== 'string' || !periods.includes(v.period)) {
    fail(`people.period ${JSON.stringify(v.period)} is not a period of the ${compare === 'previous' ? 'previous ' : ''}range (${periods[0]} … ${periods.at(-1)})`, 'people.period');
  }
  const other = v.other ?? false;
  if (typeof other !== 'boolean') fail(`people.other must be true or false, not ${JSON.stringify(other)}`, 'people.other');
  const hasValue = 'breakdown' in v;
  if (spec.breakdown === null && (hasValue || other)) fail('people.breakdown and people.other are only for a spec with a breakdown', 'people.breakdown');
  if (spec.breakdown !== null && !hasValue && !other) fail(`people.breakdown is needed: the line's value of ${spec.breakdown} (null for none), or "other": true`, 'people.breakdown');
  const breakdown = v.breakdown;
  if (hasValue && !other && breakdown !== null && typeof breakdown !== 'string') fail(`people.breakdown must be a text or null, not ${JSON.stringify(breakdown)}`, 'people.breakdown');
  return {
    series: v.series, period: v.period,
    ...(spec.breakdown !== null ? (other ? { other: true } : { breakdown: (breakdown as string | null) === '' ? null : breakdown as string | null }) : {}),
    ...(compare === 'previous' ? { compare: 'previous' as const } : {}),
  };
}

/**
 * The query for the people behind one point: the series' chain of CTEs with each event's person
 * (the id, not its hash), then those whose events count in the point. A plain period counts the
 * events in it; a cumulative one every period up to it; a rolling window (weekly or monthly active)
 * the events whose window covers it; property maths only events with a number in the property.
 * The line is the breakdown value's (a top one) or "Other" (values past the top).
 */
export function trendsPeopleSql(spec: TrendsSpec, table: string, catalog?: EventCatalog): BoundSql {
  const people = spec.people!;
  // its conditions are written and tested on DuckDB only (the merge of 19 and 24 met here)
  if (dialectOf(catalog).name !== 'duckdb') fail('people on trends does not run on the ClickHouse engine yet; use DuckDB (--engine native or wasm) for it');
  const range: CalendarRange<Period> = people.compare === 'previous' ? previousRange(spec) : spec;
  const series = spec.series.find((s) => s.label === people.series)!;
  const { ctes, params, window, rolling } = seriesCtes(spec, range, series, table, catalog, 'user_id', { withPerson: true });
  const p = window.periods[trendsWindow(range).periods.map((i) => periodLabel(range, i)).indexOf(people.period)];
  const when = spec.cumulative ? `e.a <= ${p}` : rolling ? `e.a <= ${p} AND e.b >= ${p}` : `e.a = ${p}`;
  const conditions = [when];
  if (series.property !== null) conditions.push('e.v IS NOT NULL');
  let join = '';
  if (spec.breakdown !== null) {
    join = ' LEFT JOIN top ON e.key IS NOT DISTINCT FROM top.key';
    if (people.other) conditions.push('top.rank IS NULL', `(SELECT count(*) FROM ranked) > ${spec.breakdown_limit}`);
    else {
      conditions.push('top.rank IS NOT NULL', 'e.key IS NOT DISTINCT FROM ?');
      params.push(people.breakdown ?? null);
    }
  }
  const sql = `WITH ${ctes},
people AS (SELECT DISTINCT e.person AS user_id FROM e${join} WHERE ${conditions.join(' AND ')})${peopleSelect(table)}`;
  return { sql, params };
}
