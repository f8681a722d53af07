import { describe, expect, test } from 'vitest';
import * as Plot from '@observablehq/plot';
import * as aq from 'arquero';
import { chartCode, proposeChart, type ChartColumn, type ChartConfig } from '../../src/plots/index.ts';
import { plotDocument } from '../helpers/plot-snapshot.ts';

const weekly = aq.table({
  week: [new Date('2024-01-01'), new Date('2024-01-08'), new Date('2024-01-01'), new Date('2024-01-08')],
  platform: ['ios', 'ios', 'web', 'web'],
  users: [10, 12, 5, 9],
});
const columns: ChartColumn[] = [{ name: 'week', kind: 'time' }, { name: 'platform', kind: 'text', distinct: 2 }, { name: 'users', kind: 'number' }];

/** Runs the code as a JS cell does, with Plot drawing into jsdom (whose canvas cannot draw a colour ramp's legend). */
function render(code: string, table: unknown): Element {
  const document = plotDocument();
  const plot = { ...Plot, plot: (options: Record<string, unknown>) => Plot.plot({ ...options, color: { ...(options.color as object), legend: false }, document }) };
  return new Function('Plot', 'weekly', `return ${code}`)(plot, table) as Element;
}

describe('the chart builder', () => {
  test('proposes a chart from the column types', () => {
    expect(proposeChart(columns)).toEqual({ mark: 'line', x: 'week', y: 'users', color: 'platform', aggregate: 'sum', sort: 'natural' });
    expect(proposeChart([{ name: 'event', kind: 'text' }, { name: 'n', kind: 'number' }])).toMatchObject({ mark: 'bar', x: 'event', y: 'n', sort: 'value, largest first' });
    expect(proposeChart([{ name: 'a', kind: 'text' }, { name: 'b', kind: 'text' }, { name: 'n', kind: 'number' }])).toMatchObject({ mark: 'cell', x: 'a', y: 'b', color: 'n' });
    expect(proposeChart([{ name: 'revenue', kind: 'number' }])).toMatchObject({ mark: 'histogram', x: 'revenue' });
  });

  test('writes readable Plot code: a time scale for dates, the aggregation, a legend for the colour', () => {
    expect(chartCode(proposeChart(columns), 'weekly', columns)).toBe(`Plot.plot({
  x: { type: "utc", label: "week" },
  y: { grid: true, label: "sum of users" },
  color: { legend: true },
  marks: [
    Plot.lineY(weekly, Plot.groupX({ y: "sum" }, { x: "week", y: "users", stroke: "platform" }))
  ]
})`);
  });

  test('the code it writes draws: bars summed per platform, largest first, and every other mark', () => {
    const bars: ChartConfig = { mark: 'bar', x: 'platform', y: 'users', aggregate: 'sum', sort: 'value, largest first' };
    const svg = render(chartCode(bars, 'weekly', columns), weekly);
    const heights = [...svg.querySelectorAll('[aria-label="bar"] rect')].map((r) => Number(r.getAttribute('height')));
    expect(heights).toHaveLength(2);
    expect(heights[0]).toBeGreaterThan(heights[1]);
    expect([...svg.querySelectorAll('[aria-label="x-axis tick label"] text')].map((t) => t.textContent)).toEqual(['ios', 'web']);
    for (const mark of ['line', 'area', 'dot', 'cell', 'histogram'] as const) {
      const config: ChartConfig = { mark, x: mark === 'cell' ? 'platform' : 'week', y: mark === 'cell' ? 'platform' : 'users', color: mark === 'cell' ? 'users' : 'platform', facet: mark === 'dot' ? 'platform' : undefined, aggregate: mark === 'dot' ? 'none' : 'sum', sort: 'natural' };
      const chart = render(chartCode(config, 'weekly', columns), weekly);
      expect(chart.querySelector('svg, figure') ?? chart, mark).toBeTruthy();
      expect(chart.outerHTML, mark).toMatch(/<(rect|path|circle)/);
    }
  });
});
