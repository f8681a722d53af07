import type { Engine, EngineKind, LoadSummary } from '../engine/index.ts';
import { LoadError, loadEvents, mappingHint, parseEncoding, parseMappingOverrides, TEXT_ENCODINGS, type FileFormat } from '../engine/index.ts';
import { createNodeEngine } from '../engine/node.ts';
import { getAnalysis, runAnalysis } from '../analytics/index.ts';
import { UsageError } from './cli-error.ts';
import { eventFilePaths, readEventFile, readSpec } from './read-input.ts';

/** Options shared by the commands that read an event log. */
export interface EventOptions {
  /** One or more files, directories or globs: several are one log. */
  events?: string | string[];
  encoding?: string;
  sheet?: string;
  map?: string;
  engine?: string;
  format?: string;
  delimiter?: string;
  tz?: string;
}

export type Say = (line: string) => void;

function engineKind(value: string | undefined): EngineKind {
  if (value === undefined || value === 'wasm' || value === 'native') return value ?? 'wasm';
  throw new UsageError(`--engine must be wasm or native, not "${value}"`);
}

const FORMATS = ['csv', 'tsv', 'json', 'parquet', 'arrow', 'xlsx'];

/** A loader error with the `--map` that fixes it, where one does (a column nothing looked like). */
function withHint(error: unknown): unknown {
  if (!(error instanceof LoadError) || !error.role || !/^no (user|event|timestamp) column/.test(error.problem)) return error;
  return new LoadError(error.file, `${error.problem}; ${mappingHint(error.role)}`, { column: error.column, line: error.line, role: error.role, cause: error });
}

/** Starts the engine and loads `--events` into the `events` view, telling progress on stderr. */
export async function openEvents(options: EventOptions, say: Say): Promise<{ engine: Engine; summary: LoadSummary }> {
  const patterns = options.events === undefined ? [] : [options.events].flat();
  if (patterns.length === 0) throw new UsageError('--events FILE is required');
  if (options.format && !FORMATS.includes(options.format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`);
  const encoding = options.encoding === undefined ? undefined : parseEncoding(options.encoding);
  if (options.encoding !== undefined && !encoding) throw new UsageError(`--encoding must be one of ${TEXT_ENCODINGS.join(', ')}, not "${options.encoding}"`);
  const mapping = options.map ? parseMappingOverrides(options.map) : {};
  const files = await Promise.all((await eventFilePaths(patterns)).map(readEventFile));
  const kind = engineKind(options.engine);
  const engine = await createNodeEngine(kind);
  const size = files.reduce((sum, f) => sum + f.bytes.length, 0);
  const what = files.length === 1 ? files[0].name : `${files.length} files (${files[0].name}, …)`;
  say(`loading ${what} (${(size / 1e6).toFixed(1)} MB) into DuckDB ${kind === 'wasm' ? '(WASM)' : '(native)'}…`);
  const started = performance.now();
  try {
    const summary = await loadEvents(engine, files, {
      mapping, format: options.format as FileFormat | undefined, delimiter: options.delimiter, timezone: options.tz, encoding, sheet: options.sheet,
    });
    say(`loaded ${summary.rows.toLocaleString('en-US')} events of ${summary.users.toLocaleString('en-US')} users in ${((performance.now() - started) / 1000).toFixed(1)} s` +
      (summary.skipped_rows ? `; left out ${summary.skipped_rows.toLocaleString('en-US')} rows without a user id or time` : ''));
    if (summary.encoding && summary.encoding !== 'utf-8') say(`read the text as ${summary.encoding}`);
    if (summary.widened_columns?.length) say(`read ${summary.widened_columns.map((c) => `"${c}"`).join(', ')} as text: ${summary.widened_columns.length === 1 ? 'its type differs' : 'their types differ'} between the files`);
    if (summary.duplicate_rows) say(`kept ${summary.duplicate_rows.toLocaleString('en-US')} rows that also occur in another of the files`);
    return { engine, summary };
  } catch (error) {
    await engine.close();
    throw withHint(error);
  }
}

/** What `cohortbook load` prints: the contract's fields first, then details. */
export function loadReport(summary: LoadSummary): Record<string, unknown> {
  const { mapping } = summary;
  return {
    mapping: {
      user_id: mapping.user_id,
      event: 'constant' in mapping.event ? `:${mapping.event.constant}` : mapping.event.column,
      ts: mapping.ts,
      revenue: mapping.revenue,
    },
    rows: summary.rows,
    users: summary.users,
    skipped_rows: summary.skipped_rows,
    first_ts: summary.first_ts,
    last_ts: summary.last_ts,
    file: summary.file,
    files: summary.files ?? [summary.file],
    format: summary.format,
    encoding: summary.encoding ?? null,
    widened_columns: summary.widened_columns ?? [],
    duplicate_rows: summary.duplicate_rows ?? 0,
    skipped: summary.skipped,
    timestamps: summary.timestamps,
    columns: summary.columns,
    file_columns: summary.file_columns,
  };
}

/** `cohortbook load`: loads the file and reports what it found. */
export async function loadCommand(options: EventOptions, say: Say): Promise<unknown> {
  const { engine, summary } = await openEvents(options, say);
  await engine.close();
  return loadReport(summary);
}

/** `cohortbook analyze`: runs one spec (retention, funnel, ...) on the file. */
export async function analyzeCommand(options: EventOptions & { spec?: string }, say: Say): Promise<unknown> {
  if (!options.spec) throw new UsageError('--spec SPEC.json (or inline JSON) is required');
  const spec = await readSpec(options.spec);
  const analysis = typeof spec?.kind === 'string' ? getAnalysis(spec.kind) : undefined;
  const needsEvents = analysis?.needsEvents ? analysis.needsEvents(spec) : true;
  if (!analysis || !needsEvents || !options.events) {
    if (analysis && needsEvents) throw new UsageError(`a ${analysis.kind} analysis needs --events FILE`);
    const result = await runAnalysis(null, spec);
    for (const warning of result.meta.warnings) say(`warning: ${warning}`);
    return result;
  }
  const { engine, summary } = await openEvents(options, say);
  try {
    const result = await runAnalysis(engine, spec);
    say(`${result.kind}: ${result.rows.length} rows in ${Number(result.meta.query_seconds ?? 0).toFixed(2)} s`);
    for (const warning of result.meta.warnings) say(`warning: ${warning}`);
    return { ...result, meta: { ...result.meta, events: loadReport(summary) } };
  } finally {
    await engine.close();
  }
}
