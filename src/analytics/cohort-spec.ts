import type { SpecEventName } from './analysis.ts';
import { localDateMs, validateTimeZone } from './calendar.ts';
import type { EventCatalog } from './event-catalog.ts';
import { SpecError } from './spec-error.ts';
import { localToUtc, parseLocalDate } from './time-zone.ts';
import { FILTER_OPS, validateFilters, type Filter, type FilterOp } from './where.ts';

/**
 * Behavioural cohorts (issue 19, DESIGN.md "Every analysis"): a named set of people, defined by
 * rules on their events, that every analysis can keep (`cohort`) or break down by
 * (`breakdown_cohorts`). The rules, made precise:
 *
 * - A person is anyone with at least one event in the log (all events, before any analysis's
 *   `where`); their first seen / last seen are their first and last event of any kind.
 * - `did` counts the person's events named EVENT (after the rule's own `where`) in the rule's
 *   window and needs `at_least` (default 1) of them, and at most `at_most` when given. `did_not`
 *   needs none in the window. Windows: `within_days_of_first_seen: D` is first seen ≤ ts < first
 *   seen + D × 24 h; `date_from` / `date_to` are local dates in the cohort's `timezone` (default
 *   UTC), `date_to` inclusive of its whole day; neither: the whole log.
 * - `property` compares a column of the person's first event, last event or any event with `op`
 *   and `value` (the `where` operators). Several events at the first (last) instant: the rule
 *   holds when it holds for one of them.
 * - `in_cohort` / `not_in_cohort` name another cohort (or hold its definition); a cohort that
 *   reaches itself through them is an error naming the cycle.
 * - `match: "all"` needs every rule, `"any"` one of them.
 * - A static cohort is a list of ids, `{"name": "picked", "user_ids": ["u1", "u2"]}`: the people
 *   of the log with one of those ids.
 */

/** A window of time a `did` / `did_not` rule counts events in. */
export interface CohortWindow {
  /** D: first seen ≤ ts < first seen + D × 24 hours; null when the window is not relative. */
  within_days_of_first_seen: number | null;
  /** Local dates in the cohort's time zone (`date_to` inclusive of its day), or null for open. */
  date_from: string | null;
  date_to: string | null;
}

/** "Did EVENT at least N times (at most M) in the window". */
export interface DidRule extends CohortWindow {
  did: string;
  at_least: number;
  at_most: number | null;
  /** Filters on the counted events. */
  where: Filter[];
}

/** "Did EVENT not once in the window". */
export interface DidNotRule extends CohortWindow {
  did_not: string;
  where: Filter[];
}

/** A column of the person's first, last or any event compared with a value. */
export interface PropertyRule {
  property: string;
  op: FilterOp;
  value?: Filter['value'];
  of: 'first_event' | 'last_event' | 'any_event';
}

/** Membership of another cohort (held as its definition once validated). */
export interface InCohortRule { in_cohort: CohortDefinition }
export interface NotInCohortRule { not_in_cohort: CohortDefinition }

export type CohortRule = DidRule | DidNotRule | PropertyRule | InCohortRule | NotInCohortRule;

/** A cohort after validation: rules, or a static list of ids. */
export type CohortDefinition =
  | { name: string; match: 'all' | 'any'; timezone: string; rules: CohortRule[] }
  | { name: string; user_ids: string[] };

/** Finds a cohort's definition by name (the notebook's cohort cells), or undefined. */
export type CohortLookup = (name: string) => unknown;

const DEFINITION_FIELDS = ['name', 'match', 'rules', 'timezone', 'user_ids'];
const WINDOW_FIELDS = ['within_days_of_first_seen', 'date_from', 'date_to'];
const RULE_FIELDS: Record<string, string[]> = {
  did: ['did', 'at_least', 'at_most', 'where', ...WINDOW_FIELDS],
  did_not: ['did_not', 'where', ...WINDOW_FIELDS],
  property: ['property', 'op', 'value', 'of'],
  in_cohort: ['in_cohort'],
  not_in_cohort: ['not_in_cohort'],
};
const PROPERTY_OF = ['first_event', 'last_event', 'any_event'] as const;

