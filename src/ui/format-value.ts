import { formatCount, readableCell } from '../plots/index.ts';

/**
 * How a cell value reads in a table: timestamps as UTC ISO, numbers with separators, and in an
 * analysis's result (`readable`, where the columns' meaning is known) durations and rates as people
 * read them (by column name, see `readableCell`). Sorting and CSV use the values.
 */
export function formatValue(value: unknown, type: string, column = '', row?: Record<string, unknown>, readable = false): string {
  if (value === null || value === undefined) return '';
  const shown = readable ? readableCell(value, column, row) : null;
  if (shown !== null) return shown;
  if (/^TIMESTAMP/.test(type) && typeof value === 'number') return new Date(value).toISOString().replace('T', ' ').replace(/\.000Z$|Z$/, '');
  if (type === 'DATE' && typeof value === 'number') return new Date(value).toISOString().slice(0, 10);
  // numbers with the separators of the interface's language (1,234.5 · 1 234,5)
  if (typeof value === 'number' || typeof value === 'bigint') return formatCount(value);
  if (value instanceof Date) return value.toISOString();
  return String(value);
}
