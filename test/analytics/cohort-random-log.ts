// Random logs and cohort definitions for the cohort tests (seeded: the same every run).
import type { CohortEvent, RawCohort, RawRule } from './cohort-reference.ts';

const START = Date.UTC(2024, 2, 20);
const DAYS = 40;

/** A random log: a few people, events a/b/c, a text and a number property, ties at the same minute. */
export function randomCohortLog(random: () => number, people = 3 + Math.floor(random() * 12)): CohortEvent[] {
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  const count = 10 + Math.floor(random() * 80);
  const events: CohortEvent[] = [];
  for (let i = 0; i < count; i++) {
    // ties at the same minute, and the same person exactly 12 h / 1 / 3 / 7 days after their first event (window edges)
    const tie = i > 0 && random() < 0.12;
    const first = tie ? undefined : i > 0 && random() < 0.15 ? events.find((e) => e.user_id === events[i - 1].user_id) : undefined;
    const ts = tie ? events[i - 1].ts : first ? first.ts + pick([0.5, 1, 3, 7]) * 86_400_000 : START + Math.floor(random() * DAYS * 1440) * 60_000;
    events.push({
      user_id: first ? first.user_id : `u${Math.floor(random() * people)}`, event: pick(['a', 'a', 'b', 'c']), ts,
      plan: pick(['x', 'y', 'z', null]), score: pick([1, 2, 5, 10, null]),
    });
  }
  events[0].plan = 'x';
  events[1].score = 2;
  ['a', 'b', 'c'].forEach((name, i) => { events[i].event = name; });
  return events;
}

function date(random: () => number): string {
  return new Date(START + Math.floor(random() * DAYS) * 86_400_000).toISOString().slice(0, 10);
}

function randomFilter(random: () => number): { column: string; op: string; value?: unknown } {
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  return pick([
    { column: 'plan', op: '=', value: 'x' }, { column: 'plan', op: '!=', value: 'y' }, { column: 'plan', op: 'is_null' },
    { column: 'plan', op: 'in', value: ['x', 'z'] }, { column: 'score', op: '>=', value: 5 }, { column: 'score', op: 'not_null' },
    { column: 'plan', op: 'not_in', value: ['z'] }, { column: 'score', op: '<', value: 2 }, { column: 'plan', op: 'starts_with', value: 'y' },
  ]);
}

/** A random rule; `others` are cohorts it may name. */
export function randomRule(random: () => number, others: string[]): RawRule {
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  const type = pick(['did', 'did', 'did', 'did_not', 'property', ...(others.length ? ['in_cohort', 'not_in_cohort'] : [])]);
  if (type === 'in_cohort' || type === 'not_in_cohort') return { [type]: pick(others) };
  if (type === 'property') {
    const f = randomFilter(random);
    return { property: f.column, op: f.op, ...('value' in f ? { value: f.value } : {}), ...(random() < 0.8 ? { of: pick(['first_event', 'last_event', 'any_event']) } : {}) };
  }
  const rule: RawRule = { [type]: pick(['a', 'b', 'c']) };
  const window = random();
  if (window < 0.4) rule.within_days_of_first_seen = pick([1, 3, 7, 14, 0.5]);
  else if (window < 0.75) {
    const [from, to] = [date(random), date(random)].sort();
    if (random() < 0.8) rule.date_from = from;
    if (random() < 0.8) rule.date_to = to;
  }
  if (type === 'did') {
    if (random() < 0.6) rule.at_least = pick([0, 1, 2, 3]);
    if (random() < 0.25) rule.at_most = (rule.at_least as number | undefined ?? 1) + pick([0, 1, 3]);
  }
  if (random() < 0.25) rule.where = [randomFilter(random)];
  return rule;
}

export function randomCohort(random: () => number, name: string, others: string[]): RawCohort {
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  if (random() < 0.08) return { name, user_ids: ['u0', 'u3', 'u5', 'nobody'].filter(() => random() < 0.6) };
  const rules = Array.from({ length: 1 + Math.floor(random() * 3) }, () => randomRule(random, others));
  return {
    name, rules,
    ...(random() < 0.6 ? { match: pick(['all', 'any'] as const) } : {}),
    ...(random() < 0.3 ? { timezone: pick(['Europe/London', 'America/New_York', 'Asia/Kolkata']) } : {}),
  };
}