/** How validation is told about the data and the cohorts it may name. */
export interface CohortContext {
  kind: string;
  catalog: EventCatalog;
  lookup?: CohortLookup;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Validates a cohort given by name (looked up) or as a definition; `field` is where it sits in the
 * spec (`cohort`, `breakdown_cohorts[1]`), for messages. Names reached again through `in_cohort`
 * are a cycle.
 *
 * @example
 * validateCohort({ name: 'activated', rules: [{ did: 'invite', within_days_of_first_seen: 7 }] }, 'cohort', { kind: 'retention', catalog });
 */
export function validateCohort(value: unknown, field: string, context: CohortContext, path: string[] = []): CohortDefinition {
  const { kind } = context;
  let definition = value;
  let name: string | undefined;
  if (typeof value === 'string') {
    name = value;
    if (path.includes(name)) throw new SpecError(kind, `cohort cycle: ${[...path, name].join(' → ')}`, field);
    definition = context.lookup?.(name);
    if (definition === undefined) {
      throw new SpecError(kind, `${field}: no cohort named "${name}" (define it in a cohort cell, or give its definition {"name", "match", "rules"} here)`, field);
    }
  }
  if (!isRecord(definition)) throw new SpecError(kind, `${field} must be a cohort name or a definition {"name", "match", "rules"}`, field);
  for (const key of Object.keys(definition)) {
    if (!DEFINITION_FIELDS.includes(key)) throw new SpecError(kind, `${field}: unknown cohort field "${key}" (fields: ${DEFINITION_FIELDS.join(', ')})`, field);
  }
  const given = definition.name ?? name;
  if (typeof given !== 'string' || given.trim() === '') throw new SpecError(kind, `${field} needs a "name"`, field);
  if (name === undefined && path.includes(given)) throw new SpecError(kind, `cohort cycle: ${[...path, given].join(' → ')}`, field);
  const inner = [...path, given];
  const at = `${field} ("${given}")`;
  if (definition.user_ids !== undefined) {
    if (definition.rules !== undefined || definition.match !== undefined) throw new SpecError(kind, `${at}: a static cohort has user_ids only, no rules`, field);
    if (!Array.isArray(definition.user_ids) || definition.user_ids.some((id) => typeof id !== 'string' && typeof id !== 'number')) {
      throw new SpecError(kind, `${at}: user_ids must be a list of ids`, `${field}.user_ids`);
    }
    return { name: given, user_ids: [...new Set(definition.user_ids.map(String))] };
  }
  const match = definition.match ?? 'all';
  if (match !== 'all' && match !== 'any') throw new SpecError(kind, `${at}: match must be "all" or "any", not ${JSON.stringify(match)}`, `${field}.match`);
  const timezone = validateTimeZone(kind, definition);
  if (!Array.isArray(definition.rules) || definition.rules.length === 0) {
    throw new SpecError(kind, `${at} needs rules: a non-empty list such as [{"did": "signup", "at_least": 1}]`, `${field}.rules`);
  }
  const rules = definition.rules.map((rule, i) => validateRule(rule, `${field}.rules[${i}]`, at, timezone, context, inner));
  return { name: given, match, timezone, rules };
}

function validateRule(rule: unknown, field: string, at: string, timezone: string, context: CohortContext, path: string[]): CohortRule {
  const { kind, catalog } = context;
  const fail = (problem: string, where = field): never => { throw new SpecError(kind, `${at}: ${field.replace(/^.*\./, '')}: ${problem}`, where); };
  if (!isRecord(rule)) return fail('a rule must be an object such as {"did": "signup"}');
  const type = Object.keys(RULE_FIELDS).find((key) => key in rule);
  if (!type) return fail(`a rule needs one of ${Object.keys(RULE_FIELDS).join(', ')}`);
  for (const key of Object.keys(rule)) {
    if (!RULE_FIELDS[type].includes(key)) fail(`unknown field "${key}" for a ${type} rule (fields: ${RULE_FIELDS[type].join(', ')})`);
  }
  if (type === 'in_cohort' || type === 'not_in_cohort') {
    const other = validateCohort(rule[type], `${field}.${type}`, context, path);
    return type === 'in_cohort' ? { in_cohort: other } : { not_in_cohort: other };
  }
  if (type === 'property') {
    const columns = catalog.columns.map((c) => c.name);
    const column = rule.property;
    if (typeof column !== 'string' || !columns.includes(column)) fail(`no column ${JSON.stringify(column)} (columns: ${columns.join(', ')})`);
    const of = rule.of ?? 'first_event';
    if (!PROPERTY_OF.includes(of as never)) fail(`of must be ${PROPERTY_OF.map((o) => `"${o}"`).join(', ')}, not ${JSON.stringify(of)}`);
    if (!FILTER_OPS.includes(rule.op as FilterOp)) fail(`unknown op ${JSON.stringify(rule.op)} (ops: ${FILTER_OPS.join(', ')})`);
    const [filter] = validateFilters(kind, [{ column, op: rule.op, value: rule.value }], catalog, field);
    const out: PropertyRule = { property: column as string, op: filter.op, of: of as PropertyRule['of'] };
    if (filter.value !== undefined) out.value = filter.value;
    return out;
  }
  const event = rule[type];
  if (typeof event !== 'string' || event === '') fail(`${type} must be an event name, not ${JSON.stringify(event)}`);
  const window = validateWindow(rule, timezone, kind, fail);
  const where = validateFilters(kind, rule.where, catalog, `${field}.where`);
  if (type === 'did_not') return { did_not: event as string, ...window, where };
  const count = (key: 'at_least' | 'at_most', fallback: number | null): number | null => {
    const v = rule[key];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) fail(`${key} must be a whole number ≥ 0, not ${JSON.stringify(v)}`);
    return v as number;
  };
  const atLeast = count('at_least', 1)!;
  const atMost = count('at_most', null);
  if (atMost !== null && atMost < atLeast) fail(`at_most (${atMost}) is less than at_least (${atLeast})`);
  return { did: event as string, at_least: atLeast, at_most: atMost, ...window, where };
}

