import type { Table } from 'apache-arrow';
import { quoteIdent } from '../engine/index.ts';
import { registerAnalysis, type Analysis } from './analysis.ts';
import { periodLabel, periodSql, validateCalendar, type Calendar, type DatePeriod } from './calendar.ts';
import type { EventCatalog } from './event-catalog.ts';
import { eventSql, specEvents, validateEventOption } from './event-option.ts';
import { SpecError } from './spec-error.ts';
import { specFields } from './spec-fields.ts';
import { validateFilters, whereSql, type BoundSql, type Filter } from './where.ts';

/** NPS (0–10 answers) or CSAT (1–5 answers) from a column of survey answers. */
export interface SurveySpec {
  kind: 'survey';
  column: string;
  scale: 'nps' | 'csat';
  /** Only answers carried by this event (`survey_answered`); null: every row with an answer. */
  event: string | null;
  /** CSAT: the lowest answer that counts as satisfied (default 4 of 5). */
  satisfied_min: number;
  /** Group by calendar period (in `timezone`, weeks from `week_start`), or null for one row. */
  period: 'day' | 'week' | 'month' | null;
  week_start: Calendar['week_start'];
  timezone: string;
  where: Filter[];
}

export type SurveyRow = {
  period?: string;
  responses: number;
  promoters?: number;
  passives?: number;
  detractors?: number;
  nps?: number | null;
  satisfied?: number;
  csat?: number | null;
};

const KIND = 'survey';
const FORMULAS = {
  nps: 'NPS = (promoters (9–10) − detractors (0–6)) ÷ responses × 100; passives (7–8) count only in the total',
  csat: 'CSAT = satisfied answers (≥ satisfied_min) ÷ responses × 100',
};

function validate(raw: unknown, catalog: EventCatalog): SurveySpec {
  const spec = specFields(KIND, raw, ['column', 'scale', 'event', 'satisfied_min', 'period', 'week_start', 'timezone']);
  const names = catalog.columns.map((c) => c.name);
  if (typeof spec.column !== 'string' || !names.includes(spec.column)) {
    throw new SpecError(KIND, `column must name the column of answers (columns: ${names.join(', ')})`, 'column');
  }
  const scale = spec.scale ?? 'nps';
  if (scale !== 'nps' && scale !== 'csat') throw new SpecError(KIND, `scale must be "nps" (answers 0–10) or "csat" (answers 1–5), not ${JSON.stringify(scale)}`, 'scale');
  const satisfied = spec.satisfied_min ?? 4;
  if (typeof satisfied !== 'number' || satisfied < 1 || satisfied > 5) throw new SpecError(KIND, 'satisfied_min must be an answer from 1 to 5', 'satisfied_min');
  const calendar = validateCalendar(KIND, spec, { defaultPeriod: 'day' });
  return {
    kind: KIND, column: spec.column, scale, event: validateEventOption(KIND, spec, 'event', catalog), satisfied_min: satisfied,
    period: spec.period === undefined || spec.period === null ? null : calendar.period,
    week_start: calendar.week_start, timezone: calendar.timezone, where: validateFilters(KIND, spec.where, catalog),
  };
}

/** Answers outside the scale (a 12 on 0–10, a 3.5) are counted apart, not scored. */
function surveySql(spec: SurveySpec, table: string, catalog?: EventCatalog): BoundSql {
  const where = whereSql(spec.where);
  const event = eventSql(spec.event);
  const [min, max] = spec.scale === 'nps' ? [0, 10] : [1, 5];
  // the period index; the offsets are exact over the whole log
  const span = [catalog?.firstTs ?? Date.UTC(1990, 0, 1), catalog?.lastTs ?? Date.UTC(2100, 0, 1)];
  const group = spec.period ? periodSql({ ...spec, period: spec.period }, 'epoch_ms(ts)', span[0], span[1]) : '0';
  const valid = `a IS NOT NULL AND a = floor(a) AND a BETWEEN ${min} AND ${max}`;
  const sql = `WITH answers AS (
  SELECT ${group} AS period, TRY_CAST(${quoteIdent(spec.column)} AS DOUBLE) AS a, ${quoteIdent(spec.column)} IS NOT NULL AS given
  FROM ${quoteIdent(table)} WHERE (${where.sql}) AND (${event.sql})
)
SELECT period,
  count(*) FILTER (WHERE ${valid})::DOUBLE AS responses,
  count(*) FILTER (WHERE ${valid} AND a >= 9)::DOUBLE AS promoters,
  count(*) FILTER (WHERE ${valid} AND a BETWEEN 7 AND 8)::DOUBLE AS passives,
  count(*) FILTER (WHERE ${valid} AND a <= 6)::DOUBLE AS detractors,
  count(*) FILTER (WHERE ${valid} AND a >= ?)::DOUBLE AS satisfied,
  count(*) FILTER (WHERE given AND NOT coalesce(${valid}, FALSE))::DOUBLE AS invalid
FROM answers GROUP BY period ORDER BY period`;
  return { sql, params: [...where.params, ...event.params, spec.satisfied_min] };
}

/** The NPS of counts, by hand: 50 promoters, 30 passives, 20 detractors → 30. */
export function netPromoterScore(promoters: number, passives: number, detractors: number): number | null {
  const total = promoters + passives + detractors;
  return total === 0 ? null : ((promoters - detractors) / total) * 100;
}

function shape(result: Table | null, spec: SurveySpec): { rows: SurveyRow[]; meta: Record<string, unknown> } {
  let invalid = 0;
  const rows = (result?.toArray() ?? []).map((r): SurveyRow => {
    invalid += Number(r.invalid);
    const responses = Number(r.responses);
    const base: SurveyRow = spec.period ? { period: periodLabel({ ...spec, period: spec.period }, Number(r.period)), responses } : { responses };
    if (spec.scale === 'nps') {
      const [p, pa, d] = [Number(r.promoters), Number(r.passives), Number(r.detractors)];
      return { ...base, promoters: p, passives: pa, detractors: d, nps: netPromoterScore(p, pa, d) };
    }
    const satisfied = Number(r.satisfied);
    return { ...base, satisfied, csat: responses ? (satisfied / responses) * 100 : null };
  });
  return { rows, meta: { formula: FORMULAS[spec.scale], out_of_scale_answers: invalid } };
}

/**
 * NPS and CSAT from a column of survey answers, overall or per period.
 *
 * @example
 * await runAnalysis(engine, { kind: 'survey', column: 'score', event: 'nps_answer' }) // rows[0].nps
 */
export const survey: Analysis<SurveySpec, SurveyRow> = {
  kind: KIND,
  title: 'Survey: NPS and CSAT',
  formula: FORMULAS.nps,
  events: (spec) => specEvents(spec, ['event']),
  validate,
  sql: surveySql,
  shape,
};

registerAnalysis(survey);
