/**
 * Paths (kind `"paths"`): what people do in a row, as the edges between consecutive steps of their
 * sessions, with PostHog's semantics (posthog/hogql_queries/insights/paths/paths_query_runner.py
 * and its tests), so numbers can be checked against PostHog's own.
 *
 * As PostHog does:
 * - A person's events in the range (after `where`) are ordered by time and split into sessions
 *   where 30 minutes or more pass between two events; consecutive repeats of one event collapse
 *   into one item, with the time of the last repeat.
 * - `start_event`: the path begins at its first occurrence in the session and keeps `steps` items;
 *   `end_event`: it ends at its first occurrence and keeps the last `steps`; with both, it runs from
 *   the first start to the first end after it, and an over-long path keeps the first steps/2 items,
 *   one "..." item (with the time of the first item it stands for), then the last steps/2. Sessions
 *   without the point(s) are left out.
 * - An edge's `sessions` counts the person-sessions that took it (PostHog's count: flows add up);
 *   `avg_seconds` is the mean time between its two items. Edges are ranked by sessions, and edges
 *   whose source cannot be reached from a first step once edges are cut are left out (PostHog's
 *   validate_results).
 *
 * Where the issue (cohortbook's definition) and PostHog differ, the issue wins:
 * - `people` counts the distinct people beside the sessions (PostHog users ask for it: #37285).
 * - What `min_sessions` and `max_edges` cut is not dropped: per source node, one edge to the
 *   target "other" (`other: true`) sums its sessions, people and times. `max_edges` counts the
 *   event edges; the "other" edges come on top.
 * - Events at the same instant are ordered by name, so a path is the same on every engine and run.
 * - Edges carry their step as a number and plain names (PostHog: "2_add_to_cart").
 */
import type { Table } from 'apache-arrow';
import { registerAnalysis, type Analysis } from '../analysis.ts';
import { specEvents } from '../event-option.ts';
import { pathsSql } from './sql.ts';
import { KIND, validatePaths, type PathsSpec } from './spec.ts';

export { validatePaths, SESSION_GAP_MS, type PathsSpec } from './spec.ts';
export { pathsSql, pathsRangeMs } from './sql.ts';

/** One edge of the paths: from `source` at step `step` to `target` at step `step + 1`. */
export interface PathsRow {
  /** 1-based position of the source in the path. */
  step: number;
  source: string;
  /** The next item; `"other"` (with `other: true`) for the edges `min_sessions` and `max_edges` cut from this source. */
  target: string;
  /** Person-sessions that took the edge. */
  sessions: number;
  /** Distinct people who took it. */
  people: number;
  /** Mean seconds between the two items. */
  avg_seconds: number;
  other: boolean;
}

/** The sessions and people whose path reaches an item at a step (`meta.nodes`; the chart shows where paths end). */
export interface PathsNode {
  step: number;
  name: string;
  sessions: number;
  people: number;
}

/** Target name of the edge that sums what was cut from a source. */
export const OTHER_TARGET = 'other';

function formulaText(spec: PathsSpec): string {
  const from = spec.start_event === null ? 'the session\'s first event' : `the first ${spec.start_event}`;
  const to = spec.end_event === null ? '' : ` to the first ${spec.end_event} after it`;
  return `paths from ${from}${to}, ${spec.steps} steps, in sessions split after 30 minutes without an event, repeats collapsed; `
    + 'sessions = person-sessions that took an edge; people = distinct people; avg_seconds = mean time between its two steps';
}

/**
 * Shapes the edges: the largest first within each step, the "other" edges after the step's event
 * edges, and only edges whose source a first step reaches through the edges shown.
 */
function shapePaths(result: Table | null): { rows: PathsRow[]; nodes: PathsNode[]; sessions: number; people: number; unreachable: number } {
  let sessions = 0;
  let people = 0;
  const edges: PathsRow[] = [];
  const nodes: PathsNode[] = [];
  for (const row of result?.toArray() ?? []) {
    const kind = String(row.row_kind);
    const step = Number(row.step);
    if (kind === 'total') { sessions = Number(row.sessions); people = Number(row.people); continue; }
    if (kind === 'node') { nodes.push({ step, name: String(row.source), sessions: Number(row.sessions), people: Number(row.people) }); continue; }
    const count = Number(row.sessions);
    const other = kind === 'other';
    edges.push({
      step, source: String(row.source), target: other ? OTHER_TARGET : String(row.target),
      sessions: count, people: Number(row.people), avg_seconds: Number(row.total_ms) / count / 1000, other,
    });
  }
  const text = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  edges.sort((x, y) => x.step - y.step || Number(x.other) - Number(y.other) || y.sessions - x.sessions || text(x.source, y.source) || text(x.target, y.target));
  nodes.sort((x, y) => x.step - y.step || y.sessions - x.sessions || text(x.name, y.name));
  const reached = new Set<string>();
  const rows = edges.filter((edge) => {
    if (edge.step > 1 && !reached.has(`${edge.step}|${edge.source}`)) return false;
    if (!edge.other) reached.add(`${edge.step + 1}|${edge.target}`);
    return true;
  });
  return { rows, nodes, sessions, people, unreachable: edges.length - rows.length };
}

/**
 * Paths (kind `"paths"`): the edges between consecutive steps of people's sessions, from a start
 * event, to an end event, or both, for a Sankey diagram.
 *
 * @example
 * const { rows } = await runAnalysis(engine, { kind: 'paths', start_event: 'add_to_cart', steps: 4 });
 * // [{ step: 1, source: 'add_to_cart', target: 'checkout', sessions: 310, people: 287, avg_seconds: 48.2, other: false }, ...]
 */
export const paths: Analysis<PathsSpec, PathsRow> = {
  kind: KIND,
  title: 'Paths: what people do next (or did before), step by step through their sessions',
  formula: 'sessions = person-sessions that took the edge; people = distinct people; avg_seconds = mean time between the two steps',
  validate: validatePaths,
  events: (spec) => specEvents(spec, ['start_event', 'end_event']),
  sql: (spec, table, catalog) => pathsSql(spec, table, catalog),
  shape(result: Table | null, spec) {
    const { rows, nodes, sessions, people, unreachable } = shapePaths(result);
    return {
      rows,
      meta: {
        formula: formulaText(spec),
        sessions, people,
        edges: rows.filter((row) => !row.other).length,
        cut_sessions: rows.filter((row) => row.other).reduce((sum, row) => sum + row.sessions, 0),
        unreachable_edges: unreachable,
        nodes,
      },
    };
  },
};

registerAnalysis(paths);
