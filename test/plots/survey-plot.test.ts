import { expect, test } from 'vitest';
import { surveyChart } from '../../src/plots/index.ts';
import { expectPlotSnapshot, plotDocument } from '../helpers/plot-snapshot.ts';

test('surveyChart stacks detractors, passives and promoters and prints the NPS', () => {
  const rows = [
    { period: '2024-01-01', responses: 100, promoters: 50, passives: 30, detractors: 20, nps: 30 },
    { period: '2024-02-01', responses: 50, promoters: 10, passives: 20, detractors: 20, nps: -20 },
  ];
  const chart = surveyChart(rows, { document: plotDocument() });
  expect(chart.querySelectorAll('[aria-label="bar"] rect')).toHaveLength(6);
  expect(chart.textContent).toMatch(/NPS 30.*NPS -20/s);
  expectPlotSnapshot('survey-nps', chart);
});

test('surveyChart shows CSAT as the satisfied share', () => {
  const chart = surveyChart([{ responses: 10, satisfied: 8, csat: 80 }], { document: plotDocument() });
  expect(chart.querySelectorAll('[aria-label="bar"] rect')).toHaveLength(1);
  expect(chart.textContent).toMatch(/80 %/);
});
