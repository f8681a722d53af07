import * as Plot from '@observablehq/plot';
import { registerDefaultChart } from './default-chart.ts';

/** Options of `churnChart`; `document` renders outside a browser. */
export interface ChurnChartOptions {
  document?: Document;
  width?: number;
  height?: number;
}

const SERIES = ['customer churn', 'revenue churn'] as const;

interface Point {
  period: Date;
  series: string;
  rate: number | null;
  incomplete: boolean;
}

const title = (d: Point) => `${d.series}: ${d.rate === null ? '—' : (d.rate * 100).toFixed(1) + ' %'}${d.incomplete ? ' (incomplete)' : ''}`;

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
    { period: new Date(`${row.period}T00:00:00Z`), series: SERIES[0], rate: row.churn_rate as number | null, incomplete: row.incomplete === true },
    { period: new Date(`${row.period}T00:00:00Z`), series: SERIES[1], rate: row.revenue_churn as number | null, incomplete: row.incomplete === true },
  ]);
  return Plot.plot({
    document: options.document,
    width: options.width,
    height: options.height,
    marginLeft: 50,
    x: { type: 'utc', label: 'period' },
    y: { label: 'churn (%)', percent: true, grid: true, zero: true },
    color: { domain: [...SERIES], legend: true },
    marks: [
      Plot.lineY(points, { x: 'period', y: 'rate', stroke: 'series' }),
      Plot.dot(points, { x: 'period', y: 'rate', stroke: 'series', fill: 'series', filter: (d: Point) => !d.incomplete, title }),
      Plot.dot(points, { x: 'period', y: 'rate', stroke: 'series', fill: 'white', filter: (d: Point) => d.incomplete, title }),
      Plot.ruleY([0]),
    ],
  });
}

registerDefaultChart('churn', ({ rows, document }) => churnChart(rows, { document }));
