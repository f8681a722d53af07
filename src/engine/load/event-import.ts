import type { Engine } from '../engine.ts';
import { quoteIdent } from '../sql.ts';
import { guessMapping, resolveMapping, type CanonicalColumn, type ColumnMapping, type MappingOverrides } from './column-mapping.ts';
import { detectFormat, gunzip, isGzip, type FileFormat } from './file-format.ts';
import { LoadError } from './load-error.ts';
import { readRawTable, type CsvOptions } from './read-raw.ts';
import { chooseTimestampRule, timestampExpression, type TimestampChoice } from './timestamp-rule.ts';
import type { TextEncoding } from './text-encoding.ts';
import { localToUtcSql } from './zone-sql.ts';
import { isTimeZone } from '../time-zone.ts';
import type { EventFile, LoadSummary, SourceColumn } from './load-events.ts';

/** A column of the file as read, with a few of its values, for choosing what it is. */
export interface InspectedColumn extends SourceColumn {
  /** Up to three distinct values from the first rows, as text. */
  samples: string[];
}

/** What a file holds before it is mapped: the import step shows it. */
export interface FileInspection {
  files: string[];
  format: FileFormat;
  /** The encoding text was read as; null for binary formats. */
  encoding: TextEncoding | null;
  /** Rows of the file(s) as read. */
  rows: number;
  columns: InspectedColumn[];
  /** The columns the loader guesses for each role (absent when nothing looks like it). */
  guess: Partial<Record<CanonicalColumn, string>>;
  /** Columns whose type differs between files, read as text (or as DOUBLE when all are numbers). */
  widened: string[];
  /** Rows that also occur, identical, in another of the files (kept, and counted here). */
  duplicate_rows: number;
}

/** What a person chose in the import step (or a notebook remembered). */
export interface ImportChoices {
  mapping?: MappingOverrides;
  /** IANA zone of the times written without an offset; UTC when absent. */
  timezone?: string;
}

/** A mapping tried on the whole file: what `events` would hold, before anything is replaced. */
export interface ImportPreview {
  summary: LoadSummary;
  /** The first rows as they would load. */
  rows: Record<string, unknown>[];
}

/** Options for opening files to import. */
export interface ImportOptions extends CsvOptions {
  format?: FileFormat;
}

const CANONICAL = ['user_id', 'event', 'ts', 'revenue'];
/** The column that says which file a row came from, when several files are one log. */
export const FILE_COLUMN = '__file';
const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|DECIMAL.*)$/;

function userExpression(column: string, type: string): string {
  const c = quoteIdent(column);
  if (/^(FLOAT|DOUBLE|DECIMAL)/.test(type)) {
    // 17850.0 and 17850 are the same customer
    return `CASE WHEN ${c} = floor(${c}) THEN CAST(CAST(${c} AS HUGEINT) AS VARCHAR) ELSE CAST(${c} AS VARCHAR) END`;
  }
  return `trim(CAST(${c} AS VARCHAR))`;
}

function isoOrNull(ms: unknown): string | null {
  return ms === null || ms === undefined ? null : new Date(Number(ms)).toISOString();
}

async function describe(engine: Engine, table: string): Promise<SourceColumn[]> {
  return (await engine.query(`DESCRIBE ${quoteIdent(table)}`)).toArray()
    .map((row) => ({ name: String(row.column_name), type: String(row.column_type) }));
}

async function count(engine: Engine, sql: string): Promise<number> {
  return Number((await engine.query(sql)).get(0)?.n ?? 0);
}

/** A sample value as the person would write it: times as `2010-12-01 08:26:00` (Arrow hands them over as epoch ms). */
function sampleText(value: unknown, type: string): string {
  if (/^(TIMESTAMP|DATE)/.test(type) && (typeof value === 'number' || typeof value === 'bigint' || value instanceof Date)) {
    const text = new Date(Number(value instanceof Date ? value.getTime() : value)).toISOString().replace('T', ' ').replace(/\.000Z$|Z$/, '');
    return type === 'DATE' ? text.slice(0, 10) : text;
  }
  return String(value);
}

