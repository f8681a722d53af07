import type { TestEvent } from '../helpers/events.ts';

/**
 * A brute-force funnel in plain TypeScript, written from the rules in DESIGN.md ("Funnel") and the
 * decisions in `src/analytics/funnel.ts`'s comment, not from the SQL: every attempt of every person
 * is walked on its own, with loops. It takes the spec as a person writes it and fills in the
 * defaults itself (DESIGN.md: order `ordered`, a 14-day window, zone UTC, first-touch breakdown),
 * so a normalisation bug in the product (a dropped exclusion, a wrong default, a lost step `where`)
 * shows. Nothing here comes from src/. Timestamps are whole milliseconds; the SQL works in µs.
 */

/** A filter as a spec writes it. */
export interface RawFilter {
  column: string;
  op: string;
  value?: unknown;
}

/** A funnel spec as a person writes it (before any defaults). */
export interface RawFunnelSpec {
  steps: (string | { event: string; where?: RawFilter[] })[];
  order?: 'ordered' | 'strict' | 'any';
  window_seconds?: number;
  exclusions?: { event: string; from_step: number; to_step: number }[];
  breakdown?: string;
  breakdown_attribution?: 'first_touch' | 'last_touch' | { step: number };
  hold?: string;
  date_from?: string;
  date_to?: string;
  timezone?: string;
  where?: RawFilter[];
}

const DAY_MS = 86_400_000;
/** DESIGN.md: "window_seconds (default 14 days)". */
const DEFAULT_WINDOW_MS = 14 * DAY_MS;

interface RefEvent {
  t: number;
  mask: number;
  lowest: number;
  exclusions: number;
  b: string | null;
  h: string | null;
  /** Position in the person's event order (all their step and exclusion events). */
  pos: number;
}

interface Attempt {
  level: number;
  /** reach[k - 1]: when the attempt got to step (level) k. */
  reach: number[];
  /** Breakdown values of the events that filled the steps, in step (or done) order. */
  values: (string | null)[];
  startPos: number;
  finalPos: number;
  excluded: boolean;
}

/** The person's outcome: furthest step (1-based) of the best attempt, or excluded. */
export interface RefPerson {
  user_id: string;
  level: number;
  reach: number[];
  breakdown: string | null;
  excluded: boolean;
}

function matches(row: TestEvent, filter: RawFilter): boolean {
  const v = row[filter.column] as string | number | null | undefined;
  const w = filter.value as string | number;
  const present = v !== null && v !== undefined;
  switch (filter.op) {
    case '=': return present && v === w;
    case '!=': return v !== w; // IS DISTINCT FROM: an empty value differs from any value
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
    default: throw new Error(`reference: unknown filter op ${filter.op}`);
  }
}

const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

function compareText(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

/** The funnel's event order: time, lowest step matched, mask, breakdown value, hold value (NULL last). */
function compareEvents(a: RefEvent, b: RefEvent): number {
  return a.t - b.t || a.lowest - b.lowest || a.mask - b.mask || compareText(a.b, b.b) || compareText(a.h, b.h);
}

/** The offset of `zone` from UTC at instant `ms`, in ms, from the platform's Intl data. */
function zoneOffsetMs(zone: string, ms: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(new Date(ms));
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) - Math.floor(ms / 1000) * 1000;
}

/** The UTC instant at which local date `date` (YYYY-MM-DD) begins in `zone` (midnight must exist there). */
export function localMidnightMs(zone: string, date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  const wall = Date.UTC(y, m - 1, d);
  let guess = wall - zoneOffsetMs(zone, wall);
  guess = wall - zoneOffsetMs(zone, guess);
  if (zoneOffsetMs(zone, guess) !== wall - guess) throw new Error(`reference: ${date} has no midnight in ${zone}`);
  return guess;
}

