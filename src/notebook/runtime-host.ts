import type { ColumnTable } from 'arquero';
import type { ParsedSql, SqlValue } from '../engine/index.ts';

/** What an analysis returns: `{kind, rows, meta}`, as `cohortbook analyze` prints it. */
export interface AnalysisRunResult {
  kind: string;
  rows: Record<string, unknown>[];
  meta: Record<string, unknown>;
}

/**
 * What the notebook runtime needs from the database: SQL to Arquero tables, named tables, Arquero
 * tables made queryable from SQL, analyses, and the names JS cells get in scope. `createEngineHost`
 * provides one over any engine (the browser's worker, DuckDB-WASM or native DuckDB in Node).
 *
 * @example
 * const runtime = new NotebookRuntime(createEngineHost(engine));
 */
export interface RuntimeHost {
  /** Runs a query on the engine and returns its rows as an Arquero table. */
  sql(query: string, options?: { signal?: AbortSignal; params?: SqlValue[] }): Promise<ColumnTable>;
  /** Makes an Arquero table queryable from SQL under `name`. */
  registerTable(name: string, table: ColumnTable): Promise<void>;
  /** `CREATE OR REPLACE TABLE name AS query` for one query; returns the table's rows. */
  createTable(name: string, query: string, options?: { signal?: AbortSignal; params?: SqlValue[] }): Promise<ColumnTable>;
  /** What DuckDB's parser makes of SQL text: its statements and the tables they read. */
  parseSql(sql: string): Promise<ParsedSql>;
  /** Runs an analysis spec (`{kind, ...}`) on the events. */
  analyze(spec: { kind: string; [key: string]: unknown }, options?: { signal?: AbortSignal }): Promise<AnalysisRunResult>;
  /** The names every JS cell has in scope: `aq`, `Plot`, `sql`, `retention(spec)`, ... */
  builtins(): Record<string, unknown>;
  /**
   * The warnings of a value a builtin returned (an analysis's table: `meta.warnings`), so that a JS
   * cell that calls `funnel(...)` shows them as an analysis cell does.
   */
  warningsOf?(value: unknown): string[];
}
