import { describe, expect, test } from 'vitest';
import { activeUsersChart, defaultChart } from '../../src/plots/index.ts';
import { expectPlotSnapshot, plotDocument } from '../helpers/plot-snapshot.ts';

const ROWS = Array.from({ length: 14 }, (_, i) => {
  const dau = 10 + (i % 7) * 2;
  return { date: `2024-03-${String(i + 1).padStart(2, '0')}`, dau, wau: 40 + i, mau: 100 + 2 * i, dau_mau: dau / (100 + 2 * i) };
});

describe('active users chart', () => {
  test('draws DAU, WAU and MAU as three lines over the days', () => {
    const chart = activeUsersChart(ROWS, { document: plotDocument() });
    expectPlotSnapshot('active-users', chart);
    const lines = [...chart.querySelectorAll('g[aria-label="line"] path')];
    expect(lines).toHaveLength(3);
    for (const line of lines) expect((line.getAttribute('d')!.match(/L/g) ?? []).length).toBe(13);
    const swatches = [...chart.querySelectorAll('span')].map((s) => s.textContent?.trim()).filter(Boolean);
    expect(swatches).toEqual(['DAU', 'WAU', 'MAU']);
    expect(chart.querySelector('g[aria-label="y-axis label"]')?.textContent).toMatch(/active people/);
  });

  test('is the default chart of an active_users result', () => {
    expect(defaultChart('active_users', { rows: ROWS, meta: {}, document: plotDocument() })?.querySelectorAll('g[aria-label="line"] path')).toHaveLength(3);
  });
});