/** Step 1 (an attempt's first event) must fall in [date_from, date_to] as local dates of the zone. */
function startRange(spec: RawFunnelSpec): { from: number; to: number } {
  const zone = spec.timezone ?? 'UTC';
  const from = spec.date_from ? localMidnightMs(zone, spec.date_from) : -Infinity;
  let to = Infinity;
  if (spec.date_to) {
    const next = new Date(Date.parse(`${spec.date_to}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
    to = localMidnightMs(zone, next);
  }
  return { from, to };
}

function stepEvent(step: RawFunnelSpec['steps'][number]): { event: string; where: RawFilter[] } {
  return typeof step === 'string' ? { event: step, where: [] } : { event: step.event, where: step.where ?? [] };
}

/** ordered / strict: from a step-1 event, each step is the first later event matching it. */
function walkChain(spec: RawFunnelSpec, group: RefEvent[], startAt: number, allTimes: number[], windowMs: number): Attempt {
  const n = spec.steps.length;
  const start = group[startAt];
  const deadline = start.t + windowMs;
  const reach = [start.t];
  const values = [start.b];
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
    values.push(group[found].b);
    pos = found;
  }
  return { level: reach.length, reach, values, startPos: start.pos, finalPos: group[pos].pos, excluded: false };
}

/** The most steps that distinct events of `masks` can fill, one event per step (tried exhaustively). */
function mostSteps(masks: number[], n: number): number {
  const memo = new Map<number, number>();
  const best = (i: number, filled: number): number => {
    if (i === masks.length) return 0;
    const key = i * 2 ** n + filled;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let most = best(i + 1, filled);
    for (let k = 0; k < n; k++) {
      if ((masks[i] >> k) & 1 && !((filled >> k) & 1)) most = Math.max(most, 1 + best(i + 1, filled | (1 << k)));
    }
    memo.set(key, most);
    return most;
  };
  return best(0, 0);
}

/**
 * any: an attempt starts at instant `t0` and holds the group's events in [t0, t0 + window]; its
 * level after each event is how many distinct steps the events so far can fill; the events that
 * raise it are the attempt's steps, in the order done.
 */
function walkUnordered(spec: RawFunnelSpec, group: RefEvent[], t0: number, windowMs: number): Attempt {
  const inWindow = group.filter((e) => e.t >= t0 && e.t <= t0 + windowMs);
  const reach: number[] = [];
  const values: (string | null)[] = [];
  let finalPos = -1;
  for (let i = 0; i < inWindow.length; i++) {
    const level = mostSteps(inWindow.slice(0, i + 1).map((e) => e.mask), spec.steps.length);
    if (level > reach.length) {
      reach.push(inWindow[i].t);
      values.push(inWindow[i].b);
      finalPos = inWindow[i].pos;
    }
  }
  // the attempt starts at the first step event of its instant
  const startPos = inWindow.find((e) => e.mask > 0)!.pos;
  return { level: reach.length, reach, values, startPos, finalPos, excluded: false };
}

/**
 * Whether an exclusion event falls strictly after the attempt's step `from_step` and strictly
 * before its step `to_step`, or, when it never got there, up to the end of its window (inclusive).
 */
function tainted(spec: RawFunnelSpec, a: Attempt, group: RefEvent[], windowMs: number): boolean {
  const deadline = a.reach[0] + windowMs;
  return (spec.exclusions ?? []).some((x, j) => {
    if (a.level <= x.from_step) return false;
    const after = a.reach[x.from_step];
    const before = a.level > x.to_step ? a.reach[x.to_step] : null;
    return group.some((e) => (e.exclusions >> j) & 1 && e.t > after && (before === null ? e.t <= deadline : e.t < before));
  });
}

/** Better: further, then earlier to get there, then a later start. */
function better(a: Attempt, b: Attempt | null): boolean {
  if (!b) return true;
  if (a.level !== b.level) return a.level > b.level;
  if (a.finalPos !== b.finalPos) return a.finalPos < b.finalPos;
  return a.startPos > b.startPos;
}

function attributed(spec: RawFunnelSpec, a: Attempt): string | null {
  const rule = spec.breakdown_attribution ?? 'first_touch';
  if (rule === 'first_touch') return a.values.find((v) => v !== null) ?? null;
  if (rule === 'last_touch') return [...a.values].reverse().find((v) => v !== null) ?? null;
  return a.values[rule.step] ?? null;
}

/** Every person who entered the funnel, with their best attempt. */
export function referencePeople(spec: RawFunnelSpec, rows: TestEvent[]): RefPerson[] {
  const order = spec.order ?? 'ordered';
  const windowMs = spec.window_seconds === undefined ? DEFAULT_WINDOW_MS : spec.window_seconds * 1000;
  const steps = spec.steps.map(stepEvent);
  const exclusions = spec.exclusions ?? [];
  const { from, to } = startRange(spec);
  const byUser = new Map<string, { events: RefEvent[]; allTimes: number[] }>();
  for (const row of rows) {
    if (row.user_id === null || row.user_id === '') continue;
    if (!(spec.where ?? []).every((f) => matches(row, f))) continue;
    const person = byUser.get(row.user_id) ?? { events: [], allTimes: [] };
    byUser.set(row.user_id, person);
    const t = Date.parse(row.ts);
    person.allTimes.push(t);
    let mask = 0;
    steps.forEach((step, k) => { if (row.event === step.event && step.where.every((f) => matches(row, f))) mask |= 1 << k; });
    let excl = 0;
    exclusions.forEach((x, j) => { if (row.event === x.event) excl |= 1 << j; });
    if (mask === 0 && excl === 0) continue;
    person.events.push({
      t, mask, exclusions: excl, lowest: mask & -mask, pos: 0,
      b: spec.breakdown ? text(row[spec.breakdown]) : null,
      h: spec.hold ? text(row[spec.hold]) : null,
    });
  }
  const people: RefPerson[] = [];
  for (const [user, { events, allTimes }] of byUser) {
    events.sort(compareEvents).forEach((e, i) => { e.pos = i; });
    const groups = new Map<string | null, RefEvent[]>();
    for (const e of events) groups.set(e.h, [...(groups.get(e.h) ?? []), e]);
    let best: Attempt | null = null;
    for (const group of groups.values()) {
      if (order === 'any') {
        for (const t0 of new Set(group.filter((e) => e.mask > 0 && e.t >= from && e.t < to).map((e) => e.t))) {
          const a = walkUnordered(spec, group, t0, windowMs);
          // an exclusion taints only the attempt it falls in
          if (!tainted(spec, a, group, windowMs) && better(a, best)) best = a;
        }
      } else {
        group.forEach((e, i) => {
          if (!(e.mask & 1) || e.t < from || e.t >= to) return;
          const a = walkChain(spec, group, i, allTimes, windowMs);
          if (better(a, best)) best = { ...a, excluded: tainted(spec, a, group, windowMs) };
        });
      }
    }
    if (!best) continue;
    const b = best as Attempt;
    people.push({ user_id: user, level: b.level, reach: b.reach, breakdown: attributed(spec, b), excluded: b.excluded });
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
export function referenceFunnel(spec: RawFunnelSpec, rows: TestEvent[]): Record<string, unknown>[] {
  const people = referencePeople(spec, rows).filter((p) => !p.excluded);
  const steps = spec.steps.map(stepEvent);
  const groups = new Map<string | null, RefPerson[]>();
  if (!spec.breakdown) groups.set(null, people);
  else for (const p of [...people].sort((a, b) => compareText(a.breakdown, b.breakdown))) groups.set(p.breakdown, [...(groups.get(p.breakdown) ?? []), p]);
  const out: Record<string, unknown>[] = [];
  for (const [value, members] of groups) {
    const start = members.length;
    let previous = start;
    steps.forEach((step, i) => {
      const k = i + 1;
      const at = members.filter((p) => p.level >= k);
      const seconds = k === 1 ? [] : at.map((p) => (p.reach[k - 1] - p.reach[k - 2]) / 1000);
      out.push({
        step: k, event: step.event, users: at.length,
        conversion_from_start: start > 0 ? at.length / start : null,
        conversion_from_previous: previous > 0 ? at.length / previous : null,
        avg_seconds_from_previous: k > 1 && at.length > 0 ? seconds.reduce((s, x) => s + x, 0) / at.length : null,
        median_seconds_from_previous: k > 1 ? median(seconds) : null,
        ...(spec.breakdown ? { breakdown: value } : {}),
      });
      previous = at.length;
    });
  }
  return out;
}
