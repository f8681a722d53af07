import { readFileSync, writeFileSync } from 'node:fs';

/** Timings of one measured thing: every run in milliseconds, and their median. */
export interface Timing {
  median_ms: number;
  runs_ms: number[];
  /** Set when a run was stopped after this many seconds; `median_ms` is then a lower bound. */
  timed_out_s?: number;
}

/**
 * The median of the runs (the mean of the middle two for an even count).
 *
 * @example
 * median([3, 1, 2]); // 2
 */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Summarises run times in milliseconds, rounded to a tenth.
 *
 * @example
 * timing([120.04, 118.2, 130]).median_ms; // 120
 */
export function timing(runs: readonly number[]): Timing {
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return { median_ms: round(median(runs)), runs_ms: runs.map(round) };
}

const STATUS = '/proc/self/status';

/**
 * The process's resident-set high-water mark. On Linux it is read from `/proc/self/status`
 * (`VmHWM`), which sees peaks inside a blocking WebAssembly call that no JS timer could sample;
 * elsewhere `sampleRss` keeps a sampled maximum of `process.memoryUsage.rss()`.
 */
export class PeakMemory {
  private sampled = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly kernel: boolean;

  constructor() {
    this.kernel = readKernelPeak() !== null;
  }

  /** Forgets the peak so far (on Linux by writing 5 to `/proc/self/clear_refs`). */
  reset(): void {
    this.sampled = process.memoryUsage.rss();
    if (this.kernel) {
      try {
        writeFileSync('/proc/self/clear_refs', '5');
      } catch {
        // not permitted here: the peak then covers the whole process
      }
    }
  }

  /** Starts sampling every 20 ms as well, for systems without `VmHWM`. */
  start(): this {
    this.reset();
    this.timer ??= setInterval(() => this.sample(), 20).unref();
    return this;
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private sample(): void {
    this.sampled = Math.max(this.sampled, process.memoryUsage.rss());
  }

  /** The peak resident set since the last reset, in MB. */
  peakMb(): number {
    this.sample();
    const peak = this.kernel ? Math.max(readKernelPeak() ?? 0, this.sampled) : this.sampled;
    return Math.round(peak / 1e5) / 10;
  }
}

function readKernelPeak(): number | null {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(STATUS, 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/**
 * Times `runs` calls of `fn` after `warmups` untimed ones, in milliseconds.
 *
 * @example
 * const t = await timeRuns(() => runAnalysis(engine, spec), { runs: 5, warmups: 1 });
 */
export async function timeRuns(
  fn: () => Promise<unknown> | unknown,
  options: { runs: number; warmups?: number; onRun?: (index: number) => void },
): Promise<number[]> {
  for (let i = 0; i < (options.warmups ?? 0); i++) await fn();
  const runs: number[] = [];
  for (let i = 0; i < options.runs; i++) {
    options.onRun?.(i);
    const started = performance.now();
    await fn();
    runs.push(performance.now() - started);
  }
  return runs;
}
