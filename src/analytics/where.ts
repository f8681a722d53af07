import { duckdb, quoteIdent, type Dialect, type SqlValue } from '../engine/index.ts';
import type { EventCatalog } from './event-catalog.ts';
import { SpecError } from './spec-error.ts';

/** Comparison operators a `where` filter may use (DESIGN.md, "Analyses and their semantics"). */
export const FILTER_OPS = ['=', '!=', '<', '<=', '>', '>=', 'in', 'not_in', 'contains', 'starts_with', 'is_null', 'not_null'] as const;
export type FilterOp = (typeof FILTER_OPS)[number];

/** One condition on the events, applied before any analysis: `{column: 'InvoiceNo', op: 'starts_with', value: 'C'}`. */
export interface Filter {
  column: string;
  op: FilterOp;
  value?: SqlValue | SqlValue[];
}

/** SQL text with `?` placeholders and the values bound to them, in order. */
export interface BoundSql {
  sql: string;
  params: SqlValue[];
}

/** Checks filters against the data's columns; returns them unchanged or throws a `SpecError`. */
export function validateFilters(kind: string, filters: unknown, catalog: Pick<EventCatalog, 'columns'>, field = 'where'): Filter[] {
  if (filters === undefined || filters === null) return [];
  if (!Array.isArray(filters)) throw new SpecError(kind, `${field} must be a list of {column, op, value} filters`, field);
  const names = catalog.columns.map((c) => c.name);
  return filters.map((filter, i) => {
    const f = filter as Filter;
    const at = `${field}[${i}]`;
    if (!f || typeof f.column !== 'string') throw new SpecError(kind, `${at} needs a column`, at);
    if (!names.includes(f.column)) throw new SpecError(kind, `${at}: no column "${f.column}" (columns: ${names.join(', ')})`, at);
    if (!FILTER_OPS.includes(f.op)) throw new SpecError(kind, `${at}: unknown op "${String(f.op)}" (ops: ${FILTER_OPS.join(', ')})`, at);
    const needsList = f.op === 'in' || f.op === 'not_in';
    const needsNone = f.op === 'is_null' || f.op === 'not_null';
    if (needsList && (!Array.isArray(f.value) || f.value.length === 0)) throw new SpecError(kind, `${at}: op "${f.op}" needs a non-empty list value`, at);
    if (!needsList && !needsNone && (f.value === undefined || Array.isArray(f.value))) throw new SpecError(kind, `${at}: op "${f.op}" needs one value`, at);
    return f;
  });
}

/** One filter as SQL; values are bound, never pasted in. */
function filterSql(filter: Filter, d: Dialect): BoundSql {
  const c = quoteIdent(filter.column);
  const value = filter.value as SqlValue;
  switch (filter.op) {
    case 'is_null': return { sql: `${c} IS NULL`, params: [] };
    case 'not_null': return { sql: `${c} IS NOT NULL`, params: [] };
    case 'in': case 'not_in': {
      const values = filter.value as SqlValue[];
      const list = values.map(() => '?').join(', ');
      return { sql: `${c} ${filter.op === 'in' ? 'IN' : 'NOT IN'} (${list})`, params: values };
    }
    case 'contains': return { sql: d.contains(d.text(c), '?'), params: [String(value)] };
    case 'starts_with': return { sql: d.startsWith(d.text(c), '?'), params: [String(value)] };
    case '!=': return { sql: `${c} IS DISTINCT FROM ?`, params: [value] };
    default: return { sql: `${c} ${filter.op} ?`, params: [value] };
  }
}

/** All filters joined with AND, or `TRUE` when there are none, in the engine's dialect `d`. */
export function whereSql(filters: Filter[], d: Dialect = duckdb): BoundSql {
  if (filters.length === 0) return { sql: 'TRUE', params: [] };
  const parts = filters.map((filter) => filterSql(filter, d));
  return { sql: parts.map((p) => `(${p.sql})`).join(' AND '), params: parts.flatMap((p) => p.params) };
}
