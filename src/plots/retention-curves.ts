import * as Plot from '@observablehq/plot';
import { cellTitle, cohortKey } from './retention-heatmap.ts';
import { say } from './readable.ts';

/** Options of `retentionCurves`; `document` renders outside a browser (jsdom in tests, the CLI). */
export interface RetentionCurvesOptions {
  document?: Document;
  width?: number;
  height?: number;
  /**
   * One line per `cohort` (default without a breakdown), or per `breakdown` value (default with
   * one): the cohorts of a value pooled, users / cohort size over the complete cells of each period.
   */
  by?: 'cohort' | 'breakdown';
  /** Shade each line's 95 % Wilson interval (default true when lines are per breakdown value). */
  interval?: boolean;
}

type Row = Record<string, unknown>;

interface CurvePoint {
  series: string;
  period: number;
  rate: number;
  users: number;
  cohort_size: number;
  rate_low: number;
  rate_high: number;
  incomplete: boolean;
  title: string;
}

const Z95 = 1.959963984540054;

function wilson(x: number, n: number): [number, number] {
  const p = x / n;
  const d = 1 + (Z95 * Z95) / n;
  const c = (p + (Z95 * Z95) / (2 * n)) / d;
  const h = (Z95 / d) * Math.sqrt((p * (1 - p)) / n + (Z95 * Z95) / (4 * n * n));
  return [x === 0 ? 0 : Math.max(0, c - h), x === n ? 1 : Math.min(1, c + h)];
}

/** Pools the complete cells of each breakdown value and period. */
function pooled(rows: readonly Row[]): CurvePoint[] {
  const sums = new Map<string, { series: string; period: number; users: number; size: number }>();
  for (const r of rows) {
    if (r.incomplete || !(Number(r.cohort_size) > 0)) continue;
    const series = String(r.breakdown ?? '(none)');
    const key = `${series}\u0000${r.period}`;
    const sum = sums.get(key) ?? { series, period: Number(r.period), users: 0, size: 0 };
    sum.users += Number(r.users);
    sum.size += Number(r.cohort_size);
    sums.set(key, sum);
  }
  return [...sums.values()].map(({ series, period, users, size }) => {
    const [low, high] = wilson(users, size);
    const title = `${series} +${period}: ${((users / size) * 100).toFixed(1)}% (95% CI ${(low * 100).toFixed(1)}–${(high * 100).toFixed(1)}%), ${users} of ${size} people`;
    return { series, period, rate: users / size, users, cohort_size: size, rate_low: low, rate_high: high, incomplete: false, title };
  });
}

/**
 * Retention curves: the rate by period, one line per cohort or per breakdown value. Points of
 * incomplete periods are hollow; each point's title gives the rate, its 95 % interval and users /
 * cohort size.
 *
 * @example
 * const { rows } = await runAnalysis(engine, { kind: 'retention', period: 'week', breakdown: 'source' });
 * document.body.append(retentionCurves(rows)); // one line per source
 */
export function retentionCurves(rows: readonly Row[], options: RetentionCurvesOptions = {}): Element {
  const hasBreakdown = rows.some((r) => 'breakdown' in r);
  const by = options.by ?? (hasBreakdown ? 'breakdown' : 'cohort');
  const points: CurvePoint[] = by === 'breakdown'
    ? pooled(rows)
    : rows.filter((r) => r.rate != null).map((r) => ({
      series: cohortKey(r), period: Number(r.period), rate: Number(r.rate), users: Number(r.users), cohort_size: Number(r.cohort_size),
      rate_low: Number(r.rate_low), rate_high: Number(r.rate_high), incomplete: Boolean(r.incomplete), title: cellTitle(r),
    }));
  points.sort((a, b) => (a.series < b.series ? -1 : a.series > b.series ? 1 : a.period - b.period));
  const series = [...new Set(points.map((p) => p.series))];
  const interval = options.interval ?? by === 'breakdown';
  return Plot.plot({
    document: options.document,
    width: options.width,
    height: options.height,
    marginLeft: 50,
    x: { label: say('periods after the cohort'), ticks: [...new Set(points.map((p) => p.period))], tickFormat: 'd' },
    y: { label: say('retention rate'), domain: [0, 1], grid: true, tickFormat: '%' },
    // Cohorts are ordered in time, so a sequential scheme; breakdown values are categories.
    color: { type: 'ordinal', scheme: by === 'cohort' ? 'viridis' : 'tableau10', domain: series, legend: series.length > 1 && series.length <= 20 },
    marks: [
      ...(interval ? [Plot.areaY(points, { x: 'period', y1: 'rate_low', y2: 'rate_high', z: 'series', fill: 'series', fillOpacity: 0.12 })] : []),
      Plot.lineY(points, { x: 'period', y: 'rate', z: 'series', stroke: 'series', strokeWidth: 1.5 }),
      Plot.dot(points.filter((p) => !p.incomplete), { x: 'period', y: 'rate', fill: 'series', r: 3, title: 'title' }),
      Plot.dot(points.filter((p) => p.incomplete), { x: 'period', y: 'rate', stroke: 'series', fill: 'white', r: 3, title: 'title' }),
    ],
  });
}
