import * as Plot from '@observablehq/plot';
import { registerDefaultChart } from './default-chart.ts';

/** Options of `sessionsChart`; `document` renders outside a browser. */
export interface SessionsChartOptions {
  document?: Document;
  width?: number;
  height?: number;
}

/**
 * Sessions per period as bars, each titled with its median length; for a per-person result, a
 * histogram of sessions per person.
 *
 * @example
 * const { rows } = await runAnalysis(engine, { kind: 'sessions', period: 'week' });
 * document.body.append(sessionsChart(rows));
 */
export function sessionsChart(rows: readonly Record<string, unknown>[], options: SessionsChartOptions = {}): Element {
  const base = { document: options.document, width: options.width, height: options.height, marginLeft: 50 };
  if (rows.length > 0 && !('period' in rows[0])) {
    return Plot.plot({
      ...base,
      x: { label: 'sessions per person' },
      y: { label: 'people', grid: true },
      marks: [Plot.rectY(rows, { ...Plot.binX({ y: 'count' }, { x: 'sessions' }), fill: '#4c78a8' }), Plot.ruleY([0])],
    });
  }
  return Plot.plot({
    ...base,
    x: { type: 'band', label: 'period', tickRotate: rows.length > 48 ? -45 : 0 },
    y: { label: 'sessions', grid: true },
    marks: [
      Plot.barY(rows, {
        x: 'period', y: 'sessions', fill: '#4c78a8',
        title: (d: Record<string, unknown>) => `${d.period}: ${d.sessions} sessions by ${d.users} people, median ${d.median_session_seconds ?? '—'} s`,
      }),
      Plot.ruleY([0]),
    ],
  });
}

registerDefaultChart('sessions', ({ rows, document }) => sessionsChart(rows, { document }));
