import { funnelRangeMs, type FunnelSpec } from '../../src/analytics/funnel-spec.ts';
import type { Filter } from '../../src/analytics/where.ts';
import type { TestEvent } from '../helpers/events.ts';

/**
 * A brute-force funnel in plain TypeScript, written from the rules in `src/analytics/funnel.ts`'s
 * comment (not from its SQL): every attempt of every person is walked on its own, with loops.
 * Timestamps are whole milliseconds here; the SQL works in microseconds.
 */

interface RefEvent {
  name: string;
  t: number;
  mask: number;
  lowest: number;
  exclusions: number;
  b: string | null;
  h: string | null;
  row: TestEvent;
}

interface Attempt {
  level: number;
  reach: number[];
  start: RefEvent;
  startPos: number;
  finalPos: number;
  group: RefEvent[];
}

/** The person's outcome: furthest step (1-based) of the best attempt, or excluded. */
export interface RefPerson {
  user_id: string;
  level: number;
  reach: number[];
  breakdown: string | null;
  excluded: boolean;
}

function matches(row: TestEvent, filter: Filter): boolean {
  const v = row[filter.column] as string | number | null | undefined;
  const w = filter.value as string | number;
  const present = v !== null && v !== undefined;
  switch (filter.op) {
    case '=': return present && v === w;
    case '!=': return v !== w;
    case '<': return present && v < w;
    case '<=': return present && v <= w;
    case '>': return present && v > w;
    case '>=': return present && v >= w;
    case 'in': return present && (filter.value as unknown[]).includes(v);
    case 'not_in': return present && !(filter.value as unknown[]).includes(v);
    case 'contains': return present && String(v).includes(String(w));
    case 'starts_with': return present && String(v).startsWith(String(w));
    case 'is_null': return !present;
    case 'not_null': return present;
  }
}

const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

