/**
 * The plots layer: Observable Plot builders for the standard charts. Each takes rows and options
 * (with `document` for rendering outside a browser) and returns Plot's element.
 *
 * @packageDocumentation
 * @module cohortbook/plots
 */
export { defaultChart, registerDefaultChart, type ChartBuilder, type ChartInput } from './default-chart.ts';
export { lifecycleChart, type LifecycleChartOptions } from './lifecycle.ts';
export { stickinessChart, type StickinessChartOptions } from './stickiness.ts';
export { activeUsersChart, type ActiveUsersChartOptions } from './active-users.ts';
export { churnChart, type ChurnChartOptions } from './churn.ts';
export { sessionsChart, type SessionsChartOptions } from './sessions.ts';
export { funnelBars, type FunnelBarsOptions } from './funnel-bars.ts';
export { timeToConvert, type TimeToConvertOptions } from './time-to-convert.ts';
export { retentionHeatmap, cellTitle, cohortKey, SIZE_COLUMN, type RetentionHeatmapOptions } from './retention-heatmap.ts';
export { retentionCurves, type RetentionCurvesOptions } from './retention-curves.ts';
export { abTestChart, type AbTestChartOptions } from './ab-test.ts';
export { surveyChart, type SurveyChartOptions } from './survey.ts';
export { growthChart, type GrowthChartOptions } from './growth.ts';
export { daysToSecondPurchaseChart, type PurchasesChartOptions } from './purchases.ts';
export { ltvChart, type LtvChartOptions } from './ltv.ts';
export { correlationChart, type CorrelationChartOptions } from './correlation.ts';
export { rfmChart, type RfmChartOptions } from './rfm.ts';
export { trendsChart, type TrendsChartOptions } from './trends.ts';
export { pathsSankey, readableSeconds, SPEC_PATCH_EVENT, type PathsSankeyOptions, type PathsSpecPatch } from './paths-sankey.ts';
export { formatDuration, formatPercent, formatPoints, formatCount, columnFormat, readableCell, setNumberLocale, currentNumberLocale, type ColumnFormat } from './readable.ts';
export { proposeChart, chartCode, CHART_MARKS, CHART_AGGREGATES, CHART_SORTS, type ChartConfig, type ChartColumn, type ChartMark, type ChartAggregate, type ChartSort } from './chart-builder.ts';
