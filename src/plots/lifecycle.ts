import * as Plot from '@observablehq/plot';
import { registerDefaultChart } from './default-chart.ts';
import { bandTicks, DEFAULT_WIDTH, textWidth } from './label-layout.ts';
import { say } from './readable.ts';

/** Options of `lifecycleChart`; `document` renders outside a browser (jsdom in tests, the CLI). */
export interface LifecycleChartOptions {
  document?: Document;
  width?: number;
  height?: number;
}

/** The statuses bottom-up; dormant is negative, so it stacks below zero. */
const STATUSES = ['dormant', 'new', 'returning', 'resurrecting'];
const COLORS = ['#e45756', '#4c78a8', '#54a24b', '#f58518'];

/**
 * Stacked bars per period: new, returning and resurrecting people above zero, dormant below.
 *
 * @example
 * const { rows } = await runAnalysis(engine, { kind: 'lifecycle', period: 'week' });
 * document.body.append(lifecycleChart(rows));
 */
export function lifecycleChart(rows: readonly Record<string, unknown>[], options: LifecycleChartOptions = {}): Element {
  const width = options.width ?? DEFAULT_WIDTH;
  const periods = [...new Set(rows.map((r) => String(r.period)))].sort();
  const label = Math.max(...periods.map((p) => textWidth(p)));
  return Plot.plot({
    document: options.document,
    width,
    height: options.height,
    marginLeft: 50,
    marginRight: Math.ceil(label / 2) + 4,
    // as many period labels as fit side by side, never on top of each other
    x: { type: 'band', domain: periods, label: say('period'), ticks: bandTicks(periods, width - 54 - label / 2, label) },
    y: { label: say('people'), grid: true },
    color: { domain: STATUSES, range: COLORS, legend: true },
    marks: [
      Plot.barY(rows, {
        x: 'period', y: 'users', fill: 'status', order: STATUSES,
        title: (d: Record<string, unknown>) => `${d.period} ${d.status}: ${Math.abs(Number(d.users))}`,
      }),
      Plot.ruleY([0]),
    ],
  });
}

registerDefaultChart('lifecycle', ({ rows, document }) => lifecycleChart(rows, { document }));
