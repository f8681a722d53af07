/** One input of an analysis form; the form writes the spec's field of the same name. */
export type AnalysisField =
  | { name: string; label: string; type: 'event'; any?: boolean; anyLabel?: string }
  | { name: string; label: string; type: 'series' }
  | { name: string; label: string; type: 'events' }
  | { name: string; label: string; type: 'select'; options: string[] }
  | { name: string; label: string; type: 'number'; min?: number }
  | { name: string; label: string; type: 'duration' }
  | { name: string; label: string; type: 'column' }
  | { name: string; label: string; type: 'date' }
  | { name: string; label: string; type: 'text'; placeholder?: string }
  | { name: string; label: string; type: 'boolean' }
  /** A cohort's rules (did / did not / property / in cohort), one row each. */
  | { name: string; label: string; type: 'cohort-rules' }
  /** `breakdown_cohorts` as "did EVENT in the first N days" against everyone else: two clicks. */
  | { name: string; label: string; type: 'first-days' };

const PERIOD: AnalysisField = { name: 'period', label: 'Period', type: 'select', options: ['day', 'week', 'month', 'hour'] };
const TIMEZONE: AnalysisField = { name: 'timezone', label: 'Time zone', type: 'text', placeholder: 'UTC' };
const DATES: AnalysisField[] = [
  { name: 'date_from', label: 'From', type: 'date' },
  { name: 'date_to', label: 'To', type: 'date' },
];

