import { describe, expect, test } from 'vitest';
import { columnFormat, formatDuration, formatPercent, formatPoints, readableCell } from '../../src/plots/index.ts';

// Issue 15: `avg_seconds_from_previous` showed `169,160.5181`; people read `1 d 23 h`.
describe('numbers as people read them', () => {
  test.each([
    [169_160.5181, '1 d 23 h'], [299.4, '4 min 59 s'], [4.25, '4.3 s'], [0, '0 s'], [59.6, '1 min'], [3599.6, '1 h'],
    [5400, '1 h 30 min'], [86_400, '1 d'], [10_000_000, '115 d 18 h'], [-30, '−30 s'], [null, ''],
  ])('duration %s s reads %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });

  test.each([[0.5773, '57.7 %'], [1, '100 %'], [0, '0 %'], [0.00123, '0.12 %'], [0.08, '8 %'], [-0.2, '−20 %'], [null, '']])('ratio %s reads %s', (ratio, text) => {
    expect(formatPercent(ratio)).toBe(text);
  });

  test('differences of rates read in points', () => {
    expect([formatPoints(0.0046), formatPoints(-0.0404), formatPoints(0)]).toEqual(['+0.5 pts', '−4.0 pts', '0.0 pts']);
  });

  test('which columns read as durations, percentages and points', () => {
    expect(['avg_seconds_from_previous', 'median_seconds_from_previous', 'bin_start_seconds', 'median_session_seconds'].map(columnFormat)).toEqual(Array(4).fill('duration'));
    expect(['rate', 'rate_low', 'churn_rate', 'conversion_from_start', 'share', 'revenue_churn', 'dau_mau'].map(columnFormat)).toEqual(Array(7).fill('percent'));
    expect(['users', 'cohort_size', 'revenue', 'recency_days', 'p_value', 'nps', 'value'].map(columnFormat)).toEqual(Array(7).fill(null));
    expect(columnFormat('difference')).toBe('points');
  });

  test('a metric row reads by its metric; burn rate is money, not a ratio', () => {
    expect(readableCell(0.08, 'value', { metric: 'repeat_purchase_rate' })).toBe('8 %');
    expect(readableCell(0.264, 'value', { metric: 'cmgr_revenue' })).toBe('26.4 %');
    expect(readableCell(1200, 'value', { metric: 'burn_rate' })).toBeNull();
    expect(readableCell(548, 'value', { metric: 'customers' })).toBeNull();
    expect(readableCell('0.5', 'rate')).toBeNull();
  });
});
