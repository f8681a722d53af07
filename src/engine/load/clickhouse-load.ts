import type { Engine } from '../engine.ts';
import { quoteIdent } from '../sql.ts';
import { activateSource, loadEvents, type EventFile, type LoadOptions, type LoadSummary } from './load-events.ts';

/**
 * Loads an event log into a ClickHouse engine exactly as the DuckDB engines load it: DuckDB
 * (`duckdb`, an engine of either DuckDB kind) reads and maps the file with the one loader every
 * engine uses (same mapping, timestamps, user ids, skipped rows, messages), then the mapped source
 * and its event catalog are copied to ClickHouse as Arrow, and `events` points at them there.
 * `duckdb` is left with the source loaded; the caller closes it.
 *
 * @example
 * const summary = await loadEventsInto(clickhouse, await createNodeEngine('native'), { name: 'events.csv', bytes });
 */
export async function loadEventsInto(
  target: Engine, duckdb: Engine, file: EventFile | EventFile[], options: LoadOptions = {},
): Promise<LoadSummary> {
  const summary = await loadEvents(duckdb, file, { ...options, activate: false });
  await copyTable(duckdb, target, summary.source);
  await copyTable(duckdb, target, `${summary.source}__catalog`);
  if (options.activate ?? true) await activateSource(target, summary.source);
  return summary;
}

/** Copies table `name` between engines of any kind, through Arrow. */
export async function copyTable(from: Engine, to: Engine, name: string): Promise<void> {
  await to.insertArrow(name, await from.query(`SELECT * FROM ${quoteIdent(name)}`));
}
