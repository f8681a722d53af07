import type { TableColumn } from './cb-table-view.ts';

/** The shape of an Arquero table that a view needs (kept structural so ui does not import arquero). */
export interface TableLike {
  columnNames(): string[];
  numRows(): number;
  objects(options?: { limit?: number }): Record<string, unknown>[];
  toCSV(): string;
}

export function isTableLike(value: unknown): value is TableLike {
  return !!value && typeof (value as TableLike).columnNames === 'function' && typeof (value as TableLike).objects === 'function';
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
