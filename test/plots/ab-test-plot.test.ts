import { expect, test } from 'vitest';
import { runAnalysis } from '../../src/analytics/index.ts';
import { abTestChart, defaultChart } from '../../src/plots/index.ts';
import { expectPlotSnapshot, plotDocument } from '../helpers/plot-snapshot.ts';

test('abTestChart draws a bar and an interval per variant, with the verdict', async () => {
  const { rows, meta } = await runAnalysis(null, { kind: 'ab_test', variants: [{ name: 'A', users: 10, conversions: 2 }, { name: 'B', users: 100, conversions: 10 }] });
  const document = plotDocument();
  const chart = abTestChart(rows, { document });
  expect(chart.querySelectorAll('[aria-label="bar"] rect')).toHaveLength(2);
  expect(chart.querySelectorAll('[aria-label="rule"] line').length).toBeGreaterThanOrEqual(2);
  expect(chart.textContent).toMatch(/not significant at 95 %/);
  expect(chart.textContent).toMatch(/20\.0 % of 10/);
  expect(defaultChart('ab_test', { rows, meta, document })?.outerHTML).toBe(chart.outerHTML);
  expectPlotSnapshot('ab-test', chart);
});
