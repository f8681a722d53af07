import { describe, expect, test } from 'vitest';
import { defaultChart, stickinessChart } from '../../src/plots/index.ts';
import { expectPlotSnapshot, plotDocument } from '../helpers/plot-snapshot.ts';

const ROWS = [1, 2, 3, 4, 5].map((k, i) => ({ periods_active: k, users: [40, 22, 11, 0, 6][i] }));

describe('stickiness chart', () => {
  test('one bar per number of active periods, tallest for k = 1', () => {
    const chart = stickinessChart(ROWS, { document: plotDocument() });
    expectPlotSnapshot('stickiness', chart);
    const bars = [...chart.querySelectorAll('g[aria-label="bar"] rect')];
    expect(bars).toHaveLength(5);
    const heights = bars.map((b) => Number(b.getAttribute('height')));
    expect(heights[0]).toBe(Math.max(...heights));
    expect(heights[3]).toBe(0);
    expect(heights[1] / heights[0]).toBeCloseTo(22 / 40, 2);
    expect(chart.querySelector('g[aria-label="x-axis label"]')?.textContent).toMatch(/^periods active/);
  });

  test('labels a cumulative result "k or more" as the default chart', () => {
    const chart = defaultChart('stickiness', { rows: ROWS, meta: { spec: { cumulative: true } }, document: plotDocument() });
    expect(chart?.querySelector('g[aria-label="x-axis label"]')?.textContent).toMatch(/k or more/);
  });
});
