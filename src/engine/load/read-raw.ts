import type { Engine } from '../engine.ts';
import { arrowFromIPC, arrowToIPC } from '../arrow-io.ts';
import { quoteIdent, quoteString } from '../sql.ts';
import { assertText, type FileFormat } from './file-format.ts';
import { jsonRecordBytes } from './json-records.ts';
import { databaseReason, LoadError } from './load-error.ts';

const ARROW_FILE_MAGIC = [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31];

/** Options for reading delimited text; everything else DuckDB's sniffer detects. */
export interface CsvOptions {
  /** Field delimiter; detected when absent. */
  delimiter?: string;
  /** Whether the first line names the columns; detected when absent. */
  header?: boolean;
}


const FORMAT_NAMES: Record<FileFormat, string> = { csv: 'CSV', tsv: 'TSV', json: 'JSON', parquet: 'Parquet', arrow: 'Arrow' };

const WHAT_TO_DO: Record<FileFormat, string> = {
  csv: 'check that it is text with one record per line, its fields separated by commas (or another single character) and the column names on the first line',
  tsv: 'check that it is text with one record per line, its fields separated by tabs and the column names on the first line',
  json: 'check that it holds one JSON array of objects, or one JSON object per line',
  parquet: 'it may be damaged or cut short: export it again',
  arrow: 'it may be damaged or cut short: export it again',
};

/**
 * Reads a file's bytes (already decompressed) into table `table` exactly as the file has it,
 * with DuckDB's own readers where DuckDB-WASM has them offline and parquet-wasm for Parquet.
 */
export async function readRawTable(
  engine: Engine, file: string, bytes: Uint8Array, format: FileFormat, table: string, csv: CsvOptions = {},
): Promise<void> {
  const scratch = `${table}.${format}`;
  try {
    switch (format) {
      case 'csv': case 'tsv': {
        assertText(file, bytes, format);
        const path = await engine.registerFile(scratch, bytes);
        const options = ['sample_size = -1'];
        const delimiter = csv.delimiter ?? (format === 'tsv' ? '\t' : undefined);
        if (delimiter) options.push(`delim = ${quoteString(delimiter)}`);
        if (csv.header !== undefined) options.push(`header = ${csv.header}`);
        await engine.exec(`CREATE OR REPLACE TABLE ${quoteIdent(table)} AS SELECT * FROM read_csv(${quoteString(path)}, ${options.join(', ')})`);
        break;
      }
      case 'json': {
        assertText(file, bytes, format);
        const records = engine.readJSONRecords ? await engine.readJSONRecords(file, bytes) : jsonRecordBytes(file, bytes);
        const path = await engine.registerFile(scratch, records.bytes);
        await engine.insertJSON(table, path, records.fields);
        break;
      }
      case 'parquet':
        await engine.insertParquet(table, bytes);
        break;
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
}
