import type { Table } from 'apache-arrow';
import type { Engine, QueryOptions } from '../engine/index.ts';
import { closestName, readEventCatalog, type EventCatalog } from './event-catalog.ts';
import type { BoundSql } from './where.ts';
import { COHORT_SOURCE, cohortSourceCtes, withCtes } from './cohort-sql.ts';
import { takeCohorts } from './cohort-fields.ts';
import type { CohortLookup } from './cohort-spec.ts';

/**
 * What every analysis returns, and what `cohortbook analyze` prints. `meta.warnings` says what a
 * person should know about a result that still ran (an event name that never occurs); it is empty
 * when there is nothing to say.
 */
export interface AnalysisResult<Row = Record<string, unknown>> {
  kind: string;
  rows: Row[];
  meta: Record<string, unknown> & { warnings: string[] };
}

/** An event name a spec asks about, and the field it came from (`steps[2]`, `start_event`). */
export interface SpecEventName {
  field: string;
  event: string;
}

/**
 * One analysis, in the shape of Arquero's `pivot`/`_pivot` split: `validate` turns a person's spec
 * into a normalised one (or throws a `SpecError`), `sql` builds the query from it, `shape` turns the
 * Arrow result into rows. All three are pure; `runAnalysis` does the I/O.
 */
export interface Analysis<Spec = any, Row = any> {
  kind: string;
  /** A one-line description for help texts and the notebook's analysis picker. */
  title: string;
  /** The formula shown next to the result, in plain words. */
  formula?: string;
  /** Whether the analysis reads the event log; `ab_test` from counts does not. */
  needsEvents?: (spec: Spec) => boolean;
  validate(spec: unknown, catalog: EventCatalog): Spec;
  /**
   * The event names the normalised spec asks about. One that never occurs is not an error: the
   * analysis counts nobody for it and `runAnalysis` adds a warning.
   */
  events?(spec: Spec): SpecEventName[];
  /** `catalog` says what the data allows, such as grouping people by `hash(user_id)`. */
  sql?(spec: Spec, table: string, catalog?: EventCatalog): BoundSql;
  shape(result: Table | null, spec: Spec, catalog: EventCatalog): { rows: Row[]; meta?: Record<string, unknown> };
  /**
   * The row field this analysis's charts split by (`breakdown`): with `breakdown_cohorts` and no
   * breakdown of its own, each row carries its cohort there too, so the charts show the groups.
   */
  breakdownField?: string;
  /** False for analyses whose spec's `cohort` field means something else (the cohort analysis). */
  takesCohorts?: boolean;
}

const registry = new Map<string, Analysis>();

/** Makes an analysis available to `runAnalysis`, the CLI and the notebook. */
export function registerAnalysis<Spec, Row>(analysis: Analysis<Spec, Row>): void {
  registry.set(analysis.kind, analysis as Analysis);
}

/** The analyses known, by kind. */
export function analysisKinds(): string[] {
  return [...registry.keys()].sort();
}

export function getAnalysis(kind: string): Analysis | undefined {
  return registry.get(kind);
}

const EMPTY_CATALOG: EventCatalog = { events: [], columns: [], firstTs: null, lastTs: null };

/**
 * The warnings for event names that never occur in the data, each with a "did you mean" when a
 * close name does: `steps[2]: "step three" never occurs in the data (did you mean "step_three"?)`.
 *
 * @example
 * missingEventWarnings([{ field: 'start_event', event: 'sign_up' }], catalog);
 */
export function missingEventWarnings(names: SpecEventName[], catalog: EventCatalog): string[] {
  const known = new Set(catalog.events);
  return names.filter(({ event }) => !known.has(event)).map(({ field, event }) => {
    const guess = closestName(event, catalog.events);
    return `${field}: "${event}" never occurs in the data${guess ? ` (did you mean "${guess}"?)` : ''}`;
  });
}

/** What `runAnalysis` takes besides the spec. */
export interface RunOptions extends QueryOptions {
  /** The events table (default `events`). */
  table?: string;
  /** Finds a cohort's definition by the name a spec gives (the notebook's cohort cells). */
  cohorts?: CohortLookup;
}

/**
 * Validates a spec, runs its SQL on the engine and shapes the rows. `cohort` (keep only its
 * members) and `breakdown_cohorts` (one result per cohort, each row with `breakdown_cohort`) work
 * on every analysis the same way: the analysis reads the cohort's events through one shared set of
 * CTEs (`cohort-sql.ts`) instead of the table.
 *
 * @example
 * const { rows } = await runAnalysis(engine, { kind: 'retention', period: 'week' });
 */
export async function runAnalysis(
  engine: Engine | null, spec: { kind?: unknown; [field: string]: unknown }, options: RunOptions = {},
): Promise<AnalysisResult> {
  if (!spec || typeof spec !== 'object') throw new Error('a spec must be a JSON object with a "kind"');
  const kind = spec.kind;
  const analysis = typeof kind === 'string' ? registry.get(kind) : undefined;
  if (!analysis) {
    throw new Error(`unknown analysis kind ${JSON.stringify(kind)} (known kinds: ${analysisKinds().join(', ') || 'none yet'})`);
  }
  const { table: tableOption, cohorts: lookup, ...queryOptions } = options;
  const table = tableOption ?? 'events';
  const usesEvents = analysis.needsEvents ? analysis.needsEvents(spec as never) : true;
  if (usesEvents && !engine) throw new Error(`a ${analysis.kind} analysis needs an event log (--events FILE)`);
  const catalog = usesEvents && engine ? await readEventCatalog(engine, table) : EMPTY_CATALOG;
  const taken = takeCohorts(analysis, spec, catalog, lookup, usesEvents);
  const normalised = analysis.validate(taken.spec, catalog);
  const rows: Record<string, unknown>[] = [];
  const metas: Record<string, unknown>[] = [];
  let seconds = 0;
  for (const group of taken.groups) {
    let result: Table | null = null;
    if (usesEvents && engine && analysis.sql) {
      let query = analysis.sql(normalised, group.filter ? COHORT_SOURCE : table, catalog);
      if (group.filter) query = withCtes(query, cohortSourceCtes(group.filter, table));
      const started = performance.now();
      result = await engine.query(query.sql, query.params, queryOptions);
      seconds += (performance.now() - started) / 1000;
    }
    const shaped = analysis.shape(result, normalised, catalog);
    metas.push(shaped.meta ?? {});
    const label = group.label;
    const field = analysis.breakdownField;
    for (const row of shaped.rows as Record<string, unknown>[]) {
      if (label === null) rows.push(row);
      else rows.push({ ...row, ...(field && !(field in row) ? { [field]: label } : {}), breakdown_cohort: label });
    }
  }
  const warnings = [...new Set([
    ...(usesEvents && analysis.events ? missingEventWarnings([...analysis.events(normalised), ...taken.events], catalog) : []),
    ...metas.flatMap((m) => (m.warnings as string[] | undefined) ?? []),
  ])];
  const grouped = taken.groups.length > 1 || taken.groups[0].label !== null;
  const byCohort = grouped ? { by_cohort: Object.fromEntries(taken.groups.map((g, i) => [g.label, metas[i]])) } : {};
  const meta = {
    formula: analysis.formula, spec: { ...normalised, ...taken.fields }, engine: engine?.kind ?? null, query_seconds: seconds,
    ...metas[0], ...byCohort, warnings,
  };
  return { kind: analysis.kind, rows, meta };
}
