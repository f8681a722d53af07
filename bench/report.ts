import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Machine } from './machine.ts';
import type { Timing } from './measure.ts';
import type { EngineName, LoadFormat } from './protocol.ts';
import { medianMs, type SizeResults, type TargetCheck } from './targets.ts';

/** What `bench/results/latest.json` holds. */
export interface BenchResults {
  date: string;
  machine: Machine;
  options: { sizes: string[]; runs: number; load_runs: number; engines: EngineName[]; cases: string[]; timeout_s: number };
  datasets: Record<string, { events: number; users: number; parquet_mb: number; csv_mb: number; seed: number }>;
  sizes: Record<string, SizeResults>;
  checks: TargetCheck[];
  /** Engines asked for but not run, with the reason. */
  skipped: Record<string, string>;
}

const ENGINE_LABEL: Record<EngineName, string> = {
  wasm: 'DuckDB-WASM (Node)', native: 'native DuckDB', clickhouse: 'ClickHouse (chDB)', arquero: 'Arquero', chromium: 'DuckDB-WASM (Chromium)',
  'chromium-1t': 'DuckDB-WASM (Chromium, not isolated)',
};

/**
 * A timing as people read it: `812 ms`, `1.24 s`, `> 300 s` for a run stopped at its limit.
 *
 * @example
 * formatTiming({ median_ms: 1240, runs_ms: [1240] }); // '1.24 s'
 */
export function formatTiming(time: Timing | undefined, error?: string): string {
  if (error) return `error: ${error.slice(0, 60)}`;
  if (!time) return '—';
  if (time.timed_out_s !== undefined) return `> ${time.timed_out_s} s`;
  const ms = time.median_ms;
  return ms < 1000 ? `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

function ratio(a: number | undefined, b: number | undefined, lowerBound = false): string {
  if (a === undefined || b === undefined || !b) return '—';
  return `${lowerBound ? '≥ ' : ''}${(a / b).toFixed(2)}x`;
}

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

/** The timing table: one row per size and load or case, one column per engine, then the ratios. */
export function timingTable(results: BenchResults): string {
  const engines = results.options.engines.filter((e) => Object.values(results.sizes).some((s) => s[e]));
  const lines = [
    row(['size', 'what', ...engines.map((e) => ENGINE_LABEL[e]), 'wasm / native', 'arquero / wasm']),
    row(['---', '---', ...engines.map(() => '---:'), '---:', '---:']),
  ];
  for (const [size, sizeResults] of Object.entries(results.sizes)) {
    for (const format of ['parquet', 'csv'] as LoadFormat[]) {
      if (!engines.some((e) => sizeResults[e]?.load[format])) continue;
      const load = (e: EngineName) => sizeResults[e]?.load[format];
      lines.push(row([size, `load ${format === 'parquet' ? 'Parquet' : 'CSV'}${format === 'parquet' && load('arquero') ? ' (Arquero: table from Parquet)' : ''}`,
        ...engines.map((e) => formatTiming(load(e)?.total, load(e)?.error)),
        ratio(medianMs(load('wasm')), medianMs(load('native'))), '—']));
    }
    const ids = [...new Set(engines.flatMap((e) => Object.keys(sizeResults[e]?.cases ?? {})))];
    for (const id of ids) {
      const at = (e: EngineName) => sizeResults[e]?.cases[id];
      const name = engines.map(at).find((c) => c)?.name ?? id;
      const cells = engines.map((e) => {
        const result = at(e);
        const text = formatTiming(result?.total, result?.error);
        const query = result?.query && !result.error ? ` (SQL ${formatTiming(result.query)})` : '';
        // rows compared with native DuckDB's by their fingerprints
        const native = at('native')?.fingerprint;
        const differs = e !== 'native' && result?.fingerprint && native && result.fingerprint !== native ? ' ≠ rows' : '';
        return text + query + (result?.note ? ' ¹' : '') + differs;
      });
      const arquero = at('arquero');
      lines.push(row([size, name, ...cells, ratio(medianMs(at('wasm')), medianMs(at('native'))),
        ratio(medianMs(arquero), medianMs(at('wasm')), arquero?.total?.timed_out_s !== undefined)]));
    }
  }
  return lines.join('\n');
}

/** Peak resident memory per engine process, and DuckDB's own count after loading. */
export function memoryTable(results: BenchResults): string {
  const lines = [row(['size', 'engine', 'peak RSS (process)', 'DuckDB memory after load', 'DuckDB memory limit']), row(['---', '---', '---:', '---:', '---:'])];
  for (const [size, sizeResults] of Object.entries(results.sizes)) {
    for (const [engine, result] of Object.entries(sizeResults)) {
      if (!result) continue;
      const mb = (value?: number) => (value === undefined ? '—' : `${value.toLocaleString('en-US')} MB`);
      lines.push(row([size, ENGINE_LABEL[engine as EngineName], mb(result.peak_rss_mb), mb(result.duckdb_memory_mb), result.duckdb_memory_limit ?? '—']));
    }
  }
  return lines.join('\n');
}

/**
 * Where a load's time and memory went, step by step (steps of at least 3 % of the run), per
 * engine: each step's time and the resident-set peak while it ran (Chromium: its largest process).
 */
export function loadStepsTable(results: BenchResults): string {
  const lines: string[] = [];
  for (const [size, sizeResults] of Object.entries(results.sizes)) {
    for (const engine of ['wasm', 'native', 'chromium', 'chromium-1t'] as EngineName[]) {
      for (const format of ['parquet', 'csv'] as LoadFormat[]) {
        const steps = sizeResults[engine]?.load[format]?.steps;
        if (!steps?.length) continue;
        const total = steps.reduce((sum, s) => sum + s.ms, 0);
        const shown = steps.filter((s) => s.ms >= total * 0.03)
          .map((s) => `\`${s.step.replaceAll('|', '\\|').replaceAll('`', "'")}\` ${formatTiming({ median_ms: s.ms, runs_ms: [] })}`
            + (s.peak_mb !== undefined ? ` (peak ${s.peak_mb.toLocaleString('en-US')} MB)` : ''));
        lines.push(row([size, ENGINE_LABEL[engine], format === 'parquet' ? 'Parquet' : 'CSV', shown.join('; ')]));
      }
    }
  }
  return lines.length ? [row(['size', 'engine', 'file', 'load steps of ≥ 3 % (last run), with the memory peak while each ran']), row(['---', '---', '---', '---']), ...lines].join('\n') : '';
}

