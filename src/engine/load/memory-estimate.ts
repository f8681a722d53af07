import { detectFormat, type FileFormat } from './file-format.ts';

/**
 * Whether a file fits in a browser tab, told before it is read. DuckDB-WASM's heap stops near
 * 3 GB (4 GB of 32-bit address space, less what the module and the page need), and a load holds
 * more than the file: its bytes on the page and in the worker, the decoded text, the table as read
 * and the mapped events. The factors below are peak memory per byte of file, measured with
 * DuckDB-WASM on real files on this project's machine (Online Retail, 45 MB of CSV, 7.6 MB gzipped:
 * see the README's "Files too big for a tab"), rounded up.
 */
export const TAB_MEMORY_BYTES = 3 * 1024 ** 3;

/** Peak memory of a load, per byte of the file as it is on disk (gzip: per compressed byte). */
export const LOAD_FACTORS: Record<FileFormat, number> = {
  // measured (scripts/measure-load-memory.ts): Online Retail's 45 MB of CSV raised DuckDB-WASM's
  // peak memory by 177 MB (3.8×), its .csv.gz by 256 MB (5.4× the decompressed size), on top of
  // the file's bytes, which the page and the worker each hold once more
  csv: 6, tsv: 6,
  // JSON is parsed to objects, then written again as the records DuckDB reads
  json: 8,
  // columnar: decoded to Arrow (larger than the compressed pages), then copied into DuckDB
  parquet: 6, arrow: 3,
  // a workbook is a zip of XML: unzipped, parsed cell by cell into JSON records
  xlsx: 40,
};

/** How much larger a gzip-compressed log is uncompressed (measured on Online Retail: 47.2 MB / 7.55 MB = 6.25×). */
export const GZIP_RATIO = 6.25;

/** What a file will need to load, against what a tab has. */
export interface MemoryEstimate {
  format: FileFormat;
  /** Bytes of memory the load is expected to need at its peak. */
  needed: number;
  /** Bytes a tab can hold. */
  available: number;
  fits: boolean;
}

/**
 * Estimates the memory a file needs to load in a tab from its name and size alone (no byte of it
 * is read, so a file far too big is answered before the tab could die reading it).
 *
 * @example
 * estimateLoadMemory('events.csv', 4 * 1024 ** 3).fits; // false
 */
export function estimateLoadMemory(name: string, size: number, format?: FileFormat, available = TAB_MEMORY_BYTES): MemoryEstimate {
  let kind: FileFormat;
  try {
    kind = format ?? detectFormat(name, new Uint8Array());
  } catch {
    kind = 'csv';
  }
  const gzip = /\.gz$/i.test(name);
  const needed = size * (gzip ? GZIP_RATIO : 1) * LOAD_FACTORS[kind];
  return { format: kind, needed, available, fits: needed <= available };
}

/** A size as people read it: `4.0 GB`, `730 MB`. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
  if (bytes >= 1024 ** 2) return `${Math.round(bytes / 1024 ** 2)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/** Whether an error is the engine (or the page) running out of memory. */
export function isOutOfMemory(error: unknown): boolean {
  const text = `${(error as Error)?.name ?? ''} ${(error as Error)?.message ?? String(error)}`;
  return /out of memory|Array buffer allocation failed|memory access out of bounds|Cannot allocate|failed to allocate|Maximum call stack|RangeError: Invalid array length|could not allocate|NotReadableError/i.test(text);
}
