import { describe, expect, test } from 'vitest';
import { defaultChart, ltvChart } from '../../src/plots/index.ts';
import { expectPlotSnapshot, plotDocument } from '../helpers/plot-snapshot.ts';

const cell = (cohort: string, age: number, value: number, incomplete = false) => ({
  cohort, cohort_size: 100, age, revenue: 0, cumulative_revenue_per_user: value, incomplete,
});
const ROWS = [
  cell('2024-01-01', 0, 20), cell('2024-01-01', 1, 35), cell('2024-01-01', 2, 46), cell('2024-01-01', 3, 52, true),
  cell('2024-02-01', 0, 25), cell('2024-02-01', 1, 41), cell('2024-02-01', 2, 50, true),
  cell('2024-03-01', 0, 18), cell('2024-03-01', 1, 30, true),
];
const COHORTS = [{ cohort: '2024-01-01', cac: 40 }, { cohort: '2024-02-01', cac: null }, { cohort: '2024-03-01', cac: 45 }];

describe('ltv chart', () => {
  test('one line per cohort over age, incomplete cells hollow, CAC as dashed rules', () => {
    const chart = ltvChart(ROWS, { document: plotDocument(), cohorts: COHORTS });
    expectPlotSnapshot('ltv', chart);
    expect(chart.querySelectorAll('g[aria-label="line"] path')).toHaveLength(3);
    const groups = [...chart.querySelectorAll('g[aria-label="dot"]')];
    expect(groups.map((g) => g.querySelectorAll('circle').length)).toEqual([6, 3]);
    const titles = [...chart.querySelectorAll('g[aria-label="dot"] circle title')].map((t) => t.textContent);
    expect(titles).toContain('2024-01-01, age 3: 52.00 per user (incomplete)');
    const rules = [...chart.querySelectorAll('g[aria-label="rule"]')].find((g) => g.getAttribute('stroke-dasharray') === '4,3');
    expect(rules?.querySelectorAll('line')).toHaveLength(2);
    expect(chart.querySelector('g[aria-label="y-axis label"]')?.textContent).toMatch(/cumulative revenue per user/);
  });

  test('is the default chart of an ltv result, and the CLV mode has none', () => {
    const chart = defaultChart('ltv', { rows: ROWS, meta: { cohorts: COHORTS }, document: plotDocument() });
    expect(chart?.querySelectorAll('g[aria-label="line"] path')).toHaveLength(3);
    expect(defaultChart('ltv', { rows: [{ arpu: 50, lifetime_periods: 24, clv: 1200 }], meta: {}, document: plotDocument() })).toBeNull();
  });
});
