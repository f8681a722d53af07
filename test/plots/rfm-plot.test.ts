import { describe, expect, test } from 'vitest';
import { defaultChart, rfmChart } from '../../src/plots/index.ts';
import { expectPlotSnapshot, plotDocument } from '../helpers/plot-snapshot.ts';

const person = (user_id: string, r: number, f: number, segment: string) => ({ user_id, recency_days: 1, frequency: 1, monetary: 1, r, f, m: 3, segment });
const ROWS = [
  person('a', 5, 5, 'Champions'), person('b', 5, 5, 'Champions'), person('c', 5, 4, 'Champions'),
  person('d', 3, 3, 'Need attention'), person('e', 1, 1, 'Lost'), person('f', 1, 1, 'Lost'), person('g', 1, 1, 'Lost'),
];

describe('rfm chart', () => {
  test('an R × F grid of customer counts, segment in the tooltip', () => {
    const chart = rfmChart(ROWS, { document: plotDocument() });
    expectPlotSnapshot('rfm', chart);
    const cells = [...chart.querySelectorAll('g[aria-label="cell"] rect')];
    expect(cells).toHaveLength(4);
    expect(cells.map((c) => c.querySelector('title')?.textContent).sort()).toEqual([
      'R 1, F 1: Lost, 3 customers', 'R 3, F 3: Need attention, 1 customers', 'R 5, F 4: Champions, 1 customers', 'R 5, F 5: Champions, 2 customers',
    ]);
    expect([...chart.querySelectorAll('g[aria-label="text"] text')].map((t) => t.textContent).sort()).toEqual(['1', '1', '2', '3']);
    expect(chart.querySelector('g[aria-label="x-axis label"]')?.textContent).toMatch(/F score/);
  });

  test('summary rows draw as bars per segment; it is the default chart of rfm', () => {
    const summary = [
      { segment: 'Champions', users: 3, share: 0.5, avg_monetary: 10 },
      { segment: 'Lost', users: 3, share: 0.5, avg_monetary: 1 },
    ];
    const chart = defaultChart('rfm', { rows: summary, meta: {}, document: plotDocument() })!;
    expectPlotSnapshot('rfm-summary', chart);
    expect(chart.querySelectorAll('g[aria-label="bar"] rect')).toHaveLength(2);
    expect([...chart.querySelectorAll('g[aria-label="text"] text')].map((t) => t.textContent)).toEqual(['50 %', '50 %']);
  });
});
