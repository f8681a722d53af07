import { quoteIdent } from '../engine/index.ts';
import { registerAnalysis, type Analysis } from './analysis.ts';
import type { EventCatalog } from './event-catalog.ts';
import { anyOrderPeopleCtes } from './funnel-any-sql.ts';
import { chainPeopleCtes } from './funnel-chain-sql.ts';
import { funnelPieces, SqlBuilder } from './funnel-sql-parts.ts';
import { funnelEventNames, validateFunnel, type FunnelSpec } from './funnel-spec.ts';
import { SpecError } from './spec-error.ts';
import { specFields } from './spec-fields.ts';
import { fisherExact } from './stats/fisher.ts';
import { normalQuantile } from './stats/normal.ts';
import { whereSql } from './where.ts';

/**
 * Funnel correlation (kind `"correlation"`): what did the people who converted do that the others
 * did not? PostHog's funnel correlation (funnel_correlation_query_runner.py), made precise:
 *
 * - People: everyone the funnel counts (step 1 in its range, after its order, exclusions and
 *   `where`). Success: reached the last step (S people); failure: the rest (F).
 * - A person's events count from their best attempt (the one the funnel counts): strictly after
 *   its step-1 time and strictly before its conversion, or for non-converters strictly before
 *   step 1 + the window. All their events (not only those the funnel's `where` keeps), each name
 *   at most once per person; the steps' event names and `exclude_events` are left out (which
 *   removes rows, not people from S and F).
 * - Properties: the column's value on the attempt's step-1 event, as rows `column=value` (`column=`
 *   for a null). Several step-1 events at that instant: the smallest value as text. (`any` order:
 *   the events of any step at the attempt's start.)
 * - odds_ratio = ((s + 1)(F − f + 1)) / ((S − s + 1)(f + 1)); `success` above 1, else `failure`.
 *   No rows when S or F is 0; a row goes when s + f < min(25, 2 % of S + F); then the 10 success
 *   rows with the highest ratio, and the 10 failure rows with the lowest (ties by name).
 * - Beyond PostHog: `p_value` (Fisher's exact test, two-sided, on the table s, S − s, f, F − f)
 *   and the 95 % interval of the ratio (Woolf's logit interval on the same +1 counts).
 */
export interface CorrelationSpec {
  kind: 'correlation';
  /** The funnel whose converters and non-converters are compared (a funnel spec without `kind`). */
  funnel: FunnelSpec;
  /** Columns whose value on the step-1 event is compared too (`country`, `source`). */
  properties: string[];
  /** Event names left out of the comparison (the funnel's steps always are). */
  exclude_events: string[];
}

/** One event (or `column=value`) and how it splits converters from the others. */
export interface CorrelationRow {
  /** The event name, or `column=value` for a property. */
  event: string;
  /** `event` or `property`. */
  type: 'event' | 'property';
  success_count: number;
  failure_count: number;
  odds_ratio: number;
  correlation_type: 'success' | 'failure';
  /** Fisher's exact test, two-sided: how likely a split at least this uneven is by chance alone. */
  p_value: number;
  /** The 95 % interval of the odds ratio. */
  odds_ratio_low: number;
  odds_ratio_high: number;
}

const KIND = 'correlation';
const Z95 = normalQuantile(0.975);
const FORMULA = 'odds ratio = ((s+1)(F−f+1)) / ((S−s+1)(f+1)), s and f the converters and non-converters who did it, S and F all of them; '
  + 'p-value: Fisher\'s exact test (two-sided); 95 % interval: Woolf\'s, on the same +1 counts';

