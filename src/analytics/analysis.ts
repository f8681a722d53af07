import type { Table } from 'apache-arrow';
import type { Engine, QueryOptions } from '../engine/index.ts';
import { closestName, readEventCatalog, type EventCatalog } from './event-catalog.ts';
import type { BoundSql } from './where.ts';

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

/**
 * Validates a spec, runs its SQL on the engine and shapes the rows.
 *
 * @example
 * const { rows } = await runAnalysis(engine, { kind: 'retention', period: 'week' });
 */
export async function runAnalysis(
  engine: Engine | null, spec: { kind?: unknown; [field: string]: unknown }, options: QueryOptions & { table?: string } = {},
): Promise<AnalysisResult> {
  if (!spec || typeof spec !== 'object') throw new Error('a spec must be a JSON object with a "kind"');
  const kind = spec.kind;
  const analysis = typeof kind === 'string' ? registry.get(kind) : undefined;
  if (!analysis) {
    throw new Error(`unknown analysis kind ${JSON.stringify(kind)} (known kinds: ${analysisKinds().join(', ') || 'none yet'})`);
  }
  const table = options.table ?? 'events';
  const usesEvents = analysis.needsEvents ? analysis.needsEvents(spec as never) : true;
  if (usesEvents && !engine) throw new Error(`a ${analysis.kind} analysis needs an event log (--events FILE)`);
  const catalog = usesEvents && engine ? await readEventCatalog(engine, table) : EMPTY_CATALOG;
  const normalised = analysis.validate(spec, catalog);
  let result: Table | null = null;
  let seconds = 0;
  if (usesEvents && engine && analysis.sql) {
    const { sql, params } = analysis.sql(normalised, table, catalog);
    const started = performance.now();
    result = await engine.query(sql, params, options);
    seconds = (performance.now() - started) / 1000;
  }
  const shaped = analysis.shape(result, normalised, catalog);
  const warnings = [
    ...(usesEvents && analysis.events ? missingEventWarnings(analysis.events(normalised), catalog) : []),
    ...((shaped.meta?.warnings as string[] | undefined) ?? []),
  ];
  const meta = { formula: analysis.formula, spec: normalised, engine: engine?.kind ?? null, query_seconds: seconds, ...shaped.meta, warnings };
  return { kind: analysis.kind, rows: shaped.rows, meta };
}
