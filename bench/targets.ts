import type { CaseResult, EngineName, EngineResult } from './protocol.ts';

/** The results of one size, by engine. */
export type SizeResults = Partial<Record<EngineName, EngineResult>>;

/** How one DESIGN.md performance target fared at one size. */
export interface TargetCheck {
  size: string;
  target: string;
  measured: string;
  verdict: 'meets' | 'misses' | 'not measured';
}

/**
 * A median in ms that is a real measurement (not an error); a timed-out run counts as its limit.
 *
 * @example
 * medianMs(results.wasm?.cases.retention); // 812.4
 */
export function medianMs(result: CaseResult | { total?: CaseResult['total'] } | undefined): number | undefined {
  const total = result?.total;
  if (!total) return undefined;
  if (total.timed_out_s !== undefined) return Math.max(total.timed_out_s * 1000, Number.isFinite(total.median_ms) ? total.median_ms : 0);
  return Number.isFinite(total.median_ms) ? total.median_ms : undefined;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const times = (ratio: number) => `${ratio.toFixed(2)}x`;

/**
 * Checks the measured numbers against DESIGN.md's performance targets. Absolute times are checked
 * at 10M events only (the size the targets name); ratios at every size. A verdict is a report,
 * never an exit code.
 *
 * @example
 * checkTargets('10m', { wasm, native, arquero });
 */
export function checkTargets(size: string, results: SizeResults): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const add = (target: string, value: number | undefined, show: (v: number) => string, meets: (v: number) => boolean, lowerBound = false) => {
    checks.push(value === undefined || Number.isNaN(value)
      ? { size, target, measured: '—', verdict: 'not measured' }
      : { size, target, measured: (lowerBound ? '≥ ' : '') + show(value), verdict: meets(value) ? 'meets' : 'misses' });
  };
  const wasm = (id: string) => medianMs(results.wasm?.cases[id]);
  if (size === '10m') {
    const chromium = medianMs(results.chromium?.load.parquet);
    const load = chromium ?? medianMs(results.wasm?.load.parquet);
    add(`load 10M Parquet < 10 s (${chromium !== undefined ? 'Chromium' : 'DuckDB-WASM in Node; Chromium not measured'})`, load, seconds, (v) => v < 10_000);
    add('weekly retention < 1.5 s in DuckDB-WASM', wasm('retention'), seconds, (v) => v < 1_500);
    add('5-step funnel < 2 s in DuckDB-WASM', wasm('funnel'), seconds, (v) => v < 2_000);
    add('trends (3 series, weekly, by a 30-value column) < 0.5 s in DuckDB-WASM', wasm('trends'), seconds, (v) => v < 500);
    add('paths (5 steps after view_item) < 2 s in DuckDB-WASM', wasm('paths'), seconds, (v) => v < 2_000);
  }
  const retention = wasm('retention');
  const native = medianMs(results.native?.cases.retention);
  add('weekly retention: DuckDB-WASM within 1.5x of native', retention !== undefined && native ? retention / native : undefined, times, (v) => v <= 1.5);
  const arqueroCase = results.arquero?.cases.retention;
  const arquero = medianMs(arqueroCase);
  add('weekly retention: DuckDB-WASM at least 20x faster than Arquero', arquero !== undefined && retention ? arquero / retention : undefined,
    times, (v) => v >= 20, arqueroCase?.total?.timed_out_s !== undefined);
  return checks;
}
