/**
 * Trends (kind `"trends"`): series of events counted per local calendar period, with PostHog's
 * semantics (posthog/hogql_queries/insights/trends/: trends_query_runner.py, trends_query_builder.py,
 * aggregation_operations.py, breakdown_values.py and their tests), so numbers can be checked
 * against PostHog's own.
 *
 * As PostHog does:
 * - `math`: `total` counts events, `dau` distinct people in the period, the property maths
 *   aggregate `property` (values that are no number, and nulls, are ignored; an empty period is 0;
 *   median and percentiles interpolate between the two nearest values, as DuckDB's quantile_cont).
 * - `weekly_active` / `monthly_active` on week or month periods are plain distinct people, and so
 *   is `monthly_active` on months (PostHog's convert_active_user_math_based_on_interval). Monthly
 *   active on weeks counts the 30 days ending with each week's first day, as PostHog's window does.
 * - The range: day and week periods count from `date_from`'s own day, months from the first of
 *   its month, hours from its hour; `date_to` includes its whole day (its hour, when one is given).
 *   Every period is shown, empty ones as 0 (a local hour a DST change skips does not exist, so it
 *   is not shown).
 * - Breakdown values are text; per series the top `breakdown_limit` (25) values ranked by the
 *   series' math over the whole range (`dau` by events, the active maths by people, `min` by the
 *   smallest), the rest in one "Other" line per period. `cumulative`: running sums, and for `dau`
 *   the distinct people seen so far (each counted in the period of their first event).
 * - `formula` is computed per period (and per breakdown value, a missing series counting 0), over
 *   the cumulative values when `cumulative`; x / 0 = 0.
 * - `compare`: the same length of time just before the range, its rows with their own dates.
 *
 * Where the issue (cohortbook's definition) and PostHog differ, the issue wins:
 * - Weekly and monthly active people on day periods count whole local days (the 7 / 30 days
 *   ending with the period's day), not PostHog's instants `(day - 6 days, day + 1 day]`; on hour
 *   periods the 168 / 720 hours ending with the hour's end, not PostHog's days.
 * - Periods are local calendar periods in `timezone`, DST-correct, labelled by their local start.
 * - Ties between breakdown values rank by the value ascending, null last (PostHog: descending), and
 *   an empty text is null. "Other" carries the series' math over all the remaining events together
 *   (for counts and sums, their sum; for distinct people, each person once).
 * - Rows are flat (`{series, breakdown?, other?, period, value, compare?}`) and the formula's rows
 *   come beside the series' rows instead of replacing them.
 */
import type { Table } from 'apache-arrow';
import { registerAnalysis, type Analysis } from '../analysis.ts';
import { seriesLetter } from './formula.ts';
import { effectiveMath, trendsWindow } from './range.ts';
import { shapeTrends, type TrendsRow } from './shape.ts';
import { trendsSql } from './sql.ts';
import { KIND, validateTrends, type TrendsSeries, type TrendsSpec } from './spec.ts';

export { validateTrends, TRENDS_MATHS, PROPERTY_MATHS, type TrendsSpec, type TrendsSeries, type TrendsMath } from './spec.ts';
export { parseFormula, evaluateFormula, type FormulaNode } from './formula.ts';
export { trendsSql } from './sql.ts';
export type { TrendsRow } from './shape.ts';

const MATH_WORDS: Record<string, string> = {
  total: 'events', dau: 'distinct people', weekly_active: 'people active in the 7 days ending with it',
  monthly_active: 'people active in the 30 days ending with it', sum: 'sum', avg: 'mean', min: 'smallest', max: 'largest',
  median: 'median', p75: '75th percentile', p90: '90th percentile', p95: '95th percentile', p99: '99th percentile',
};

function describeSeries(series: TrendsSeries, i: number, spec: TrendsSpec): string {
  const math = effectiveMath(series, spec.period);
  let what = MATH_WORDS[math];
  if (series.property) what = `${what} of ${series.property}`;
  if (spec.period === 'hour' && (math === 'weekly_active' || math === 'monthly_active')) {
    what = `people active in the ${math === 'weekly_active' ? 168 : 720} hours ending with it`;
  }
  const event = series.event === null ? 'any event' : series.event;
  return `${seriesLetter(i)} = ${what} (${event}) per ${spec.period}${spec.cumulative ? ', cumulative' : ''}`;
}

function formulaText(spec: TrendsSpec): string {
  const parts = spec.series.map((series, i) => describeSeries(series, i, spec));
  if (spec.breakdown) parts.push(`by ${spec.breakdown}: the top ${spec.breakdown_limit} values, the rest as "Other"`);
  if (spec.formula) parts.push(`formula = ${spec.formula} (x / 0 = 0)`);
  if (spec.compare) parts.push('compared with as long a range just before (its rows: compare = "previous")');
  return parts.join('; ');
}

/**
 * Trends (kind `"trends"`): how many events, people or how much of a property, per period, for
 * each series; with a breakdown, a formula over the series and a comparison with the range before.
 *
 * @example
 * const { rows } = await runAnalysis(engine, {
 *   kind: 'trends', period: 'week', breakdown: 'source',
 *   series: [{ event: 'signup' }, { event: 'purchase', math: 'dau' }], formula: 'B / A * 100',
 * });
 * // [{ series: 'signup', breakdown: 'ads', other: false, period: '2024-01-01', value: 41 }, ...]
 */
export const trends: Analysis<TrendsSpec, TrendsRow> = {
  kind: KIND,
  title: 'Trends: events, people or a property per period, by series, with breakdown, formula and comparison',
  formula: 'A, B, … = each series\' math over its events, per period',
  validate: validateTrends,
  events: (spec) => spec.series.flatMap((series, i) => (series.event === null ? [] : [{ field: `series[${i}].event`, event: series.event }])),
  sql: (spec, table, catalog) => trendsSql(spec, table, catalog),
  shape(result: Table | null, spec) {
    const rows = shapeTrends(result, spec);
    return {
      rows,
      meta: {
        formula: formulaText(spec),
        periods: trendsWindow(spec).periods.length,
        series: spec.series.map((series, i) => ({
          letter: seriesLetter(i), label: series.label, event: series.event, math: effectiveMath(series, spec.period), property: series.property,
        })),
        ...(spec.formula ? { formula_expression: spec.formula } : {}),
      },
    };
  },
};

registerAnalysis(trends);
