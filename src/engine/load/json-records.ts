import type { JsonFieldType } from '../engine.ts';
import { LoadError } from './load-error.ts';

/** A JSON log turned into what `Engine.insertJSON` reads: one JSON array text and its field types. */
export interface JsonRecords {
  /** A JSON array of flat objects whose values match `fields`. */
  text: string;
  fields: Record<string, JsonFieldType>;
  count: number;
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function preview(line: string): string {
  const trimmed = line.trim();
  return trimmed.length > 60 ? `${trimmed.slice(0, 60)}…` : trimmed;
}

/** Parses NDJSON (one object per line) or a JSON array of objects, naming the line that fails. */
function parseRecords(file: string, text: string): Record<string, unknown>[] {
  const start = text.search(/\S/);
  if (start < 0) throw new LoadError(file, 'is empty');
  if (text[start] === '[') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      const position = /position (\d+)/.exec((error as Error).message);
      const line = position ? lineOf(text, Number(position[1])) : undefined;
      throw new LoadError(file, `malformed JSON (${(error as Error).message})`, { line, cause: error });
    }
    if (!Array.isArray(parsed)) throw new LoadError(file, 'a JSON file must hold an array of objects or one object per line');
    parsed.forEach((record, i) => {
      if (record === null || typeof record !== 'object' || Array.isArray(record)) {
        throw new LoadError(file, `element ${i + 1} of the array is not an object`);
      }
    });
    return parsed as Record<string, unknown>[];
  }
  const records: Record<string, unknown>[] = [];
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    if (!raw.trim()) return;
    let record: unknown;
    try {
      record = JSON.parse(raw);
    } catch (error) {
      const truncated = i === lines.length - 1 || (i === lines.length - 2 && !lines[lines.length - 1].trim());
      const problem = truncated ? 'truncated JSON record' : 'malformed JSON record';
      throw new LoadError(file, `${problem}: ${preview(raw)} (${(error as Error).message})`, { line: i + 1, cause: error });
    }
    if (record === null || typeof record !== 'object' || Array.isArray(record)) {
      throw new LoadError(file, `expected one JSON object per line, found ${preview(raw)}`, { line: i + 1 });
    }
    records.push(record as Record<string, unknown>);
  });
  return records;
}

function fieldType(values: unknown[]): JsonFieldType {
  let numbers = 0, booleans = 0, others = 0;
  for (const value of values) {
    if (value === null || value === undefined) continue;
    if (typeof value === 'number') numbers++;
    else if (typeof value === 'boolean') booleans++;
    else others++;
  }
  if (others === 0 && booleans === 0 && numbers > 0) return 'DOUBLE';
  if (others === 0 && numbers === 0 && booleans > 0) return 'BOOLEAN';
  return 'VARCHAR';
}

/**
 * Reads a JSON or NDJSON log into records with one type per field. Text fields stay text (so
 * `2024-03-01T10:00:00+02:00` keeps its offset for the timestamp rules), nested values become
 * their JSON text, and a field with mixed kinds becomes text.
 */
export function jsonRecords(file: string, text: string): JsonRecords {
  const records = parseRecords(file, text);
  if (records.length === 0) throw new LoadError(file, 'has no records');
  const names: string[] = [];
  const seen = new Set<string>();
  for (const record of records) {
    for (const key of Object.keys(record)) if (!seen.has(key)) { seen.add(key); names.push(key); }
  }
  const fields: Record<string, JsonFieldType> = {};
  for (const name of names) fields[name] = fieldType(records.map((record) => record[name]));
  const rows = records.map((record) => {
    const row: Record<string, unknown> = {};
    for (const name of names) {
      const value = record[name];
      if (value === null || value === undefined) row[name] = null;
      else if (fields[name] !== 'VARCHAR') row[name] = value;
      else row[name] = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
    }
    return row;
  });
  return { text: JSON.stringify(rows), fields, count: records.length };
}

/** `jsonRecords` on a file's bytes: the JSON array comes back as the UTF-8 bytes `Engine.registerFile` takes. */
export interface JsonRecordBytes {
  bytes: Uint8Array;
  fields: Record<string, JsonFieldType>;
  count: number;
}

/** Decodes a JSON or NDJSON log's bytes (UTF-8) and reads them with `jsonRecords`. */
export function jsonRecordBytes(file: string, bytes: Uint8Array): JsonRecordBytes {
  const { text, fields, count } = jsonRecords(file, new TextDecoder().decode(bytes));
  return { bytes: new TextEncoder().encode(text), fields, count };
}
