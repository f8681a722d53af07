// What run.ts and its engine runners (one child process per size and engine) say to each other.
import type { CaseRef } from './cases.ts';
import type { LoadStep } from './load-steps.ts';
import type { Timing } from './measure.ts';

/**
 * The engines the benchmark can time. `chromium` serves its page cross-origin isolated, so the
 * app picks DuckDB-WASM's threaded build; `chromium-1t` serves it without the isolation headers
 * (the single-threaded build a page on a plain host gets), to show what the threads bring.
 */
export const ENGINE_NAMES = ['wasm', 'native', 'clickhouse', 'arquero', 'chromium', 'chromium-1t'] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];

/** The file formats a load is timed from. */
export type LoadFormat = 'parquet' | 'csv';

/** What one runner process is asked to do. */
export interface RunnerTask {
  size: string;
  engine: EngineName;
  files: Record<LoadFormat, string>;
  /** The cases to run after loading. */
  cases: CaseRef[];
  runs: number;
  loadRuns: number;
  /** Whether to time loads (false when a runner is restarted after a timed-out case). */
  timeLoads: boolean;
  /** The formats to load, in this order (`--formats`; the last one loaded is what the cases read). */
  formats: LoadFormat[];
  /** A case whose warm-up run takes longer than this is run once and reported from that run. */
  singleRunAboveMs: number;
}

/** A timed case on one engine. */
export interface CaseResult {
  id: string;
  name: string;
  /** Wall time of the whole call (`runAnalysis`: catalog, SQL, shaping; or the Arquero function). */
  total?: Timing;
  /** The SQL alone, as `runAnalysis` reports it in `meta.query_seconds`. */
  query?: Timing;
  rows?: number;
  /** A hash of the rows (numbers rounded to 9 significant digits), to see that engines agree. */
  fingerprint?: string;
  peak_rss_mb?: number;
  note?: string;
  error?: string;
}

/** A timed load of one file format. */
export interface LoadResult {
  total?: Timing;
  rows?: number;
  users?: number;
  peak_rss_mb?: number;
  /** The engine calls of the last run, timed (DuckDB engines in Node). */
  steps?: LoadStep[];
  error?: string;
}

/** Everything measured on one engine at one size. */
export interface EngineResult {
  engine: EngineName;
  version?: string;
  start_ms?: number;
  load: Partial<Record<LoadFormat, LoadResult>>;
  cases: Record<string, CaseResult>;
  /** DuckDB's own account of its memory after loading (`duckdb_memory()`), in MB. */
  duckdb_memory_mb?: number;
  duckdb_memory_limit?: string;
  /** DuckDB's `threads` setting as the engine started (1 unless the threaded build runs). */
  threads?: number;
  peak_rss_mb?: number;
  error?: string;
}

export type RunnerMessage =
  | { type: 'progress'; text: string }
  | { type: 'run-start'; case: string; run: number }
  | { type: 'result'; result: EngineResult };
