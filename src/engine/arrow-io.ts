import {
  Bool, DateDay, Float64, TimestampMillisecond, Utf8, tableFromIPC, tableToIPC, vectorFromArray,
  type DataType, type Table, type Vector,
} from 'apache-arrow';
import { Table as ArrowTable } from 'apache-arrow';
import type { JsonFieldType } from './engine.ts';

/** Serialises an Arrow table as an IPC stream, the form every engine can ingest. */
export function arrowToIPC(table: Table): Uint8Array {
  return tableToIPC(table, 'stream');
}

/** Reads an Arrow IPC stream or file. */
export function arrowFromIPC(bytes: Uint8Array): Table {
  return tableFromIPC(bytes);
}

/** Arrow types for `insertJSON` fields: text stays text, so ISO timestamps keep their offset. */
export function jsonFieldsToArrow(fields: Record<string, JsonFieldType>): Record<string, DataType> {
  const types: Record<string, DataType> = {};
  for (const [name, type] of Object.entries(fields)) {
    types[name] = type === 'DOUBLE' ? new Float64() : type === 'BOOLEAN' ? new Bool() : new Utf8();
  }
  return types;
}

/** The value kinds a column of plain JS values can hold, as DuckDB type names. */
export type ColumnKind = 'VARCHAR' | 'DOUBLE' | 'BOOLEAN' | 'TIMESTAMP' | 'DATE';

/** Builds an Arrow table from plain columns; timestamps and dates are epoch milliseconds. */
export function arrowFromColumns(columns: { name: string; kind: ColumnKind; values: unknown[] }[]): Table {
  const vectors: Record<string, Vector> = {};
  for (const { name, kind, values } of columns) {
    const type = kind === 'DOUBLE' ? new Float64() : kind === 'BOOLEAN' ? new Bool()
      : kind === 'TIMESTAMP' ? new TimestampMillisecond() : kind === 'DATE' ? new DateDay() : new Utf8();
    vectors[name] = vectorFromArray(values, type as DataType);
  }
  return new ArrowTable(vectors);
}
