import * as Plot from '@observablehq/plot';
import { registerDefaultChart } from './default-chart.ts';
import { formatCount, formatPercent1, say } from './readable.ts';

/** Options of `abTestChart`; `document` renders outside a browser. */
export interface AbTestChartOptions {
  document?: Document;
  width?: number;
}

interface Bar {
  variant: string;
  rate: number;
  low: number;
  high: number;
  label: string;
}

/** The Wilson 95 % interval of one rate, so each bar shows how sure its own number is. */
function wilson(conversions: number, users: number): [number, number] {
  const z = 1.959964;
  const p = conversions / users;
  const centre = (p + z * z / (2 * users)) / (1 + z * z / users);
  const half = (z / (1 + z * z / users)) * Math.sqrt(p * (1 - p) / users + z * z / (4 * users * users));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/**
 * Conversion rate per variant with its 95 % interval as a whisker; the verdict is the subtitle.
 *
 * @example
 * const { rows } = await runAnalysis(null, { kind: 'ab_test', variants: [...] });
 * document.body.append(abTestChart(rows));
 */
export function abTestChart(rows: readonly Record<string, unknown>[], options: AbTestChartOptions = {}): Element {
  const bars: Bar[] = rows.filter((r) => Number(r.users) > 0).map((r) => {
    const [low, high] = wilson(Number(r.conversions), Number(r.users));
    return { variant: String(r.variant), rate: Number(r.rate), low, high, label: say('{rate} of {users}', { rate: formatPercent1(Number(r.rate)), users: formatCount(Number(r.users)) }) };
  });
  const verdict = rows.slice(1).map((r) => String(r.verdict)).join('; ');
  return Plot.plot({
    document: options.document,
    width: options.width,
    height: 80 + 44 * bars.length,
    marginLeft: 90,
    marginRight: 30,
    caption: verdict,
    x: { label: say('conversion rate'), tickFormat: '%', grid: true, domain: [0, Math.max(...bars.map((b) => b.high)) * 1.25] },
    y: { label: null, domain: bars.map((b) => b.variant) },
    marks: [
      Plot.barX(bars, { x: 'rate', y: 'variant', fill: 'variant', fillOpacity: 0.75, title: 'label' }),
      Plot.ruleY(bars, { x1: 'low', x2: 'high', y: 'variant', stroke: 'currentColor', strokeWidth: 1.5 }),
      Plot.tickX(bars, { x: 'low', y: 'variant', stroke: 'currentColor' }),
      Plot.tickX(bars, { x: 'high', y: 'variant', stroke: 'currentColor' }),
      Plot.text(bars, { x: 'high', y: 'variant', text: 'label', textAnchor: 'start', dx: 6, dy: -12 }),
      Plot.ruleX([0]),
    ],
  });
}

registerDefaultChart('ab_test', ({ rows, document }) => abTestChart(rows, { document }));
