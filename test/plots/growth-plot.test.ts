import { expect, test } from 'vitest';
import { defaultChart, growthChart } from '../../src/plots/index.ts';
import { expectPlotSnapshot, plotDocument } from '../helpers/plot-snapshot.ts';

test('growthChart draws the monthly series with its CMGR', () => {
  const monthly = [{ month: '2024-01', value: 100 }, { month: '2024-02', value: 110 }, { month: '2024-03', value: 121 }];
  const chart = growthChart(monthly, { document: plotDocument(), cmgr: 0.1 });
  expect(chart.querySelectorAll('[aria-label="line"] path')).toHaveLength(1);
  expect(chart.textContent).toMatch(/CMGR 10\.0 % a month/);
  expectPlotSnapshot('growth', chart);
  expect(defaultChart('growth', { rows: [{ metric: 'k_factor', value: 0.8 }], meta: { monthly: [] }, document: plotDocument() })).toBeNull();
});
