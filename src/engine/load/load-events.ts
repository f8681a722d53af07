import type { Engine } from '../engine.ts';
import { quoteIdent } from '../sql.ts';
import { resolveMapping, type ColumnMapping, type MappingOverrides } from './column-mapping.ts';
import { detectFormat, gunzip, isGzip, type FileFormat } from './file-format.ts';
import { databaseReason, LoadError } from './load-error.ts';
import { readRawTable, type CsvOptions } from './read-raw.ts';
import { chooseTimestampRule, timestampExpression, type TimestampChoice, type TimestampRule } from './timestamp-rule.ts';
import { EVENTS_CATALOG, freeSourceName, sourceNameProblem } from './source-name.ts';
import { localToUtcSql } from './zone-sql.ts';
import { isTimeZone } from '../time-zone.ts';

/** A file handed to the loader: its name (which tells the format) and its bytes. */
export interface EventFile {
  name: string;
  bytes: Uint8Array;
}

export interface LoadOptions extends CsvOptions {
  /**
   * The table the mapped events are kept in; defaults to a name made from the file name that no
   * other table has (see `freeSourceName`).
   */
  source?: string;
  /** Overrides for the guessed mapping. */
  mapping?: MappingOverrides;
  /** Overrides the format the file name suggests. */
  format?: FileFormat;
  /** Whether `events` should point at this source afterwards (default true). */
  activate?: boolean;
  /**
   * The IANA zone the file's wall-clock times are in (`Europe/London`); times that carry an offset
   * or are epoch numbers are not affected. Default: UTC.
   */
  timezone?: string;
}

/** A column of the loaded source with its DuckDB type. */
export interface SourceColumn {
  name: string;
  type: string;
}

/** What a load did, as `cohortbook load` prints it and the data panel shows it. */
export interface LoadSummary {
  source: string;
  file: string;
  format: FileFormat;
  mapping: ColumnMapping;
  timestamps: TimestampRule;
  /** Events kept in the `events` view. */
  rows: number;
  users: number;
  /** Rows left out: no user id, or no timestamp. */
  skipped_rows: number;
  skipped: { no_user_id: number; no_ts: number };
  first_ts: string | null;
  last_ts: string | null;
  /** Columns of the mapped source, canonical ones first. */
  columns: SourceColumn[];
  /** Columns of the file as read, for choosing another mapping. */
  file_columns: SourceColumn[];
}

const CANONICAL = ['user_id', 'event', 'ts', 'revenue'];

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

/**
 * Loads an event log into `source` and points the canonical `events` view at it. Only the mapped
 * events are kept (a new mapping re-reads the file). The file is read into staging tables first: if anything is wrong, the error names the file, column and row, and
 * whatever was loaded before stays as it was.
 *
 * @example
 * const summary = await loadEvents(engine, { name: 'orders.csv', bytes }, { mapping: { event: ':purchase' } });
 * summary.rows; // events kept
 */
export async function loadEvents(engine: Engine, file: EventFile, options: LoadOptions = {}): Promise<LoadSummary> {
  const problem = options.source === undefined ? null : sourceNameProblem(options.source);
  if (problem) throw new LoadError(file.name, `cannot be loaded as "${options.source}": ${problem}`);
  if (file.bytes.length === 0) throw new LoadError(file.name, 'is empty');
  try {
    return await loadSource(engine, file, options.source ?? await freeSourceName(engine, file.name), options);
  } catch (error) {
    if (error instanceof LoadError) throw error;
    // Not a problem of the file that the loader knew to look for: say so in a sentence, with the
    // database's reason (never its raw text alone).
    throw new LoadError(file.name, `could not be loaded (${databaseReason(error)}); nothing loaded before was changed. `
      + 'If the file opens in a spreadsheet, please report this with its first lines', { cause: error });
  }
}

