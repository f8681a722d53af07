import { describe, expect, test } from 'vitest';
import { defaultChart, retentionCurves, retentionHeatmap } from '../../src/plots/index.ts';
import { expectPlotSnapshot, plotDocument } from '../helpers/plot-snapshot.ts';

const wilsonless = { rate_low: null, rate_high: null };

/** The weekly matrix of retention.test.ts's shop log (4 cohorts, the last week incomplete). */
function cell(cohort: string, size: number, period: number, users: number, incomplete: boolean, low = 0, high = 1) {
  return size === 0
    ? { cohort, cohort_size: 0, period, users: 0, rate: null, ...wilsonless, incomplete }
    : { cohort, cohort_size: size, period, users, rate: users / size, rate_low: low, rate_high: high, incomplete };
}
const ROWS = [
  cell('2024-01-01', 3, 0, 3, false, 0.4385, 1), cell('2024-01-01', 3, 1, 2, false, 0.2077, 0.9385),
  cell('2024-01-01', 3, 2, 0, false, 0, 0.5615), cell('2024-01-01', 3, 3, 1, true, 0.0615, 0.7923),
  cell('2024-01-08', 1, 0, 1, false, 0.2065, 1), cell('2024-01-08', 1, 1, 1, false, 0.2065, 1), cell('2024-01-08', 1, 2, 0, true, 0, 0.7935),
  cell('2024-01-15', 1, 0, 1, false, 0.2065, 1), cell('2024-01-15', 1, 1, 0, true, 0, 0.7935),
  cell('2024-01-22', 0, 0, 0, true),
];

const BREAKDOWN = [
  { ...cell('2024-01-01', 10, 0, 10, false, 0.7225, 1), breakdown: 'free' }, { ...cell('2024-01-01', 10, 1, 5, false, 0.2366, 0.7634), breakdown: 'free' },
  { ...cell('2024-01-01', 4, 0, 4, false, 0.5101, 1), breakdown: 'pro' }, { ...cell('2024-01-01', 4, 1, 3, false, 0.3006, 0.9544), breakdown: 'pro' },
  { ...cell('2024-01-08', 6, 0, 6, false, 0.6097, 1), breakdown: 'free' }, { ...cell('2024-01-08', 6, 1, 1, true, 0.0301, 0.5635), breakdown: 'free' },
  { ...cell('2024-01-08', 2, 0, 2, false, 0.3424, 1), breakdown: 'pro' }, { ...cell('2024-01-08', 2, 1, 2, true, 0.3424, 1), breakdown: 'pro' },
];

const texts = (chart: Element, selector: string) => [...chart.querySelectorAll(selector)].map((n) => n.textContent?.trim());

describe('retention heatmap', () => {
  test('cohorts down, periods across, sizes in a label column, incomplete cells outlined', () => {
    const chart = retentionHeatmap(ROWS, { document: plotDocument() });
    expectPlotSnapshot('retention-heatmap', chart);
    const cellGroups = [...chart.querySelectorAll('g[aria-label="cell"]')];
    expect(cellGroups).toHaveLength(3);
    const [background, coloured, outlines] = cellGroups.map((g) => [...g.querySelectorAll('rect')]);
    expect(background).toHaveLength(10);
    expect(coloured).toHaveLength(9); // the empty cohort has no rate to colour
    expect(outlines).toHaveLength(4);
    for (const rect of outlines) expect(rect.getAttribute('stroke-dasharray') ?? rect.parentElement?.getAttribute('stroke-dasharray')).toBe('3,2');
    expect(coloured.filter((r) => r.getAttribute('fill-opacity') === '0.45')).toHaveLength(3);
    expect(texts(chart, 'g[aria-label="y-axis tick label"] text')).toEqual(['2024-01-01', '2024-01-08', '2024-01-15', '2024-01-22']);
    expect(texts(chart, 'g[aria-label="x-axis tick label"] text')).toEqual(['people', '0', '1', '2', '3']);
    const [rates, sizes] = [...chart.querySelectorAll('g[aria-label="text"]')].map((g) => [...g.querySelectorAll('text')].map((t) => t.firstChild?.textContent));
    expect(sizes).toEqual(['3', '1', '1', '0']);
    expect(texts(chart, 'g[aria-label="text"]:last-of-type title')[1]).toBe('2024-01-08: 1 person in the cohort');
    expect(rates).toEqual(['100%', '67%', '0%', '33%', '100%', '100%', '0%', '100%', '0%', '–']);
    expect(coloured[1].querySelector('title')?.textContent).toBe('2024-01-01 +1: 66.7% (95% CI 20.8–93.8%), 2 of 3 people');
    expect(coloured[3].querySelector('title')?.textContent).toMatch(/\+3: 33\.3% .*1 of 3 people \(incomplete period\)$/);
  });

  test('a breakdown adds its value to the cohort label', () => {
    const chart = retentionHeatmap(BREAKDOWN, { document: plotDocument(), labels: false });
    expectPlotSnapshot('retention-heatmap-breakdown', chart);
    expect(texts(chart, 'g[aria-label="y-axis tick label"] text')).toEqual(['2024-01-01 · free', '2024-01-01 · pro', '2024-01-08 · free', '2024-01-08 · pro']);
    expect(chart.querySelectorAll('g[aria-label="cell"]')[1].querySelectorAll('rect')).toHaveLength(8);
    expect(chart.querySelectorAll('g[aria-label="text"]')).toHaveLength(1);
  });

  test('is the default chart of a retention result', () => {
    const chart = defaultChart('retention', { rows: ROWS, meta: {}, document: plotDocument() });
    expect(chart?.querySelectorAll('g[aria-label="cell"]')[0].querySelectorAll('rect')).toHaveLength(10);
  });
});

describe('retention curves', () => {
  test('one line per cohort, hollow points for incomplete periods', () => {
    const chart = retentionCurves(ROWS, { document: plotDocument() });
    expectPlotSnapshot('retention-curves', chart);
    expect(chart.querySelectorAll('g[aria-label="line"] path')).toHaveLength(3); // the empty cohort has no line
    const [solid, hollow] = [...chart.querySelectorAll('g[aria-label="dot"]')].map((g) => [...g.querySelectorAll('circle')]);
    expect(solid).toHaveLength(6);
    expect(hollow).toHaveLength(3);
    expect(chart.querySelectorAll('g[aria-label="area"]')).toHaveLength(0);
    expect(texts(chart, 'span')).toEqual(['2024-01-01', '2024-01-08', '2024-01-15']);
  });

  test('with a breakdown: one pooled line per value over complete cells, with its Wilson band', () => {
    const chart = retentionCurves(BREAKDOWN, { document: plotDocument() });
    expectPlotSnapshot('retention-curves-breakdown', chart);
    expect(chart.querySelectorAll('g[aria-label="line"] path')).toHaveLength(2);
    expect(chart.querySelectorAll('g[aria-label="area"] path')).toHaveLength(2);
    const titles = texts(chart, 'g[aria-label="dot"] title');
    // free: period 0 pools 10 + 6 people; period 1 only the complete 2024-01-01 cell (5 of 10).
    expect(titles).toEqual([
      'free +0: 100.0% (95% CI 80.6–100.0%), 16 of 16 people', 'free +1: 50.0% (95% CI 23.7–76.3%), 5 of 10 people',
      'pro +0: 100.0% (95% CI 61.0–100.0%), 6 of 6 people', 'pro +1: 75.0% (95% CI 30.1–95.4%), 3 of 4 people',
    ]);
  });
});
