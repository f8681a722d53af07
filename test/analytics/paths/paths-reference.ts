/**
 * A brute-force paths written from issue 18's definitions, not from the SQL: each person's events
 * are sorted, split into sessions, collapsed and cut in plain loops over arrays, and every edge is
 * counted by walking the paths one by one.
 */
import { wallClock } from '../retention-reference.ts';

export interface PathEvent {
  user_id: string;
  event: string;
  /** Epoch milliseconds (UTC). */
  ts: number;
  [property: string]: unknown;
}

export interface ReferencePathsSpec {
  steps: number;
  start_event: string | null;
  end_event: string | null;
  min_sessions: number;
  max_edges: number;
  timezone: string;
  date_from: string;
  date_to: string;
  where?: { column: string; op: '=' | '!=' | 'in'; value: unknown }[];
}

export interface ReferencePathsRow {
  step: number;
  source: string;
  target: string;
  sessions: number;
  people: number;
  avg_seconds: number;
  other: boolean;
}

const GAP = 30 * 60_000;
const pad = (n: number) => String(n).padStart(2, '0');

function localDate(zone: string, ms: number): string {
  const w = wallClock(zone, ms);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}`;
}

type Item = { name: string; ts: number };

/** A session's path cut to its points, or null when the session lacks one. */
function cutPath(items: Item[], spec: ReferencePathsSpec): Item[] | null {
  const n = spec.steps;
  if (spec.start_event === null && spec.end_event === null) return items.slice(0, n);
  if (spec.end_event === null) {
    const s = items.findIndex((i) => i.name === spec.start_event);
    return s < 0 ? null : items.slice(s, s + n);
  }
  if (spec.start_event === null) {
    const e = items.findIndex((i) => i.name === spec.end_event);
    return e < 0 ? null : items.slice(Math.max(0, e - n + 1), e + 1);
  }
  const s = items.findIndex((i) => i.name === spec.start_event);
  if (s < 0) return null;
  const rest = items.slice(s);
  const e = rest.findIndex((i) => i.name === spec.end_event);
  if (e < 0) return null;
  const path = rest.slice(0, e + 1);
  if (path.length <= n) return path;
  const half = Math.floor(n / 2);
  // "..." stands for the middle, with the time of the first item it hides
  return [...path.slice(0, half), { name: '...', ts: path[half].ts }, ...path.slice(path.length - half)];
}

function passes(e: PathEvent, spec: ReferencePathsSpec): boolean {
  return (spec.where ?? []).every((f) => {
    const v = e[f.column] ?? null;
    if (f.op === '=') return v !== null && v === f.value;
    if (f.op === '!=') return v !== f.value;
    return v !== null && (f.value as unknown[]).includes(v);
  });
}

/** The edges, sessions and people issue 18 defines for a spec. */
export function referencePaths(events: PathEvent[], spec: ReferencePathsSpec): { rows: ReferencePathsRow[]; sessions: number; people: number } {
  const byUser = new Map<string, PathEvent[]>();
  for (const e of events) {
    const d = localDate(spec.timezone, e.ts);
    if (d < spec.date_from || d > spec.date_to || !passes(e, spec)) continue;
    byUser.set(e.user_id, [...(byUser.get(e.user_id) ?? []), e]);
  }
  const paths: { user: string; path: Item[] }[] = [];
  for (const [user, list] of byUser) {
    list.sort((a, b) => a.ts - b.ts || (a.event < b.event ? -1 : a.event > b.event ? 1 : 0));
    let session: PathEvent[] = [];
    const flush = () => {
      const items: Item[] = [];
      session.forEach((e, i) => {
        // a repeat of the next event collapses into it
        if (i + 1 < session.length && session[i + 1].event === e.event) return;
        items.push({ name: e.event, ts: e.ts });
      });
      const path = items.length > 0 ? cutPath(items, spec) : null;
      if (path) paths.push({ user, path });
      session = [];
    };
    list.forEach((e, i) => {
      if (i > 0 && e.ts - list[i - 1].ts >= GAP) flush();
      session.push(e);
    });
    flush();
  }
  const edges = new Map<string, { step: number; source: string; target: string; sessions: number; people: Set<string>; ms: number; users: string[] }>();
  for (const { user, path } of paths) {
    for (let k = 0; k + 1 < path.length; k++) {
      const id = `${k + 1}\u0000${path[k].name}\u0000${path[k + 1].name}`;
      let edge = edges.get(id);
      if (!edge) edges.set(id, (edge = { step: k + 1, source: path[k].name, target: path[k + 1].name, sessions: 0, people: new Set(), ms: 0, users: [] }));
      edge.sessions++;
      edge.people.add(user);
      edge.users.push(user);
      edge.ms += path[k + 1].ts - path[k].ts;
    }
  }
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const ranked = [...edges.values()].sort((a, b) => b.sessions - a.sessions || a.step - b.step || cmp(a.source, b.source) || cmp(a.target, b.target));
  const eligible = ranked.filter((e) => e.sessions >= spec.min_sessions);
  const kept = new Set(eligible.slice(0, spec.max_edges));
  const rows: ReferencePathsRow[] = [...kept].map((e) => ({
    step: e.step, source: e.source, target: e.target, sessions: e.sessions, people: e.people.size, avg_seconds: e.ms / e.sessions / 1000, other: false,
  }));
  const cut = new Map<string, { step: number; source: string; sessions: number; people: Set<string>; ms: number }>();
  for (const e of ranked) {
    if (kept.has(e)) continue;
    const id = `${e.step}\u0000${e.source}`;
    let o = cut.get(id);
    if (!o) cut.set(id, (o = { step: e.step, source: e.source, sessions: 0, people: new Set(), ms: 0 }));
    o.sessions += e.sessions;
    o.ms += e.ms;
    e.users.forEach((u) => o!.people.add(u));
  }
  for (const o of cut.values()) rows.push({ step: o.step, source: o.source, target: 'other', sessions: o.sessions, people: o.people.size, avg_seconds: o.ms / o.sessions / 1000, other: true });
  rows.sort((a, b) => a.step - b.step || Number(a.other) - Number(b.other) || b.sessions - a.sessions || cmp(a.source, b.source) || cmp(a.target, b.target));
  // only what a first step reaches through the edges shown
  const reached = new Set<string>();
  const shown = rows.filter((r) => {
    if (r.step > 1 && !reached.has(`${r.step}\u0000${r.source}`)) return false;
    if (!r.other) reached.add(`${r.step + 1}\u0000${r.target}`);
    return true;
  });
  return { rows: shown, sessions: paths.length, people: new Set(paths.map((p) => p.user)).size };
}
