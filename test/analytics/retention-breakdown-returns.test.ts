import { describe, expect, test } from 'vitest';
import { runAnalysis } from '../../src/analytics/index.ts';
import { bothEnginesWith } from '../helpers/both-engines.ts';
import type { TestEvent } from '../helpers/events.ts';

// Retention broken down by an event property: `breakdown_returns: "any"` (the default) counts every
// return; `"same_value"` (PostHog's rule) only returns that carry the cohort's value. Weeks start
// on Monday 2024-01-01; everyone signs up in week 0.
const at = (user: string, event: string, day: number, browser?: string): TestEvent =>
  ({ user_id: user, event, ts: new Date(Date.UTC(2024, 0, day, 10)).toISOString(), ...(browser ? { browser } : {}) });

const LOG: TestEvent[] = [
  // a signs up on Chrome, comes back twice on Safari in week 1 and once on Chrome in week 2
  at('a', 'signup', 1, 'Chrome'), at('a', 'open', 9, 'Safari'), at('a', 'open', 11, 'Safari'), at('a', 'open', 16, 'Chrome'),
  // b signs up on Safari and comes back on Safari in week 1
  at('b', 'signup', 2, 'Safari'), at('b', 'open', 10, 'Safari'),
  // c has no browser at sign-up; back without one in week 1, on Chrome in week 2
  at('c', 'signup', 3), at('c', 'open', 11), at('c', 'open', 18, 'Chrome'),
];

const BASE = { kind: 'retention', period: 'week', start_event: 'signup', return_event: 'open', breakdown: 'browser', date_from: '2024-01-01', date_to: '2024-01-21', intervals: 3 };

const engines = bothEnginesWith(LOG, { clickhouse: true });

/** Users per period of the week-0 cohort, by breakdown value. */
async function cohort0(spec: Record<string, unknown>): Promise<Record<string, number[]>> {
  const rows = (await runAnalysis(engines.wasm, { ...BASE, ...spec })).rows;
  expect((await runAnalysis(engines.native, { ...BASE, ...spec })).rows).toEqual(rows);
  expect((await runAnalysis(engines.clickhouse, { ...BASE, ...spec })).rows).toEqual(rows);
  const out: Record<string, number[]> = {};
  for (const r of rows.filter((r) => r.cohort === '2024-01-01')) (out[String(r.breakdown)] ??= []).push(r.users as number);
  return out;
}

describe('retention breakdown_returns', () => {
  for (const extra of [{}, { mode: 'first_time' }, { clock: 'rolling' }]) {
    test(`any (the default) counts every return ${JSON.stringify(extra)}`, async () => {
      const expected = { Chrome: [1, 1, 1], Safari: [1, 1, 0], null: [1, 1, 1] };
      expect(await cohort0(extra)).toEqual(expected);
      expect(await cohort0({ ...extra, breakdown_returns: 'any' })).toEqual(expected);
    });

    test(`same_value counts a return only with the cohort's value ${JSON.stringify(extra)}`, async () => {
      // a's week-1 returns were on Safari; c's week-2 return on Chrome, not "no browser".
      expect(await cohort0({ ...extra, breakdown_returns: 'same_value' })).toEqual({ Chrome: [1, 0, 1], Safari: [1, 1, 0], null: [1, 1, 0] });
    });
  }

  test('min_occurrences counts only the returns with the value', async () => {
    expect(await cohort0({ min_occurrences: 2 })).toEqual({ Chrome: [1, 1, 0], Safari: [1, 0, 0], null: [1, 0, 0] });
    expect(await cohort0({ min_occurrences: 2, breakdown_returns: 'same_value' })).toEqual({ Chrome: [1, 0, 0], Safari: [1, 0, 0], null: [1, 0, 0] });
  });

  test('a bad value is refused', async () => {
    await expect(runAnalysis(engines.wasm, { ...BASE, breakdown_returns: 'same' })).rejects.toThrow(/breakdown_returns must be one of "any", "same_value", not "same"/);
  });
});
