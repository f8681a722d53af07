// The `chromium` engine of `npm run bench`: DuckDB-WASM in headless Chromium, in the app's own Web
// Worker engine (src/engine/browser.ts), with the app's loader and analyses. It builds a small page
// (bench/chromium/) with Vite, serves it and the data from localhost, and times inside the page.
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { basename, dirname, extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { build, type Plugin } from 'vite';
import { launchChromium } from '../test/browser/browser.ts';
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

/** Serves the built page, and the benchmark's data files under `/data/`, on a free localhost port. */
async function serve(files: Record<LoadFormat, string>): Promise<{ server: Server; url: string }> {
  const data = new Map(Object.values(files).map((path) => [`/data/${basename(path)}`, path]));
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    const file = data.get(path) ?? join(PAGE_BUILD, normalize(path === '/' ? '/index.html' : path));
    if (!file.startsWith(PAGE_BUILD) && !data.has(path) || !existsSync(file) || !statSync(file).isFile()) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'content-length': statSync(file).size });
    createReadStream(file).pipe(response);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  return { server, url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/` };
}

/**
 * The highest resident-set peak among this process's descendants, Chromium's processes (the
 * renderer holds the worker's heap); the runner processes have ended by then.
 */
function chromiumPeakMb(): number | undefined {
  const pids = [process.pid];
  for (let i = 0; i < pids.length; i++) {
    try {
      const children = readFileSync(`/proc/${pids[i]}/task/${pids[i]}/children`, 'utf8').trim();
      if (children) pids.push(...children.split(/\s+/).map(Number));
    } catch {
      // the process ended, or /proc is not there
    }
  }
  let peak = 0;
  for (const pid of pids.slice(1)) {
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
  const result: EngineResult = { engine: 'chromium', load: {}, cases: {} };
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
    const served = await serve(task.files);
    server = served.server;
    browser = await launchChromium();
    const page = await browser.newPage();
    page.on('pageerror', (error) => console.error(`  chromium page error: ${error.message}`));
    await page.goto(served.url);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
    const start = await call(page, 'start');
    result.start_ms = Math.round(start.ms);
    result.version = start.version;
    for (const format of ['csv', 'parquet'] as LoadFormat[]) {
      if (!task.timeLoads && format === 'csv') continue;
      console.error(`  ${task.size} chromium: loading ${format} (${task.loadRuns} runs)`);
      const name = basename(task.files[format]);
      const out: NonNullable<EngineResult['load'][LoadFormat]> = {};
      result.load[format] = out;
      try {
        await call(page, 'fetchFile', `/data/${name}`);
        const runs: number[] = [];
        for (let i = 0; i < task.loadRuns; i++) {
          const loaded = await withTimeout(call(page, 'load', name), timeoutS);
          runs.push(loaded.ms);
          out.rows = loaded.rows;
          out.users = loaded.users;
        }
        out.total = timing(runs);
      } catch (error) {
        out.error = (error as Error).message.split('\n')[0];
      }
    }
    const memory = await call(page, 'memory');
    result.duckdb_memory_mb = memory.duckdbMb;
    result.duckdb_memory_limit = memory.limit;
    for (const bench of await loadCases(task.cases)) {
      if (bench.bench.timedByHarness) continue;
      console.error(`  ${task.size} chromium: ${bench.id}`);
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
    result.peak_rss_mb = chromiumPeakMb();
  } catch (error) {
    result.error = (error as Error).message.split('\n')[0];
  } finally {
    await browser?.close().catch(() => {});
    server?.close();
  }
  return result;
}
