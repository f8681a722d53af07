import * as Plot from '@observablehq/plot';
import { registerDefaultChart } from './default-chart.ts';
import { barLabelLayout, DEFAULT_WIDTH } from './label-layout.ts';
import { formatCount, formatPercent, say } from './readable.ts';

/** Options of `rfmChart`; `document` renders outside a browser. */
export interface RfmChartOptions {
  document?: Document;
  width?: number;
  height?: number;
}

interface Cell {
  r: number;
  f: number;
  users: number;
  segment: string;
}

/**
 * The R × F grid of an rfm result: one cell per recency and frequency score, shaded by the number
 * of customers in it and labelled with that count; the tooltip names the segment. Summary rows
 * (`summary: true`) draw as bars of customers per segment instead.
 *
 * @example
 * const { rows } = await runAnalysis(engine, { kind: 'rfm' });
 * document.body.append(rfmChart(rows));
 */
export function rfmChart(rows: readonly Record<string, unknown>[], options: RfmChartOptions = {}): Element {
  if (rows.length > 0 && !('r' in rows[0])) return rfmSegmentBars(rows, options);
  const cells = new Map<string, Cell>();
  for (const row of rows) {
    const key = `${row.r} ${row.f}`;
    const cell = cells.get(key) ?? { r: Number(row.r), f: Number(row.f), users: 0, segment: String(row.segment) };
    cell.users += 1;
    cells.set(key, cell);
  }
  const data = [...cells.values()];
  return Plot.plot({
    document: options.document,
    width: options.width,
    height: options.height ?? 360,
    padding: 0.05,
    x: { domain: [1, 2, 3, 4, 5], label: say('F score (frequency) →') },
    y: { domain: [5, 4, 3, 2, 1], label: say('↑ R score (recency)') },
    color: { scheme: 'blues', label: say('customers') },
    marks: [
      Plot.cell(data, { x: 'f', y: 'r', fill: 'users', inset: 0.5, title: (d: Cell) => `R ${d.r}, F ${d.f}: ${d.segment}, ${d.users} customers` }),
      Plot.text(data, { x: 'f', y: 'r', text: 'users', fill: (d: Cell) => (d.users > Math.max(...data.map((c) => c.users)) / 2 ? 'white' : 'black') }),
    ],
  });
}

function rfmSegmentBars(rows: readonly Record<string, unknown>[], options: RfmChartOptions): Element {
  const bars = rows.map((row) => ({ segment: String(row.segment), users: Number(row.users), share: Number(row.share), text: formatPercent(Number(row.share)) }));
  const width = options.width ?? DEFAULT_WIDTH;
  const { inside, marginRight } = barLabelLayout(bars.map((b) => b.users), bars.map((b) => b.text), { width, marginLeft: 110 });
  type SegmentBar = (typeof bars)[number];
  return Plot.plot({
    document: options.document,
    width,
    height: options.height,
    marginLeft: 110,
    marginRight,
    x: { label: say('customers →'), grid: true },
    y: { domain: bars.map((b) => b.segment), label: null },
    marks: [
      Plot.barX(bars, { x: 'users', y: 'segment', fill: 'steelblue', title: (b: SegmentBar) => `${b.segment}: ${formatCount(b.users)} customers (${formatPercent(b.share)})` }),
      Plot.text(bars.filter((_, i) => !inside[i]), { x: 'users', y: 'segment', text: 'text', dx: 4, textAnchor: 'start' }),
      Plot.text(bars.filter((_, i) => inside[i]), { x: 'users', y: 'segment', text: 'text', dx: -6, textAnchor: 'end', fill: 'white' }),
      Plot.ruleX([0]),
    ],
  });
}

registerDefaultChart('rfm', ({ rows, document }) => rfmChart(rows, { document }));
