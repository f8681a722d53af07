// One child process of `npm run bench`: times loads and cases on one engine at one size and reports
// to run.ts over IPC. A process of its own keeps each engine's memory peak apart from the others'
// and lets run.ts stop a run that exceeds its time limit.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { loadEvents, loadEventsInto, type Engine } from '../src/engine/index.ts';
import { createNodeEngine } from '../src/engine/node.ts';
import { runAnalysis } from '../src/analytics/index.ts';
import { arqueroEvents } from './arquero-events.ts';
import { loadCases, type NamedCase } from './cases.ts';
import { fingerprint } from './fingerprint.ts';
import { PeakMemory, timeRuns, timing } from './measure.ts';
import { recordSteps, type LoadStep, type PeakProbe } from './load-steps.ts';
import type { CaseResult, EngineResult, LoadFormat, LoadResult, RunnerMessage, RunnerTask } from './protocol.ts';

const task = JSON.parse(process.argv[2] ?? 'null') as RunnerTask;
const peak = new PeakMemory().start();
const result: EngineResult = { engine: task.engine, load: {}, cases: {} };

function send(message: RunnerMessage): void {
  process.send?.(message);
}

function report(): void {
  result.peak_rss_mb = Math.max(result.peak_rss_mb ?? 0, ...Object.values(result.cases).map((c) => c.peak_rss_mb ?? 0),
    ...Object.values(result.load).map((l) => l?.peak_rss_mb ?? 0));
  send({ type: 'result', result });
}

function progress(text: string): void {
  send({ type: 'progress', text: `${task.size} ${task.engine}: ${text}` });
}

function message(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}

/**
 * Runs a case: the first run is a warm-up; if it took longer than `singleRunAboveMs` it is the one
 * reported, otherwise `runs` more are timed.
 */
async function timeCase(
  bench: NamedCase, call: () => Promise<{ rows: unknown; queryMs?: number }>,
): Promise<CaseResult> {
  const out: CaseResult = { id: bench.id, name: bench.bench.name };
  result.cases[bench.id] = out;
  peak.reset();
  const totals: number[] = [];
  const queries: number[] = [];
  let last: { rows: unknown; queryMs?: number } | undefined;
  const once = async (run: number) => {
    send({ type: 'run-start', case: bench.id, run });
    const started = performance.now();
    last = await call();
    const ms = performance.now() - started;
    if (run > 0) {
      totals.push(ms);
      if (last.queryMs !== undefined) queries.push(last.queryMs);
    }
    return ms;
  };
  try {
    const warmup = await once(0);
    if (warmup > task.singleRunAboveMs) {
      totals.push(warmup);
      if (last?.queryMs !== undefined) queries.push(last.queryMs);
      out.note = `one run (the first took over ${task.singleRunAboveMs / 1000} s)`;
    } else {
      for (let run = 1; run <= task.runs; run++) await once(run);
    }
    out.total = timing(totals);
    if (queries.length) out.query = timing(queries);
    out.rows = Array.isArray(last?.rows) ? last.rows.length : undefined;
    out.fingerprint = fingerprint(last?.rows);
  } catch (error) {
    out.error = message(error);
  }
  out.peak_rss_mb = peak.peakMb();
  return out;
}

async function duckdbMemory(engine: Engine): Promise<void> {
  try {
    const used = await engine.query('SELECT sum(memory_usage_bytes) AS bytes FROM duckdb_memory()');
    result.duckdb_memory_mb = Math.round(Number(used.get(0)?.bytes ?? 0) / 1e5) / 10;
    const size = await engine.query('PRAGMA database_size');
    result.duckdb_memory_limit = String(size.get(0)?.memory_limit ?? '');
  } catch (error) {
    progress(`no memory figures: ${message(error)}`);
  }
}

/**
 * DuckDB-WASM, native DuckDB, or ClickHouse in process (chDB): its loads are the CLI's, the file
 * read by native DuckDB and copied to ClickHouse, so they time the loader and the copy; the
 * analyses not ported to ClickHouse report their error in the table.
 */
