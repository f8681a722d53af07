import { LoadError } from './load-error.ts';

/** Two digits, for the wall-clock text a date cell becomes. */
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * An Excel date as the wall-clock text it shows (`2010-12-01 08:26:00`). Excel stores dates as
 * serial day numbers without a zone; read-excel-file turns a date-formatted cell into a Date at
 * that wall-clock time in UTC, so the UTC fields are the ones the sheet shows. Written without an
 * offset, the time is then read in the file's zone like any other time without one.
 */
function wallClock(cell: Date): string {
  // a serial day number is a binary fraction: 08:26:00 comes back as 08:25:59.999
  const exact = cell.getTime();
  const second = Math.round(exact / 1000) * 1000;
  const date = Math.abs(exact - second) <= 1 ? new Date(second) : cell;
  const ms = date.getUTCMilliseconds();
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} `
    + `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}${ms ? `.${pad(ms, 3)}` : ''}`;
}

/**
 * The rows of one sheet of an Excel workbook (`.xlsx`) as the JSON array text the JSON loader
 * reads: the first row names the columns, every later row is one record. The sheet is the first
 * one unless `sheet` names another. Read with read-excel-file (see the README for why that reader).
 */
export async function workbookRecords(file: string, bytes: Uint8Array, sheet?: string): Promise<Uint8Array> {
  // loaded when a workbook arrives: CSV and Parquet users never download the reader
  const { readSheet, SheetNotFoundError } = await import('read-excel-file/universal');
  let rows: unknown[][];
  try {
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    rows = await readSheet(buffer, sheet ?? 1) as unknown[][];
  } catch (error) {
    if (error instanceof SheetNotFoundError) throw new LoadError(file, `has no sheet named "${sheet}"`, { cause: error });
    throw error;
  }
  const header = (rows[0] ?? []).map((cell, i) => (cell === null || cell === undefined || String(cell).trim() === '' ? `column${i + 1}` : String(cell).trim()));
  if (header.length === 0) throw new LoadError(file, sheet ? `sheet "${sheet}" is empty` : 'has an empty first sheet');
  const seen = new Map<string, number>();
  const names = header.map((name) => {
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    return n === 1 ? name : `${name}_${n}`;
  });
  const records: string[] = [];
  for (const row of rows.slice(1)) {
    if (row.every((cell) => cell === null || cell === undefined || cell === '')) continue;
    const record: Record<string, unknown> = {};
    names.forEach((name, i) => {
      const cell = row[i];
      record[name] = cell instanceof Date ? wallClock(cell) : cell ?? null;
    });
    records.push(JSON.stringify(record));
  }
  if (records.length === 0) throw new LoadError(file, `has a header (${names.join(', ')}) but no rows`);
  return new TextEncoder().encode(`[${records.join(',\n')}]`);
}
