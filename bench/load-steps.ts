import type { Engine } from '../src/engine/index.ts';

/** One engine call made while loading, how long it took, and the memory peak while it ran. */
export interface LoadStep {
  step: string;
  ms: number;
  /** The resident-set peak during this call, in MB (Chromium: its largest process), when measured. */
  peak_mb?: number;
}

/**
 * Reads a memory high-water mark: `reset` forgets the peak so far, `peakMb` says the peak since.
 * In Node the process's own (`PeakMemory`); in the Chromium page, Chromium's processes, read by
 * the benchmark's Node side through a function the page calls.
 */
export interface PeakProbe {
  reset(): void | Promise<void>;
  peakMb(): number | undefined | Promise<number | undefined>;
}

const TIMED = new Set(['query', 'exec', 'registerFile', 'insertArrow', 'insertParquet', 'insertJSON']);

function label(method: string, args: unknown[]): string {
  const first = args[0];
  if ((method === 'query' || method === 'exec') && typeof first === 'string') {
    return first.replace(/\s+/g, ' ').trim().slice(0, 70);
  }
  return `${method}(${typeof first === 'string' ? first : ''})`;
}

/**
 * Wraps an engine so that every call of `query`, `exec`, `insertParquet`, ... is timed into
 * `steps`: where a load's time goes, step by step, through the loader's real code path. With a
 * `probe`, each step also gets the memory peak while it ran (the probe is reset before each call,
 * so a caller wanting the whole load's peak takes the largest step's).
 *
 * @example
 * const steps: LoadStep[] = [];
 * await loadEvents(recordSteps(engine, steps), file);
 */
export function recordSteps(engine: Engine, steps: LoadStep[], probe?: PeakProbe): Engine {
  return new Proxy(engine, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof property !== 'string' || !TIMED.has(property) || typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        await probe?.reset();
        const started = performance.now();
        try {
          return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        } finally {
          const ms = Math.round((performance.now() - started) * 10) / 10;
          const peak = await probe?.peakMb();
          steps.push({ step: label(property, args), ms, ...(peak !== undefined ? { peak_mb: peak } : {}) });
        }
      };
    },
  });
}
