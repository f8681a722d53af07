import type { ColumnTable } from 'arquero';
import type { ParsedSql, SqlStatement, SqlValue } from '../engine/index.ts';
import type { RuntimeHost } from './runtime-host.ts';

/**
 * Whether a value is an Arquero table (by shape, so tables from another copy of Arquero count too).
 *
 * @example
 * isArqueroTable(aq.table({ x: [1, 2] })); // true
 */
export function isArqueroTable(value: unknown): value is ColumnTable {
  const table = value as { numRows?: unknown; columnNames?: unknown } | null;
  return typeof table === 'object' && table !== null && typeof table.numRows === 'function' && typeof table.columnNames === 'function';
}

/** A SQL cell that holds more than one statement: none of them runs. Line and column point at the second. */
export class MultipleStatementsError extends Error {
  readonly line: number;
  readonly column: number;
  constructor(statements: readonly SqlStatement[]) {
    const second = statements[1];
    super(`a SQL cell runs one statement, and this one holds ${statements.length} (the second begins at line ${second.line}, column ${second.column}): put each in a cell of its own`);
    this.name = 'MultipleStatementsError';
    this.line = second.line;
    this.column = second.column;
  }
}

/**
 * The one statement a SQL cell runs, as DuckDB's tokenizer split its text (without a trailing
 * `;`); undefined for a cell of only comments. Several statements are an error: each statement
 * is a cell of its own, so the dependency graph and the cell's table mean one thing.
 *
 * @example
 * cellStatement(await engine.parseSql('SELECT 1; -- done')); // 'SELECT 1'
 */
export function cellStatement(parsed: ParsedSql): string | undefined {
  if (parsed.statements.length > 1) throw new MultipleStatementsError(parsed.statements);
  return parsed.statements[0]?.text;
}

/**
 * Runs a SQL cell: a named cell becomes a DuckDB table of that name (and an Arquero table for JS
 * cells); an unnamed one just runs. Arquero tables it reads from JS or analysis cells are
 * registered into DuckDB first, under their names. `parsed` is what DuckDB's parser made of the
 * cell's text; exactly one statement runs, with `params` bound to its `?` (a cell's `${values}`).
 *
 * @example
 * const top = await runSqlCell(host, await host.parseSql(sql), 'sample', {}, { signal });
 */
export async function runSqlCell(
  host: RuntimeHost, parsed: ParsedSql, name: string | undefined, tables: Record<string, unknown>, options: { signal?: AbortSignal; params?: SqlValue[] },
): Promise<ColumnTable | undefined> {
  const statement = cellStatement(parsed);
  for (const [tableName, value] of Object.entries(tables)) {
    if (isArqueroTable(value)) await host.registerTable(tableName, value);
  }
  if (statement === undefined) return undefined;
  return name ? host.createTable(name, statement, options) : host.sql(statement, options);
}
