import * as Plot from '@observablehq/plot';
import { categoricalColors } from './categorical-colors.ts';
import { registerDefaultChart } from './default-chart.ts';

/** Options of `trendsChart`; `document` renders outside a browser (jsdom in tests, the CLI). */
export interface TrendsChartOptions {
  document?: Document;
  width?: number;
  height?: number;
  /** The formula's expression (`meta.formula_expression`): the chart then draws the formula's lines only, named by it. */
  formula?: string | null;
  /** The spec's period, so that a short range ticks on its days, weeks or months. */
  period?: string | null;
}

interface Point {
  line: string;
  date: Date;
  period: string;
  value: number | null;
  previous: boolean;
  /** The previous range's own period, shown in the tip. */
  actual: string;
}

const OTHER_COLOR = '#9ca3af';

/** `YYYY-MM-DD` or `YYYY-MM-DD HH:00` as the instant Plot puts on a UTC axis. */
function periodDate(period: string): Date {
  return new Date(period.length > 10 ? `${period.slice(0, 10)}T${period.slice(11)}:00Z` : `${period}T00:00:00Z`);
}

/** What a line is called in the legend: the series, its breakdown value, or both. */
function lineName(row: Record<string, unknown>, manySeries: boolean, formula: string | null): string {
  const series = row.series === 'formula' && formula ? formula : String(row.series);
  if (!('breakdown' in row)) return series;
  const value = row.breakdown === null ? '(none)' : String(row.breakdown);
  return manySeries ? `${series} · ${value}` : value;
}

const format = (value: number | null) => (value === null ? '—' : value.toLocaleString('en-US', { maximumFractionDigits: 2 }));

/**
 * Lines per series and breakdown value over the periods (bars when the range is one period), the
 * previous range of a `compare` dashed beneath the current one, and a legend in columns that stays
 * readable with 25 values; with a formula, the formula's lines, named by it.
 *
 * @example
 * const { rows, meta } = await runAnalysis(engine, { kind: 'trends', series: [{ event: 'signup' }], breakdown: 'source' });
 * document.body.append(trendsChart(rows, { formula: meta.formula_expression }));
 */
export function trendsChart(rows: readonly Record<string, unknown>[], options: TrendsChartOptions = {}): Element {
  const formula = options.formula ?? null;
  const shown = formula ? rows.filter((r) => r.series === 'formula') : rows;
  const manySeries = new Set(shown.map((r) => r.series)).size > 1;
  // the previous range's k-th period is drawn at the current range's k-th period
  const currentPeriods = [...new Set(shown.filter((r) => r.compare !== 'previous').map((r) => String(r.period)))];
  const previousPeriods = [...new Set(shown.filter((r) => r.compare === 'previous').map((r) => String(r.period)))];
  const points: Point[] = [];
  for (const row of shown) {
    const previous = row.compare === 'previous';
    const actual = String(row.period);
    const period = previous ? currentPeriods[previousPeriods.indexOf(actual)] : actual;
    if (period === undefined) continue;
    points.push({ line: lineName(row, manySeries, formula), date: periodDate(period), period, value: row.value as number | null, previous, actual });
  }
  const lines = [...new Set(points.map((p) => p.line))];
  const isOther = new Set(shown.filter((r) => r.other === true).map((r) => lineName(r, manySeries, formula)));
  const palette = categoricalColors(lines.length);
  const range = lines.map((line, i) => (isOther.has(line) ? OTHER_COLOR : palette[i % palette.length]));
  const tip = (p: Point) => `${p.line}\n${p.previous ? `${p.actual} (previous range)` : p.period}: ${format(p.value)}`;
  const color = { domain: lines, range, legend: lines.length > 1, columns: lines.length > 6 ? '190px' : undefined } as Plot.ScaleOptions;
  const y = { label: formula ?? (manySeries ? 'value' : String(shown[0]?.series ?? 'value')), grid: true, zero: true };
  if (currentPeriods.length === 1) {
    return Plot.plot({
      document: options.document, width: options.width, height: options.height, marginLeft: 60,
      x: { type: 'band', label: null, domain: lines, tickRotate: lines.length > 8 ? -30 : 0 }, y, color,
      fx: points.some((p) => p.previous) ? { label: null } : undefined,
      marks: [
        Plot.barY(points, { x: 'line', y: 'value', fill: 'line', fillOpacity: (p: Point) => (p.previous ? 0.45 : 1), title: tip, ...(points.some((p) => p.previous) ? { fx: (p: Point) => (p.previous ? 'previous' : 'current') } : {}) }),
        Plot.ruleY([0]),
      ],
    });
  }
  const current = points.filter((p) => !p.previous);
  const previous = points.filter((p) => p.previous);
  // a short range ticks once per period (Plot would tick hours across a few days)
  const ticks = options.period && options.period !== 'hour' && currentPeriods.length <= 12 ? options.period : undefined;
  return Plot.plot({
    document: options.document, width: options.width, height: options.height, marginLeft: 60,
    // months as Plot writes them (the year once, under January), which 12 labels fit beside each other
    marginRight: 24,
    x: { type: 'utc', label: null, ...(ticks ? { ticks, ...(ticks === 'month' ? {} : { tickFormat: '%b %-d' }) } : {}) }, y, color,
    caption: previous.length > 0 ? `Dashed: the range before, ${previousPeriods[0]} to ${previousPeriods[previousPeriods.length - 1]}, drawn under the periods it precedes.` : undefined,
    marks: [
      Plot.lineY(previous, { x: 'date', y: 'value', z: 'line', stroke: 'line', strokeDasharray: '4,3', strokeOpacity: 0.7 }),
      Plot.lineY(current, { x: 'date', y: 'value', z: 'line', stroke: 'line', strokeWidth: 1.8 }),
      Plot.dot(current, { x: 'date', y: 'value', fill: 'line', r: current.length / Math.max(lines.length, 1) > 60 ? 0 : 2 }),
      Plot.tip(points, Plot.pointer({ x: 'date', y: 'value', title: tip })),
      Plot.ruleY([0]),
    ],
  });
}

registerDefaultChart('trends', ({ rows, meta, document }) => trendsChart(rows, {
  document,
  formula: typeof meta.formula_expression === 'string' ? meta.formula_expression : null,
  period: (meta.spec as { period?: string } | undefined)?.period ?? null,
}));