function compareText(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

/** The funnel's event order: time, lowest step matched, mask, breakdown value, hold value. */
function compareEvents(a: RefEvent, b: RefEvent): number {
  return a.t - b.t || a.lowest - b.lowest || a.mask - b.mask || compareText(a.b, b.b) || compareText(a.h, b.h);
}

function walkAttempt(spec: FunnelSpec, group: RefEvent[], startAt: number, allTimes: number[]): Attempt {
  const n = spec.steps.length;
  const windowMs = spec.window_seconds * 1000;
  const start = group[startAt];
  const deadline = start.t + windowMs;
  const reach = [start.t];
  let finalPos = startAt;
  if (spec.order === 'any') {
    const used = new Set([startAt]);
    for (let k = 1; k < n; k++) {
      let found = -1;
      for (let p = startAt + 1; p < group.length; p++) {
        const e = group[p];
        if (!used.has(p) && (e.mask >> k) & 1 && e.t <= deadline) { found = p; break; }
      }
      if (found < 0) break;
      used.add(found);
      reach.push(Math.max(reach[k - 1], group[found].t));
      finalPos = Math.max(finalPos, found);
    }
  } else {
    let pos = startAt;
    for (let k = 1; k < n; k++) {
      let found = -1;
      for (let p = pos + 1; p < group.length; p++) {
        if ((group[p].mask >> k) & 1) { found = p; break; }
      }
      if (found < 0 || group[found].t > deadline) break;
      if (spec.order === 'strict') {
        const from = group[pos].t, to = group[found].t;
        if (allTimes.some((t) => t > from && t < to)) break;
      }
      reach.push(group[found].t);
      pos = found;
      finalPos = found;
    }
  }
  return { level: reach.length, reach, start, startPos: startAt, finalPos, group };
}

function excludedBy(spec: FunnelSpec, best: Attempt): boolean {
  const deadline = best.start.t + spec.window_seconds * 1000;
  return spec.exclusions.some((x, j) => {
    if (best.level <= x.from_step) return false;
    const after = best.reach[x.from_step];
    const before = best.level > x.to_step ? best.reach[x.to_step] : null;
    return best.group.some((e) => (e.exclusions >> j) & 1 && e.t > after && (before === null ? e.t <= deadline : e.t < before));
  });
}

/** Every person with a step-1 event in range, with their best attempt. */
export function referencePeople(spec: FunnelSpec, rows: TestEvent[]): RefPerson[] {
  const { fromMs, toMs } = funnelRangeMs(spec);
  const byUser = new Map<string, RefEvent[]>();
  for (const row of rows) {
    if (row.user_id === null || row.user_id === '') continue;
    if (!spec.where.every((f) => matches(row, f))) continue;
    let mask = 0;
    spec.steps.forEach((step, k) => {
      if (row.event === step.event && step.where.every((f) => matches(row, f))) mask |= 1 << k;
    });
    let exclusions = 0;
    spec.exclusions.forEach((x, j) => { if (row.event === x.event) exclusions |= 1 << j; });
    const event: RefEvent = {
      name: row.event, t: Date.parse(row.ts), mask, exclusions, row,
      lowest: mask === 0 ? 0 : mask & -mask,
      b: spec.breakdown ? text(row[spec.breakdown]) : null,
      h: spec.hold ? text(row[spec.hold]) : null,
    };
    const list = byUser.get(row.user_id) ?? [];
    list.push(event);
    byUser.set(row.user_id, list);
  }
  const people: RefPerson[] = [];
  for (const [user, events] of byUser) {
    const allTimes = events.map((e) => e.t);
    const relevant = events.filter((e) => e.mask > 0 || e.exclusions > 0).sort(compareEvents);
    const position = new Map(relevant.map((e, i) => [e, i]));
    const groups = new Map<string | null, RefEvent[]>();
    for (const e of relevant) groups.set(e.h, [...(groups.get(e.h) ?? []), e]);
    let best: Attempt | null = null;
    for (const group of groups.values()) {
      group.forEach((e, i) => {
        if (!(e.mask & 1) || (fromMs !== null && e.t < fromMs) || (toMs !== null && e.t >= toMs)) return;
        const a = walkAttempt(spec, group, i, allTimes);
        const pos = (p: number) => position.get(group[p])!;
        if (!best || a.level > best.level
          || (a.level === best.level && (pos(a.finalPos) < position.get(best.group[best.finalPos])!
            || (pos(a.finalPos) === position.get(best.group[best.finalPos])! && pos(a.startPos) > position.get(best.group[best.startPos])!)))) {
          best = a;
        }
      });
    }
    if (!best) continue;
    const b = best as Attempt;
    people.push({ user_id: user, level: b.level, reach: b.reach, breakdown: b.start.b, excluded: excludedBy(spec, b) });
  }
  return people.sort((a, b) => (a.user_id < b.user_id ? -1 : a.user_id > b.user_id ? 1 : 0));
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** The step rows, as `runAnalysis` returns them. */
export function referenceFunnel(spec: FunnelSpec, rows: TestEvent[]): Record<string, unknown>[] {
  const people = referencePeople(spec, rows).filter((p) => !p.excluded);
  const groups = new Map<string | null, RefPerson[]>();
  if (spec.breakdown === null) groups.set(null, people);
  else for (const p of [...people].sort((a, b) => compareText(a.breakdown, b.breakdown))) groups.set(p.breakdown, [...(groups.get(p.breakdown) ?? []), p]);
  const out: Record<string, unknown>[] = [];
  for (const [value, members] of groups) {
    const start = members.length;
    let previous = start;
    spec.steps.forEach((step, i) => {
      const k = i + 1;
      const at = members.filter((p) => p.level >= k);
      const seconds = k === 1 ? [] : at.map((p) => (p.reach[k - 1] - p.reach[k - 2]) / 1000);
      out.push({
        step: k, event: step.event, users: at.length,
        conversion_from_start: start > 0 ? at.length / start : null,
        conversion_from_previous: previous > 0 ? at.length / previous : null,
        avg_seconds_from_previous: k > 1 && at.length > 0 ? seconds.reduce((s, x) => s + x, 0) / at.length : null,
        median_seconds_from_previous: k > 1 ? median(seconds) : null,
        ...(spec.breakdown !== null ? { breakdown: value } : {}),
      });
      previous = at.length;
    });
  }
  return out;
}
