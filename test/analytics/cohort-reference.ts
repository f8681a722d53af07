// A brute-force reference for behavioural cohorts, written from issue 19's definitions (not from the
// SQL): for each person, walk their events in plain TypeScript and test each rule.
import { localToUtc } from '../../src/engine/time-zone.ts';

export interface CohortEvent {
  user_id: string;
  event: string;
  /** Epoch milliseconds. */
  ts: number;
  [column: string]: unknown;
}

/** A definition as a person writes it (defaults not filled in). */
export type RawCohort = { name: string; match?: 'all' | 'any'; timezone?: string; rules?: RawRule[]; user_ids?: string[] };
export type RawRule = Record<string, unknown>;

export interface ReferenceMember {
  user_id: string;
  first_seen: number;
  last_seen: number;
  events: number;
  qualifying_events: number | null;
}

/** SQL's comparison semantics: a NULL on either side is false, except `!=` (IS DISTINCT FROM). */
export function referenceFilter(value: unknown, op: string, target: unknown): boolean {
  const isNull = value === null || value === undefined;
  switch (op) {
    case 'is_null': return isNull;
    case 'not_null': return !isNull;
    case '!=': return isNull ? target !== null : target === null || value !== target;
    case 'in': return !isNull && (target as unknown[]).includes(value);
    case 'not_in': return !isNull && !(target as unknown[]).includes(value);
    case 'contains': return !isNull && String(value).includes(String(target));
    case 'starts_with': return !isNull && String(value).startsWith(String(target));
  }
  if (isNull || target === null) return false;
  const a = value as number | string;
  const b = target as number | string;
  switch (op) {
    case '=': return a === b;
    case '<': return a < b;
    case '<=': return a <= b;
    case '>': return a > b;
    case '>=': return a >= b;
  }
  throw new Error(`reference: unknown op ${op}`);
}

function endOfLocalDay(zone: string, date: string, next: boolean): number {
  const [y, m, d] = date.split('-').map(Number);
  return localToUtc(zone, y, m, d + (next ? 1 : 0));
}

/**
 * The members of a cohort, by brute force; `lookup` finds cohorts named by `in_cohort`.
 *
 * @example
 * referenceCohort(events, { name: 'buyers', rules: [{ did: 'purchase' }] }, () => undefined)
 */
export function referenceCohort(events: CohortEvent[], cohort: RawCohort | string, lookup: (name: string) => RawCohort | undefined): ReferenceMember[] {
  const definition = typeof cohort === 'string' ? lookup(cohort)! : cohort;
  const people = new Map<string, CohortEvent[]>();
  for (const e of events) people.set(e.user_id, [...(people.get(e.user_id) ?? []), e]);
  const memberSets = new Map<string, Set<string>>();
  const membersOf = (c: RawCohort | string): Set<string> => {
    const key = typeof c === 'string' ? c : JSON.stringify(c);
    if (!memberSets.has(key)) memberSets.set(key, new Set(referenceCohort(events, c, lookup).map((m) => m.user_id)));
    return memberSets.get(key)!;
  };
  const out: ReferenceMember[] = [];
  for (const [user, own] of people) {
    const first = Math.min(...own.map((e) => e.ts));
    const last = Math.max(...own.map((e) => e.ts));
    const member = { user_id: user, first_seen: first, last_seen: last, events: own.length };
    if (definition.user_ids) {
      if (definition.user_ids.includes(user)) out.push({ ...member, qualifying_events: null });
      continue;
    }
    const zone = definition.timezone ?? 'UTC';
    let qualifying: number | null = null;
    const results = definition.rules!.map((rule) => {
      if ('in_cohort' in rule) return membersOf(rule.in_cohort as RawCohort | string).has(user);
      if ('not_in_cohort' in rule) return !membersOf(rule.not_in_cohort as RawCohort | string).has(user);
      if ('property' in rule) {
        const of = (rule.of as string | undefined) ?? 'first_event';
        const candidates = of === 'any_event' ? own : own.filter((e) => e.ts === (of === 'first_event' ? first : last));
        return candidates.some((e) => referenceFilter(e[rule.property as string], rule.op as string, rule.value ?? null));
      }
      const name = (rule.did ?? rule.did_not) as string;
      const inWindow = (e: CohortEvent) => {
        const days = rule.within_days_of_first_seen as number | undefined;
        if (days !== undefined) return e.ts >= first && e.ts < first + days * 86_400_000;
        if (rule.date_from !== undefined && e.ts < endOfLocalDay(zone, rule.date_from as string, false)) return false;
        if (rule.date_to !== undefined && e.ts >= endOfLocalDay(zone, rule.date_to as string, true)) return false;
        return true;
      };
      const where = (rule.where as { column: string; op: string; value?: unknown }[] | undefined) ?? [];
      const count = own.filter((e) => e.event === name && inWindow(e) && where.every((f) => referenceFilter(e[f.column], f.op, f.value ?? null))).length;
      if ('did_not' in rule) return count === 0;
      qualifying = (qualifying ?? 0) + count;
      const atLeast = (rule.at_least as number | undefined) ?? 1;
      const atMost = rule.at_most as number | undefined;
      return count >= atLeast && (atMost === undefined || count <= atMost);
    });
    const ok = (definition.match ?? 'all') === 'all' ? results.every(Boolean) : results.some(Boolean);
    if (ok) out.push({ ...member, qualifying_events: qualifying });
  }
  return out.sort((a, b) => (a.user_id < b.user_id ? -1 : a.user_id > b.user_id ? 1 : 0));
}
