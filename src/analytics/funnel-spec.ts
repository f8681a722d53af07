import type { EventCatalog } from './event-catalog.ts';
import { closestName } from './event-catalog.ts';
import { checkDateOrder, dayOfDate, periodStartUtc, validateLocalDate, validateTimeZone } from './calendar.ts';
import { anyOrderStepsProblem } from './funnel-any-sql.ts';
import { SpecError } from './spec-error.ts';
import { validateFilters, type Filter } from './where.ts';

/** How the steps of a funnel must follow each other. */
export type FunnelOrder = 'ordered' | 'strict' | 'any';
export const FUNNEL_ORDERS: readonly FunnelOrder[] = ['ordered', 'strict', 'any'];

/**
 * Which of a person's step events gives their breakdown value: the first non-empty one
 * (`first_touch`, PostHog's default), the last non-empty one (`last_touch`), or the one at step k
 * (`{step: k}`, 0-based; empty when the person did not get that far). In an `any`-order funnel
 * the steps are taken in the order the person did them.
 */
export type FunnelAttribution = 'first_touch' | 'last_touch' | { step: number };

/** Fourteen days, PostHog's default conversion window. */
export const DEFAULT_WINDOW_SECONDS = 14 * 86_400;

/** One step: an event name, optionally narrowed by filters on that event's columns. */
export interface FunnelStep {
  event: string;
  where: Filter[];
}

/** An event that, done between two steps of the attempt that counts, removes the person. */
export interface FunnelExclusion {
  event: string;
  /** 0-based step indexes: the exclusion applies after step `from_step` and before step `to_step`. */
  from_step: number;
  to_step: number;
}

/** Asks for the people behind one step instead of the step rows. `step` is 1-based. */
export interface FunnelPeople {
  step: number;
  /** `reached`: got to `step` (or further); `dropped`: got to `step` and no further. */
  kind: 'reached' | 'dropped';
}

/** Asks for a histogram of the seconds between two steps instead of the step rows (1-based steps). */
export interface FunnelTimeToConvert {
  from_step: number;
  to_step: number;
  bins: number;
}

/** A validated, normalised funnel spec: every default filled in. */
export interface FunnelSpec {
  kind: 'funnel';
  steps: FunnelStep[];
  order: FunnelOrder;
  window_seconds: number;
  exclusions: FunnelExclusion[];
  breakdown: string | null;
  breakdown_attribution: FunnelAttribution;
  hold: string | null;
  date_from: string | null;
  date_to: string | null;
  timezone: string;
  where: Filter[];
  people: FunnelPeople | null;
  time_to_convert: FunnelTimeToConvert | null;
}

const KIND = 'funnel';
const KNOWN_FIELDS = [
  'kind', 'steps', 'order', 'window_seconds', 'exclusions', 'breakdown', 'breakdown_attribution', 'hold', 'date_from', 'date_to',
  'timezone', 'where', 'people', 'time_to_convert', 'title',
];

function fail(problem: string, field?: string): never {
  throw new SpecError(KIND, problem, field);
}

/** An event name; one that never occurs is not an error (`runAnalysis` warns of it). */
function eventName(name: unknown, field: string): string {
  if (typeof name !== 'string' || name === '') fail(`${field} must be an event name, not ${JSON.stringify(name)}`, field);
  return name;
}

function knownColumn(name: unknown, catalog: EventCatalog, field: string): string | null {
  if (name === undefined || name === null) return null;
  const names = catalog.columns.map((c) => c.name);
  if (typeof name !== 'string' || !names.includes(name)) {
    const guess = typeof name === 'string' ? closestName(name, names) : undefined;
    fail(`${field}: no column ${JSON.stringify(name)}${guess ? ` (did you mean "${guess}"?)` : ''} (columns: ${names.join(', ')})`, field);
  }
  return name;
}

function stepIndex(value: unknown, steps: number, field: string, base: 0 | 1): number {
  const low = base, high = steps - 1 + base;
  if (!Number.isInteger(value) || (value as number) < low || (value as number) > high) {
    fail(`${field} must be a step index from ${low} to ${high} (${base === 0 ? '0' : '1'}-based), not ${JSON.stringify(value)}`, field);
  }
  return value as number;
}

