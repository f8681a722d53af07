import * as Plot from '@observablehq/plot';
import { registerDefaultChart } from './default-chart.ts';
import { bandTicks, DEFAULT_WIDTH, textWidth } from './label-layout.ts';
import { say } from './readable.ts';

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
  const width = options.width ?? DEFAULT_WIDTH;
  const counts = rows.map((r) => Number(r.periods_active));
  return Plot.plot({
    document: options.document,
    width,
    height: options.height,
    marginLeft: 50,
    x: {
      type: 'band', domain: counts, label: options.cumulative ? say('periods active (k or more)') : say('periods active'),
      ticks: bandTicks(counts, width - 70, textWidth(String(Math.max(...counts)))),
    },
    y: { label: say('people'), grid: true },
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