/**
 * One import of event files into a source: the files are read once into a staging table, any
 * number of mappings can be tried on them (`preview`) while nothing loaded changes, and `commit`
 * makes the last one the source's events. `close` drops what was staged, whether committed or not
 * (Cancel in the import step). `loadEvents` is `open`, `preview`, `commit`, `close` in one go.
 */
export class EventImport {
  private staged: { events: boolean; summary: LoadSummary | null } = { events: false, summary: null };

  private constructor(
    readonly engine: Engine,
    /** The source (table) the events will be kept in. */
    readonly source: string,
    readonly inspection: FileInspection,
    private readonly fileColumns: SourceColumn[],
  ) {}

  private get raw(): string { return `${this.source}__raw_next`; }
  private get events(): string { return `${this.source}__next`; }

  /**
   * Reads the files into staging tables and looks at what they hold. Several files are one log:
   * their columns are matched by name, a column missing from a file is null there, and a column
   * whose type differs between files is read as text (as DOUBLE when every file has numbers).
   */
  static async open(engine: Engine, source: string, files: EventFile[], options: ImportOptions = {}): Promise<EventImport> {
    const raw = `${source}__raw_next`;
    const parts: string[] = [];
    let format: FileFormat | null = null;
    let encoding: TextEncoding | null = null;
    try {
      for (const [i, file] of files.entries()) {
        if (file.bytes.length === 0) throw new LoadError(file.name, 'is empty');
        const bytes = isGzip(file.bytes) ? await gunzip(file.name, file.bytes) : file.bytes;
        if (bytes.length === 0 || (bytes.length < 4096 && !new TextDecoder().decode(bytes).replace(/[\0\ufeff]/g, '').trim())) {
          throw new LoadError(file.name, 'is empty');
        }
        const fileFormat = options.format ?? detectFormat(file.name, file.bytes);
        const part = files.length === 1 ? raw : `${raw}_${i}`;
        const read = await readRawTable(engine, file.name, bytes, fileFormat, part, options);
        parts.push(part);
        format ??= fileFormat;
        encoding ??= read.encoding;
        const rows = await count(engine, `SELECT count(*) AS n FROM ${quoteIdent(part)}`);
        if (rows === 0) {
          const columns = await describe(engine, part);
          throw new LoadError(file.name, fileFormat === 'csv' || fileFormat === 'tsv' ? `has a header (${columns.map((c) => c.name).join(', ')}) but no rows` : 'has no rows');
        }
      }
      const widened = files.length === 1 ? [] : await unionParts(engine, raw, parts, files);
      const duplicates = files.length === 1 ? 0 : await count(engine, `SELECT coalesce(sum(n - 1), 0) AS n FROM (
          SELECT count(*) AS n, count(DISTINCT ${quoteIdent(FILE_COLUMN)}) AS files FROM ${quoteIdent(raw)}
          GROUP BY COLUMNS(* EXCLUDE (${quoteIdent(FILE_COLUMN)}))) WHERE files > 1`).catch(() => duplicateRows(engine, raw));
      const all = await describe(engine, raw);
      const columns = all.filter((c) => c.name !== FILE_COLUMN);
      const rows = await count(engine, `SELECT count(*) AS n FROM ${quoteIdent(raw)}`);
      const head = (await engine.query(`SELECT * FROM ${quoteIdent(raw)} LIMIT 1000`)).toArray().map((row) => row.toJSON() as Record<string, unknown>);
      const inspected = columns.map((column) => {
        const samples: string[] = [];
        for (const row of head) {
          const value = row[column.name];
          if (value === null || value === undefined || value === '') continue;
          const text = sampleText(value, column.type);
          if (!samples.includes(text)) samples.push(text);
          if (samples.length === 3) break;
        }
        return { ...column, samples };
      });
      const inspection: FileInspection = {
        files: files.map((f) => f.name), format: format!, encoding, rows, columns: inspected,
        guess: guessMapping(columns.map((c) => c.name)), widened, duplicate_rows: duplicates,
      };
      return new EventImport(engine, source, inspection, columns);
    } catch (error) {
      await engine.exec([raw, ...parts].map((t) => `DROP TABLE IF EXISTS ${quoteIdent(t)};`).join(' ')).catch(() => {});
      throw error;
    } finally {
      if (files.length > 1) await engine.exec(parts.map((t) => `DROP TABLE IF EXISTS ${quoteIdent(t)};`).join(' ')).catch(() => {});
    }
  }

