import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import { getAnalysis, type ResultColumn } from '../analytics/index.ts';

/** The declared column types of the empty tables `resultTable` made (rows carry no types). */
const declared = new WeakMap<object, ResultColumn[]>();

/**
 * An analysis result's rows as the Arquero table a cell shows and other cells read. An empty result
 * still has its analysis's columns (`Analysis.columns`), so that SQL reading it sees an empty table
 * with them: a table of no columns cannot become a DuckDB table at all.
 *
 * @example
 * resultTable('correlation', [], spec).columnNames(); // ['event', 'type', 'success_count', ...]
 */
export function resultTable(kind: string, rows: Record<string, unknown>[], spec: unknown): ColumnTable {
  if (rows.length > 0) return aq.from(rows);
  const analysis = getAnalysis(kind);
  const columns = analysis?.columns && spec ? analysis.columns(spec) : [];
  const table = aq.table(Object.fromEntries(columns.map((c) => [c.name, []])));
  if (columns.length > 0) declared.set(table, columns);
  return table;
}

/** The column types `resultTable` declared for an empty table; none for any other table. */
export function declaredColumns(table: object): ResultColumn[] {
  return declared.get(table) ?? [];
}