function validateSteps(raw: unknown, catalog: EventCatalog): FunnelStep[] {
  if (!Array.isArray(raw) || raw.length < 2) fail('steps must be a list of at least 2 events', 'steps');
  return raw.map((step, i) => {
    const field = `steps[${i}]`;
    if (typeof step === 'string') return { event: eventName(step, field), where: [] };
    if (!step || typeof step !== 'object') fail(`${field} must be an event name or {event, where}`, field);
    const s = step as { event?: unknown; where?: unknown };
    return { event: eventName(s.event, `${field}.event`), where: validateFilters(KIND, s.where, catalog, `${field}.where`) };
  });
}

function validateExclusions(raw: unknown, steps: FunnelStep[], order: FunnelOrder): FunnelExclusion[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) fail('exclusions must be a list of {event, from_step, to_step}', 'exclusions');
  return raw.map((item, i) => {
    const field = `exclusions[${i}]`;
    const x = (item ?? {}) as { event?: unknown; from_step?: unknown; to_step?: unknown };
    const event = eventName(x.event, `${field}.event`);
    const from = stepIndex(x.from_step ?? 0, steps.length, `${field}.from_step`, 0);
    const to = stepIndex(x.to_step ?? from + 1, steps.length, `${field}.to_step`, 0);
    if (to <= from) fail(`${field}: to_step (${to}) must be after from_step (${from})`, field);
    // In an any-order funnel every step may come at any point, so no step can be excluded.
    const spanned = order === 'any' ? steps : steps.slice(from, to + 1);
    const clash = spanned.findIndex((s) => s.event === event);
    if (clash >= 0) {
      const index = order === 'any' ? clash : from + clash;
      fail(`${field}: "${event}" is step ${index} itself, so it cannot be excluded ${order === 'any' ? 'from an any-order funnel' : `between steps ${from} and ${to}`}`, field);
    }
    return { event, from_step: from, to_step: to };
  });
}

function validateAttribution(raw: unknown, steps: number): FunnelAttribution {
  if (raw === undefined || raw === null || raw === 'first_touch') return 'first_touch';
  if (raw === 'last_touch') return 'last_touch';
  if (typeof raw === 'object' && !Array.isArray(raw) && Object.keys(raw).length === 1 && 'step' in raw) {
    return { step: stepIndex((raw as { step: unknown }).step, steps, 'breakdown_attribution.step', 0) };
  }
  fail(`breakdown_attribution must be "first_touch", "last_touch" or {"step": k} (0-based), not ${JSON.stringify(raw)}`, 'breakdown_attribution');
}

function validatePeople(raw: unknown, steps: number): FunnelPeople | null {
  if (raw === undefined || raw === null) return null;
  const p = raw as { step?: unknown; kind?: unknown };
  const step = stepIndex(p.step, steps, 'people.step', 1);
  const kind = p.kind ?? 'reached';
  if (kind !== 'reached' && kind !== 'dropped') fail(`people.kind must be "reached" or "dropped", not ${JSON.stringify(kind)}`, 'people.kind');
  if (kind === 'dropped' && step === steps) fail(`people.step: nobody drops off after the last step (${steps}); use kind "reached"`, 'people.step');
  return { step, kind };
}

function validateTimeToConvert(raw: unknown, steps: number): FunnelTimeToConvert | null {
  if (raw === undefined || raw === null) return null;
  const t = raw as { from_step?: unknown; to_step?: unknown; bins?: unknown };
  const from = stepIndex(t.from_step ?? 1, steps, 'time_to_convert.from_step', 1);
  const to = stepIndex(t.to_step ?? steps, steps, 'time_to_convert.to_step', 1);
  if (to <= from) fail(`time_to_convert: to_step (${to}) must be after from_step (${from})`, 'time_to_convert');
  const bins = t.bins ?? 20;
  if (!Number.isInteger(bins) || (bins as number) < 1 || (bins as number) > 1000) fail(`time_to_convert.bins must be an integer from 1 to 1000, not ${JSON.stringify(bins)}`, 'time_to_convert.bins');
  return { from_step: from, to_step: to, bins: bins as number };
}

