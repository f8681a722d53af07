import { describe, expect, test } from 'vitest';
import { defaultChart, funnelBars, timeToConvert } from '../../src/plots/index.ts';
import { expectPlotSnapshot, plotDocument } from '../helpers/plot-snapshot.ts';

const STEPS = [
  { step: 1, event: 'view_item', users: 200, conversion_from_start: 1, conversion_from_previous: 1, avg_seconds_from_previous: null, median_seconds_from_previous: null },
  { step: 2, event: 'add_to_cart', users: 80, conversion_from_start: 0.4, conversion_from_previous: 0.4, avg_seconds_from_previous: 300, median_seconds_from_previous: 120 },
  { step: 3, event: 'purchase', users: 20, conversion_from_start: 0.1, conversion_from_previous: 0.25, avg_seconds_from_previous: 900, median_seconds_from_previous: 600 },
];

const BY_PLAN = ['free', 'pro'].flatMap((plan, i) => STEPS.map((row) => ({
  ...row, breakdown: plan, users: row.users / (i + 1),
})));

const BINS = [
  { bin_start_seconds: 0, bin_end_seconds: 3600, users: 12, sum_seconds: 20_000 },
  { bin_start_seconds: 3600, bin_end_seconds: 7200, users: 5, sum_seconds: 25_000 },
  { bin_start_seconds: 10_800, bin_end_seconds: 14_400, users: 3, sum_seconds: 38_000 },
];

describe('funnel plots', () => {
  test('funnel bars: one bar per step with people and conversion labels', () => {
    const chart = funnelBars(STEPS, { document: plotDocument() });
    expectPlotSnapshot('funnel-bars', chart);
    expect(chart.querySelectorAll('g[aria-label="bar"] rect')).toHaveLength(3);
    // long bars hold their label (white, at the bar's end), short ones have it just past the end
    const inside = [...chart.querySelectorAll('g[aria-label="text"][fill="white"] text')].map((t) => t.textContent);
    const outside = [...chart.querySelectorAll('g[aria-label="text"]:not([fill]) text')].map((t) => t.textContent);
    expect(inside).toEqual(['200', '80 · 40 % (40 % from previous)']);
    expect(outside).toEqual(['20 · 10 % (25 % from previous)']);
    expect(chart.querySelector('g[aria-label="bar"] rect:last-child title')?.textContent)
      .toBe('3. purchase: 20 people; 10 % of step 1, 25 % of the step before; took 15 min on average from the step before (median 10 min)');
    const ticks = [...chart.querySelectorAll('g[aria-label="y-axis tick label"] text')].map((t) => t.textContent);
    expect(ticks).toEqual(['1. view_item', '2. add_to_cart', '3. purchase']);
  });

  test('funnel bars grouped by breakdown', () => {
    const chart = funnelBars(BY_PLAN, { document: plotDocument() });
    expectPlotSnapshot('funnel-bars-breakdown', chart);
    expect(chart.querySelectorAll('g[aria-label="bar"] rect')).toHaveLength(6);
    const titles = [...chart.querySelectorAll('g[aria-label="bar"] rect title')].map((t) => t.textContent);
    expect(titles.some((t) => t?.startsWith('pro: 3. purchase: 10 people; 10 % of step 1, 25 % of the step before'))).toBe(true);
    expect(chart.tagName.toLowerCase()).toBe('figure'); // the plot and its swatch legend
    expect(chart.textContent).toMatch(/free[\s\S]*pro/);
    const facets = [...chart.querySelectorAll('g[aria-label="fy-axis tick label"] text')].map((t) => t.textContent);
    expect(facets).toEqual(['1. view_item', '2. add_to_cart', '3. purchase']);
  });

  test('time to convert: a histogram in a readable unit', () => {
    const chart = timeToConvert(BINS, { document: plotDocument() });
    expectPlotSnapshot('funnel-time-to-convert', chart);
    const rects = [...chart.querySelectorAll('g[aria-label="rect"] rect')];
    expect(rects).toHaveLength(3);
    expect(rects.map((r) => r.querySelector('title')?.textContent)).toEqual([
      '0 s to 1 h: 12 people', '1 h to 2 h: 5 people', '3 h to 4 h: 3 people',
    ]);
    expect(chart.querySelector('g[aria-label="x-axis label"]')?.textContent).toMatch(/time to convert \(hours\)/);
  });

  test('the default chart of a funnel result follows its rows', () => {
    expect(defaultChart('funnel', { rows: STEPS, meta: {}, document: plotDocument() })?.querySelectorAll('g[aria-label="bar"] rect')).toHaveLength(3);
    expect(defaultChart('funnel', { rows: BINS, meta: {}, document: plotDocument() })?.querySelectorAll('g[aria-label="rect"] rect')).toHaveLength(3);
    expect(defaultChart('funnel', { rows: [{ user_id: 'a', furthest_step: 2 }], meta: {}, document: plotDocument() })).toBeNull();
  });
});
