import * as Plot from '@observablehq/plot';
import { registerDefaultChart } from './default-chart.ts';
import { say } from './readable.ts';

/** Options of `activeUsersChart`; `document` renders outside a browser. */
export interface ActiveUsersChartOptions {
  document?: Document;
  width?: number;
  height?: number;
}

const SERIES = ['DAU', 'WAU', 'MAU'] as const;

/**
 * Lines of DAU, WAU and MAU per day.
 *
 * @example
 * const { rows } = await runAnalysis(engine, { kind: 'active_users' });
 * document.body.append(activeUsersChart(rows));
 */
export function activeUsersChart(rows: readonly Record<string, unknown>[], options: ActiveUsersChartOptions = {}): Element {
  const points = rows.flatMap((row) => SERIES.map((series) => ({
    date: new Date(`${row.date}T00:00:00Z`), series, users: Number(row[series.toLowerCase()]),
  })));
  return Plot.plot({
    document: options.document,
    width: options.width,
    height: options.height,
    marginLeft: 50,
    x: { type: 'utc', label: say('date') },
    y: { label: say('active people'), grid: true, zero: true },
    color: { domain: [...SERIES], legend: true },
    marks: [
      Plot.lineY(points, { x: 'date', y: 'users', stroke: 'series', tip: true }),
      Plot.ruleY([0]),
    ],
  });
}

registerDefaultChart('active_users', ({ rows, document }) => activeUsersChart(rows, { document }));
