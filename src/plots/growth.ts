import * as Plot from '@observablehq/plot';
import { registerDefaultChart } from './default-chart.ts';
import { formatPercent1, say } from './readable.ts';

/** Options of `growthChart`; `document` renders outside a browser. */
export interface GrowthChartOptions {
  document?: Document;
  width?: number;
  /** The compound monthly growth rate to print in the subtitle. */
  cmgr?: number | null;
}

/**
 * A monthly series (revenue or active users) with its compound monthly growth rate.
 *
 * @example
 * const { rows, meta } = await runAnalysis(engine, { kind: 'growth', metric: 'revenue' });
 * document.body.append(growthChart(meta.monthly, { cmgr: rows[0].value }));
 */
export function growthChart(monthly: readonly { month: string; value: number }[], options: GrowthChartOptions = {}): Element {
  const points = monthly.map((m) => ({ month: new Date(`${m.month}-01T00:00:00Z`), value: m.value }));
  return Plot.plot({
    document: options.document,
    width: options.width,
    marginLeft: 60,
    subtitle: options.cmgr == null ? undefined : say('CMGR {rate} a month', { rate: formatPercent1(options.cmgr) }),
    x: { type: 'utc', label: say('month') },
    y: { grid: true, zero: true, label: null },
    marks: [Plot.lineY(points, { x: 'month', y: 'value', marker: 'dot', tip: true }), Plot.ruleY([0])],
  });
}

registerDefaultChart('growth', ({ rows, meta, document }) => {
  const monthly = (meta.monthly ?? []) as { month: string; value: number }[];
  if (monthly.length < 2) return null;
  const rate = rows.find((r) => String(r.metric).startsWith('cmgr_'))?.value as number | null | undefined;
  return growthChart(monthly, { document, cmgr: rate });
});
