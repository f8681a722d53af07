/**
 * From a number on a chart to the people behind it: which result row a click on an analysis's
 * default chart points at, and the spec (with `people`) that lists that row's people.
 */

/** What the people list shows and runs. */
export interface PeopleRequest {
  /** A sentence naming the number: "2024-03-04 +2: 31 people". */
  title: string;
  spec: Record<string, unknown> & { kind: string };
}

/** The kinds whose default chart can be clicked, and the mark whose elements are the rows in order. */
const CLICKABLE: Record<string, string> = { retention: 'cell', funnel: 'bar', lifecycle: 'bar', stickiness: 'bar' };

/** Whether a kind's chart leads to people. */
export function hasPeople(kind: string): boolean {
  return kind in CLICKABLE;
}

/**
 * The index of the result row under a point of a chart: the element of the kind's row mark (the
 * first group of that mark, drawn one element per row, in row order) found at that point.
 *
 * @example
 * chartRowIndex('retention', shadowRoot, event.clientX, event.clientY) // 12
 */
export function chartRowIndex(kind: string, root: DocumentOrShadowRoot, x: number, y: number): number | null {
  const mark = CLICKABLE[kind];
  if (!mark) return null;
  for (const element of root.elementsFromPoint(x, y)) {
    const group = element.parentElement;
    if (element.tagName.toLowerCase() !== 'rect' || group?.getAttribute('aria-label') !== mark) continue;
    const svg = group.closest('svg');
    if (svg?.querySelector(`g[aria-label="${mark}"]`) !== group) continue;
    return [...group.children].filter((c) => c.tagName.toLowerCase() === 'rect').indexOf(element);
  }
  return null;
}

/** The cohort a `breakdown_cohorts` row belongs to, as a definition to keep. */
function groupCohort(spec: Record<string, unknown>, label: string): Record<string, unknown> | null {
  const list = Array.isArray(spec.breakdown_cohorts) ? spec.breakdown_cohorts as Record<string, unknown>[] : [];
  const own = list.find((d) => d && d.name === label);
  if (own) return own;
  const other = list.length === 1 && label === `not ${String(list[0].name)}` ? list[0] : null;
  return other ? { name: label, rules: [{ not_in_cohort: other }] } : null;
}

/**
 * The spec that lists the people behind a row of a result: retention (cohort, period), funnel
 * (people who reached the step), lifecycle (period, status), stickiness (k). Null when the row
 * has nobody or the kind has no people.
 *
 * @example
 * peopleRequest('lifecycle', { period: '2024-03-04', status: 'new', users: 12 }, { kind: 'lifecycle', period: 'week' })
 * // { title: '2024-03-04 new: 12 people', spec: { kind: 'lifecycle', period: 'week', people: { period: '2024-03-04', status: 'new' } } }
 */
export function peopleRequest(kind: string, row: Record<string, unknown>, spec: Record<string, unknown>): PeopleRequest | null {
  const users = Math.abs(Number(row.users ?? 0));
  if (!hasPeople(kind) || !(users > 0)) return null;
  const { breakdown_cohorts: _, kind: __, ...base } = spec;
  const label = typeof row.breakdown_cohort === 'string' ? row.breakdown_cohort : null;
  const out: Record<string, unknown> & { kind: string } = { ...base, kind };
  if (label) {
    const group = groupCohort(spec, label);
    if (!group) return null;
    out.cohort = spec.cohort ? { name: label, rules: [{ in_cohort: spec.cohort }, { in_cohort: group }] } : group;
  }
  const group = label ? ` (${label})` : '';
  const people = `${users.toLocaleString('en-US')} ${users === 1 ? 'person' : 'people'}`;
  if (kind === 'retention') {
    out.people = { cohort: row.cohort, period: row.period, ...(spec.breakdown ? { breakdown: row.breakdown ?? null } : {}) };
    return { title: `${row.cohort}${spec.breakdown ? ` · ${row.breakdown ?? '(none)'}` : ''} +${row.period}${group}: ${people}`, spec: out };
  }
  if (kind === 'funnel') {
    if (spec.breakdown) return null;
    out.people = { step: row.step, kind: 'reached' };
    return { title: `reached step ${row.step} (${row.event})${group}: ${people}`, spec: out };
  }
  if (kind === 'lifecycle') {
    out.people = { period: row.period, status: row.status };
    return { title: `${row.period} ${row.status}${group}: ${people}`, spec: out };
  }
  out.people = { periods_active: row.periods_active };
  return { title: `active in ${row.periods_active} ${spec.cumulative ? 'or more ' : ''}periods${group}: ${people}`, spec: out };
}
