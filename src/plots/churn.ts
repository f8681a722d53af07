import * as Plot from '@observablehq/plot';
import { registerDefaultChart } from './default-chart.ts';
import { formatPercent, say } from './readable.ts';

/** Options of `churnChart`; `document` renders outside a browser. */
export interface ChurnChartOptions {
  document?: Document;
  width?: number;
  height?: number;
}

const SERIES = ['customer churn', 'revenue churn'] as const;
/** The series' names in the interface's language (drawn in the legend and tips). */
const seriesName = (i: 0 | 1) => say(SERIES[i]);

interface Point {
  period: Date;
  series: string;
  rate: number | null;
  incomplete: boolean;
}

const title = (d: Point) => `${d.series}: ${d.rate === null ? '—' : formatPercent(d.rate)}${d.incomplete ? ` ${say('(incomplete)')}` : ''}`;

/**
 * Customer and revenue churn rates per period, as percentages; periods the log does not cover
 * to their end (`incomplete`) get hollow dots.
 *
 * @example
 * const { rows } = await runAnalysis(engine, { kind: 'churn', period: 'month', inactive_days: 90 });
 * document.body.append(churnChart(rows));
 */
export function churnChart(rows: readonly Record<string, unknown>[], options: ChurnChartOptions = {}): Element {
  const points: Point[] = rows.flatMap((row) => [
    { period: new Date(`${row.period}T00:00:00Z`), series: seriesName(0), rate: row.churn_rate as number | null, incomplete: row.incomplete === true },
    { period: new Date(`${row.period}T00:00:00Z`), series: seriesName(1), rate: row.revenue_churn as number | null, incomplete: row.incomplete === true },
  ]);
  // periods without customers at their start have no rate: they are gaps, not points at zero
  const known = points.filter((d) => d.rate !== null);
  const highest = Math.max(0, ...known.map((d) => d.rate!));
  return Plot.plot({
    document: options.document,
    width: options.width,
    height: options.height,
    marginLeft: 50,
    x: { type: 'utc', label: say('period'), domain: [points[0]?.period, points.at(-1)?.period] },
    // a scale from 0 even when every rate is 0 or unknown (it would otherwise collapse to one
    // tick); with `percent` the domain is in percent
    y: { label: say('churn (%)'), percent: true, grid: true, domain: [0, Math.max(5, highest * 105)] },
    color: { domain: [seriesName(0), seriesName(1)], legend: true },
    marks: [
      ...(known.length === 0 ? [Plot.text(['no churn yet: no period started with customers'], { frameAnchor: 'middle' })] : []),
      Plot.lineY(known, { x: 'period', y: 'rate', stroke: 'series' }),
      Plot.dot(known, { x: 'period', y: 'rate', stroke: 'series', fill: 'series', filter: (d: Point) => !d.incomplete, title }),
      Plot.dot(known, { x: 'period', y: 'rate', stroke: 'series', fill: 'white', filter: (d: Point) => d.incomplete, title }),
      Plot.ruleY([0]),
    ],
  });
}

registerDefaultChart('churn', ({ rows, document }) => churnChart(rows, { document }));