async function runDuckDB(kind: 'wasm' | 'native' | 'clickhouse'): Promise<void> {
  const started = performance.now();
  let engine = await createNodeEngine(kind);
  result.start_ms = Math.round(performance.now() - started);
  result.version = String((await engine.query('SELECT version() AS v')).get(0)?.v ?? '');
  let steps: LoadStep[] = [];
  // each engine call's own peak, and the whole load's: the largest seen across the resets
  let loadPeak = 0;
  const stepPeaks: PeakProbe = {
    reset: () => { loadPeak = Math.max(loadPeak, peak.peakMb()); peak.reset(); },
    peakMb: () => { const mb = peak.peakMb(); loadPeak = Math.max(loadPeak, mb); return mb; },
  };
  const load = async (format: LoadFormat) => {
    const bytes = readFileSync(task.files[format]);
    steps = [];
    const file = { name: basename(task.files[format]), bytes };
    if (kind !== 'clickhouse') return loadEvents(recordSteps(engine, steps, stepPeaks), file, { source: 'bench_events' });
    const reader = await createNodeEngine('native');
    try {
      return await loadEventsInto(recordSteps(engine, steps, stepPeaks), reader, file, { source: 'bench_events' });
    } finally {
      await reader.close();
    }
  };
  // CSV first (by default), so that `events` is the Parquet load the cases then read
  const formats: LoadFormat[] = task.timeLoads ? task.formats : [];
  for (const format of formats) {
    progress(`loading ${format} (${task.loadRuns} runs)`);
    peak.reset();
    loadPeak = 0;
    const out: LoadResult = {};
    result.load[format] = out;
    try {
      let summary: Awaited<ReturnType<typeof load>> | undefined;
      out.total = timing(await timeRuns(async () => { summary = await load(format); }, { runs: task.loadRuns }));
      out.rows = summary?.rows;
      out.users = summary?.users;
      out.steps = steps;
    } catch (error) {
      out.error = message(error);
      // a failed load (e.g. DuckDB-WASM's heap is full) may leave the database unusable
      await engine.close().catch(() => {});
      engine = await createNodeEngine(kind);
    }
    out.peak_rss_mb = Math.max(loadPeak, peak.peakMb());
    report();
  }
  if (!result.load.parquet?.total) await load('parquet');
  if (kind !== 'clickhouse') await duckdbMemory(engine);
  report();
  for (const bench of await loadCases(task.cases)) {
    if (bench.bench.timedByHarness) continue;
    progress(`${bench.id}`);
    await timeCase(bench, async () => {
      const out = await runAnalysis(engine, bench.bench.spec);
      return { rows: out.rows, queryMs: Number(out.meta.query_seconds) * 1000 };
    });
    report();
  }
  await engine.close();
}

async function runArquero(): Promise<void> {
  const bytes = readFileSync(task.files.parquet);
  progress('building the Arquero table from Parquet');
  peak.reset();
  const started = performance.now();
  const events = await arqueroEvents(bytes);
  if (task.timeLoads) {
    result.load.parquet = { total: timing([performance.now() - started]), rows: events.numRows(), peak_rss_mb: peak.peakMb() };
  }
  report();
  for (const bench of await loadCases(task.cases)) {
    const arquero = bench.bench.arquero;
    if (bench.bench.timedByHarness || !arquero) continue;
    progress(`${bench.id}`);
    await timeCase(bench, async () => ({ rows: arquero(events) }));
    report();
  }
}

async function main(): Promise<void> {
  if (!task || !process.send) throw new Error('bench/engine-runner.ts is started by bench/run.ts, not by hand');
  try {
    if (task.engine === 'wasm' || task.engine === 'native' || task.engine === 'clickhouse') await runDuckDB(task.engine);
    else if (task.engine === 'arquero') await runArquero();
    else throw new Error(`engine "${task.engine}" does not run in a Node runner`);
  } catch (error) {
    result.error = message(error);
  }
  peak.stop();
  report();
  process.disconnect();
}

void main();
