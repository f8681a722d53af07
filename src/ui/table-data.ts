import type { TableColumn } from './cb-table-view.ts';

/** The shape of an Arquero table that a view needs (kept structural so ui does not import arquero). */
export interface TableLike {
  columnNames(): string[];
  numRows(): number;
  get(name: string, row: number): unknown;
  objects(options?: { limit?: number }): Record<string, unknown>[];
  toCSV(options?: { header?: boolean; format?: Record<string, (value: unknown) => unknown> }): string;
}

export function isTableLike(value: unknown): value is TableLike {
  return !!value && typeof (value as TableLike).columnNames === 'function' && typeof (value as TableLike).objects === 'function';
}

/** What a spreadsheet reads as the start of a formula (OWASP's list, with the full-width forms). */
const FORMULA_START = /^[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]/;

/**
 * A text value as a spreadsheet must not run it: one that starts like a formula (`=`, `+`, `-`,
 * `@`, a tab or a carriage return) gets a leading `'`, as OWASP's CSV injection advice says, so
 * `=HYPERLINK(...)` opens as the text it is. Numbers, dates and other values are left as they are.
 *
 * @example
 * spreadsheetSafe('=HYPERLINK("http://example.com")'); // '\'=HYPERLINK("http://example.com")'
 */
export function spreadsheetSafe(value: unknown): unknown {
  return typeof value === 'string' && FORMULA_START.test(value) ? `'${value}` : value;
}

/**
 * A table as CSV for download, with every text value and column name made `spreadsheetSafe`
 * (quoted where it holds a delimiter, quote or line break, as Arquero quotes).
 *
 * @example
 * download('cohorts.csv', spreadsheetCsv(table), 'text/csv');
 */
export function spreadsheetCsv(table: Pick<TableLike, 'columnNames' | 'toCSV'>): string {
  const names = table.columnNames();
  const quote = (text: string) => (/[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
  const header = names.map((name) => quote(String(spreadsheetSafe(name)))).join(',');
  const format = Object.fromEntries(names.map((name) => [name, spreadsheetSafe]));
  return `${header}\n${table.toCSV({ header: false, format })}`;
}

/** Column types for display, from the first value present in each column. */
export function columnsOf(table: TableLike, rows: Record<string, unknown>[]): TableColumn[] {
  return table.columnNames().map((name) => {
    const present = rows.slice(0, 200).map((row) => row[name]).filter((v) => v !== null && v !== undefined);
    const sample = present[0];
    const integral = present.every((v) => typeof v !== 'number' || Number.isInteger(v));
    const type = sample instanceof Date ? 'TIMESTAMP' : typeof sample === 'number' ? (integral ? 'INTEGER' : 'DOUBLE')
      : typeof sample === 'boolean' ? 'BOOLEAN' : typeof sample === 'string' ? 'VARCHAR' : sample === undefined ? 'NULL' : 'OTHER';
    return { name, type };
  });
}

/** Starts a download of text or bytes under a file name. */
export function download(name: string, content: BlobPart, type: string): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const link = Object.assign(document.createElement('a'), { href: url, download: name });
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** An SVG chart as PNG bytes, drawn at twice its size for sharp text. */
export async function svgToPng(svg: SVGSVGElement): Promise<Blob> {
  const markup = new XMLSerializer().serializeToString(svg);
  const width = svg.width.baseVal.value || svg.getBoundingClientRect().width;
  const height = svg.height.baseVal.value || svg.getBoundingClientRect().height;
  const image = new Image();
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(markup)}`;
  await image.decode();
  const canvas = Object.assign(document.createElement('canvas'), { width: width * 2, height: height * 2 });
  const context = canvas.getContext('2d')!;
  context.fillStyle = getComputedStyle(svg).backgroundColor === 'rgba(0, 0, 0, 0)' ? 'white' : getComputedStyle(svg).backgroundColor;
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.scale(2, 2);
  context.drawImage(image, 0, 0, width, height);
  return new Promise((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('PNG export failed'))), 'image/png'));
}