/** DESIGN.md's targets with the measured value and whether it meets them. */
export function checksTable(checks: TargetCheck[]): string {
  return [row(['size', 'target (DESIGN.md)', 'measured', 'verdict']), row(['---', '---', '---:', '---']),
    ...checks.map((c) => row([c.size, c.target, c.measured, c.verdict]))].join('\n');
}

/** The whole report in Markdown: machine, data, timings, targets, memory, notes. */
export function markdownReport(results: BenchResults): string {
  const m = results.machine;
  const versions = Object.values(results.sizes).flatMap((s) => Object.values(s)).filter((r) => r?.version)
    .map((r) => `${ENGINE_LABEL[r!.engine]} ${r!.version}`);
  const notes = Object.values(results.sizes).flatMap((s) => Object.values(s)).flatMap((r) => Object.values(r?.cases ?? {}))
    .filter((c) => c.note).map((c) => c.note!);
  return [
    `Measured ${results.date} on ${m.cpu}, ${m.cores} cores, ${m.memory_gb} GB RAM, ${m.os}, Node ${m.node};`
      + ` ${[...new Set(versions)].join(', ')}; packages: ${Object.entries(m.packages).map(([n, v]) => `${n} ${v}`).join(', ')}.`,
    // at the start nothing of ours runs yet; at the end the benchmark itself may have used every core
    ...(m.load_average[0] > m.cores * 0.5 || (m.load_average_end?.[0] ?? 0) > m.cores + 1
      ? ['', `**The machine was busy** (1-minute load average ${m.load_average[0]} at the start, ${m.load_average_end?.[0] ?? '?'} at the end, on ${m.cores} cores; the benchmark alone keeps at most ${m.cores} busy): other work shared the CPU, so these times are higher than on an idle machine.`]
      : []),
    '',
    `Data: ${Object.entries(results.datasets).map(([size, d]) => `${size} = ${d.events.toLocaleString('en-US')} events of ${d.users.toLocaleString('en-US')} users`
      + ` (Parquet ${d.parquet_mb} MB, CSV ${d.csv_mb} MB, seed ${d.seed})`).join('; ')}.`
      + ` Medians of ${results.options.runs} runs after one warm-up (loads: ${results.options.load_runs} runs, no warm-up); SQL = the query alone, without the event catalog and shaping.`,
    '',
    timingTable(results),
    '',
    ...(notes.length ? [`¹ ${[...new Set(notes)].join('; ')}.`, ''] : []),
    ...(timingTable(results).includes('≠ rows') ? ['≠ rows: the engine\'s rows differ from native DuckDB\'s (their fingerprints do not match).', ''] : []),
    checksTable(results.checks),
    '',
    memoryTable(results),
    ...(loadStepsTable(results) ? ['', loadStepsTable(results)] : []),
    ...(Object.keys(results.skipped).length
      ? ['', ...Object.entries(results.skipped).map(([engine, why]) => `Not run: ${engine} (${why}).`)] : []),
  ].join('\n');
}

export const README_START = '<!-- bench:results:start -->';
export const README_END = '<!-- bench:results:end -->';

/** Puts `markdown` between the result markers of `path` (appending them if missing). */
export function updateReadme(path: string, markdown: string): void {
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmark\n';
  const block = `${README_START}\n${markdown}\n${README_END}`;
  const start = text.indexOf(README_START);
  const end = text.indexOf(README_END);
  writeFileSync(path, start >= 0 && end > start
    ? text.slice(0, start) + block + text.slice(end + README_END.length)
    : `${text.trimEnd()}\n\n## Latest results\n\n${block}\n`);
}
