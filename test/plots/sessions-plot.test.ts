import { describe, expect, test } from 'vitest';
import { defaultChart, sessionsChart } from '../../src/plots/index.ts';
import { expectPlotSnapshot, plotDocument } from '../helpers/plot-snapshot.ts';

const PERIODS = [
  { period: '2024-05-01', sessions: 3, users: 2, sessions_per_user: 1.5, avg_session_seconds: 1300, median_session_seconds: 1200 },
  { period: '2024-05-02', sessions: 2, users: 2, sessions_per_user: 1, avg_session_seconds: 1740, median_session_seconds: 1740 },
  { period: '2024-05-03', sessions: 0, users: 0, sessions_per_user: null, avg_session_seconds: null, median_session_seconds: null },
];
const PEOPLE = [1, 1, 1, 2, 2, 3, 5].map((sessions, i) => ({ user_id: `u${i}`, sessions, total_session_seconds: 60, avg_session_seconds: 60, median_session_seconds: 60 }));

describe('sessions chart', () => {
  test('bars of sessions per period titled with the median length', () => {
    const chart = sessionsChart(PERIODS, { document: plotDocument() });
    expectPlotSnapshot('sessions', chart);
    const bars = [...chart.querySelectorAll('g[aria-label="bar"] rect')];
    expect(bars).toHaveLength(3);
    expect(Number(bars[0].getAttribute('height')) / Number(bars[1].getAttribute('height'))).toBeCloseTo(1.5, 6);
    expect(bars[0].querySelector('title')?.textContent).toBe('2024-05-01: 3 sessions by 2 people, median 20 min');
  });

  test('a per-person result becomes a histogram of sessions per person', () => {
    const chart = sessionsChart(PEOPLE, { document: plotDocument() });
    expectPlotSnapshot('sessions-per-user', chart);
    const rects = [...chart.querySelectorAll('g[aria-label="rect"] rect')];
    expect(rects.length).toBeGreaterThanOrEqual(3);
    expect(chart.querySelector('g[aria-label="x-axis label"]')?.textContent).toMatch(/sessions per person/);
    expect(defaultChart('sessions', { rows: PERIODS, meta: {}, document: plotDocument() })?.querySelectorAll('g[aria-label="bar"] rect')).toHaveLength(3);
  });
});
