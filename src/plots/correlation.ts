import * as Plot from '@observablehq/plot';
import { registerDefaultChart } from './default-chart.ts';
import { DEFAULT_WIDTH, textWidth } from './label-layout.ts';

/** Options of `correlationChart`; `document` renders outside a browser. */
export interface CorrelationChartOptions {
  document?: Document;
  width?: number;
}

/**
 * The odds ratio of each event (or property value) on a log scale, with its 95 % interval as a
 * whisker: right of 1 converters did it more, left of 1 less; a whisker that crosses 1 may be noise.
 *
 * @example
 * const { rows } = await runAnalysis(engine, { kind: 'correlation', funnel: { steps: ['signup', 'purchase'] } });
 * document.body.append(correlationChart(rows));
 */
export function correlationChart(rows: readonly Record<string, unknown>[], options: CorrelationChartOptions = {}): Element {
  const names = rows.map((r) => String(r.event));
  const longest = Math.max(...names.map((n) => textWidth(n)));
  const marginLeft = Math.min(220, Math.max(60, longest + 12));
  const title = (d: Record<string, unknown>) => `${d.event}: odds ratio ${Number(d.odds_ratio).toFixed(2)} (95 % ${Number(d.odds_ratio_low).toFixed(2)}–${Number(d.odds_ratio_high).toFixed(2)}), p = ${Number(d.p_value).toPrecision(2)}; ${d.success_count} converters, ${d.failure_count} others`;
  return Plot.plot({
    document: options.document,
    width: options.width ?? DEFAULT_WIDTH,
    height: 40 + rows.length * 22,
    marginLeft,
    x: { type: 'log', label: 'odds ratio (converters vs the rest, log scale) →', grid: true, tickFormat: (d: number) => String(Number(d.toPrecision(2))) },
    y: { domain: names, label: null, tickFormat: (n: string) => (textWidth(n) > marginLeft - 12 ? `${n.slice(0, Math.floor((marginLeft - 24) / 6))}…` : n) },
    color: {
      domain: ['success', 'failure'], range: ['#2f7d4f', '#b8443a'], legend: true,
      tickFormat: (t: string) => (t === 'success' ? 'more common among converters' : 'more common among the rest'),
    },
    marks: [
      Plot.ruleX([1], { stroke: 'currentColor' }),
      Plot.ruleY(rows, { y: 'event', x1: 'odds_ratio_low', x2: 'odds_ratio_high', stroke: 'correlation_type', strokeWidth: 1.5 }),
      Plot.dot(rows, { y: 'event', x: 'odds_ratio', fill: 'correlation_type', r: 4, title }),
    ],
  });
}

registerDefaultChart('correlation', ({ rows, document }) => correlationChart(rows, { document }));
