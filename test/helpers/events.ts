import type { Engine, LoadSummary, MappingOverrides } from '../../src/engine/index.ts';
import { loadEvents, loadEventsInto } from '../../src/engine/index.ts';
import { testReader } from './engines.ts';

/** One event of a tiny test log; `ts` is ISO text (UTC unless it carries an offset). */
export interface TestEvent {
  user_id: string | null;
  event: string;
  ts: string;
  revenue?: number | null;
  [property: string]: unknown;
}

/**
 * Loads a tiny log through the real loader (NDJSON → DuckDB → `events` view), so tests see the
 * same path a person's file takes. A ClickHouse engine gets it as `cohortbook --engine clickhouse`
 * does: read by native DuckDB (`testReader`), copied to ClickHouse.
 */
export async function loadTestEvents(
  engine: Engine, events: TestEvent[], options: { source?: string; mapping?: MappingOverrides } = {},
): Promise<LoadSummary> {
  const text = events.map((e) => JSON.stringify(e)).join('\n');
  const file = { name: `${options.source ?? 'test_events'}.ndjson`, bytes: new TextEncoder().encode(text) };
  if (engine.kind === 'clickhouse') {
    return loadEventsInto(engine, await testReader(), file, options);
  }
  return loadEvents(engine, file, options);
}

/** Rows of an Arrow-backed query as plain objects. */
export async function queryRows(engine: Engine, sql: string, params: (string | number | boolean | null)[] = []) {
  return (await engine.query(sql, params)).toArray().map((row) => ({ ...row.toJSON() }));
}