/** Validates a correlation spec. */
export function validateCorrelation(input: unknown, catalog: EventCatalog): CorrelationSpec {
  const spec = specFields(KIND, input, ['funnel', 'properties', 'exclude_events']);
  if (spec.where !== undefined) throw new SpecError(KIND, 'put where on the funnel: {"funnel": {"steps": [...], "where": [...]}}', 'where');
  const raw = spec.funnel;
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new SpecError(KIND, 'funnel is needed: a funnel spec such as {"steps": ["signup", "purchase"]}', 'funnel');
  for (const field of ['people', 'time_to_convert', 'breakdown']) {
    if ((raw as Record<string, unknown>)[field] != null) throw new SpecError(KIND, `funnel.${field}: correlation compares the whole funnel's converters with the rest; leave ${field} out`, `funnel.${field}`);
  }
  let funnel: FunnelSpec;
  try {
    funnel = validateFunnel({ ...(raw as object), kind: 'funnel' }, catalog);
  } catch (error) {
    if (error instanceof SpecError) throw new SpecError(KIND, `funnel: ${error.message.replace(/^funnel spec: /, '')}`, `funnel.${error.field ?? ''}`);
    throw error;
  }
  if (funnel.steps.length < 2) throw new SpecError(KIND, 'funnel.steps: a correlation needs a funnel of at least 2 steps', 'funnel.steps');
  const columns = catalog.columns.map((c) => c.name);
  const list = (field: 'properties' | 'exclude_events'): string[] => {
    const value = spec[field] ?? [];
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v === '')) throw new SpecError(KIND, `${field} must be a list of names`, field);
    return [...new Set(value as string[])];
  };
  const properties = list('properties');
  const unknown = properties.find((p) => !columns.includes(p));
  if (unknown) throw new SpecError(KIND, `properties: no column "${unknown}" (columns: ${columns.join(', ')})`, 'properties');
  return { kind: KIND, funnel, properties, exclude_events: list('exclude_events') };
}

function correlationSql(spec: CorrelationSpec, table: string, catalog?: EventCatalog) {
  const { funnel } = spec;
  const b = new SqlBuilder();
  const pieces = funnelPieces(funnel, catalog);
  const people = funnel.order === 'any' ? anyOrderPeopleCtes(funnel, table, b, pieces) : chainPeopleCtes(funnel, table, b, pieces);
  const n = funnel.steps.length;
  const t = quoteIdent(table);
  const left = [...new Set([...funnel.steps.map((s) => s.event), ...spec.exclude_events])].map((e) => b.value(e)).join(', ');
  const parts: string[] = [];
  // DISTINCT over (person, event, time) then counting distinct people per name
  parts.push(`SELECT 'event' AS type, name, count(*) FILTER (WHERE success) AS s, count(*) FILTER (WHERE NOT success) AS f FROM (
  SELECT DISTINCT cp.u, cp.success, e.event AS name
  FROM cp JOIN (SELECT ${pieces.user} AS u, event, epoch_us(ts) AS t FROM ${t}) e ON e.u = cp.u AND e.t > cp.t0 AND e.t < cp.t1
  WHERE e.event NOT IN (${left})
) GROUP BY name`);
  const starts = funnel.order === 'any' ? funnel.steps : [funnel.steps[0]];
  for (const column of spec.properties) {
    const c = quoteIdent(column);
    // bound in the order the text holds them
    const label = b.value(`${column}=`);
    const global = b.bind(whereSql(funnel.where));
    const startTests = starts.map((step) => `(event = ${b.value(step.event)} AND (${b.bind(whereSql(step.where))}))`).join(' OR ');
    parts.push(`SELECT 'property' AS type, ${label} || coalesce(v, '') AS name, count(*) FILTER (WHERE success) AS s, count(*) FILTER (WHERE NOT success) AS f FROM (
  SELECT cp.u, any_value(cp.success) AS success, min(CAST(e.${c} AS VARCHAR)) AS v
  FROM cp JOIN (SELECT ${pieces.user} AS u, epoch_us(ts) AS t, ${c} FROM ${t} WHERE (${global}) AND (${startTests})) e ON e.u = cp.u AND e.t = cp.t0
  GROUP BY cp.u
) GROUP BY name`);
  }
  const sql = `WITH ${people},
cp AS (
  SELECT u, lvl >= ${n} AS success, tt[1] AS t0, CASE WHEN lvl >= ${n} THEN tt[${n}] ELSE tt[1] + ${pieces.windowUs} END AS t1
  FROM pp WHERE NOT excluded
),
totals AS (SELECT count(*) FILTER (WHERE success) AS success_total, count(*) FILTER (WHERE NOT success) AS failure_total FROM cp),
counted AS (
${parts.join('\nUNION ALL\n')}
)
SELECT totals.success_total, totals.failure_total, counted.type, counted.name, counted.s, counted.f
FROM totals LEFT JOIN counted ON TRUE`;
  return { sql, params: b.params };
}