  /** The file name the messages name: the file, or the first of several and how many more. */
  get fileLabel(): string {
    const { files } = this.inspection;
    return files.length === 1 ? files[0] : `${files[0]} (and ${files.length - 1} more)`;
  }

  /**
   * Maps the staged rows with these choices into a staging table of events and says what they
   * would be: rows, people, time range, rows left out and why, the first rows. Nothing loaded
   * changes. A mapping that does not work throws a `LoadError` that names the column and the problem.
   */
  async preview(choices: ImportChoices = {}): Promise<ImportPreview> {
    const file = this.fileLabel;
    const { engine, raw, events } = this;
    const columns = this.fileColumns;
    this.staged.summary = null;
    if (choices.timezone !== undefined && !isTimeZone(choices.timezone)) {
      throw new LoadError(file, `unknown time zone "${choices.timezone}": use an IANA name such as Europe/London or America/New_York`);
    }
    const mapped = resolveMapping(columns.map((c) => c.name), choices.mapping);
    if (!mapped.ok) throw new LoadError(file, mapped.problem, { role: mapped.role });
    const { mapping } = mapped;
    const typeOf = (name: string) => columns.find((c) => c.name === name)!.type;
    const user = userExpression(mapping.user_id, typeOf(mapping.user_id));
    const hasUser = `${quoteIdent(mapping.user_id)} IS NOT NULL AND ${user} <> ''`;
    const choice = await chooseTimestampRule(engine, raw, mapping.ts, typeOf(mapping.ts), hasUser);
    if (!choice.ok) {
      const { value, row } = choice.unreadable;
      throw new LoadError(file,
        `"${value}" (row ${row}) is not a date or time cohortbook can read; use ISO text (2024-03-01 14:05:00, with or without Z or +02:00), epoch seconds or milliseconds, or a common local form such as 12/1/2010 8:26`,
        { column: mapping.ts, role: 'ts' });
    }
    const ts = await zonedTimestamp(engine, raw, mapping.ts, typeOf(mapping.ts), choice, hasUser, choices.timezone);
    const event = 'constant' in mapping.event ? '?' : `CAST(${quoteIdent(mapping.event.column)} AS VARCHAR)`;
    const revenue = mapping.revenue ? `TRY_CAST(${quoteIdent(mapping.revenue)} AS DOUBLE)` : 'CAST(NULL AS DOUBLE)';
    const used = new Set([mapping.user_id, mapping.ts, mapping.revenue, 'column' in mapping.event ? mapping.event.column : null]);
    const properties = columns.filter((c) => !used.has(c.name) && !CANONICAL.includes(c.name)).map((c) => quoteIdent(c.name));
    const params = 'constant' in mapping.event ? [mapping.event.constant] : [];
    this.staged.events = true;
    await engine.query(`CREATE OR REPLACE TABLE ${quoteIdent(events)} AS
      SELECT ${user} AS user_id, ${event} AS event, ${ts} AS ts, ${revenue} AS revenue${properties.map((p) => `, ${p}`).join('')}
      FROM ${quoteIdent(raw)} WHERE ${hasUser}`, params);
    // rows without a time go afterwards: `WHERE ts IS NOT NULL` above would make DuckDB read every
    // row's time twice (in the filter and in the select list)
    await engine.exec(`DELETE FROM ${quoteIdent(events)} WHERE ts IS NULL`);
    const stats = await summarise(engine, events);
    const total = this.inspection.rows;
    const noUser = await count(engine, `SELECT count(*) AS n FROM ${quoteIdent(raw)} WHERE NOT (${hasUser}) OR ${quoteIdent(mapping.user_id)} IS NULL`);
    const { rows } = stats;
    if (rows === 0) {
      throw new LoadError(file, noUser === total ? `has no rows with a user id in column "${mapping.user_id}"` : `has no rows with a time in column "${mapping.ts}"`,
        { role: noUser === total ? 'user_id' : 'ts' });
    }
    const summary: LoadSummary = {
      source: this.source, file, format: this.inspection.format, mapping, timestamps: choice.rule,
      rows, users: stats.users, skipped_rows: total - rows,
      skipped: { no_user_id: noUser, no_ts: total - rows - noUser },
      first_ts: isoOrNull(stats.firstMs), last_ts: isoOrNull(stats.lastMs),
      columns: await describe(engine, events), file_columns: columns,
      files: this.inspection.files, encoding: this.inspection.encoding,
      widened_columns: this.inspection.widened, duplicate_rows: this.inspection.duplicate_rows,
      user_hash_unique: stats.hashUnique,
    };
    this.staged.summary = summary;
    const first = (await engine.query(`SELECT * FROM ${quoteIdent(events)} LIMIT 20`)).toArray().map((row) => ({ ...row.toJSON() }));
    return { summary, rows: first };
  }

