import type { Table } from 'apache-arrow';
import { quoteIdent } from '../engine/index.ts';
import { registerAnalysis, type Analysis } from './analysis.ts';
import { eventSql, specEvents, validateEventOption } from './event-option.ts';
import { userKeySql, type EventCatalog } from './event-catalog.ts';
import { inPeriodsSql, periodRange, rangePeriodSql, validateCalendarRange, type CalendarRange } from './calendar.ts';
import { SpecError } from './spec-error.ts';
import { specFields } from './spec-fields.ts';
import { validateFilters, whereSql, type BoundSql, type Filter } from './where.ts';
import { peopleSelect, shapePeople } from './people.ts';

/** A stickiness spec after validation. */
export interface StickinessSpec extends CalendarRange {
  kind: 'stickiness';
  /** The event that counts as activity; null for any event. */
  event: string | null;
  /** Count people active in k periods or more, instead of exactly k. */
  cumulative: boolean;
  where: Filter[];
  /** The people behind one bar: those active in `periods_active` periods (or more, when cumulative); null for the counts. */
  people: { periods_active: number } | null;
}

/** How many people were active in `periods_active` periods of the range (or at least that many). */
export type StickinessRow = {
  periods_active: number;
  users: number;
};

const KIND = 'stickiness';

function validatePeople(value: unknown): StickinessSpec['people'] {
  if (value === undefined || value === null) return null;
  const k = (value as { periods_active?: unknown }).periods_active;
  if (typeof value !== 'object' || Object.keys(value).some((key) => key !== 'periods_active') || typeof k !== 'number' || !Number.isInteger(k) || k < 1) {
    throw new SpecError(KIND, `people must be {"periods_active": k} with k a whole number ≥ 1, not ${JSON.stringify(value)}`, 'people');
  }
  return { periods_active: k };
}
const FORMULA = 'users(k) = people active in exactly k of the range\'s periods';
const CUMULATIVE_FORMULA = 'users(k) = people active in k or more of the range\'s periods';

function stickinessSql(spec: StickinessSpec, table: string, catalog?: EventCatalog): BoundSql {
  const { from, to } = periodRange(spec);
  const where = whereSql(spec.where);
  const event = eventSql(spec.event);
  const people = spec.people;
  const tail = people
    ? `, people AS (SELECT user_id FROM per_person WHERE k ${spec.cumulative ? '>=' : '='} ${people.periods_active})${peopleSelect(table)}`
    : '\nSELECT k AS periods_active, count(*) AS users FROM per_person GROUP BY k';
  const sql = `WITH base AS (
  SELECT ${people ? 'user_id' : userKeySql(catalog)} AS user_id, epoch_ms(ts) AS ms FROM ${quoteIdent(table)}
  WHERE (${where.sql}) AND (${event.sql}) AND ${inPeriodsSql(spec, from, to)}
), active AS (
  SELECT DISTINCT user_id, ${rangePeriodSql(spec, 'ms')} AS p FROM base
), per_person AS (
  SELECT user_id, count(*) AS k FROM active WHERE p BETWEEN ${from} AND ${to} GROUP BY user_id
)${tail}`;
  return { sql, params: [...where.params, ...event.params] };
}

/**
 * Stickiness (kind `"stickiness"`): for each k from 1 to the number of periods in the range, how
 * many people were active in exactly k of them (`cumulative: true`: in k or more).
 *
 * @example
 * const { rows } = await runAnalysis(engine, { kind: 'stickiness', period: 'day', date_from: '2024-03-01', date_to: '2024-03-07' });
 * // [{ periods_active: 1, users: 812 }, { periods_active: 2, users: 240 }, ..., { periods_active: 7, users: 31 }]
 */
export const stickiness: Analysis<StickinessSpec, StickinessRow> = {
  kind: KIND,
  title: 'Stickiness: how many people were active in k periods of the range',
  formula: FORMULA,
  events: (spec) => specEvents(spec, ['event']),
  validate(input, catalog) {
    const spec = specFields(KIND, input, ['event', 'cumulative', 'period', 'week_start', 'timezone', 'date_from', 'date_to', 'people']);
    const cumulative = spec.cumulative ?? false;
    if (typeof cumulative !== 'boolean') throw new SpecError(KIND, `cumulative must be true or false, not ${JSON.stringify(cumulative)}`, 'cumulative');
    return {
      kind: KIND,
      event: validateEventOption(KIND, spec, 'event', catalog),
      cumulative,
      ...validateCalendarRange(KIND, spec, catalog, { defaultPeriod: 'day' }),
      where: validateFilters(KIND, spec.where, catalog),
      people: validatePeople(spec.people),
    };
  },
  sql: stickinessSql,
  shape(result: Table | null, spec) {
    if (spec.people) return { rows: shapePeople(result) as never[], meta: { people: spec.people } };
    const { from, to } = periodRange(spec);
    const periods = to - from + 1;
    const exactly = new Array<number>(periods + 1).fill(0);
    for (const row of result?.toArray() ?? []) exactly[Number(row.periods_active)] = Number(row.users);
    const rows: StickinessRow[] = [];
    let atLeast = exactly.reduce((a, b) => a + b, 0);
    for (let k = 1; k <= periods; k++) {
      rows.push({ periods_active: k, users: spec.cumulative ? atLeast : exactly[k] });
      atLeast -= exactly[k];
    }
    const users = exactly.reduce((a, b) => a + b, 0);
    return { rows, meta: { formula: spec.cumulative ? CUMULATIVE_FORMULA : FORMULA, periods, users } };
  },
};

registerAnalysis(stickiness);