/**
 * The odds ratio of one row, with its p-value and 95 % interval (see `CorrelationSpec`'s rules).
 *
 * @example
 * correlationStats(30, 5, 40, 60) // { odds_ratio: ..., p_value: ..., odds_ratio_low: ..., odds_ratio_high: ... }
 */
export function correlationStats(s: number, f: number, S: number, F: number) {
  const [a, b, c, d] = [s + 1, S - s + 1, f + 1, F - f + 1];
  const ratio = (a * d) / (b * c);
  const se = Math.sqrt(1 / a + 1 / b + 1 / c + 1 / d);
  return {
    odds_ratio: ratio,
    p_value: fisherExact(s, S - s, f, F - f),
    odds_ratio_low: Math.exp(Math.log(ratio) - Z95 * se),
    odds_ratio_high: Math.exp(Math.log(ratio) + Z95 * se),
  };
}

/**
 * Funnel correlation: `runAnalysis(engine, {kind: 'correlation', funnel: {steps: [...]},
 * properties: ['country']})` lists the events (and property values) that tell converters from the
 * rest, PostHog's way, each with a p-value and an interval. `meta`: `success_total`, `failure_total`.
 *
 * @example
 * const { rows } = await runAnalysis(engine, { kind: 'correlation', funnel: { steps: ['signup', 'purchase'] } });
 * rows[0]; // { event: 'invite_sent', success_count: 120, failure_count: 30, odds_ratio: 6.1, correlation_type: 'success', p_value: 1e-12, ... }
 */
export const correlation: Analysis<CorrelationSpec, CorrelationRow> = {
  kind: KIND,
  title: 'Correlation: what the people who converted in a funnel did differently',
  formula: FORMULA,
  validate: validateCorrelation,
  events: (spec) => [...funnelEventNames(spec.funnel).map((e) => ({ ...e, field: `funnel.${e.field}` })),
    ...spec.exclude_events.map((event, i) => ({ field: `exclude_events[${i}]`, event }))],
  sql: correlationSql,
  shape(result) {
    const records = (result?.toArray() ?? []).map((r) => r.toJSON() as Record<string, unknown>);
    const S = Number(records[0]?.success_total ?? 0);
    const F = Number(records[0]?.failure_total ?? 0);
    const meta = { success_total: S, failure_total: F };
    if (S === 0 || F === 0) return { rows: [], meta };
    const least = Math.min(25, 0.02 * (S + F));
    const rows: CorrelationRow[] = records.filter((r) => r.name != null).map((r) => {
      const s = Number(r.s);
      const f = Number(r.f);
      const stats = correlationStats(s, f, S, F);
      return {
        event: String(r.name), type: r.type as CorrelationRow['type'], success_count: s, failure_count: f,
        odds_ratio: stats.odds_ratio, correlation_type: stats.odds_ratio > 1 ? 'success' : 'failure',
        p_value: stats.p_value, odds_ratio_low: stats.odds_ratio_low, odds_ratio_high: stats.odds_ratio_high,
      } satisfies CorrelationRow;
    }).filter((row) => row.success_count + row.failure_count >= least);
    const byName = (a: CorrelationRow, b: CorrelationRow) => (a.event < b.event ? -1 : a.event > b.event ? 1 : 0);
    const success = rows.filter((r) => r.correlation_type === 'success').sort((a, b) => b.odds_ratio - a.odds_ratio || byName(a, b)).slice(0, 10);
    const failure = rows.filter((r) => r.correlation_type === 'failure').sort((a, b) => a.odds_ratio - b.odds_ratio || byName(a, b)).slice(0, 10);
    return { rows: [...success, ...failure], meta };
  },
};

registerAnalysis(correlation);
