// A brute-force funnel correlation written from issue 19's rules (PostHog's funnel correlation),
// not from the SQL: the people and their best attempts come from the brute-force funnel
// (funnel-reference.ts), then each person's events are walked in plain TypeScript.
import type { TestEvent } from '../helpers/events.ts';
import { referencePeople, type RawFilter, type RawFunnelSpec } from './funnel-reference.ts';
import { referenceFilter } from './cohort-reference.ts';

export interface ReferenceCorrelationRow {
  event: string;
  type: 'event' | 'property';
  success_count: number;
  failure_count: number;
  odds_ratio: number;
  correlation_type: 'success' | 'failure';
  p_value: number;
  odds_ratio_low: number;
  odds_ratio_high: number;
}

function choose(n: number, k: number): bigint {
  if (k < 0 || k > n) return 0n;
  let r = 1n;
  for (let i = 0; i < k; i++) r = (r * BigInt(n - i)) / BigInt(i + 1);
  return r;
}

/** Fisher's exact test, two-sided, in exact integer arithmetic: every table no likelier than the one seen. */
export function referenceFisher(a: number, b: number, c: number, d: number): number {
  const row1 = a + b;
  const col1 = a + c;
  const n = a + b + c + d;
  const weight = (x: number) => choose(col1, x) * choose(n - col1, row1 - x);
  const seen = weight(a);
  let sum = 0n;
  for (let x = 0; x <= Math.min(row1, col1); x++) {
    const w = weight(x);
    if (w <= seen) sum += w;
  }
  const total = choose(n, row1);
  return Number((sum * 10n ** 15n) / total) / 1e15;
}

const matches = (row: TestEvent, filters: RawFilter[] | undefined) => (filters ?? []).every((f) => referenceFilter(row[f.column], f.op, f.value ?? null));

/**
 * The correlation rows for a funnel on a log, by brute force.
 *
 * @example
 * referenceCorrelation({ steps: ['signup', 'purchase'] }, ['plan'], [], rows)
 */
export function referenceCorrelation(funnel: RawFunnelSpec, properties: string[], excludeEvents: string[], rows: TestEvent[]) {
  const n = funnel.steps.length;
  const windowMs = (funnel.window_seconds ?? 14 * 86400) * 1000;
  const steps = funnel.steps.map((s) => (typeof s === 'string' ? { event: s, where: [] as RawFilter[] } : { event: s.event, where: s.where ?? [] }));
  const left = new Set([...steps.map((s) => s.event), ...excludeEvents]);
  const people = referencePeople(funnel, rows).filter((p) => !p.excluded);
  const S = people.filter((p) => p.level >= n).length;
  const F = people.length - S;
  const counts = new Map<string, { type: 'event' | 'property'; s: number; f: number }>();
  const add = (name: string, type: 'event' | 'property', success: boolean) => {
    const c = counts.get(name) ?? { type, s: 0, f: 0 };
    if (success) c.s++;
    else c.f++;
    counts.set(name, c);
  };
  for (const person of people) {
    const success = person.level >= n;
    const t0 = person.reach[0];
    const t1 = success ? person.reach[n - 1] : t0 + windowMs;
    const own = rows.filter((r) => r.user_id === person.user_id);
    const names = new Set(own.filter((r) => { const t = Date.parse(r.ts); return t > t0 && t < t1 && !left.has(r.event); }).map((r) => r.event));
    for (const name of names) add(name, 'event', success);
    const startSteps = funnel.order === 'any' ? steps : [steps[0]];
    const starts = own.filter((r) => Date.parse(r.ts) === t0 && matches(r, funnel.where) && startSteps.some((s) => r.event === s.event && matches(r, s.where)));
    for (const column of properties) {
      const values = starts.map((r) => r[column]).filter((v) => v !== null && v !== undefined).map(String).sort();
      add(`${column}=${values[0] ?? ''}`, 'property', success);
    }
  }
  if (S === 0 || F === 0) return { rows: [] as ReferenceCorrelationRow[], S, F };
  const z = 1.959963984540054;
  const all: ReferenceCorrelationRow[] = [];
  for (const [name, { type, s, f }] of counts) {
    if (s + f < Math.min(25, 0.02 * (S + F))) continue;
    const ratio = ((s + 1) * (F - f + 1)) / ((S - s + 1) * (f + 1));
    const se = Math.sqrt(1 / (s + 1) + 1 / (S - s + 1) + 1 / (f + 1) + 1 / (F - f + 1));
    all.push({
      event: name, type, success_count: s, failure_count: f, odds_ratio: ratio, correlation_type: ratio > 1 ? 'success' : 'failure',
      p_value: referenceFisher(s, S - s, f, F - f), odds_ratio_low: ratio * Math.exp(-z * se), odds_ratio_high: ratio * Math.exp(z * se),
    });
  }
  const byName = (a: ReferenceCorrelationRow, b: ReferenceCorrelationRow) => (a.event < b.event ? -1 : a.event > b.event ? 1 : 0);
  const success = all.filter((r) => r.correlation_type === 'success').sort((a, b) => b.odds_ratio - a.odds_ratio || byName(a, b)).slice(0, 10);
  const failure = all.filter((r) => r.correlation_type === 'failure').sort((a, b) => a.odds_ratio - b.odds_ratio || byName(a, b)).slice(0, 10);
  return { rows: [...success, ...failure], S, F };
}
