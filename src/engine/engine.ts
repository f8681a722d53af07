import type { Table } from 'apache-arrow';
import type { JsonRecordBytes } from './load/json-records.ts';
import type { ParsedSql } from './sql-parse.ts';

/** A value bound to a `?` placeholder. Bound values are never pasted into SQL text. */
export type SqlValue = string | number | boolean | null;

/**
 * Which database runs the SQL. The DuckDB engines (`wasm`, `native`) get the same SQL text;
 * `clickhouse` (chDB in process) gets the ClickHouse dialect of it (see `dialect/`). All must
 * return the same rows.
 */
export type EngineKind = 'wasm' | 'native' | 'clickhouse';

export interface QueryOptions {
  /** Aborting the signal cancels the running query; the promise then rejects with `QueryCancelledError`. */
  signal?: AbortSignal;
}

/** The type a JSON field is read as; see `Engine.insertJSON`. */
export type JsonFieldType = 'VARCHAR' | 'DOUBLE' | 'BOOLEAN';

/**
 * The one contract every database implementation fulfils: DuckDB-WASM in a Web Worker (browser),
 * DuckDB-WASM in Node (tests, CLI default) and native DuckDB (`--engine native`).
 *
 * Results are Apache Arrow tables; integers arrive as JS numbers and timestamps as epoch
 * milliseconds on every engine, so callers never see engine-specific values.
 *
 * @example
 * const engine = await createNodeEngine();
 * const table = await engine.query('SELECT count(*) AS n FROM events WHERE event = ?', ['signup']);
 * table.get(0)?.n; // 1234
 */
export interface Engine {
  readonly kind: EngineKind;
  /** Runs one statement and returns its rows. Placeholders `?` take `params` in order. */
  query(sql: string, params?: readonly SqlValue[], options?: QueryOptions): Promise<Table>;
  /** Runs statements whose results are not needed (DDL, SET, several statements separated by `;`). */
  exec(sql: string): Promise<void>;
  /**
   * What DuckDB's own parser makes of SQL text: its statements and the tables they read. Runs
   * beside queries (a long query does not delay it) and never reads a table's rows.
   */
  parseSql(sql: string): Promise<ParsedSql>;
  /**
   * Makes bytes readable by SQL table functions (`read_csv`, ...); returns the path to use in SQL.
   * Registered files are the only ones DuckDB may read: external access is off on every engine.
   */
  registerFile(name: string, bytes: Uint8Array): Promise<string>;
  /** Forgets a file registered earlier. */
  dropFile(name: string): Promise<void>;
  /** Creates (or replaces) table `name` from an Arrow table or Arrow IPC stream bytes. */
  insertArrow(name: string, data: Table | Uint8Array): Promise<void>;
  /** Creates (or replaces) table `name` from a registered JSON array file with the given fields. */
  insertJSON(name: string, path: string, fields: Record<string, JsonFieldType>): Promise<void>;
  /** Creates (or replaces) table `name` from Parquet bytes. */
  insertParquet(name: string, bytes: Uint8Array): Promise<void>;
  /**
   * Reads a JSON or NDJSON log's bytes as `jsonRecordBytes` does, away from the caller's thread
   * (the browser's engine parses in a worker so the page never freezes); failures are the same
   * `LoadError`s. Engines without it leave the parsing to the loader, in place.
   */
  readJSONRecords?(file: string, bytes: Uint8Array): Promise<JsonRecordBytes>;
  /** Cancels the query that is running, if any; true when one was cancelled. */
  cancel(): Promise<boolean>;
  /** Releases the database; the engine is unusable afterwards. */
  close(): Promise<void>;
}

/** An error raised by the database, carrying the SQL that caused it (as Mosaic's query errors do). */
export class QueryError extends Error {
  readonly sql: string;
  constructor(message: string, sql: string, options?: { cause?: unknown }) {
    super(`${message}\nSQL: ${sql.length > 2000 ? sql.slice(0, 2000) + '…' : sql}`, options);
    this.name = 'QueryError';
    this.sql = sql;
  }
  /** The database's own message without the SQL appended. */
  get reason(): string {
    return this.message.slice(0, this.message.indexOf('\nSQL: '));
  }
}

/** Raised when a query was cancelled through `Engine.cancel` or an aborted signal. */
export class QueryCancelledError extends Error {
  constructor() {
    super('query cancelled');
    this.name = 'QueryCancelledError';
  }
}

/** Extracts a readable message from DuckDB-WASM's JSON-encoded exceptions. */
export function databaseMessage(error: unknown): string {
  const raw = error instanceof Error ? error.message : String(error);
  try {
    const parsed = JSON.parse(raw) as { exception_type?: string; exception_message?: string };
    if (parsed.exception_message) return `${parsed.exception_type ?? 'Error'} Error: ${parsed.exception_message}`;
  } catch {
    // not JSON: the message is already plain text
  }
  return raw;
}
