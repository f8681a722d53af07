import { describe, expect, test } from 'vitest';
import { filterRows, parseTableFilter, sortRows } from '../../src/ui/table-filter.ts';

const rows = [
  { country: 'FR', people: 12, ts: Date.parse('2024-01-03T10:00:00Z'), note: null },
  { country: 'US', people: 3, ts: Date.parse('2024-01-01T00:00:00Z'), note: 'first' },
  { country: 'fr', people: 40, ts: Date.parse('2024-02-01T00:00:00Z'), note: 'Frank' },
];
const columns = ['country', 'people', 'ts', 'note'];
const types = { country: 'VARCHAR', people: 'INTEGER', ts: 'TIMESTAMP', note: 'VARCHAR' };
const read = (column: string, row: number) => (rows[row] as Record<string, unknown>)[column];
const kept = (text: string) => filterRows(parseTableFilter(text, columns), rows.length, read, columns, types, (c, r) => String(read(c, r) ?? '').toLowerCase());

describe('table filters', () => {
  test('column op value: numbers as numbers, text without case, dates as dates, and joined by and', () => {
    expect(kept('people > 10')).toEqual([0, 2]);
    expect(kept('PEOPLE <= 12')).toEqual([0, 1]);
    expect(kept('country = fr')).toEqual([0, 2]);
    expect(kept('country != FR')).toEqual([1]);
    expect(kept('ts >= 2024-01-02')).toEqual([0, 2]);
    expect(kept('ts < 2024-01-02 and people = 3')).toEqual([1]);
    expect(kept('note = null')).toEqual([0]);
    expect(kept('note ~ fir')).toEqual([1]);
  });

  test('anything else is text found in any column', () => {
    expect(parseTableFilter('frank', columns)).toEqual({ kind: 'text', text: 'frank' });
    expect(parseTableFilter('nope = 1', columns)).toEqual({ kind: 'text', text: 'nope = 1' });
    expect(kept('fr')).toEqual([0, 2]);
    expect(kept('')).toEqual([0, 1, 2]);
  });

  test('sorting keeps nulls last in either direction and equal values in their order', () => {
    expect(sortRows([0, 1, 2], read, 'note', false)).toEqual([1, 2, 0]);
    expect(sortRows([0, 1, 2], read, 'note', true)).toEqual([2, 1, 0]);
    expect(sortRows([0, 1, 2], read, 'country', false)).toEqual([0, 2, 1]);
  });
});
