import type { Cell, CellState, DataSource } from '../notebook/index.ts';
import { columnsOf, isTableLike } from './table-data.ts';

/** A column a cell can read, with its DuckDB type (or the type its values show, for cell results). */
export interface SchemaColumn {
  name: string;
  type: string;
}

/** What a kind of name is, for the completion list's icon and detail. */
export type SchemaNameKind = 'table' | 'input' | 'value' | 'builtin';

/**
 * What the editors complete from: every table a cell can read with its columns, the log's event
 * names, the names JS cells can read, and DuckDB's own functions and keywords. Rebuilt when data
 * loads or a cell's result changes.
 */
export interface LiveSchema {
  /** Table name → columns: `events`, each loaded source's table, every named cell result. */
  tables: Record<string, SchemaColumn[]>;
  /** Where each table comes from (`the events view`, `SQL cell`, `source orders.csv`), for hover text. */
  origins: Record<string, string>;
  /** The event names of the active log. */
  events: string[];
  /** The names JS cells may read: cell declarations and builtins. */
  names: { name: string; kind: SchemaNameKind }[];
  /** DuckDB's function names, from `duckdb_functions()`. */
  functions: string[];
  /** DuckDB's keywords, from `duckdb_keywords()`. */
  keywords: string[];
}

export const EMPTY_SCHEMA: LiveSchema = { tables: {}, origins: {}, events: [], names: [], functions: [], keywords: [] };

export interface SchemaInput {
  sources: DataSource[];
  active: DataSource | null;
  events: string[];
  cells: Cell[];
  state: (id: string) => CellState;
  /** The values a cell defines, by name, once it ran. */
  outputs: (id: string) => Record<string, unknown> | undefined;
  builtins: string[];
  functions: string[];
  keywords: string[];
}

/**
 * The live schema of a notebook: the `events` view and every loaded source from the loader's own
 * column list (DuckDB types), then every cell's named table result (types from its values).
 *
 * @example
 * const schema = liveSchema({ sources, active, events, cells, state: (id) => runtime.state(id), outputs: (id) => runtime.outputsOf(id), builtins: ['aq', 'Plot'], functions, keywords });
 * schema.tables.events.map((c) => c.name); // ['user_id', 'event', 'ts', 'revenue', 'platform', ...]
 */
export function liveSchema(input: SchemaInput): LiveSchema {
  const tables: Record<string, SchemaColumn[]> = {};
  const origins: Record<string, string> = {};
  if (input.active) {
    tables.events = input.active.summary.columns.map(({ name, type }) => ({ name, type }));
    origins.events = `the events view (${input.active.file.name})`;
  }
  for (const source of input.sources) {
    tables[source.source] = source.summary.columns.map(({ name, type }) => ({ name, type }));
    origins[source.source] = `the loaded file ${source.file.name}`;
  }
  const names: LiveSchema['names'] = [];
  for (const cell of input.cells) {
    const values = input.outputs(cell.id) ?? {};
    for (const name of input.state(cell.id).declarations) {
      const value = values[name];
      const table = isTableLike(value) ? value : null;
      names.push({ name, kind: cell.kind === 'input' ? 'input' : table || cell.kind === 'sql' || cell.kind === 'analysis' ? 'table' : 'value' });
      if (!table) continue;
      tables[name] = columnsOf(table, table.objects({ limit: 200 }));
      origins[name] = cell.kind === 'sql' ? 'a SQL cell' : cell.kind === 'analysis' ? `a ${cell.analysis ?? 'analysis'} cell` : 'a JavaScript cell';
    }
  }
  for (const name of input.builtins) names.push({ name, kind: 'builtin' });
  return { tables, origins, events: input.events, names, functions: input.functions, keywords: input.keywords };
}
