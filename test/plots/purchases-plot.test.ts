import { describe, expect, test } from 'vitest';
import { daysToSecondPurchaseChart, defaultChart } from '../../src/plots/index.ts';
import { expectPlotSnapshot, plotDocument } from '../helpers/plot-snapshot.ts';

const BINS = [
  { bin_start: 0, bin_end: 7, customers: 12 },
  { bin_start: 7, bin_end: 14, customers: 30 },
  { bin_start: 14, bin_end: 21, customers: 6 },
  { bin_start: 21, bin_end: 28, customers: 0 },
  { bin_start: 28, bin_end: 35, customers: 2 },
];
const ROWS = [{ metric: 'customers', value: 80, formula: '' }, { metric: 'median_days_to_second_purchase', value: 9.5, formula: '' }];

describe('purchases chart', () => {
  test('a histogram of days to the second purchase with the median marked', () => {
    const chart = daysToSecondPurchaseChart(BINS, { document: plotDocument(), median: 9.5 });
    expectPlotSnapshot('purchases', chart);
    const rects = [...chart.querySelectorAll('g[aria-label="rect"] rect')];
    expect(rects).toHaveLength(5);
    expect(Number(rects[1].getAttribute('height')) / Number(rects[0].getAttribute('height'))).toBeCloseTo(30 / 12, 6);
    expect(rects[1].querySelector('title')?.textContent).toBe('7–14 days: 30 customers');
    expect(chart.querySelector('g[aria-label="text"]')?.textContent).toBe('median 9.5 days');
    expect(chart.querySelector('g[aria-label="x-axis label"]')?.textContent).toMatch(/days from first to second purchase/);
  });

  test('is the default chart of a purchases result, and there is none without repeat customers', () => {
    const chart = defaultChart('purchases', { rows: ROWS, meta: { days_to_second_purchase: BINS }, document: plotDocument() });
    expect(chart?.querySelectorAll('g[aria-label="rect"] rect')).toHaveLength(5);
    expect(chart?.querySelectorAll('g[aria-label="rule"]')).toHaveLength(2);
    expect(defaultChart('purchases', { rows: ROWS, meta: { days_to_second_purchase: [] }, document: plotDocument() })).toBeNull();
  });
});
