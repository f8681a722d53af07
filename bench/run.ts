// `npm run bench [-- --sizes 1m,10m --runs 5 --cases retention,funnel --engines wasm,native,arquero]`
// Times loading and every case in bench/cases/ on each engine, prints the results with their
// ratios and DESIGN.md's targets, and writes bench/results/latest.json and bench/README.md.
import { fork } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { caseRefs, selectCases } from './cases.ts';
import { ensureDataset, SIZES, DEFAULT_SEED } from './generate.ts';
import { describeMachine } from './machine.ts';
import { ENGINE_NAMES, type EngineName, type EngineResult, type LoadFormat, type RunnerMessage, type RunnerTask } from './protocol.ts';
import { markdownReport, updateReadme, type BenchResults } from './report.ts';
import { checkTargets, type SizeResults } from './targets.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const RUNNER = join(HERE, 'engine-runner.ts');
const CHROMIUM = join(HERE, 'chromium.ts');

function positiveInteger(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${flag}: "${text}" is not a whole number of at least 1`);
  return value;
}

function list(flag: string, text: string, known: readonly string[]): string[] {
  const values = text.split(',').map((v) => v.trim()).filter(Boolean);
  const unknown = values.find((v) => !known.includes(v));
  if (unknown) throw new Error(`--${flag}: unknown "${unknown}" (choose from ${known.join(', ')})`);
  return values;
}

/** Starts a runner process for `task` and collects its results; stops a run that exceeds `timeoutS`. */
function runOnce(task: RunnerTask, timeoutS: number): Promise<{ result: EngineResult; timedOut?: string }> {
  const heapMb = Math.min(16_384, Math.floor(totalmem() / 2 ** 20 * 0.7));
  const child = fork(RUNNER, [JSON.stringify(task)], {
    execArgv: [...process.execArgv, `--max-old-space-size=${heapMb}`],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let result: EngineResult = { engine: task.engine, load: {}, cases: {} };
  let running: { case: string; run: number } | undefined;
  let timer: NodeJS.Timeout | undefined;
  let timedOut: string | undefined;
  return new Promise((resolve) => {
    child.on('message', (message: RunnerMessage) => {
      if (message.type === 'progress') console.error(`  ${message.text}`);
      else if (message.type === 'result') {
        result = message.result;
        clearTimeout(timer);
      } else {
        clearTimeout(timer);
        running = { case: message.case, run: message.run };
        timer = setTimeout(() => {
          timedOut = running?.case;
          console.error(`  ${task.size} ${task.engine}: ${timedOut} run ${running?.run} passed ${timeoutS} s, stopping it`);
          child.kill('SIGKILL');
        }, timeoutS * 1000);
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) {
        const out = result.cases[timedOut] ?? { id: timedOut, name: timedOut };
        const runs = out.total?.runs_ms ?? [];
        out.total = { median_ms: runs.length ? Math.max(...runs) : NaN, runs_ms: runs, timed_out_s: timeoutS };
        result.cases[timedOut] = out;
      } else if (code !== 0 && !result.error) {
        result.error = `the runner stopped (${signal ?? `exit code ${code}`})`;
      }
      resolve({ result, timedOut });
    });
  });
}

/** Runs every case of `task` on its engine, starting a new runner after a case that timed out. */
async function runEngine(task: RunnerTask, timeoutS: number): Promise<EngineResult> {
  let { result, timedOut } = await runOnce(task, timeoutS);
  while (timedOut) {
    const rest = task.cases.slice(task.cases.findIndex((c) => c.id === timedOut) + 1);
    if (rest.length === 0) break;
    task = { ...task, cases: rest, timeLoads: false };
    const next = await runOnce(task, timeoutS);
    result = { ...result, cases: { ...result.cases, ...next.result.cases }, error: result.error ?? next.result.error,
      peak_rss_mb: Math.max(result.peak_rss_mb ?? 0, next.result.peak_rss_mb ?? 0) };
    timedOut = next.timedOut;
  }
  return result;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: Object.keys(SIZES).join(',') },
      runs: { type: 'string', default: '5' },
      'load-runs': { type: 'string', default: '3' },
      formats: { type: 'string', default: 'csv,parquet' },
      cases: { type: 'string' },
      engines: { type: 'string', default: ENGINE_NAMES.join(',') },
      timeout: { type: 'string', default: '300' },
      'single-run-above': { type: 'string', default: '20' },
      seed: { type: 'string', default: String(DEFAULT_SEED) },
      'keep-readme': { type: 'boolean', default: false },
    },
  });
  const sizes = list('sizes', values.sizes, Object.keys(SIZES));
  const engines = list('engines', values.engines, ENGINE_NAMES) as EngineName[];
  const runs = positiveInteger('runs', values.runs);
  const loadRuns = positiveInteger('load-runs', values['load-runs']);
  const formats = list('formats', values.formats, ['csv', 'parquet']) as LoadFormat[];
  const timeoutS = positiveInteger('timeout', values.timeout);
  const singleRunAboveMs = positiveInteger('single-run-above', values['single-run-above']) * 1000;
  const seed = Number(values.seed);
  const cases = selectCases(caseRefs(), values.cases);
  const results: BenchResults = {
    date: new Date().toISOString().slice(0, 10),
    machine: describeMachine(),
    options: { sizes, runs, load_runs: loadRuns, engines, cases: cases.map((c) => c.id), timeout_s: timeoutS },
    datasets: {}, sizes: {}, checks: [], skipped: {},
  };
  const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  const inChromium = (engine: EngineName) => engine === 'chromium' || engine === 'chromium-1t';
  const chromium = engines.some(inChromium) && existsSync(CHROMIUM) && existsSync(chromiumPath)
    ? (await import('./chromium.ts' as string) as { runChromium(task: RunnerTask, timeoutS: number): Promise<EngineResult> })
    : undefined;
  if (engines.some(inChromium) && !chromium) {
    for (const engine of engines.filter(inChromium)) {
      results.skipped[engine] = existsSync(CHROMIUM) ? `no Chromium at ${chromiumPath} (set CHROMIUM_PATH)` : 'bench/chromium.ts is missing';
    }
  }
  for (const size of sizes) {
    const dataset = await ensureDataset(size, { seed });
    results.datasets[size] = {
      events: dataset.events, users: dataset.users, seed: dataset.seed,
      parquet_mb: Math.round(dataset.parquet.bytes / 1e5) / 10, csv_mb: Math.round(dataset.csv.bytes / 1e5) / 10,
    };
    const sizeResults: SizeResults = {};
    results.sizes[size] = sizeResults;
    for (const engine of engines) {
      const task: RunnerTask = {
        size, engine, files: { parquet: dataset.parquet.path, csv: dataset.csv.path },
        cases, runs, loadRuns, timeLoads: true, formats, singleRunAboveMs,
      };
      console.error(`${size} ${engine}`);
      if (inChromium(engine)) {
        if (chromium) sizeResults[engine] = await chromium.runChromium(task, timeoutS);
      } else {
        sizeResults[engine] = await runEngine(task, timeoutS);
      }
      if (sizeResults[engine]?.error) console.error(`  ${size} ${engine} failed: ${sizeResults[engine]!.error}`);
    }
    results.checks.push(...checkTargets(size, sizeResults));
  }
  results.machine.load_average_end = loadavg().map((load) => Math.round(load * 100) / 100);
  const markdown = markdownReport(results);
  console.log(`\n${markdown}\n`);
  mkdirSync(join(HERE, 'results'), { recursive: true });
  writeFileSync(join(HERE, 'results', 'latest.json'), JSON.stringify(results, null, 2) + '\n');
  if (!values['keep-readme']) updateReadme(join(HERE, 'README.md'), markdown);
  console.error(`wrote bench/results/latest.json${values['keep-readme'] ? '' : ' and bench/README.md'}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
