import type { ColumnTable } from 'arquero';
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

/**
 * Runs a SQL cell: a named cell becomes a DuckDB table of that name (and an Arquero table for JS
 * cells); an unnamed one just runs. Arquero tables it reads from JS or analysis cells are
 * registered into DuckDB first, under their names.
 *
 * @example
 * const top = await runSqlCell(host, 'SELECT * FROM events LIMIT 5', 'sample', {}, { signal });
 */
export async function runSqlCell(
  host: RuntimeHost, sql: string, name: string | undefined, tables: Record<string, unknown>, options: { signal?: AbortSignal },
): Promise<ColumnTable | undefined> {
  for (const [tableName, value] of Object.entries(tables)) {
    if (isArqueroTable(value)) await host.registerTable(tableName, value);
  }
  if (isEmptySql(sql)) return undefined;
  const query = sql.trim().replace(/;\s*$/, '');
  return name ? host.createTable(name, query, options) : host.sql(query, options);
}

function isEmptySql(sql: string): boolean {
  return sql.replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, '').trim().replace(/;/g, '') === '';
}
