import type { Cell } from './notebook.ts';

/**
 * Cohort cells: ```` ```cohort id=activated ```` holds a cohort's definition as JSON
 * (`{"match": "all", "rules": [...]}`, or `{"user_ids": [...]}` for a static cohort); its name is
 * the cell's id. Other cells name it (`"cohort": "activated"`, `"breakdown_cohorts": [...]`,
 * `{"in_cohort": "activated"}`); the notebook puts the definitions in before a spec runs, so the
 * analytics layer sees only definitions, and the cell graph orders (and finds cycles among) the
 * cells by these names.
 */

/** Whether a cell is a cohort cell. */
export function isCohortCell(cell: Cell): boolean {
  return cell.kind === 'analysis' && cell.analysis === 'cohort';
}

function parse(source: string): unknown {
  try {
    return source.trim() === '' ? {} : JSON.parse(source);
  } catch {
    return undefined;
  }
}

/**
 * The cohort names a spec (or a cohort definition) names, outside of definitions given inline
 * with their own rules (whose names count too).
 *
 * @example
 * cohortNames({ cohort: 'activated', breakdown_cohorts: ['paid', { name: 'x', rules: [{ in_cohort: 'y' }] }] }) // ['activated', 'paid', 'y']
 */
export function cohortNames(spec: unknown): string[] {
  const names: string[] = [];
  const cohortValue = (value: unknown) => {
    if (typeof value === 'string') names.push(value);
    else definition(value);
  };
  const definition = (value: unknown) => {
    if (!value || typeof value !== 'object') return;
    const rules = (value as { rules?: unknown }).rules;
    if (!Array.isArray(rules)) return;
    for (const rule of rules) {
      if (!rule || typeof rule !== 'object') continue;
      if ('in_cohort' in rule) cohortValue(rule.in_cohort);
      if ('not_in_cohort' in rule) cohortValue(rule.not_in_cohort);
    }
  };
  if (spec && typeof spec === 'object') {
    const s = spec as Record<string, unknown>;
    if ('cohort' in s) cohortValue(s.cohort);
    if (Array.isArray(s.breakdown_cohorts)) s.breakdown_cohorts.forEach(cohortValue);
    if ('funnel' in s) cohortNames(s.funnel).forEach((n) => names.push(n));
    definition(s);
  }
  return [...new Set(names)];
}

/**
 * The names a cell's text reads as cohorts: an analysis cell's spec fields, a cohort cell's
 * `in_cohort` rules. Text that is not JSON names none (running it says why).
 */
export function cellCohortNames(cell: Cell): string[] {
  if (cell.kind !== 'analysis') return [];
  const parsed = parse(cell.source);
  if (isCohortCell(cell)) {
    const body = parsed as Record<string, unknown> | undefined;
    return body && 'cohort' in body ? cohortNames(body) : cohortNames({ cohort: { ...body, rules: body?.rules } });
  }
  return cohortNames(parsed);
}

/**
 * A cohort cell's definition: its JSON body, named by the cell's id (a `name` in the body gives
 * way to it). Undefined when the body is not a JSON object (running the cell says why).
 *
 * @example
 * cohortDefinition({ kind: 'analysis', analysis: 'cohort', name: 'buyers', source: '{"rules": [{"did": "purchase"}]}', id: '1' })
 * // { name: 'buyers', rules: [{ did: 'purchase' }] }
 */
export function cohortDefinition(cell: Cell): Record<string, unknown> | undefined {
  const body = parse(cell.source);
  if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const record = body as Record<string, unknown>;
  if ('cohort' in record && record.cohort && typeof record.cohort === 'object') return { ...(record.cohort as object), ...(cell.name ? { name: cell.name } : {}) };
  return { ...record, ...(cell.name ? { name: cell.name } : {}) };
}

/**
 * A spec with every cohort name replaced by its definition (definitions' own names too);
 * `definitionOf` finds a cohort cell's definition by name. A name reached again through its own
 * rules is a cycle.
 *
 * @example
 * inlineCohorts({ kind: 'retention', cohort: 'buyers' }, (n) => cells.get(n)) // { kind: 'retention', cohort: { name: 'buyers', rules: [...] } }
 */
export function inlineCohorts<T extends Record<string, unknown>>(spec: T, definitionOf: (name: string) => Record<string, unknown> | undefined): T {
  const value = (v: unknown, path: string[]): unknown => {
    if (typeof v === 'string') {
      if (path.includes(v)) throw new Error(`cohort cycle: ${[...path, v].join(' → ')}`);
      const found = definitionOf(v);
      return found ? definition(found, [...path, v]) : v;
    }
    return definition(v, path);
  };
  const definition = (v: unknown, path: string[]): unknown => {
    if (!v || typeof v !== 'object' || !Array.isArray((v as { rules?: unknown }).rules)) return v;
    const d = v as { name?: unknown; rules: unknown[] };
    const inner = typeof d.name === 'string' && !path.includes(d.name) ? [...path, d.name] : path;
    return {
      ...d,
      rules: d.rules.map((rule) => {
        if (!rule || typeof rule !== 'object') return rule;
        const r = rule as Record<string, unknown>;
        if ('in_cohort' in r) return { ...r, in_cohort: value(r.in_cohort, inner) };
        if ('not_in_cohort' in r) return { ...r, not_in_cohort: value(r.not_in_cohort, inner) };
        return r;
      }),
    };
  };
  const out: Record<string, unknown> = { ...spec };
  if ('cohort' in out) out.cohort = value(out.cohort, []);
  if (Array.isArray(out.breakdown_cohorts)) out.breakdown_cohorts = out.breakdown_cohorts.map((c) => value(c, []));
  if (out.funnel && typeof out.funnel === 'object') out.funnel = inlineCohorts(out.funnel as Record<string, unknown>, definitionOf);
  return out as T;
}