async function loadSource(engine: Engine, file: EventFile, source: string, options: LoadOptions): Promise<LoadSummary> {
  const staging = { raw: `${source}__raw_next`, events: `${source}__next` };
  const bytes = isGzip(file.bytes) ? await gunzip(file.name, file.bytes) : file.bytes;
  if (bytes.length === 0 || (bytes.length < 4096 && !new TextDecoder().decode(bytes).trim())) {
    throw new LoadError(file.name, 'is empty');
  }
  const format = options.format ?? detectFormat(file.name, file.bytes);
  if (options.timezone !== undefined && !isTimeZone(options.timezone)) {
    throw new LoadError(file.name, `unknown time zone "${options.timezone}": use an IANA name such as Europe/London or America/New_York`);
  }
  try {
    await readRawTable(engine, file.name, bytes, format, staging.raw, options);
    const columns = (await engine.query(`DESCRIBE ${quoteIdent(staging.raw)}`)).toArray()
      .map((row) => ({ name: String(row.column_name), type: String(row.column_type) }));
    const count = Number((await engine.query(`SELECT count(*) AS n FROM ${quoteIdent(staging.raw)}`)).get(0)?.n ?? 0);
    if (count === 0) {
      throw new LoadError(file.name, format === 'csv' || format === 'tsv' ? `has a header (${columns.map((c) => c.name).join(', ')}) but no rows` : 'has no rows');
    }
    const mapped = resolveMapping(columns.map((c) => c.name), options.mapping);
    if (!mapped.ok) throw new LoadError(file.name, mapped.problem);
    const { mapping } = mapped;
    const typeOf = (name: string) => columns.find((c) => c.name === name)!.type;
    const user = userExpression(mapping.user_id, typeOf(mapping.user_id));
    const hasUser = `${quoteIdent(mapping.user_id)} IS NOT NULL AND ${user} <> ''`;
    const choice = await chooseTimestampRule(engine, staging.raw, mapping.ts, typeOf(mapping.ts), hasUser);
    if (!choice.ok) {
      const { value, row } = choice.unreadable;
      throw new LoadError(file.name,
        `"${value}" (row ${row}) is not a date or time cohortbook can read; use ISO text (2024-03-01 14:05:00, with or without Z or +02:00), epoch seconds or milliseconds, or a common local form such as 12/1/2010 8:26`,
        { column: mapping.ts });
    }
    const ts = await zonedTimestamp(engine, staging.raw, mapping.ts, typeOf(mapping.ts), choice, hasUser, options.timezone);
    const event = 'constant' in mapping.event ? '?' : `CAST(${quoteIdent(mapping.event.column)} AS VARCHAR)`;
    const revenue = mapping.revenue ? `TRY_CAST(${quoteIdent(mapping.revenue)} AS DOUBLE)` : 'CAST(NULL AS DOUBLE)';
    const used = new Set([mapping.user_id, mapping.ts, mapping.revenue, 'column' in mapping.event ? mapping.event.column : null]);
    const properties = columns.filter((c) => !used.has(c.name) && !CANONICAL.includes(c.name)).map((c) => quoteIdent(c.name));
    const params = 'constant' in mapping.event ? [mapping.event.constant] : [];
    await engine.query(`CREATE OR REPLACE TABLE ${quoteIdent(staging.events)} AS
      SELECT ${user} AS user_id, ${event} AS event, ${ts} AS ts, ${revenue} AS revenue${properties.map((p) => `, ${p}`).join('')}
      FROM ${quoteIdent(staging.raw)} WHERE ${hasUser}`, params);
    // rows without a time go afterwards: `WHERE ts IS NOT NULL` above would make DuckDB read every
    // row's time twice (in the filter and in the select list)
    await engine.exec(`DELETE FROM ${quoteIdent(staging.events)} WHERE ts IS NULL`);
    const stats = await summarise(engine, staging.events);
    const noUser = Number((await engine.query(`SELECT count(*) AS n FROM ${quoteIdent(staging.raw)} WHERE NOT (${hasUser}) OR ${quoteIdent(mapping.user_id)} IS NULL`)).get(0)?.n ?? 0);
    const { rows } = stats;
    if (rows === 0) throw new LoadError(file.name, `has no rows with a user id in column "${mapping.user_id}"`);
    await engine.exec(`DROP TABLE IF EXISTS ${quoteIdent(source)};
      ALTER TABLE ${quoteIdent(staging.events)} RENAME TO ${quoteIdent(source)}`);
    // the event names and time range every analysis validates against, counted once per load
    await engine.exec(`CREATE OR REPLACE TABLE ${quoteIdent(catalogTable(source))} AS
      SELECT event, count(*) AS events, min(ts) AS first_ts, max(ts) AS last_ts, ${stats.hashUnique} AS user_hash_unique
      FROM ${quoteIdent(source)} GROUP BY event`);
    if (options.activate ?? true) await activateSource(engine, source);
    const loaded = (await engine.query(`DESCRIBE ${quoteIdent(source)}`)).toArray()
      .map((row) => ({ name: String(row.column_name), type: String(row.column_type) }));
    return {
      source, file: file.name, format, mapping, timestamps: choice.rule,
      rows, users: stats.users, skipped_rows: count - rows,
      skipped: { no_user_id: noUser, no_ts: count - rows - noUser },
      first_ts: isoOrNull(stats.firstMs), last_ts: isoOrNull(stats.lastMs), columns: loaded, file_columns: columns,
    };
  } finally {
    await engine.exec(`DROP TABLE IF EXISTS ${quoteIdent(staging.events)}; DROP TABLE IF EXISTS ${quoteIdent(staging.raw)}`).catch(() => {});
  }
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

/** Points the canonical `events` view at a loaded source. */
export async function activateSource(engine: Engine, source: string): Promise<void> {
  await engine.exec(`CREATE OR REPLACE VIEW events AS SELECT * FROM ${quoteIdent(source)};
    CREATE OR REPLACE VIEW ${EVENTS_CATALOG} AS SELECT * FROM ${quoteIdent(catalogTable(source))}`);
}

export { EVENTS_CATALOG };

function catalogTable(source: string): string {
  return `${source}__catalog`;
}

/** Removes a loaded source (and `events`, if it pointed there). */
export async function removeSource(engine: Engine, source: string, wasActive: boolean): Promise<void> {
  if (wasActive) await engine.exec(`DROP VIEW IF EXISTS events; DROP VIEW IF EXISTS ${EVENTS_CATALOG}`);
  await engine.exec(`DROP TABLE IF EXISTS ${quoteIdent(source)}; DROP TABLE IF EXISTS ${quoteIdent(catalogTable(source))}`);
}