/** Forms for the analyses people fill in most; any other kind opens as JSON code. */
export const ANALYSIS_FORMS: Record<string, { title: string; fields: AnalysisField[]; defaults: Record<string, unknown> }> = {
  trends: {
    title: 'Trends',
    defaults: { series: [{ event: null, math: 'total' }], period: 'day' },
    fields: [
      { name: 'series', label: 'Series', type: 'series' },
      PERIOD,
      { name: 'breakdown', label: 'Break down by', type: 'column' },
      { name: 'formula', label: 'Formula', type: 'text', placeholder: 'A / B * 100' },
      { name: 'compare', label: 'Compare with the range before', type: 'boolean' },
      { name: 'cumulative', label: 'Cumulative', type: 'boolean' },
      TIMEZONE, ...DATES,
    ],
  },
  paths: {
    title: 'Paths',
    defaults: { steps: 5 },
    fields: [
      { name: 'start_event', label: 'Starting at', type: 'event', any: true, anyLabel: 'each session\'s start' },
      { name: 'end_event', label: 'Ending at', type: 'event', any: true, anyLabel: 'each session\'s end' },
      { name: 'steps', label: 'Steps', type: 'number', min: 2 },
      { name: 'min_sessions', label: 'Smallest edge (sessions)', type: 'number', min: 1 },
      { name: 'max_edges', label: 'Most edges', type: 'number', min: 1 },
      TIMEZONE, ...DATES,
    ],
  },
  retention: {
    title: 'Cohort retention',
    defaults: { period: 'week', start_event: null, return_event: null, intervals: 8 },
    fields: [
      PERIOD,
      { name: 'start_event', label: 'Cohort by', type: 'event', any: true },
      { name: 'return_event', label: 'Came back to', type: 'event', any: true },
      { name: 'mode', label: 'Cohorts', type: 'select', options: ['first_time', 'recurring'] },
      { name: 'intervals', label: 'Periods', type: 'number', min: 1 },
      { name: 'clock', label: 'Clock', type: 'select', options: ['calendar', 'rolling'] },
      { name: 'breakdown', label: 'Break down by', type: 'column' },
      { name: 'breakdown_returns', label: 'Returns that count', type: 'select', options: ['any', 'same_value'] },
      { name: 'breakdown_cohorts', label: 'Break down by: did … in the first days', type: 'first-days' },
      { name: 'cumulative', label: 'Cumulative', type: 'boolean' },
      TIMEZONE, ...DATES,
    ],
  },
  funnel: {
    title: 'Funnel',
    defaults: { steps: [], order: 'ordered', window_seconds: 14 * 86400 },
    fields: [
      { name: 'steps', label: 'Steps', type: 'events' },
      { name: 'order', label: 'Order', type: 'select', options: ['ordered', 'strict', 'any'] },
      { name: 'window_seconds', label: 'Window', type: 'duration' },
      { name: 'breakdown', label: 'Break down by', type: 'column' },
      { name: 'breakdown_attribution', label: 'Value from', type: 'select', options: ['first_touch', 'last_touch'] },
      { name: 'hold', label: 'Same value of', type: 'column' },
      TIMEZONE, ...DATES,
    ],
  },
  cohort: {
    title: 'Cohort',
    defaults: { match: 'all', rules: [] },
    fields: [
      { name: 'match', label: 'People who match', type: 'select', options: ['all', 'any'] },
      { name: 'rules', label: 'Rules', type: 'cohort-rules' },
    ],
  },
  lifecycle: { title: 'Lifecycle', defaults: { period: 'week' }, fields: [PERIOD, { name: 'event', label: 'Activity', type: 'event', any: true }, TIMEZONE, ...DATES] },
  stickiness: { title: 'Stickiness', defaults: { period: 'day' }, fields: [PERIOD, { name: 'event', label: 'Activity', type: 'event', any: true }, { name: 'cumulative', label: 'k or more', type: 'boolean' }, TIMEZONE, ...DATES] },
  active_users: { title: 'Active users (DAU, WAU, MAU)', defaults: {}, fields: [{ name: 'event', label: 'Activity', type: 'event', any: true }, TIMEZONE, ...DATES] },
  churn: {
    title: 'Churn', defaults: { period: 'month', inactive_days: 30 },
    fields: [PERIOD, { name: 'event', label: 'Activity', type: 'event', any: true }, { name: 'cancel_event', label: 'Cancellation', type: 'event', any: true },
      { name: 'inactive_days', label: 'Lost after inactive days', type: 'number', min: 1 }, TIMEZONE, ...DATES],
  },
  ltv: {
    title: 'LTV by cohort', defaults: { period: 'month' },
    fields: [PERIOD, { name: 'start_event', label: 'Cohort by', type: 'event', any: true }, { name: 'intervals', label: 'Periods', type: 'number', min: 1 }, TIMEZONE, ...DATES],
  },
  purchases: {
    title: 'Purchases', defaults: {},
    fields: [{ name: 'purchase_event', label: 'Purchase', type: 'event' }, { name: 'refund_event', label: 'Refund', type: 'event', any: true },
      { name: 'order_column', label: 'Order id', type: 'column' }, TIMEZONE, ...DATES],
  },
  rfm: {
    title: 'RFM segments', defaults: { summary: true },
    fields: [{ name: 'purchase_event', label: 'Purchase', type: 'event' }, { name: 'order_column', label: 'Order id', type: 'column' },
      { name: 'summary', label: 'One row per segment', type: 'boolean' }, TIMEZONE],
  },
  sessions: {
    title: 'Sessions', defaults: { period: 'week', gap_minutes: 30 },
    fields: [PERIOD, { name: 'gap_minutes', label: 'New session after (minutes)', type: 'number', min: 1 }, TIMEZONE, ...DATES],
  },
  ab_test: {
    title: 'A/B test', defaults: { variants: [{ name: 'A', users: 1000, conversions: 100 }, { name: 'B', users: 1000, conversions: 120 }] },
    fields: [],
  },
  growth: { title: 'Growth (CMGR, concentration)', defaults: { metric: 'revenue', concentration: true }, fields: [{ name: 'metric', label: 'Monthly series', type: 'select', options: ['revenue', 'active_users'] }, { name: 'concentration', label: 'Customer concentration', type: 'boolean' }] },
  survey: { title: 'Survey (NPS, CSAT)', defaults: { column: 'score' }, fields: [{ name: 'column', label: 'Answers', type: 'column' }, { name: 'scale', label: 'Scale', type: 'select', options: ['nps', 'csat'] }, { name: 'event', label: 'Answer event', type: 'event', any: true }] },
};

/** The analysis kinds offered when a person adds an analysis cell, most used first. */
export const ANALYSIS_MENU = ['trends', 'retention', 'funnel', 'cohort', 'paths', 'lifecycle', 'stickiness', 'active_users', 'churn', 'ltv', 'purchases', 'rfm', 'sessions', 'ab_test', 'survey', 'growth'];

/** The cohort "did EVENT in the first DAYS days", as the retention form's breakdown writes it. */
export function firstDaysCohort(event: string, days: number): { name: string; rules: Record<string, unknown>[] } {
  return { name: `${event} in first ${days} ${days === 1 ? 'day' : 'days'}`, rules: [{ did: event, within_days_of_first_seen: days }] };
}
