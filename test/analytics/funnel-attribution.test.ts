import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runAnalysis } from '../../src/analytics/index.ts';
import '../../src/analytics/funnel.ts';
import type { Engine } from '../../src/engine/index.ts';
import { createNodeEngine } from '../../src/engine/node.ts';
import { loadTestEvents, type TestEvent } from '../helpers/events.ts';

// PostHog's breakdown attribution cases (posthog/hogql_queries/insights/funnels/test/breakdown_cases.py,
// test_funnel_step_breakdown_with_first_touch_attribution and _last_touch_): steps [sign up, buy],
// a 7-day window, broken down by the browser. PostHog shows a missing value as ""; here it is null.
const at = (user: string, event: string, iso: string, browser?: string): TestEvent =>
  ({ user_id: user, event, ts: `${iso}Z`, ...(browser === undefined ? {} : { browser }) });

const LOG: TestEvent[] = [
  at('person1', 'sign up', '2020-01-01T12:00:00', 'Chrome'), at('person1', 'buy', '2020-01-01T13:00:00'),
  at('person2', 'sign up', '2020-01-01T13:00:00'), at('person2', 'buy', '2020-01-02T13:00:00', 'Safari'),
  at('person3', 'sign up', '2020-01-02T14:00:00', 'Mac'), at('person3', 'buy', '2020-01-02T15:00:00'),
  at('person4', 'sign up', '2020-01-02T15:00:00', '0'), at('person4', 'buy', '2020-01-02T16:00:00', 'alakazam'),
  at('person5', 'sign up', '2020-01-02T15:00:00'), at('person5', 'buy', '2020-01-02T16:00:00'),
];

// Not in PostHog's case: person6 buys (on Firefox) before signing up (without a browser).
const BUY_FIRST = [...LOG, at('person6', 'buy', '2020-01-03T10:00:00', 'Firefox'), at('person6', 'sign up', '2020-01-03T11:00:00')];

let engine: Engine;
beforeAll(async () => {
  engine = await createNodeEngine('wasm');
  await loadTestEvents(engine, LOG, { source: 'attribution' });
  await loadTestEvents(engine, BUY_FIRST, { source: 'buy_first' });
});
afterAll(async () => engine?.close());

const SPEC = { kind: 'funnel', steps: ['sign up', 'buy'], window_seconds: 7 * 86_400, breakdown: 'browser', date_from: '2020-01-01', date_to: '2020-01-08' };

/** [breakdown, users at step 1, users at step 2, mean seconds to step 2] per breakdown value. */
async function groups(table: string, spec: Record<string, unknown>) {
  const { rows } = await runAnalysis(engine, { ...SPEC, ...spec }, { table });
  const out: unknown[][] = [];
  for (let i = 0; i < rows.length; i += 2) out.push([rows[i].breakdown, rows[i].users, rows[i + 1].users, rows[i + 1].avg_seconds_from_previous]);
  return out;
}

describe('funnel breakdown attribution', () => {
  for (const order of ['ordered', 'strict', 'any'] as const) {
    test(`${order}: first touch (the default) is the first value across the person's steps`, async () => {
      const expected = [['0', 1, 1, 3600], ['Chrome', 1, 1, 3600], ['Mac', 1, 1, 3600], ['Safari', 1, 1, 86_400], [null, 1, 1, 3600]];
      expect(await groups('attribution', { order })).toEqual(expected);
      expect(await groups('attribution', { order, breakdown_attribution: 'first_touch' })).toEqual(expected);
    });

    test(`${order}: last touch is the last value across the person's steps`, async () => {
      expect(await groups('attribution', { order, breakdown_attribution: 'last_touch' })).toEqual([
        ['Chrome', 1, 1, 3600], ['Mac', 1, 1, 3600], ['Safari', 1, 1, 86_400], ['alakazam', 1, 1, 3600], [null, 1, 1, 3600],
      ]);
    });

    test(`${order}: {step: k} is the value at step k (0-based)`, async () => {
      expect(await groups('attribution', { order, breakdown_attribution: { step: 0 } })).toEqual([
        ['0', 1, 1, 3600], ['Chrome', 1, 1, 3600], ['Mac', 1, 1, 3600], [null, 2, 2, (86_400 + 3600) / 2],
      ]);
      expect(await groups('attribution', { order, breakdown_attribution: { step: 1 } })).toEqual([
        ['Safari', 1, 1, 86_400], ['alakazam', 1, 1, 3600], [null, 3, 3, 3600],
      ]);
    });
  }

  test('any: the steps are taken in the order the person did them', async () => {
    // person6 did buy (Firefox), then sign up: two steps, the first with Firefox.
    const firstTouch = await groups('buy_first', { order: 'any' });
    expect(firstTouch.find((g) => g[0] === 'Firefox')).toEqual(['Firefox', 1, 1, 3600]);
    expect(await groups('buy_first', { order: 'any', breakdown_attribution: { step: 1 } }))
      .toEqual([['Safari', 1, 1, 86_400], ['alakazam', 1, 1, 3600], [null, 4, 4, 3600]]);
    // In order, person6's attempt starts at the sign up and never buys after it: no value, one step.
    const ordered = await groups('buy_first', { order: 'ordered' });
    expect(ordered.at(-1)).toEqual([null, 2, 1, 3600]);
    expect(ordered.some((g) => g[0] === 'Firefox')).toBe(false);
  });
});
