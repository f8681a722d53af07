import type { Table } from 'apache-arrow';
import { quoteIdent } from '../engine/index.ts';
import { registerAnalysis, type Analysis } from './analysis.ts';
import { eventSql, specEvents, validateEventOption } from './event-option.ts';
import { userKeySql, type EventCatalog } from './event-catalog.ts';
import { periodLabel, periodOfDate, periodRange, periodStartUtc, rangePeriodSql, validateCalendarRange, type CalendarRange } from './calendar.ts';
import { peopleSelect, shapePeople } from './people.ts';
import { SpecError } from './spec-error.ts';
import { specFields } from './spec-fields.ts';
import { validateFilters, whereSql, type BoundSql, type Filter } from './where.ts';

/** The four lifecycle statuses, in the order rows and chart stacks use. */
export const LIFECYCLE_STATUSES = ['new', 'returning', 'resurrecting', 'dormant'] as const;
export type LifecycleStatus = (typeof LIFECYCLE_STATUSES)[number];

/** A lifecycle spec after validation. */
export interface LifecycleSpec extends CalendarRange {
  kind: 'lifecycle';
  /** The event that counts as activity; null for any event. */
  event: string | null;
  where: Filter[];
  /** The people behind one bar: `{period, status}`, the period as its label (its local start date); null for the counts. */
  people: { period: string; status: LifecycleStatus } | null;
}

/** One cell of the lifecycle chart: `users` is negative for `dormant`. */
export type LifecycleRow = {
  period: string;
  status: LifecycleStatus;
  users: number;
};

const KIND = 'lifecycle';
const FORMULA = 'new = first activity ever in the period; returning = active in this and the previous period; '
  + 'resurrecting = active, not in the previous period, not new; dormant = −(active in the previous period, not in this one)';

function validatePeople(value: unknown, range: CalendarRange): LifecycleSpec['people'] {
  if (value === undefined || value === null) return null;
  const v = value as { period?: unknown; status?: unknown };
  const { from, to } = periodRange(range);
  const labels = Array.from({ length: to - from + 1 }, (_, i) => periodLabel(range, from + i));
  if (typeof value !== 'object' || Object.keys(value).some((k) => k !== 'period' && k !== 'status')
    || !LIFECYCLE_STATUSES.includes(v.status as LifecycleStatus) || typeof v.period !== 'string') {
    throw new SpecError(KIND, `people must be {"period": "YYYY-MM-DD", "status": ${LIFECYCLE_STATUSES.map((s) => `"${s}"`).join(' | ')}}, not ${JSON.stringify(value)}`, 'people');
  }
  if (!labels.includes(v.period)) throw new SpecError(KIND, `people.period "${v.period}" is not a period of the range (${labels[0]} … ${labels.at(-1)})`, 'people.period');
  return { period: v.period, status: v.status as LifecycleStatus };
}

/**
 * The SQL: each person's active periods (over their whole history up to the range's end, so "new"
 * means first activity ever), the previous and next active period beside each, and one status per
 * person and period.
 */
function lifecycleSql(spec: LifecycleSpec, table: string, catalog?: EventCatalog): BoundSql {
  const { from, to } = periodRange(spec);
  const endMs = periodStartUtc(spec, to + 1);
  const where = whereSql(spec.where);
  const event = eventSql(spec.event);
  const people = spec.people;
  const tail = people
    ? `, people AS (SELECT user_id FROM statuses WHERE p = ${periodOfDate(spec, people.period)} AND status = '${people.status}')${peopleSelect(table)}`
    : '\nSELECT p AS period_index, status, count(*) AS users FROM statuses GROUP BY p, status';
  const sql = `WITH base AS (
  SELECT ${people ? 'user_id' : userKeySql(catalog)} AS user_id, epoch_ms(ts) AS ms FROM ${quoteIdent(table)}
  WHERE (${where.sql}) AND (${event.sql}) AND ts < epoch_ms(${endMs})
), active AS (
  SELECT DISTINCT user_id, ${rangePeriodSql(spec, 'ms')} AS p FROM base
), marked AS (
  SELECT user_id, p, lag(p) OVER w AS prev, lead(p) OVER w AS next
  FROM active WINDOW w AS (PARTITION BY user_id ORDER BY p)
), statuses AS (
  SELECT user_id, p, CASE WHEN prev IS NULL THEN 'new' WHEN prev = p - 1 THEN 'returning' ELSE 'resurrecting' END AS status
  FROM marked WHERE p BETWEEN ${from} AND ${to}
  UNION ALL
  SELECT user_id, p + 1 AS p, 'dormant' AS status
  FROM marked WHERE (next IS NULL OR next > p + 1) AND p + 1 BETWEEN ${from} AND ${to}
)${tail}`;
  return { sql, params: [...where.params, ...event.params] };
}

/**
 * Lifecycle (kind `"lifecycle"`), as PostHog defines it: per period, people who are `new` (their
 * first activity ever), `returning` (active in the previous period too), `resurrecting` (active
 * after a gap) and `dormant` (active in the previous period, not in this one; negative).
 *
 * @example
 * const { rows } = await runAnalysis(engine, { kind: 'lifecycle', period: 'week', event: 'open_app' });
 * // [{ period: '2024-01-01', status: 'new', users: 120 }, ..., { period: '2024-01-08', status: 'dormant', users: -31 }]
 */
export const lifecycle: Analysis<LifecycleSpec, LifecycleRow> = {
  kind: KIND,
  title: 'Lifecycle: new, returning, resurrecting and dormant people per period',
  formula: FORMULA,
  events: (spec) => specEvents(spec, ['event']),
  validate(input, catalog) {
    const spec = specFields(KIND, input, ['event', 'period', 'week_start', 'timezone', 'date_from', 'date_to', 'people']);
    const range = validateCalendarRange(KIND, spec, catalog, { defaultPeriod: 'week' });
    return {
      kind: KIND,
      event: validateEventOption(KIND, spec, 'event', catalog),
      ...range,
      where: validateFilters(KIND, spec.where, catalog),
      people: validatePeople(spec.people, range),
    };
  },
  sql(spec, table, catalog) {
    return lifecycleSql(spec, table, catalog);
  },
  shape(result: Table | null, spec) {
    if (spec.people) return { rows: shapePeople(result) as never[], meta: { people: spec.people } };
    const counts = new Map<string, number>();
    for (const row of result?.toArray() ?? []) counts.set(`${row.period_index}|${row.status}`, Number(row.users));
    const { from, to } = periodRange(spec);
    const rows: LifecycleRow[] = [];
    for (let p = from; p <= to; p++) {
      const period = periodLabel(spec, p);
      for (const status of LIFECYCLE_STATUSES) {
        const users = counts.get(`${p}|${status}`) ?? 0;
        rows.push({ period, status, users: status === 'dormant' && users !== 0 ? -users : users });
      }
    }
    return { rows, meta: { formula: FORMULA, periods: to - from + 1 } };
  },
};

registerAnalysis(lifecycle);
