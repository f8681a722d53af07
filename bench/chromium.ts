// The `chromium` engine of `npm run bench`: DuckDB-WASM in headless Chromium, in the app's own Web
// Worker engine (src/engine/browser.ts), with the app's loader and analyses. It builds a small page
// (bench/chromium/) with Vite, serves it and the data from localhost, and times inside the page.
import { createReadStream, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { basename, dirname, extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { build, type Plugin } from 'vite';
import { launchChromium } from '../test/browser/browser.ts';
import { CROSS_ORIGIN_ISOLATION_HEADERS } from '../src/ui/content-security-policy.ts';
import { loadCases } from './cases.ts';
import { fingerprint } from './fingerprint.ts';
import { timing } from './measure.ts';
import type { BenchPage } from './chromium/page.ts';
import type { CaseResult, EngineResult, LoadFormat, RunnerTask } from './protocol.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const PAGE_SOURCE = join(HERE, 'chromium');
const PAGE_BUILD = join(HERE, 'data', 'chromium-page');

const TYPES: Record<string, string> = {
  '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css',
  '.parquet': 'application/octet-stream', '.csv': 'text/csv',
};

/**
 * Serves the built page, and the benchmark's data files under `/data/`, on a free localhost port;
 * `isolated` adds the cross-origin isolation headers the app's servers send (threaded DuckDB-WASM).
 */
async function serve(files: Record<LoadFormat, string>, isolated: boolean): Promise<{ server: Server; url: string }> {
  const data = new Map(Object.values(files).map((path) => [`/data/${basename(path)}`, path]));
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    const file = data.get(path) ?? join(PAGE_BUILD, normalize(path === '/' ? '/index.html' : path));
    if (!file.startsWith(PAGE_BUILD) && !data.has(path) || !existsSync(file) || !statSync(file).isFile()) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'content-length': statSync(file).size,
      ...(isolated ? CROSS_ORIGIN_ISOLATION_HEADERS : {}),
    });
    createReadStream(file).pipe(response);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  return { server, url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/` };
}

/** This process's descendants: Chromium's processes (the runner processes have ended by then). */
function descendants(): number[] {
  const pids = [process.pid];
  for (let i = 0; i < pids.length; i++) {
    try {
      const children = readFileSync(`/proc/${pids[i]}/task/${pids[i]}/children`, 'utf8').trim();
      if (children) pids.push(...children.split(/\s+/).map(Number));
    } catch {
      // the process ended, or /proc is not there
    }
  }
  return pids.slice(1);
}

/** Forgets Chromium's processes' resident-set peaks so far (the kernel's `clear_refs`). */
function resetChromiumPeaks(): void {
  for (const pid of descendants()) {
    try {
      writeFileSync(`/proc/${pid}/clear_refs`, '5');
    } catch {
      // ended, or not permitted: the peak then covers more than the step
    }
  }
}

/** The highest resident-set peak among Chromium's processes (the renderer holds the workers' heaps). */
function chromiumPeakMb(): number | undefined {
  let peak = 0;
  for (const pid of descendants()) {
    try {
      const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (match) peak = Math.max(peak, Number(match[1]) * 1024);
    } catch {
      // ended
    }
  }
  return peak ? Math.round(peak / 1e5) / 10 : undefined;
}

/** `virtual:bench-cases`: imports the case files in the page, as the Node runner does. */
function benchCasesModule(files: string[]): Plugin {
  const id = 'virtual:bench-cases';
  return {
    name: 'bench-cases',
    resolveId: (source) => (source === id ? `\0${id}` : null),
    load: (resolved) => (resolved === `\0${id}` ? files.map((file) => `import ${JSON.stringify(file)};`).join('\n') : null),
  };
}

function withTimeout<T>(promise: Promise<T>, seconds: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`timed out after ${seconds} s`)), seconds * 1000); }),
  ]);
}

const call = <K extends keyof BenchPage>(page: Page, method: K, ...args: Parameters<BenchPage[K]>) =>
  page.evaluate(({ method, args }) => (globalThis as unknown as { bench: Record<string, (...a: unknown[]) => unknown> }).bench[method](...args),
    { method, args: args as unknown[] }) as ReturnType<BenchPage[K]>;

/**
 * Times loads and cases in Chromium, as `bench/engine-runner.ts` does in Node: loads from Parquet
 * and CSV (the bytes fetched into the page before the clock starts), then every case's spec
 * through `runAnalysis` (one warm-up, then `runs` runs).
 *
 * @example
 * const result = await runChromium(task, 300);
 */
export async function runChromium(task: RunnerTask, timeoutS: number): Promise<EngineResult> {
  const result: EngineResult = { engine: task.engine, load: {}, cases: {} };
  const label = task.engine;
  let browser: Browser | undefined;
  let server: Server | undefined;
  try {
    await build({
      configFile: false, root: PAGE_SOURCE, base: './', logLevel: 'warn',
      optimizeDeps: { exclude: ['@duckdb/duckdb-wasm', 'parquet-wasm'] },
      worker: { format: 'es' },
      plugins: [benchCasesModule(task.cases.map((c) => c.file))],
      build: { outDir: PAGE_BUILD, emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 8000 },
    });
    const served = await serve(task.files, task.engine === 'chromium');
    server = served.server;
    browser = await launchChromium();
    const page = await browser.newPage();
    page.on('pageerror', (error) => console.error(`  chromium page error: ${error.message}`));
    // the page reads Chromium's memory peaks around each load step through this
    await page.exposeFunction('benchPeak', (what: 'reset' | 'read') => {
      if (what === 'reset') resetChromiumPeaks();
      return what === 'read' ? chromiumPeakMb() : undefined;
    });
    await page.goto(served.url);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
    const start = await call(page, 'start');
    result.start_ms = Math.round(start.ms);
    result.version = start.version;
    result.threads = start.threads;
    console.error(`  ${task.size} ${label}: ${start.threads} DuckDB thread${start.threads === 1 ? '' : 's'}${start.isolated ? ' (cross-origin isolated)' : ''}`);
    for (const format of task.timeLoads ? task.formats : ['parquet'] as LoadFormat[]) {
      console.error(`  ${task.size} ${label}: loading ${format} (${task.loadRuns} runs)`);
      const name = basename(task.files[format]);
      const out: NonNullable<EngineResult['load'][LoadFormat]> = {};
      result.load[format] = out;
      try {
        await call(page, 'fetchFile', `/data/${name}`);
        const runs: number[] = [];
        let peak = 0;
        for (let i = 0; i < task.loadRuns; i++) {
          resetChromiumPeaks();
          const loaded = await withTimeout(call(page, 'load', name), timeoutS);
          runs.push(loaded.ms);
          out.rows = loaded.rows;
          out.users = loaded.users;
          out.steps = loaded.steps;
          peak = Math.max(peak, chromiumPeakMb() ?? 0, ...loaded.steps.map((s) => s.peak_mb ?? 0));
        }
        out.total = timing(runs);
        if (peak) out.peak_rss_mb = peak;
      } catch (error) {
        out.error = (error as Error).message.split('\n')[0];
      }
    }
    const memory = await call(page, 'memory');
    result.duckdb_memory_mb = memory.duckdbMb;
    result.duckdb_memory_limit = memory.limit;
    for (const bench of await loadCases(task.cases)) {
      if (bench.bench.timedByHarness) continue;
      console.error(`  ${task.size} ${label}: ${bench.id}`);
      const out: CaseResult = { id: bench.id, name: bench.bench.name };
      result.cases[bench.id] = out;
      try {
        const totals: number[] = [];
        const queries: number[] = [];
        const first = await withTimeout(call(page, 'run', bench.bench.spec), timeoutS);
        let last = first;
        if (first.ms > task.singleRunAboveMs) {
          totals.push(first.ms);
          queries.push(first.queryMs);
          out.note = `one run (the first took over ${task.singleRunAboveMs / 1000} s)`;
        } else {
          for (let i = 0; i < task.runs; i++) {
            last = await withTimeout(call(page, 'run', bench.bench.spec), timeoutS);
            totals.push(last.ms);
            queries.push(last.queryMs);
          }
        }
        out.total = timing(totals);
        out.query = timing(queries);
        out.rows = last.rows.length;
        out.fingerprint = fingerprint(last.rows);
      } catch (error) {
        const text = (error as Error).message.split('\n')[0];
        if (!/^timed out/.test(text)) {
          out.error = text;
          continue;
        }
        out.total = { median_ms: NaN, runs_ms: [], timed_out_s: timeoutS };
        // the worker is still busy with the stopped query: the cases after it would queue behind it
        result.error = `stopped after ${bench.id} timed out`;
        break;
      }
    }
    // the loads' peaks were taken between resets: the whole run's is the largest of them and the cases'
    result.peak_rss_mb = Math.max(chromiumPeakMb() ?? 0, ...Object.values(result.load).map((l) => l?.peak_rss_mb ?? 0)) || undefined;
  } catch (error) {
    result.error = (error as Error).message.split('\n')[0];
  } finally {
    await browser?.close().catch(() => {});
    server?.close();
  }
  return result;
}
