import { smallLogFiles } from './fixtures.ts';

/**
 * File names that once could not load (issue 15): the names of the tables cohortbook makes for
 * itself (`events`, its catalog, a loaded file's catalog and staging tables), names with spaces,
 * quotes, a leading digit, capitals, and the same file compressed. Each holds the small log
 * (fixtures.ts), so every one must load 5 events of 3 users.
 */
export const AWKWARD_FILE_NAMES = [
  'events.csv', 'events.csv.gz', 'catalog.parquet', 'Events.CSV', 'events', 'events__catalog', 'events__catalog.csv',
  'events_csv__catalog', 'events_csv__next.csv', 'events_csv__raw_next', 'my events (copy 2).csv', `it's "quoted".csv`, '2024-log.csv',
] as const;

/** The small log's bytes in the format a name says (CSV when it names none). */
export async function awkwardFileBytes(name: string): Promise<Uint8Array> {
  const files = await smallLogFiles();
  if (name.endsWith('.gz')) return files['small.csv.gz'];
  if (name.endsWith('.parquet')) return files['small.parquet'];
  return files['small.csv'];
}
