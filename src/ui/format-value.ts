/** How a cell value reads in a table: timestamps as UTC ISO, numbers with separators. */
export function formatValue(value: unknown, type: string): string {
  if (value === null || value === undefined) return '';
  if (/^TIMESTAMP/.test(type) && typeof value === 'number') return new Date(value).toISOString().replace('T', ' ').replace(/\.000Z$|Z$/, '');
  if (type === 'DATE' && typeof value === 'number') return new Date(value).toISOString().slice(0, 10);
  if (typeof value === 'number') return Number.isInteger(value) ? value.toLocaleString('en-US') : value.toLocaleString('en-US', { maximumFractionDigits: 4 });
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return value.toLocaleString('en-US');
  return String(value);
}