  /**
   * Whether the guessed mapping may be wrong although it loads, and why (for the import step to
   * ask): most rows left out, one person for all rows, or every row its own person.
   */
  static doubts(summary: LoadSummary): string | null {
    const total = summary.rows + summary.skipped_rows;
    if (summary.skipped_rows > total / 2) {
      return `${summary.skipped_rows.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} rows would be left out (no user id or no time)`;
    }
    if (summary.rows >= 100 && summary.users === 1) return `every row would be the same person ("${summary.mapping.user_id}" holds one value)`;
    if (summary.rows >= 100 && summary.users === summary.rows) return `every row would be a different person: "${summary.mapping.user_id}" may be a row id rather than a user id`;
    return null;
  }

  /**
   * Makes the last preview the source's events (replacing what the source held) and returns its
   * summary. The staged rows are kept until `close`.
   */
  async commit(): Promise<LoadSummary> {
    const summary = this.staged.summary;
    if (!summary) throw new Error('nothing to commit: preview a mapping first');
    const { engine, source, events } = this;
    await engine.exec(`DROP TABLE IF EXISTS ${quoteIdent(source)};
      ALTER TABLE ${quoteIdent(events)} RENAME TO ${quoteIdent(source)}`);
    this.staged = { events: false, summary: null };
    // the event names and time range every analysis validates against, counted once per load
    await engine.exec(`CREATE OR REPLACE TABLE ${quoteIdent(`${source}__catalog`)} AS
      SELECT event, count(*) AS events, min(ts) AS first_ts, max(ts) AS last_ts, ${summary.user_hash_unique ?? false} AS user_hash_unique
      FROM ${quoteIdent(source)} GROUP BY event`);
    return summary;
  }

  /** Drops what was staged; the loaded sources stay as they were. */
  async close(): Promise<void> {
    await this.engine.exec(`DROP TABLE IF EXISTS ${quoteIdent(this.events)}; DROP TABLE IF EXISTS ${quoteIdent(this.raw)}`).catch(() => {});
  }
}

/** Rows that occur identically in more than one file, without `COLUMNS` (older DuckDB). */
async function duplicateRows(engine: Engine, raw: string): Promise<number> {
  const columns = (await describe(engine, raw)).filter((c) => c.name !== FILE_COLUMN).map((c) => quoteIdent(c.name));
  return count(engine, `SELECT coalesce(sum(n - 1), 0) AS n FROM (SELECT count(*) AS n, count(DISTINCT ${quoteIdent(FILE_COLUMN)}) AS files
    FROM ${quoteIdent(raw)} GROUP BY ${columns.join(', ')}) WHERE files > 1`);
}

/**
 * Puts the files' staging tables together into `raw`, matching columns by name, with the index
 * of the file each row came from in `__file`. Returns the columns read as text (or DOUBLE)
 * because their type differs between files.
 */
