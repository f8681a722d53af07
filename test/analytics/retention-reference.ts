/**
 * A brute-force retention written from DESIGN.md's definitions, not from the SQL: every event's local
 * calendar fields come from `Intl` (its own formatter, not the production offsets table), periods
 * are counted from those fields, and people are followed one by one in plain loops.
 */

export interface ReferenceEvent {
  user_id: string;
  event: string;
  /** Epoch milliseconds (UTC). */
  ts: number;
  [property: string]: unknown;
}

export interface ReferenceSpec {
  period: 'hour' | 'day' | 'week' | 'month';
  week_start: 'monday' | 'sunday';
  timezone: string;
  start_event: string | null;
  return_event: string | null;
  mode: 'recurring' | 'first_time';
  cumulative: boolean;
  min_occurrences: number;
  intervals: number;
  date_from?: string;
  date_to?: string;
  clock: 'calendar' | 'rolling';
  breakdown: string | null;
  /** DESIGN.md: `any` (default) counts every return; `same_value` only those with the cohort's value. */
  breakdown_returns?: 'any' | 'same_value';
  /** Only the filter shapes the random tests use. */
  where: { column: string; op: '=' | '!=' | 'in'; value: unknown }[];
}

export interface ReferenceRow {
  cohort: string;
  breakdown?: string | null;
  cohort_size: number;
  period: number;
  users: number;
  rate: number | null;
  rate_low: number | null;
  rate_high: number | null;
  incomplete: boolean;
}

const DAY = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock fields of an instant in a zone, straight from Intl. */
export function wallClock(zone: string, ms: number): { year: number; month: number; day: number; hour: number } {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric' });
    formatters.set(zone, f);
  }
  const parts: Record<string, number> = {};
  for (const p of f.formatToParts(new Date(ms))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { year: parts.year, month: parts.month, day: parts.day, hour: parts.hour };
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const dayNumber = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d) / DAY;
const isoOfDay = (n: number) => new Date(n * DAY).toISOString().slice(0, 10);
// Day numbers of weeks' first days are ≡ 4 (Mondays: 1970-01-05 is day 4) or 3 (Sundays) modulo 7.
const weekResidue = (s: ReferenceSpec) => (s.week_start === 'monday' ? 4 : 3);

/** A period as a number counted in periods of its kind, from local calendar fields. */
function keyOfFields(s: ReferenceSpec, f: { year: number; month: number; day: number; hour: number }): number {
  const n = dayNumber(f.year, f.month, f.day);
  switch (s.period) {
    case 'hour': return n * 24 + f.hour;
    case 'day': return n;
    case 'week': {
      const weekday = (((n + 4) % 7) + 7) % 7; // 0 = Sunday
      const first = s.week_start === 'monday' ? 1 : 0;
      return Math.floor((n - ((weekday - first + 7) % 7)) / 7);
    }
    case 'month': return f.year * 12 + f.month - 1;
  }
}

const keyOf = (s: ReferenceSpec, ms: number) => keyOfFields(s, wallClock(s.timezone, ms));

function label(s: ReferenceSpec, key: number): string {
  switch (s.period) {
    case 'hour': return `${isoOfDay(Math.floor(key / 24))} ${pad(key - Math.floor(key / 24) * 24)}:00`;
    case 'day': return isoOfDay(key);
    case 'week': return isoOfDay(key * 7 + weekResidue(s));
    case 'month': return `${pad(Math.floor(key / 12), 4)}-${pad(key - Math.floor(key / 12) * 12 + 1)}-01`;
  }
}

function keyOfText(s: ReferenceSpec, text: string, end: boolean): number {
  const [date, time] = text.split(/[ T]/);
  const [year, month, day] = date.split('-').map(Number);
  const hour = time ? Number(time.slice(0, 2)) : s.period === 'hour' && end ? 23 : 0;
  return keyOfFields(s, { year, month, day, hour });
}

/** The first instant whose period is `key` or later: bisection over a non-decreasing key(ms). */
function periodStart(s: ReferenceSpec, key: number, near: number): number {
  let lo = near - 400 * DAY;
  let hi = near + 400 * DAY;
  while (keyOf(s, lo) >= key) lo -= 400 * DAY;
  while (keyOf(s, hi) < key) hi += 400 * DAY;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (keyOf(s, mid) >= key) hi = mid; else lo = mid;
  }
  return hi;
}

function wilson(x: number, n: number): [number, number] | [null, null] {
  if (n === 0) return [null, null];
  const z = 1.959963984540054;
  const p = x / n;
  const d = 1 + (z * z) / n;
  const c = (p + (z * z) / (2 * n)) / d;
  const h = (z / d) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  return [Math.max(0, c - h), Math.min(1, c + h)];
}

const ROLLING = { hour: 3_600_000, day: DAY, week: 7 * DAY, month: 30 * DAY };

function passes(s: ReferenceSpec, e: ReferenceEvent): boolean {
  return s.where.every((f) => {
    const v = e[f.column] ?? null;
    if (f.op === '=') return v !== null && v === f.value;
    if (f.op === '!=') return v !== f.value;
    return v !== null && (f.value as unknown[]).includes(v);
  });
}