/**
 * Checks a funnel spec against the data and fills in the defaults, or throws a `SpecError` that
 * names the field (`funnel spec: breakdown: no column "plna" (did you mean "plan"?)`). Event names
 * that never occur are not errors: the funnel counts nobody at those steps.
 *
 * @example
 * validateFunnel({ kind: 'funnel', steps: ['signup', 'purchase'] }, catalog).window_seconds; // 1209600
 */
export function validateFunnel(raw: unknown, catalog: EventCatalog): FunnelSpec {
  if (!raw || typeof raw !== 'object') fail('a spec must be an object');
  const spec = raw as Record<string, unknown>;
  const unknown = Object.keys(spec).filter((key) => !KNOWN_FIELDS.includes(key));
  if (unknown.length > 0) {
    const guess = closestName(unknown[0], KNOWN_FIELDS);
    fail(`unknown field "${unknown[0]}"${guess ? ` (did you mean "${guess}"?)` : ''}`, unknown[0]);
  }
  const steps = validateSteps(spec.steps, catalog);
  const order = spec.order ?? 'ordered';
  if (!FUNNEL_ORDERS.includes(order as FunnelOrder)) fail(`order must be one of ${FUNNEL_ORDERS.join(', ')}, not ${JSON.stringify(order)}`, 'order');
  const tooMany = order === 'any' ? anyOrderStepsProblem(steps) : null;
  if (tooMany) fail(tooMany, 'steps');
  const window = spec.window_seconds ?? DEFAULT_WINDOW_SECONDS;
  if (typeof window !== 'number' || !Number.isFinite(window) || window <= 0) {
    fail(`window_seconds must be a number of seconds above 0, not ${JSON.stringify(window)}`, 'window_seconds');
  }
  const timezone = validateTimeZone(KIND, spec);
  const dateFrom = validateLocalDate(KIND, spec, 'date_from');
  const dateTo = validateLocalDate(KIND, spec, 'date_to');
  if (dateFrom && dateTo) checkDateOrder(KIND, dateFrom, dateTo);
  return {
    kind: 'funnel',
    steps,
    order: order as FunnelOrder,
    window_seconds: window,
    exclusions: validateExclusions(spec.exclusions, steps, order as FunnelOrder),
    breakdown: knownColumn(spec.breakdown, catalog, 'breakdown'),
    breakdown_attribution: validateAttribution(spec.breakdown_attribution, steps.length),
    hold: knownColumn(spec.hold, catalog, 'hold'),
    date_from: dateFrom,
    date_to: dateTo,
    timezone,
    where: validateFilters(KIND, spec.where, catalog),
    people: validatePeople(spec.people, steps.length),
    time_to_convert: validateTimeToConvert(spec.time_to_convert, steps.length),
  };
}

/**
 * The UTC instants (epoch milliseconds) that bound step 1: `[fromMs, toMs)`, where `toMs` is the
 * start of the day after `date_to` in the spec's zone. Null ends are open.
 *
 * @example
 * funnelRangeMs({ ...spec, date_from: '2024-03-01', date_to: '2024-03-31', timezone: 'UTC' });
 * // { fromMs: Date.UTC(2024, 2, 1), toMs: Date.UTC(2024, 3, 1) }
 */
export function funnelRangeMs(spec: Pick<FunnelSpec, 'date_from' | 'date_to' | 'timezone'>): { fromMs: number | null; toMs: number | null } {
  const days = { period: 'day' as const, week_start: 'monday' as const, timezone: spec.timezone };
  return {
    fromMs: spec.date_from === null ? null : periodStartUtc(days, dayOfDate(spec.date_from)),
    toMs: spec.date_to === null ? null : periodStartUtc(days, dayOfDate(spec.date_to) + 1),
  };
}

/**
 * The event names a funnel spec asks about, with the field each comes from, for the warnings of
 * names that never occur.
 *
 * @example
 * funnelEventNames(spec); // [{ field: 'steps[0]', event: 'signup' }, { field: 'steps[1]', event: 'purchase' }]
 */
export function funnelEventNames(spec: FunnelSpec): { field: string; event: string }[] {
  return [
    ...spec.steps.map((step, i) => ({ field: `steps[${i}]`, event: step.event })),
    ...spec.exclusions.map((x, j) => ({ field: `exclusions[${j}]`, event: x.event })),
  ];
}
