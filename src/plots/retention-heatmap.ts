import * as Plot from '@observablehq/plot';
import { registerDefaultChart } from './default-chart.ts';
import { bandTicks, textWidth } from './label-layout.ts';
import { say } from './readable.ts';

/** Options of `retentionHeatmap`; `document` renders outside a browser (jsdom in tests, the CLI). */
export interface RetentionHeatmapOptions {
  document?: Document;
  width?: number;
  /** Pixels per cohort row (default 22, less for many cohorts). */
  rowHeight?: number;
  /** Colour scheme of the rate (default `blues`). */
  scheme?: Plot.ColorScheme;
  /** Print the rate in each cell (default true, while cells are large enough to hold it). */
  labels?: boolean;
  /** The widest the chart grows without a `width` (default 960 px, a notebook cell). */
  maxWidth?: number;
}

type Row = Record<string, unknown>;

/**
 * The label of the column that holds the cohort sizes, left of period 0.
 *
 * @example
 * chart.querySelectorAll('g[aria-label="x-axis tick label"] text')[0].textContent === SIZE_COLUMN // true
 */
export const SIZE_COLUMN = 'people';

const percent = (rate: unknown) => (rate == null ? '–' : `${(Number(rate) * 100).toFixed(Number(rate) < 0.1 && Number(rate) > 0 ? 1 : 0)}%`);

/**
 * The y value of a row: its cohort, with the breakdown value when there is one.
 *
 * @example
 * cohortKey({ cohort: '2024-01-01', breakdown: 'pro' }) // '2024-01-01 · pro'
 */
export function cohortKey(row: Row): string {
  return 'breakdown' in row ? `${row.cohort} · ${row.breakdown ?? '(none)'}` : String(row.cohort);
}

/**
 * A cell's tooltip: rate, 95 % interval, users of cohort size, and whether the period is incomplete.
 *
 * @example
 * cellTitle(row) // '2024-01-01 +2: 24.0% (95% CI 17.5–32.0%), 31 of 129 people (incomplete period)'
 */
export function cellTitle(row: Row): string {
  const interval = row.rate_low == null ? '' : ` (95% CI ${(Number(row.rate_low) * 100).toFixed(1)}–${percentExact(row.rate_high)})`;
  return `${cohortKey(row)} +${row.period}: ${percentExact(row.rate)}${interval}, ${row.users} of ${row.cohort_size} people${row.incomplete ? ' (incomplete period)' : ''}`;
}

function percentExact(rate: unknown): string {
  return rate == null ? 'no people' : `${(Number(rate) * 100).toFixed(1)}%`;
}

/**
 * The retention matrix as a heatmap: cohorts down, periods across, the rate as colour, the cohort
 * size in a label column on the left. Cells of periods that have not fully elapsed are drawn
 * lighter and outlined with a dashed line; each cell's title gives the rate, its 95 % interval and
 * users / cohort size. The colour scale runs from 0 to the highest rate after period 0 (period 0
 * is always 100 % and would wash out the rest).
 *
 * A large matrix stays readable at the width of a notebook cell (at most `maxWidth`, 960 px):
 * cells narrow and rows flatten, the rates and cohort sizes leave the cells (their tooltips keep
 * them) once a cell is too small to hold them, and only as many period and cohort labels are
 * shown as fit.
 *
 * @example
 * const { rows } = await runAnalysis(engine, { kind: 'retention', period: 'week' });
 * document.body.append(retentionHeatmap(rows));
 */
export function retentionHeatmap(rows: readonly Row[], options: RetentionHeatmapOptions = {}): Element {
  const cohorts = [...new Set(rows.map(cohortKey))];
  const periods = [...new Set(rows.map((r) => Number(r.period)))].sort((a, b) => a - b);
  const firsts = rows.filter((r) => Number(r.period) === 0);
  const later = rows.filter((r) => Number(r.period) > 0 && r.rate != null).map((r) => Number(r.rate));
  const top = later.length > 0 ? Math.max(...later, 0.01) : 1;
  const filled = rows.filter((r) => r.rate != null);
  const longest = Math.max(...cohorts.map((c) => c.length), 8);
  const marginLeft = 7 * longest + 10;
  const natural = Math.max(360, marginLeft + 50 * (periods.length + 1));
  const width = options.width ?? Math.min(natural, options.maxWidth ?? 960);
  const columnWidth = (width - marginLeft - 20) / (periods.length + 1);
  const rowHeight = options.rowHeight ?? Math.max(4, Math.min(22, Math.floor(900 / Math.max(1, cohorts.length))));
  // rates and sizes are written in the cells only while a cell can hold "100%" at 10 px
  const roomy = columnWidth >= 28 && rowHeight >= 14;
  const rated = roomy && options.labels !== false;
  const columns = roomy ? [SIZE_COLUMN, ...periods.map(String)] : periods.map(String);
  return Plot.plot({
    document: options.document,
    width,
    height: 50 + rowHeight * cohorts.length,
    marginLeft,
    marginTop: 30,
    marginRight: 20,
    padding: columnWidth < 8 || rowHeight < 8 ? 0 : 0.04,
    x: {
      type: 'band', domain: columns, axis: 'top', label: say('periods after the cohort'), tickSize: 0,
      ticks: roomy ? columns : bandTicks(columns, width - marginLeft - 20, textWidth(String(periods.at(-1) ?? 0))),
    },
    y: { type: 'band', domain: cohorts, label: null, tickSize: 0, ticks: bandTicks(cohorts, rowHeight * cohorts.length, 6) },
    color: { type: 'linear', scheme: options.scheme ?? 'blues', domain: [0, top], clamp: true, label: say('retention rate'), legend: false },
    marks: [
      Plot.cell(rows, { x: (r: Row) => String(r.period), y: cohortKey, fill: '#f3f3f3' }),
      Plot.cell(filled, {
        x: (r: Row) => String(r.period), y: cohortKey, fill: 'rate',
        fillOpacity: (r: Row) => (r.incomplete ? 0.45 : 1), title: cellTitle,
      }),
      Plot.cell(rows.filter((r) => r.incomplete), {
        x: (r: Row) => String(r.period), y: cohortKey, fill: 'none', stroke: '#555', strokeDasharray: '3,2', inset: 1,
      }),
      ...(rated ? [Plot.text(rows, {
        x: (r: Row) => String(r.period), y: cohortKey, text: (r: Row) => percent(r.rate),
        fill: (r: Row) => (r.rate != null && Number(r.rate) > top * 0.6 && !r.incomplete ? 'white' : 'black'), fontSize: 10,
      })] : []),
      ...(roomy ? [Plot.text(firsts, {
        x: () => SIZE_COLUMN, y: cohortKey, text: (r: Row) => String(r.cohort_size), fontWeight: 'bold', fontSize: 10,
        title: (r: Row) => `${cohortKey(r)}: ${r.cohort_size} ${r.cohort_size === 1 ? 'person' : 'people'} in the cohort`,
      })] : []),
    ],
  });
}

registerDefaultChart('retention', ({ rows, document }) => retentionHeatmap(rows, { document }));
