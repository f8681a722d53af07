import * as Plot from '@observablehq/plot';
import { registerDefaultChart } from './default-chart.ts';
import { bandTicks, DEFAULT_WIDTH, textWidth } from './label-layout.ts';
import { formatDuration, say } from './readable.ts';

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
  const width = options.width ?? DEFAULT_WIDTH;
  const base = { document: options.document, width, height: options.height, marginLeft: 50 };
  if (rows.length > 0 && !('period' in rows[0])) {
    return Plot.plot({
      ...base,
      x: { label: say('sessions per person') },
      y: { label: say('people'), grid: true },
      marks: [Plot.rectY(rows, { ...Plot.binX({ y: 'count' }, { x: 'sessions' }), fill: '#4c78a8' }), Plot.ruleY([0])],
    });
  }
  const periods = rows.map((r) => String(r.period));
  const label = Math.max(...periods.map((p) => textWidth(p)));
  return Plot.plot({
    ...base,
    marginRight: Math.ceil(label / 2) + 4,
    x: { type: 'band', domain: periods, label: say('period'), ticks: bandTicks(periods, width - 54 - label / 2, label) },
    y: { label: say('sessions'), grid: true },
    marks: [
      Plot.barY(rows, {
        x: 'period', y: 'sessions', fill: '#4c78a8',
        title: (d: Record<string, unknown>) => `${d.period}: ${say('{sessions} sessions by {people} people, median {median}', { sessions: String(d.sessions), people: String(d.users), median: formatDuration(d.median_session_seconds as number | null) || '—' })}`,
      }),
      Plot.ruleY([0]),
    ],
  });
}

registerDefaultChart('sessions', ({ rows, document }) => sessionsChart(rows, { document }));
