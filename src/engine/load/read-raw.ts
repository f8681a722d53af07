import type { Engine } from '../engine.ts';
import { arrowFromIPC, arrowToIPC } from '../arrow-io.ts';
import { quoteIdent, quoteString } from '../sql.ts';
import { assertText, type FileFormat } from './file-format.ts';
import { jsonRecordBytes } from './json-records.ts';
import { databaseReason, LoadError } from './load-error.ts';
import { detectEncoding, toUtf8, type TextEncoding } from './text-encoding.ts';
import { workbookRecords } from './workbook.ts';

const ARROW_FILE_MAGIC = [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31];

/** Options for reading delimited text; everything else DuckDB's sniffer detects. */
export interface CsvOptions {
  /** Field delimiter; detected when absent. */
  delimiter?: string;
  /** Whether the first line names the columns; detected when absent. */
  header?: boolean;
  /** The text's encoding (CSV, TSV, JSON); detected when absent (see `detectEncoding`). */
  encoding?: TextEncoding;
  /** The sheet of an Excel workbook to read, by name; the first when absent. */
  sheet?: string;
}


const FORMAT_NAMES: Record<FileFormat, string> = { csv: 'CSV', tsv: 'TSV', json: 'JSON', parquet: 'Parquet', arrow: 'Arrow', xlsx: 'an Excel workbook' };

const WHAT_TO_DO: Record<FileFormat, string> = {
  csv: 'check that it is text with one record per line, its fields separated by commas (or another single character) and the column names on the first line',
  tsv: 'check that it is text with one record per line, its fields separated by tabs and the column names on the first line',
  json: 'check that it holds one JSON array of objects, or one JSON object per line',
  parquet: 'it may be damaged or cut short: export it again',
  arrow: 'it may be damaged or cut short: export it again',
  xlsx: 'it may be damaged, or saved in another format (.xls, .ods): save it again as an Excel workbook (.xlsx)',
};

/** Decodes a text file to UTF-8 (after checking it is text), saying which encoding it was read as. */
function utf8Text(file: string, bytes: Uint8Array, format: FileFormat, wanted: TextEncoding | undefined): { bytes: Uint8Array; encoding: TextEncoding } {
  const encoding = wanted ?? detectEncoding(bytes);
  // UTF-16 text has NUL bytes; anything else with them is binary
  if (!encoding.startsWith('utf-16')) assertText(file, bytes, format);
  const decoded = toUtf8(file, bytes, encoding);
  if (encoding.startsWith('utf-16')) assertText(file, decoded, format);
  return { bytes: decoded, encoding };
}

/**
 * Reads a file's bytes (already decompressed) into table `table` exactly as the file has it,
 * with DuckDB's own readers where DuckDB-WASM has them offline, parquet-wasm for Parquet and
 * read-excel-file for Excel workbooks. Text is decoded to UTF-8 first; the encoding it was read
 * as comes back (null for binary formats).
 */
export async function readRawTable(
  engine: Engine, file: string, bytes: Uint8Array, format: FileFormat, table: string, csv: CsvOptions = {},
): Promise<{ encoding: TextEncoding | null }> {
  const scratch = `${table}.${format}`;
  let encoding: TextEncoding | null = null;
  try {
    switch (format) {
      case 'csv': case 'tsv': {
        const text = utf8Text(file, bytes, format, csv.encoding);
        encoding = text.encoding;
        const path = await engine.registerFile(scratch, text.bytes);
        const options = ['sample_size = -1'];
        const delimiter = csv.delimiter ?? (format === 'tsv' ? '\t' : undefined);
        if (delimiter) options.push(`delim = ${quoteString(delimiter)}`);
        if (csv.header !== undefined) options.push(`header = ${csv.header}`);
        await engine.exec(`CREATE OR REPLACE TABLE ${quoteIdent(table)} AS SELECT * FROM read_csv(${quoteString(path)}, ${options.join(', ')})`);
        break;
      }
      case 'json': {
        const text = utf8Text(file, bytes, format, csv.encoding);
        encoding = text.encoding;
        const records = engine.readJSONRecords ? await engine.readJSONRecords(file, text.bytes) : jsonRecordBytes(file, text.bytes);
        const path = await engine.registerFile(scratch, records.bytes);
        await engine.insertJSON(table, path, records.fields);
        break;
      }
      case 'parquet':
        await engine.insertParquet(table, bytes);
        break;
      case 'xlsx': {
        const records = jsonRecordBytes(file, await workbookRecords(file, bytes, csv.sheet));
        const path = await engine.registerFile(scratch, records.bytes);
        await engine.insertJSON(table, path, records.fields);
        break;
      }
      case 'arrow': {
        const isFile = ARROW_FILE_MAGIC.every((byte, i) => bytes[i] === byte);
        await engine.insertArrow(table, isFile ? arrowToIPC(arrowFromIPC(bytes)) : bytes);
        break;
      }
    }
  } catch (error) {
    if (error instanceof LoadError) throw error;
    throw new LoadError(file, `cannot be read as ${FORMAT_NAMES[format]} (${databaseReason(error)}); ${WHAT_TO_DO[format]}`, { cause: error });
  } finally {
    await engine.dropFile(scratch).catch(() => {});
  }
  return { encoding };
}
