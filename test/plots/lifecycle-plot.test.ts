import { describe, expect, test } from 'vitest';
import { defaultChart, lifecycleChart } from '../../src/plots/index.ts';
import { expectPlotSnapshot, plotDocument } from '../helpers/plot-snapshot.ts';

const ROWS = [
  ['2024-01-01', 2, 1, 0, -1], ['2024-01-08', 1, 1, 0, -2], ['2024-01-15', 0, 1, 1, -1], ['2024-01-22', 0, 0, 1, -2],
].flatMap(([period, n, ret, res, dormant]) => [
  { period, status: 'new', users: n }, { period, status: 'returning', users: ret },
  { period, status: 'resurrecting', users: res }, { period, status: 'dormant', users: dormant },
]);

describe('lifecycle chart', () => {
  test('stacks statuses per period with dormant below zero', () => {
    const chart = lifecycleChart(ROWS, { document: plotDocument() });
    expectPlotSnapshot('lifecycle', chart);
    const bars = [...chart.querySelectorAll('g[aria-label="bar"] rect')];
    expect(bars).toHaveLength(16);
    const swatches = [...chart.querySelectorAll('span')].map((s) => s.textContent?.trim()).filter(Boolean);
    expect(swatches).toEqual(['dormant', 'new', 'returning', 'resurrecting']);
    const zero = Number(chart.querySelector('g[aria-label="rule"] line')!.getAttribute('y1'));
    const dormant = bars.filter((b) => b.querySelector('title')?.textContent?.includes('dormant') && Number(b.getAttribute('height')) > 0);
    expect(dormant).toHaveLength(4);
    for (const bar of dormant) expect(Number(bar.getAttribute('y'))).toBeCloseTo(zero, 6);
    const growth = bars.filter((b) => /new|returning|resurrecting/.test(b.querySelector('title')?.textContent ?? '') && Number(b.getAttribute('height')) > 0);
    for (const bar of growth) expect(Number(bar.getAttribute('y')) + Number(bar.getAttribute('height'))).toBeLessThanOrEqual(zero + 1e-6);
    expect(chart.querySelector('g[aria-label="bar"] title')?.textContent).toBe('2024-01-01 new: 2');
  });

  test('is the default chart of a lifecycle result', () => {
    const chart = defaultChart('lifecycle', { rows: ROWS, meta: {}, document: plotDocument() });
    expect(chart?.querySelectorAll('g[aria-label="bar"] rect')).toHaveLength(16);
  });
});
