import * as Plot from '@observablehq/plot';
import { registerDefaultChart } from './default-chart.ts';
import { say } from './readable.ts';

/** Options of `ltvChart`; `document` renders outside a browser. */
export interface LtvChartOptions {
  document?: Document;
  width?: number;
  height?: number;
  /** Per cohort its CAC (an ltv result's `meta.cohorts`), drawn as a dashed rule in its colour. */
  cohorts?: readonly { cohort: string; cac: number | null }[];
}

interface Point {
  cohort: string;
  age: number;
  value: number;
  incomplete: boolean;
}

const money = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(2));
const title = (d: Point) => `${d.cohort}, age ${d.age}: ${money(d.value)} per user${d.incomplete ? ' (incomplete)' : ''}`;

/**
 * Cumulative revenue per user by cohort age, one line per cohort; cells whose period the log does
 * not cover to its end get hollow dots, and each cohort's CAC (when given) is a dashed rule, so the
 * payback age is where a line crosses its rule.
 *
 * @example
 * const { rows, meta } = await runAnalysis(engine, { kind: 'ltv', period: 'month', acquisition_spend: { '2024-01-01': 5000 } });
 * document.body.append(ltvChart(rows, { cohorts: meta.cohorts }));
 */
export function ltvChart(rows: readonly Record<string, unknown>[], options: LtvChartOptions = {}): Element {
  const points: Point[] = rows.map((row) => ({
    cohort: String(row.cohort), age: Number(row.age), value: Number(row.cumulative_revenue_per_user), incomplete: row.incomplete === true,
  }));
  const cohorts = [...new Set(points.map((p) => p.cohort))];
  const cac = (options.cohorts ?? []).filter((c) => c.cac !== null && cohorts.includes(c.cohort));
  // Many cohorts: thin lines coloured from the oldest (dark) to the newest (light), no dots, so
  // the spread stays visible instead of a thicket of markers.
  const many = cohorts.length > 12;
  const dots = points.length <= 400;
  return Plot.plot({
    document: options.document,
    width: options.width,
    height: options.height,
    marginLeft: 55,
    x: { label: say('cohort age (periods)'), ticks: Math.min(12, Math.max(...points.map((p) => p.age), 1)), tickFormat: 'd' },
    y: { label: say('cumulative revenue per user'), grid: true, zero: true },
    color: { domain: cohorts, legend: !many, type: 'ordinal', ...(many ? { scheme: 'viridis' } : {}) },
    marks: [
      Plot.lineY(points, { x: 'age', y: 'value', stroke: 'cohort', ...(many ? { strokeWidth: 1, strokeOpacity: 0.7, title: (d: Point) => d.cohort } : {}) }),
      ...(dots ? [
        Plot.dot(points, { x: 'age', y: 'value', stroke: 'cohort', fill: 'cohort', r: 2.5, filter: (d: Point) => !d.incomplete, title }),
        Plot.dot(points, { x: 'age', y: 'value', stroke: 'cohort', fill: 'white', r: 2.5, filter: (d: Point) => d.incomplete, title }),
      ] : [Plot.tip(points, Plot.pointer({ x: 'age', y: 'value', title }))]),
      Plot.ruleY(cac, { y: 'cac', stroke: 'cohort', strokeDasharray: '4,3', title: (c: { cohort: string; cac: number }) => `${c.cohort} CAC: ${money(c.cac)}` }),
      Plot.ruleY([0]),
    ],
  });
}

registerDefaultChart('ltv', ({ rows, meta, document }) => {
  // the CLV mode gives one row of numbers, with nothing to draw over time
  if (!('age' in rows[0])) return null;
  return ltvChart(rows, { document, cohorts: meta.cohorts as LtvChartOptions['cohorts'] });
});
