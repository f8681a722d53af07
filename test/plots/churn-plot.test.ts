import { describe, expect, test } from 'vitest';
import { churnChart, defaultChart } from '../../src/plots/index.ts';
import { expectPlotSnapshot, plotDocument } from '../helpers/plot-snapshot.ts';

const ROWS = [
  { period: '2024-01-01', churn_rate: null, revenue_churn: null, incomplete: false },
  { period: '2024-02-01', churn_rate: 0.05, revenue_churn: 0.136, incomplete: false },
  { period: '2024-03-01', churn_rate: 0.08, revenue_churn: 0.05, incomplete: false },
  { period: '2024-04-01', churn_rate: 0.02, revenue_churn: 0.01, incomplete: true },
];

describe('churn chart', () => {
  test('customer and revenue churn as percentages, incomplete periods hollow', () => {
    const chart = churnChart(ROWS, { document: plotDocument() });
    expectPlotSnapshot('churn', chart);
    expect(chart.querySelectorAll('g[aria-label="line"] path')).toHaveLength(2);
    const dots = [...chart.querySelectorAll('g[aria-label="dot"] circle')];
    expect(dots.length).toBe(6);
    const hollow = [...chart.querySelectorAll('g[aria-label="dot"]')].filter((g) => g.getAttribute('fill') === 'white');
    expect(hollow.map((g) => g.querySelectorAll('circle').length)).toEqual([2]);
    const titles = dots.map((d) => d.querySelector('title')?.textContent);
    expect(titles).toContain('customer churn: 5 %');
    expect(titles).toContain('revenue churn: 1 % (incomplete)');
    expect(chart.querySelector('g[aria-label="y-axis label"]')?.textContent).toMatch(/churn \(%\)/);
  });

  test('is the default chart of a churn result', () => {
    expect(defaultChart('churn', { rows: ROWS, meta: {}, document: plotDocument() })?.querySelectorAll('g[aria-label="dot"] circle').length).toBe(6);
  });
});