function validateWindow(rule: Record<string, unknown>, timezone: string, kind: string, fail: (problem: string) => never): CohortWindow {
  const days = rule.within_days_of_first_seen;
  const relative = days !== undefined && days !== null;
  if (relative && (typeof days !== 'number' || !(days > 0) || !Number.isFinite(days))) fail(`within_days_of_first_seen must be a number of days > 0, not ${JSON.stringify(days)}`);
  const date = (key: 'date_from' | 'date_to'): string | null => {
    const v = rule[key];
    if (v === undefined || v === null) return null;
    localDateMs(kind, v, key);
    return v as string;
  };
  const from = date('date_from');
  const to = date('date_to');
  if (relative && (from !== null || to !== null)) fail('give within_days_of_first_seen or a date range, not both');
  if (from !== null && to !== null && from > to) fail(`date_from ${from} is after date_to ${to}`);
  void timezone;
  return { within_days_of_first_seen: relative ? (days as number) : null, date_from: from, date_to: to };
}

/**
 * The UTC instants (epoch ms) a rule's date range covers: [from, to) with `to` the end of
 * `date_to`'s local day; null for an open end.
 *
 * @example
 * dateWindowMs({ date_from: '2024-03-01', date_to: '2024-03-31', within_days_of_first_seen: null }, 'UTC')
 * // { fromMs: Date.UTC(2024, 2, 1), toMs: Date.UTC(2024, 3, 1) }
 */
export function dateWindowMs(window: CohortWindow, timezone: string): { fromMs: number | null; toMs: number | null } {
  const at = (date: string | null, nextDay: boolean) => {
    if (date === null) return null;
    const { year, month, day } = parseLocalDate(date)!;
    return localToUtc(timezone, year, month, day + (nextDay ? 1 : 0));
  };
  return { fromMs: at(window.date_from, false), toMs: at(window.date_to, true) };
}

/** Every cohort a definition reaches through `in_cohort` / `not_in_cohort`, itself last. */
export function reachableCohorts(definition: CohortDefinition): CohortDefinition[] {
  const out: CohortDefinition[] = [];
  const visit = (d: CohortDefinition) => {
    if ('rules' in d) {
      for (const rule of d.rules) {
        if ('in_cohort' in rule) visit(rule.in_cohort);
        if ('not_in_cohort' in rule) visit(rule.not_in_cohort);
      }
    }
    out.push(d);
  };
  visit(definition);
  return out;
}

/** The event names a cohort's rules ask about (for "never occurs" warnings). */
export function cohortEvents(definition: CohortDefinition, field: string): SpecEventName[] {
  return reachableCohorts(definition).flatMap((d) => ('rules' in d ? d.rules : []).flatMap((rule, i) => {
    if ('did' in rule) return [{ field: `${field} ("${d.name}").rules[${i}]`, event: rule.did }];
    if ('did_not' in rule) return [{ field: `${field} ("${d.name}").rules[${i}]`, event: rule.did_not }];
    return [];
  }));
}
