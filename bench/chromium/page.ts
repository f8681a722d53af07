// The page bench/chromium.ts drives: the app's own worker engine (DuckDB-WASM in a Web Worker,
// every binary served locally), its loader and its analyses, with nothing of the UI around them.
import { runAnalysis } from '../../src/analytics/index.ts';
import { createBrowserEngine } from '../../src/engine/browser.ts';
import { viteAssets } from '../../src/engine/vite-assets.ts';
import { loadEvents, type Engine } from '../../src/engine/index.ts';
import { recordSteps, type LoadStep, type PeakProbe } from '../load-steps.ts';
// the case files, for analyses a case registers itself (run.ts imports them in Node too)
import 'virtual:bench-cases';

/** What the page offers `page.evaluate`; every time is measured inside the page. */
export interface BenchPage {
  start(): Promise<{ ms: number; version: string; threads: number; isolated: boolean }>;
  fetchFile(url: string): Promise<number>;
  load(name: string): Promise<{ ms: number; rows: number; users: number; steps: LoadStep[] }>;
  run(spec: { kind: string }): Promise<{ ms: number; queryMs: number; rows: unknown[] }>;
  memory(): Promise<{ duckdbMb: number; limit: string; jsHeapMb: number | null }>;
}

let engine: Engine | undefined;

/** Chromium's memory peak, read by the benchmark in Node (`benchPeak`, exposed by bench/chromium.ts). */
const chromiumPeaks: PeakProbe = {
  reset: () => benchPeak('reset').then(() => undefined),
  peakMb: () => benchPeak('read'),
};
declare function benchPeak(what: 'reset' | 'read'): Promise<number | undefined>;
let bytes: Uint8Array | undefined;

function started(): Engine {
  if (!engine) throw new Error('bench page: call start() first');
  return engine;
}

const bench: BenchPage = {
  async start() {
    const t = performance.now();
    engine = await createBrowserEngine(viteAssets);
    const ms = performance.now() - t;
    const info = (await engine.query("SELECT version() AS v, current_setting('threads') AS threads")).get(0);
    return { ms, version: String(info?.v ?? ''), threads: Number(info?.threads ?? 1), isolated: globalThis.crossOriginIsolated === true };
  },
  async fetchFile(url) {
    bytes = undefined;
    bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
    return bytes.length;
  },
  async load(name) {
    if (!bytes) throw new Error('bench page: call fetchFile() first');
    // a copy per run, made before the clock starts: registering a file hands its buffer to the worker
    const copy = bytes.slice();
    const steps: LoadStep[] = [];
    const t = performance.now();
    const summary = await loadEvents(recordSteps(started(), steps, chromiumPeaks), { name, bytes: copy }, { source: 'bench_events' });
    return { ms: performance.now() - t, rows: summary.rows, users: summary.users, steps };
  },
  async run(spec) {
    const t = performance.now();
    const result = await runAnalysis(started(), spec);
    return { ms: performance.now() - t, queryMs: Number(result.meta.query_seconds) * 1000, rows: result.rows };
  },
  async memory() {
    const used = await started().query('SELECT sum(memory_usage_bytes) AS bytes FROM duckdb_memory()');
    const size = await started().query('PRAGMA database_size');
    const heap = (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory;
    return {
      duckdbMb: Math.round(Number(used.get(0)?.bytes ?? 0) / 1e5) / 10,
      limit: String(size.get(0)?.memory_limit ?? ''),
      jsHeapMb: heap ? Math.round(heap.usedJSHeapSize / 1e5) / 10 : null,
    };
  },
};

(globalThis as typeof globalThis & { bench?: BenchPage }).bench = bench;
document.body.dataset.ready = 'true';