async function unionParts(engine: Engine, raw: string, parts: string[], files: EventFile[]): Promise<string[]> {
  const described = await Promise.all(parts.map((part) => describe(engine, part)));
  const types = new Map<string, string[]>();
  for (const columns of described) {
    for (const { name, type } of columns) types.set(name, [...(types.get(name) ?? []), type]);
  }
  const widened: string[] = [];
  const target = new Map<string, string>();
  for (const [name, seen] of types) {
    const distinct = [...new Set(seen)];
    if (distinct.length === 1) { target.set(name, distinct[0]); continue; }
    widened.push(name);
    target.set(name, distinct.every((t) => NUMERIC.test(t)) ? 'DOUBLE' : 'VARCHAR');
  }
  if (types.has(FILE_COLUMN)) throw new LoadError(files[0].name, `has a column named "${FILE_COLUMN}", which cohortbook keeps for the file a row came from; rename it`);
  const selects = described.map((columns, i) => {
    const has = new Map(columns.map((c) => [c.name, c.type]));
    const list = [...target].map(([name, type]) => {
      const own = has.get(name);
      if (own === undefined) return `CAST(NULL AS ${type}) AS ${quoteIdent(name)}`;
      return own === type ? quoteIdent(name) : `CAST(${quoteIdent(name)} AS ${type}) AS ${quoteIdent(name)}`;
    });
    return `SELECT ${list.join(', ')}, ${i} AS ${quoteIdent(FILE_COLUMN)} FROM ${quoteIdent(parts[i])}`;
  });
  await engine.exec(`CREATE OR REPLACE TABLE ${quoteIdent(raw)} AS ${selects.join(' UNION ALL ')}`);
  return widened;
}

/**
 * The mapped events' rows, people and time range, and whether `hash(user_id)` tells the people
 * apart, in one pass grouped by that hash. Analyses group and join on the 64-bit hash instead of
 * the text when it does (integers hash and compare several times faster); the check costs no more
 * than counting the distinct ids, which the summary needs anyway. A clash is very unlikely (odds
 * of about 1 in 37 million for a million people); when there is one, analyses keep using the text.
 */
async function summarise(engine: Engine, table: string): Promise<{
  rows: number; users: number; hashUnique: boolean; firstMs: unknown; lastMs: unknown;
}> {
  const all = (await engine.query(`SELECT sum(n) AS rows, epoch_ms(min(first)) AS first_ms, epoch_ms(max(last)) AS last_ms,
      count(*) AS keys, count(*) FILTER (WHERE lo <> hi) AS clashes
    FROM (SELECT count(*) AS n, min(ts) AS first, max(ts) AS last, min(user_id) AS lo, max(user_id) AS hi
      FROM ${quoteIdent(table)} GROUP BY hash(user_id))`)).get(0)!;
  const summary = { rows: Number(all.rows ?? 0), firstMs: all.first_ms, lastMs: all.last_ms };
  if (Number(all.clashes) === 0) return { ...summary, users: Number(all.keys), hashUnique: true };
  const users = (await engine.query(`SELECT count(DISTINCT user_id) AS n FROM ${quoteIdent(table)}`)).get(0)!;
  return { ...summary, users: Number(users.n), hashUnique: false };
}

const OFFSET_AT_END = String.raw`\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|[+-]\d{2}(:?\d{2})?)$`;

/** The timestamp expression, with wall-clock times read in the file's zone when one is named. */
async function zonedTimestamp(
  engine: Engine, table: string, column: string, type: string, choice: Extract<TimestampChoice, { ok: true }>, keep: string, zone: string | undefined,
): Promise<string> {
  const { rule } = choice;
  const utc = timestampExpression(column, rule);
  const naive = rule.kind === 'format' || (rule.kind === 'native' && !/WITH TIME ZONE|TIMESTAMPTZ/.test(type)) || rule.kind === 'iso';
  if (!zone || zone === 'UTC' || !naive) return utc;
  // a text column's range was found while its rule was checked
  const range = choice.range ? { lo: choice.range.firstMs, hi: choice.range.lastMs }
    : (await engine.query(`SELECT epoch_ms(min(${utc})) AS lo, epoch_ms(max(${utc})) AS hi FROM ${quoteIdent(table)} WHERE ${keep}`)).get(0);
  if (range?.lo == null) return utc;
  const local = localToUtcSql(utc, zone, Number(range.lo), Number(range.hi));
  if (rule.kind !== 'iso') return local;
  // ISO text that carries its own offset (or Z) is already UTC
  return `(CASE WHEN regexp_matches(trim(CAST(${quoteIdent(column)} AS VARCHAR)), '${OFFSET_AT_END}') THEN ${utc} ELSE ${local} END)`;
}

export type { ColumnMapping };
