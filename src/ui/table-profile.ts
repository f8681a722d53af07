import { profileKind, type ColumnProfile } from '../engine/index.ts';
import type { CellReader } from './table-filter.ts';

/**
 * A result column's profile, the same summary as the column browser's, computed over the rows a
 * cell result holds (already in the page, so no query): equal-width bins for numbers and times,
 * the most frequent values for text.
 *
 * @example
 * profileValues('n', 'INTEGER', 3, (c, r) => [1, 2, 2][r]).distinct; // 2
 */
export function profileValues(column: string, type: string, rowCount: number, read: CellReader, options: { bins?: number; top?: number } = {}): ColumnProfile {
  const kind = profileKind(type);
  let nulls = 0;
  const counts = new Map<unknown, number>();
  const numbers: number[] = [];
  for (let row = 0; row < rowCount; row++) {
    const value = read(column, row);
    if (value === null || value === undefined || (typeof value === 'number' && Number.isNaN(value))) { nulls++; continue; }
    const key = value instanceof Date ? value.getTime() : value;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    if (kind !== 'text') numbers.push(Number(key));
  }
  const profile: ColumnProfile = { column, type, kind, rows: rowCount, nulls, distinct: counts.size };
  if (kind === 'text') {
    const top = [...counts].map(([value, count]) => ({ value: String(value), count }))
      .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0))
      .slice(0, options.top ?? 5);
    return { ...profile, top };
  }
  if (numbers.length === 0) return { ...profile, bins: [] };
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of numbers) { if (x < lo) lo = x; if (x > hi) hi = x; }
  const count = hi === lo ? 1 : Math.min(options.bins ?? 20, counts.size);
  const width = hi === lo ? 1 : (hi - lo) / count;
  const bins = Array.from({ length: count }, (_, i) => ({ x0: lo + i * width, x1: i === count - 1 ? hi : lo + (i + 1) * width, count: 0 }));
  for (const x of numbers) bins[Math.min(count - 1, Math.floor((x - lo) / width))].count++;
  return { ...profile, min: lo, max: hi, bins };
}
