import * as Plot from '@observablehq/plot';
import { registerDefaultChart } from './default-chart.ts';

/** Options of `stickinessChart`; `document` renders outside a browser. */
export interface StickinessChartOptions {
  document?: Document;
  width?: number;
  height?: number;
  /** Label the y axis "k or more" (a cumulative stickiness result). */
  cumulative?: boolean;
}

/**
 * Bars of people per number of active periods.
 *
 * @example
 * const { rows, meta } = await runAnalysis(engine, { kind: 'stickiness', period: 'day' });
 * document.body.append(stickinessChart(rows, { cumulative: meta.spec.cumulative }));
 */
export function stickinessChart(rows: readonly Record<string, unknown>[], options: StickinessChartOptions = {}): Element {
  return Plot.plot({
    document: options.document,
    width: options.width,
    height: options.height,
    marginLeft: 50,
    x: { type: 'band', label: options.cumulative ? 'periods active (k or more)' : 'periods active' },
    y: { label: 'people', grid: true },
    marks: [
      Plot.barY(rows, { x: 'periods_active', y: 'users', fill: '#4c78a8', title: (d: Record<string, unknown>) => `${d.periods_active}: ${d.users}` }),
      Plot.ruleY([0]),
    ],
  });
}

registerDefaultChart('stickiness', ({ rows, meta, document }) => {
  const spec = meta.spec as { cumulative?: boolean } | undefined;
  return stickinessChart(rows, { document, cumulative: spec?.cumulative === true });
});
