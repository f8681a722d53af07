import { describe, expect, test } from 'vitest';
import { defaultChart, trendsChart } from '../../src/plots/index.ts';
import { expectPlotSnapshot, plotDocument } from '../helpers/plot-snapshot.ts';

const DAYS = ['2024-03-04', '2024-03-05', '2024-03-06', '2024-03-07'];
const row = (series: string, period: string, value: number, extra: Record<string, unknown> = {}) => ({ series, period, value, ...extra });

describe('trends chart', () => {
  test('a line per series, the previous range dashed beneath the current one at the same positions', () => {
    const rows = [
      ...DAYS.map((d, i) => row('signup', d, [3, 5, 2, 6][i], { compare: 'current' })),
      ...['2024-02-29', '2024-03-01', '2024-03-02', '2024-03-03'].map((d, i) => row('signup', d, [1, 2, 2, 1][i], { compare: 'previous' })),
    ];
    const chart = trendsChart(rows, { document: plotDocument(), period: 'day' });
    expectPlotSnapshot('trends-compare', chart);
    expect(chart.querySelector('figcaption')?.textContent).toBe('Dashed: the range before, 2024-02-29 to 2024-03-03, drawn under the periods it precedes.');
    expect([...chart.querySelectorAll('g[aria-label="x-axis tick label"] text')].map((t) => t.textContent)).toEqual(['Mar 4', 'Mar 5', 'Mar 6', 'Mar 7']);
    const lines = [...chart.querySelectorAll('g[aria-label="line"]')];
    expect(lines).toHaveLength(2);
    expect(lines[0].querySelector('path')?.getAttribute('stroke-dasharray') ?? lines[0].getAttribute('stroke-dasharray')).toBe('4,3');
    // both lines span the same x: the previous range is drawn at the current one's days
    const xs = (g: Element) => (g.querySelector('path')!.getAttribute('d')!.match(/[ML]([\d.]+),/g) ?? []).map((m) => m.slice(1, -1));
    expect(xs(lines[0])).toEqual(xs(lines[1]));
  });

  test('breakdown lines with a legend in columns; "Other" grey', () => {
    const values = Array.from({ length: 25 }, (_, i) => `v${String(i).padStart(2, '0')}`);
    const rows = [...values, 'Other'].flatMap((value, i) => DAYS.map((d, j) => row('view', d, 30 - i + j, { breakdown: value, other: value === 'Other' })));
    const chart = trendsChart(rows, { document: plotDocument(), period: 'day' });
    expectPlotSnapshot('trends-breakdown-25', chart);
    const swatches = [...chart.querySelectorAll('div[class*="swatch-label"]')].map((s) => s.textContent?.trim());
    expect(swatches).toHaveLength(26);
    expect(swatches[25]).toBe('Other');
    expect(chart.outerHTML).toMatch(/columns: 190px/);
    const strokes = [...chart.querySelectorAll('g[aria-label="line"] path')].map((p) => p.getAttribute('stroke'));
    expect(new Set(strokes).size).toBe(26);
    expect(strokes[25]).toBe('#9ca3af');
  });

  test('one period: bars', () => {
    const chart = trendsChart([row('signup', '2024-03-01', 12), row('purchase', '2024-03-01', 4)], { document: plotDocument() });
    expect(chart.querySelectorAll('g[aria-label="bar"] rect')).toHaveLength(2);
    expect(chart.querySelector('g[aria-label="bar"] title')?.textContent).toBe('signup\n2024-03-01: 12');
  });

  test('with a formula, its lines only, named by it', () => {
    const rows = [...DAYS.map((d) => row('a', d, 2)), ...DAYS.map((d, i) => row('formula', d, [50, 25, 0, 100][i]))];
    const chart = defaultChart('trends', { rows, meta: { formula_expression: 'A / B * 100' }, document: plotDocument() })!;
    expectPlotSnapshot('trends-formula', chart);
    expect(chart.querySelectorAll('g[aria-label="line"] path')).toHaveLength(1);
    expect(chart.textContent).toContain('A / B * 100');
  });

  test('hours on a time axis', () => {
    const chart = trendsChart(['2024-03-31 00:00', '2024-03-31 02:00', '2024-03-31 03:00'].map((p, i) => row('open', p, i)), { document: plotDocument() });
    expect(chart.querySelectorAll('g[aria-label="line"] path')).toHaveLength(1);
  });
});
