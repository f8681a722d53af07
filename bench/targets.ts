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
  // the browser's numbers: Chromium (cross-origin isolated, as the app is served) when it ran,
  // otherwise DuckDB-WASM in Node; each target names which one it read
  const browser = results.chromium ? 'Chromium' : 'DuckDB-WASM in Node; Chromium not measured';
  const inBrowser = (id: string) => medianMs((results.chromium ?? results.wasm)?.cases[id]);
  const browserLoad = (format: 'parquet' | 'csv') => medianMs((results.chromium ?? results.wasm)?.load[format]);
  const native = (id: string) => medianMs(results.native?.cases[id]);
  if (size === '10m') {
    add(`load 10M Parquet < 6 s (${browser})`, browserLoad('parquet'), seconds, (v) => v < 6_000);
    add(`load 10M CSV < 15 s (${browser})`, browserLoad('csv'), seconds, (v) => v < 15_000);
    const peak = results.chromium?.peak_rss_mb;
    add('peak memory of the browser while loading 10M < 2.5 GB (largest Chromium process)', peak, (v) => `${(v / 1000).toFixed(2)} GB`, (v) => v < 2_500);
    add(`weekly retention < 0.5 s (${browser})`, inBrowser('retention'), seconds, (v) => v < 500);
    add(`5-step funnel < 1 s (${browser})`, inBrowser('funnel'), seconds, (v) => v < 1_000);
    add(`trends (3 series, weekly, by a 30-value column) < 0.5 s (${browser})`, inBrowser('trends'), seconds, (v) => v < 500);
    add(`paths (5 steps after view_item) < 2 s (${browser})`, inBrowser('paths'), seconds, (v) => v < 2_000);
  }
  const near = (id: string, name: string, limit: number) => {
    const wasm = inBrowser(id);
    const base = native(id);
    add(`${name}: DuckDB-WASM (${browser}) within ${limit}x of native`, wasm !== undefined && base ? wasm / base : undefined, times, (v) => v <= limit);
  };
  near('retention', 'weekly retention', 1.3);
  near('lifecycle', 'weekly lifecycle', 1.3);
  near('active-users', 'DAU/WAU/MAU', 1.3);
  near('funnel', '5-step funnel', 1.5);
  const retention = medianMs(results.wasm?.cases.retention);
  const arqueroCase = results.arquero?.cases.retention;
  const arquero = medianMs(arqueroCase);
  add('weekly retention: DuckDB-WASM (Node) at least 20x faster than Arquero', arquero !== undefined && retention ? arquero / retention : undefined,
    times, (v) => v >= 20, arqueroCase?.total?.timed_out_s !== undefined);
  return checks;
}
