// The analytics layer: pure spec → SQL → rows modules, one per analysis. Never touches the DOM.
export {
  runAnalysis, registerAnalysis, getAnalysis, analysisKinds, missingEventWarnings,
  type Analysis, type AnalysisResult, type SpecEventName, type RunOptions,
} from './analysis.ts';
export { SpecError } from './spec-error.ts';
export { readEventCatalog, closestName, type EventCatalog } from './event-catalog.ts';
export { whereSql, validateFilters, FILTER_OPS, type Filter, type FilterOp, type BoundSql } from './where.ts';
export { lifecycle, LIFECYCLE_STATUSES, type LifecycleSpec, type LifecycleRow, type LifecycleStatus } from './lifecycle.ts';
export { stickiness, type StickinessSpec, type StickinessRow } from './stickiness.ts';
export { activeUsers, type ActiveUsersSpec, type ActiveUsersRow } from './active-users.ts';
export { churn, type ChurnSpec, type ChurnRow } from './churn.ts';
export { sessions, type SessionsSpec, type SessionsPeriodRow, type SessionsUserRow } from './sessions.ts';
export {
  retention, retentionSql, validateRetention, retentionRange, wilsonInterval, ROLLING_MS,
  type RetentionSpec, type RetentionRow, type RetentionRange,
} from './retention.ts';
export { funnel, type FunnelStepRow } from './funnel.ts';
export { funnelSql } from './funnel-sql.ts';
export {
  validateFunnel, funnelRangeMs, funnelEventNames, FUNNEL_ORDERS, DEFAULT_WINDOW_SECONDS,
  type FunnelSpec, type FunnelStep, type FunnelOrder, type FunnelExclusion, type FunnelPeople, type FunnelTimeToConvert,
  type FunnelAttribution,
} from './funnel-spec.ts';
export { abTest, type AbTestSpec, type AbTestRow, type VariantCounts } from './ab-test.ts';
export { survey, netPromoterScore, type SurveySpec, type SurveyRow } from './survey.ts';
export { growth, cmgr, type GrowthSpec, type GrowthRow } from './growth.ts';
export { ltv, type LtvSpec, type LtvRow, type LtvCohortSummary } from './ltv.ts';
export { clvRow, type ClvRow } from './ltv-clv.ts';
export { normalCdf, normalQuantile } from './stats/normal.ts';
export { purchases, type PurchasesSpec, type PurchasesRow, type DaysToSecondPurchaseBin } from './purchases.ts';
export { ordersSql, validateOrderColumn, type OrderOptions } from './purchase-orders.ts';
export { rfm, type RfmSpec, type RfmRow, type RfmSummaryRow } from './rfm.ts';
export { rfmSegment, RFM_SEGMENTS, type RfmSegment } from './rfm-segments.ts';
export { cohort, validateCohortSpec, type CohortSpec, type CohortMemberRow } from './cohort.ts';
export {
  validateCohort, dateWindowMs, reachableCohorts,
  type CohortDefinition, type CohortRule, type CohortLookup, type DidRule, type DidNotRule, type PropertyRule, type CohortWindow,
} from './cohort-spec.ts';
export { cohortSourceCtes, cohortMembersCtes, withCtes, COHORT_SOURCE, type CohortFilter } from './cohort-sql.ts';
export { correlation, validateCorrelation, correlationStats, type CorrelationSpec, type CorrelationRow } from './correlation.ts';
export { fisherExact } from './stats/fisher.ts';
export {
  trends, validateTrends, trendsSql, parseFormula, evaluateFormula, TRENDS_MATHS, PROPERTY_MATHS,
  type TrendsSpec, type TrendsSeries, type TrendsMath, type TrendsRow, type FormulaNode,
} from './trends/index.ts';
export { paths, validatePaths, pathsSql, pathsRangeMs, OTHER_TARGET, SESSION_GAP_MS, type PathsSpec, type PathsRow, type PathsNode } from './paths/index.ts';