/** Earliest event first; at the same instant the smaller breakdown value, an empty one last. */
function definingEvent(s: ReferenceSpec, events: ReferenceEvent[]): ReferenceEvent {
  const value = (e: ReferenceEvent) => (s.breakdown === null ? null : (e[s.breakdown] ?? null) as string | null);
  return events.reduce((best, e) => {
    if (e.ts !== best.ts) return e.ts < best.ts ? e : best;
    const a = value(e), b = value(best);
    if (a === null) return best;
    if (b === null) return e;
    return a < b ? e : best;
  });
}

/**
 * Retention rows for a log and a spec, by definition. `date_to` defaults to the latest event's
 * local date (its hour for hourly periods), `date_from` to `intervals - 1` periods before it.
 */
export function referenceRetention(all: ReferenceEvent[], s: ReferenceSpec): ReferenceRow[] {
  const lastTs = Math.max(...all.map((e) => e.ts));
  const to = s.date_to ? keyOfText(s, s.date_to, true) : keyOf(s, lastTs);
  const from = s.date_from ? keyOfText(s, s.date_from, false) : to - (s.intervals - 1);
  const events = all.filter((e) => passes(s, e) && keyOf(s, e.ts) <= to);
  const isStart = (e: ReferenceEvent) => s.start_event === null || e.event === s.start_event;
  const isReturn = (e: ReferenceEvent) => s.return_event === null || e.event === s.return_event;
  const byUser = new Map<string, ReferenceEvent[]>();
  for (const e of events) byUser.set(e.user_id, [...(byUser.get(e.user_id) ?? []), e]);

  // Members: person, cohort period, breakdown value, start instant.
  const members: { user: string; c: number; b: string | null; t0: number }[] = [];
  for (const [user, list] of byUser) {
    const starts = list.filter(isStart);
    const groups = new Map<number, ReferenceEvent[]>();
    if (s.mode === 'first_time') {
      if (starts.length === 0) continue;
      const first = definingEvent(s, starts);
      groups.set(keyOf(s, first.ts), [first]);
    } else {
      for (const e of starts) groups.set(keyOf(s, e.ts), [...(groups.get(keyOf(s, e.ts)) ?? []), e]);
    }
    for (const [c, group] of groups) {
      if (c < from || c > to) continue;
      const first = definingEvent(s, group);
      const b = s.breakdown === null ? null : ((first[s.breakdown] ?? null) as string | null);
      members.push({ user, c, b, t0: first.ts });
    }
  }

  const cohorts = new Map<string, { c: number; b: string | null; people: typeof members }>();
  if (s.breakdown === null) for (let c = from; c <= to; c++) cohorts.set(`${c}`, { c, b: null, people: [] });
  for (const m of members) {
    const id = s.breakdown === null ? `${m.c}` : `${m.c}|${m.b}`;
    if (!cohorts.has(id)) cohorts.set(id, { c: m.c, b: m.b, people: [] });
    cohorts.get(id)!.people.push(m);
  }
  const ordered = [...cohorts.values()].sort((x, y) => x.c - y.c
    || (x.b === y.b ? 0 : x.b === null ? 1 : y.b === null ? -1 : x.b < y.b ? -1 : 1));

  const near = lastTs;
  const end = periodStart(s, to + 1, near);
  const asOf = Math.min(lastTs, end);
  const rows: ReferenceRow[] = [];
  for (const cohort of ordered) {
    const size = cohort.people.length;
    // For each person, the periods k >= 1 they came back in.
    const returnedAt = cohort.people.map((m) => {
      const counts = new Map<number, number>();
      const sameValue = s.breakdown !== null && s.breakdown_returns === 'same_value';
      for (const e of byUser.get(m.user)!.filter(isReturn)) {
        if (sameValue && ((e[s.breakdown!] ?? null) as string | null) !== m.b) continue;
        const k = s.clock === 'calendar' ? keyOf(s, e.ts) - m.c : Math.floor((e.ts - m.t0) / ROLLING[s.period]);
        if (k >= 1 && k < s.intervals) counts.set(k, (counts.get(k) ?? 0) + 1);
      }
      return new Set([...counts].filter(([, n]) => n >= s.min_occurrences).map(([k]) => k));
    });
    const start = periodStart(s, cohort.c, near);
    const cohortEnd = periodStart(s, cohort.c + 1, near);
    for (let k = 0; k < s.intervals; k++) {
      const L = ROLLING[s.period];
      const exists = s.clock === 'calendar' ? cohort.c + k <= to : start + k * L < end;
      if (!exists) break;
      const users = k === 0 ? size : returnedAt.filter((set) => (s.cumulative ? [...set].some((j) => j >= k) : set.has(k))).length;
      // Calendar: the data stops inside or before the cell's period (and within the range).
      const incomplete = s.clock === 'calendar' ? lastTs < end && keyOf(s, lastTs) <= cohort.c + k : cohortEnd + (k + 1) * L > asOf;
      const [low, high] = wilson(users, size);
      rows.push({
        cohort: label(s, cohort.c),
        ...(s.breakdown === null ? {} : { breakdown: cohort.b }),
        cohort_size: size, period: k, users, rate: size ? users / size : null, rate_low: low, rate_high: high, incomplete,
      });
    }
  }
  return rows;
}
