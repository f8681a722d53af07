import { LoadError } from './load-error.ts';

/** The formats a loader reads. */
export type FileFormat = 'csv' | 'tsv' | 'json' | 'parquet' | 'arrow' | 'xlsx';

/** Formats whose bytes are text in some encoding. */
export const TEXT_FORMATS: readonly FileFormat[] = ['csv', 'tsv', 'json'];

const EXTENSIONS: Record<string, FileFormat> = {
  csv: 'csv', txt: 'csv', tsv: 'tsv', tab: 'tsv',
  json: 'json', ndjson: 'json', jsonl: 'json',
  parquet: 'parquet', pq: 'parquet',
  arrow: 'arrow', feather: 'arrow', ipc: 'arrow', arrows: 'arrow',
  xlsx: 'xlsx', xlsm: 'xlsx',
};

function startsWith(bytes: Uint8Array, magic: number[]): boolean {
  return magic.every((byte, i) => bytes[i] === byte);
}

const GZIP = [0x1f, 0x8b];
const PARQUET = [0x50, 0x41, 0x52, 0x31]; // "PAR1"
const ARROW_FILE = [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31]; // "ARROW1"
const ARROW_STREAM = [0xff, 0xff, 0xff, 0xff];
const ZIP = [0x50, 0x4b, 0x03, 0x04];

/** Whether the bytes are gzip-compressed, by their magic number rather than the file name. */
export function isGzip(bytes: Uint8Array): boolean {
  return startsWith(bytes, GZIP);
}

/** Decompresses gzip bytes with the platform's DecompressionStream (browsers and Node 18+). */
export async function gunzip(file: string, bytes: Uint8Array): Promise<Uint8Array> {
  try {
    const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (error) {
    throw new LoadError(file, `is not a readable gzip file (${(error as Error).message})`, { cause: error });
  }
}

/** What the bytes look like, for messages about a file whose name and content disagree. */
function describeBinary(bytes: Uint8Array): string {
  if (startsWith(bytes, PARQUET)) return 'it looks like a Parquet file; give it a .parquet name';
  if (startsWith(bytes, ARROW_FILE) || startsWith(bytes, ARROW_STREAM)) return 'it looks like an Arrow file; give it an .arrow name';
  if (startsWith(bytes, ZIP)) return 'it looks like a zip archive (an Excel workbook is one); give it an .xlsx name';
  return 'it is not text';
}

/** The format of a file from its name (minus `.gz`), falling back to its first bytes. */
export function detectFormat(file: string, bytes: Uint8Array): FileFormat {
  const name = file.toLowerCase().replace(/\.gz$/, '');
  const extension = name.includes('.') ? name.slice(name.lastIndexOf('.') + 1) : '';
  if (EXTENSIONS[extension]) return EXTENSIONS[extension];
  if (startsWith(bytes, PARQUET)) return 'parquet';
  if (startsWith(bytes, ARROW_FILE) || startsWith(bytes, ARROW_STREAM)) return 'arrow';
  const first = firstNonSpace(bytes);
  if (first === '{' || first === '[') return 'json';
  if (extension) throw new LoadError(file, `unknown file type ".${extension}": cohortbook reads CSV, TSV, JSON, NDJSON, Parquet, Arrow and Excel (.xlsx) files, optionally gzip-compressed`);
  return 'csv';
}

function firstNonSpace(bytes: Uint8Array): string | undefined {
  for (let i = 0; i < Math.min(bytes.length, 4096); i++) {
    const c = bytes[i];
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09 && c !== 0xef && c !== 0xbb && c !== 0xbf) return String.fromCharCode(c);
  }
  return undefined;
}

/**
 * Checks that a text format really holds text: no NUL bytes at its start (UTF-16 text, which has
 * them, is told apart before: see `detectEncoding`). DuckDB would otherwise read a binary file as
 * one garbled column. Whether it is valid in its encoding `toUtf8` checks.
 */
export function assertText(file: string, bytes: Uint8Array, format: FileFormat): void {
  const head = bytes.subarray(0, 65536);
  const nul = head.indexOf(0);
  if (nul >= 0 || startsWith(bytes, PARQUET) || startsWith(bytes, ZIP)) {
    const at = nul >= 0 ? ` (byte ${nul} is binary)` : '';
    throw new LoadError(file, `is not a ${format.toUpperCase()} text file${at}: ${describeBinary(bytes)}`);
  }
}
