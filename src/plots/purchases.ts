import * as Plot from '@observablehq/plot';
import { registerDefaultChart } from './default-chart.ts';
import { say, formatCount } from './readable.ts';

/** Options of `daysToSecondPurchaseChart`; `document` renders outside a browser. */
export interface PurchasesChartOptions {
  document?: Document;
  width?: number;
  height?: number;
  /** The median days to the second purchase, drawn as a rule (a purchases result's metric). */
  median?: number | null;
}

interface Bin {
  bin_start: number;
  bin_end: number;
  customers: number;
}

const title = (b: Bin) => `${b.bin_start}–${b.bin_end} days: ${b.customers} customer${b.customers === 1 ? '' : 's'}`;

/**
 * A histogram of the days between customers' first and second purchase, from a purchases
 * result's `meta.days_to_second_purchase`, with the median marked when given.
 *
 * @example
 * const { rows, meta } = await runAnalysis(engine, { kind: 'purchases', order_column: 'InvoiceNo' });
 * const median = rows.find((r) => r.metric === 'median_days_to_second_purchase')?.value;
 * document.body.append(daysToSecondPurchaseChart(meta.days_to_second_purchase, { median }));
 */
export function daysToSecondPurchaseChart(bins: readonly Bin[], options: PurchasesChartOptions = {}): Element {
  const median = options.median ?? null;
  return Plot.plot({
    document: options.document,
    width: options.width,
    height: options.height,
    marginLeft: 50,
    x: { label: say('days from first to second purchase') },
    y: { label: say('customers'), grid: true },
    marks: [
      Plot.rectY(bins, { x1: 'bin_start', x2: 'bin_end', y: 'customers', fill: '#4c78a8', insetLeft: 0.5, insetRight: 0.5, title }),
      Plot.ruleY([0]),
      ...(median === null ? [] : [
        Plot.ruleX([median], { stroke: '#e45756', strokeDasharray: '4,3' }),
        Plot.text([median], { x: (d: number) => d, frameAnchor: 'top', dx: 4, textAnchor: 'start', text: (d: number) => say('median {n} days', { n: formatCount(+d.toFixed(1)) }), fill: '#e45756' }),
      ]),
    ],
  });
}

registerDefaultChart('purchases', ({ rows, meta, document }) => {
  const bins = meta.days_to_second_purchase as Bin[] | undefined;
  if (!bins || bins.length === 0) return null;
  const median = rows.find((row) => row.metric === 'median_days_to_second_purchase')?.value as number | null | undefined;
  return daysToSecondPurchaseChart(bins, { document, median: median ?? null });
});
