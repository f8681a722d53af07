import type { Engine } from '../engine.ts';
import { quoteIdent } from '../sql.ts';
import type { ColumnMapping, MappingOverrides } from './column-mapping.ts';
import type { FileFormat } from './file-format.ts';
import { databaseReason, LoadError } from './load-error.ts';
import type { CsvOptions } from './read-raw.ts';
import type { TimestampRule } from './timestamp-rule.ts';
import type { TextEncoding } from './text-encoding.ts';
import { EVENTS_CATALOG, freeSourceName, sourceNameProblem } from './source-name.ts';
import { EventImport } from './event-import.ts';

/** A file handed to the loader: its name (which tells the format) and its bytes. */
export interface EventFile {
  name: string;
  bytes: Uint8Array;
}

export interface LoadOptions extends CsvOptions {
  /**
   * The table the mapped events are kept in; defaults to a name made from the file name that no
   * other table has (see `freeSourceName`).
   */
  source?: string;
  /** Overrides for the guessed mapping. */
  mapping?: MappingOverrides;
  /** Overrides the format the file name suggests. */
  format?: FileFormat;
  /** Whether `events` should point at this source afterwards (default true). */
  activate?: boolean;
  /**
   * The IANA zone the file's wall-clock times are in (`Europe/London`); times that carry an offset
   * or are epoch numbers are not affected. Default: UTC.
   */
  timezone?: string;
}

/** A column of the loaded source with its DuckDB type. */
export interface SourceColumn {
  name: string;
  type: string;
}

/** What a load did, as `cohortbook load` prints it and the data panel shows it. */
export interface LoadSummary {
  source: string;
  file: string;
  format: FileFormat;
  mapping: ColumnMapping;
  timestamps: TimestampRule;
  /** Events kept in the `events` view. */
  rows: number;
  users: number;
  /** Rows left out: no user id, or no timestamp. */
  skipped_rows: number;
  skipped: { no_user_id: number; no_ts: number };
  first_ts: string | null;
  last_ts: string | null;
  /** Columns of the mapped source, canonical ones first. */
  columns: SourceColumn[];
  /** Columns of the file as read, for choosing another mapping. */
  file_columns: SourceColumn[];
  /** The files read, in order (one, or several read as one log). */
  files?: string[];
  /** The encoding text was read in (`utf-8`, `windows-1251`, ...); null for binary formats. */
  encoding?: TextEncoding | null;
  /** Columns whose type differs between the files, read as text (or DOUBLE when all are numbers). */
  widened_columns?: string[];
  /** Rows that also occur, identical, in another of the files: kept, and counted here. */
  duplicate_rows?: number;
  /** Whether `hash(user_id)` tells the people apart (see the catalog). */
  user_hash_unique?: boolean;
}

/**
 * Loads an event log into `source` and points the canonical `events` view at it. Only the mapped
 * events are kept (a new mapping re-reads the file). Several files are one log (see
 * `EventImport.open`). The file is read into staging tables first: if anything is wrong, the
 * error names the file, column and row, and whatever was loaded before stays as it was.
 *
 * @example
 * const summary = await loadEvents(engine, { name: 'orders.csv', bytes }, { mapping: { event: ':purchase' } });
 * summary.rows; // events kept
 */
export async function loadEvents(engine: Engine, file: EventFile | EventFile[], options: LoadOptions = {}): Promise<LoadSummary> {
  const files = Array.isArray(file) ? file : [file];
  if (files.length === 0) throw new Error('loadEvents needs at least one file');
  const name = files[0].name;
  const problem = options.source === undefined ? null : sourceNameProblem(options.source);
  if (problem) throw new LoadError(name, `cannot be loaded as "${options.source}": ${problem}`);
  if (files[0].bytes.length === 0) throw new LoadError(name, 'is empty');
  const source = options.source ?? await freeSourceName(engine, name);
  try {
    const session = await EventImport.open(engine, source, files, options);
    try {
      await session.preview({ mapping: options.mapping, timezone: options.timezone });
      const summary = await session.commit();
      if (options.activate ?? true) await activateSource(engine, source);
      return { ...summary, columns: await describeTable(engine, source) };
    } finally {
      await session.close();
    }
  } catch (error) {
    throw asLoadError(name, error);
  }
}

/**
 * Any error of a load as a `LoadError`: one the loader knew to look for as it is, anything else
 * in a sentence with the database's reason (never its raw text alone).
 */
export function asLoadError(file: string, error: unknown): LoadError {
  if (error instanceof LoadError) return error;
  return new LoadError(file, `could not be loaded (${databaseReason(error)}); nothing loaded before was changed. `
    + 'If the file opens in a spreadsheet, please report this with its first lines', { cause: error });
}

async function describeTable(engine: Engine, table: string): Promise<SourceColumn[]> {
  return (await engine.query(`DESCRIBE ${quoteIdent(table)}`)).toArray()
    .map((row) => ({ name: String(row.column_name), type: String(row.column_type) }));
}

/** Points the canonical `events` view at a loaded source. */
export async function activateSource(engine: Engine, source: string): Promise<void> {
  await engine.exec(`CREATE OR REPLACE VIEW events AS SELECT * FROM ${quoteIdent(source)};
    CREATE OR REPLACE VIEW ${EVENTS_CATALOG} AS SELECT * FROM ${quoteIdent(catalogTable(source))}`);
}

export { EVENTS_CATALOG };

function catalogTable(source: string): string {
  return `${source}__catalog`;
}

/** Removes a loaded source (and `events`, if it pointed there). */
export async function removeSource(engine: Engine, source: string, wasActive: boolean): Promise<void> {
  if (wasActive) await engine.exec(`DROP VIEW IF EXISTS events; DROP VIEW IF EXISTS ${EVENTS_CATALOG}`);
  await engine.exec(`DROP TABLE IF EXISTS ${quoteIdent(source)}; DROP TABLE IF EXISTS ${quoteIdent(catalogTable(source))}`);
}
