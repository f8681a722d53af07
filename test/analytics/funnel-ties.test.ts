import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runAnalysis } from '../../src/analytics/index.ts';
import '../../src/analytics/funnel.ts';
import type { Engine } from '../../src/engine/index.ts';
import { createNodeEngine } from '../../src/engine/node.ts';
import { loadTestEvents, type TestEvent } from '../helpers/events.ts';
import { referenceFunnel } from './funnel-reference.ts';

// Ties the join-based ordered/strict SQL resolves without numbering events (distinct step names,
// no hold): two attempts start at one instant and reach the same step at the same event.
let engine: Engine;
const T0 = Date.UTC(2024, 2, 1, 12);
const at = (user: string, event: string, seconds: number, plan?: string): TestEvent =>
  ({ user_id: user, event, ts: new Date(T0 + seconds * 1000).toISOString(), ...(plan === undefined ? {} : { plan }) });

const LOG: TestEvent[] = [
  // Both views start attempts that reach the cart; the later start in the event order counts:
  // 'pro' comes after 'free' at one instant.
  at('a', 'view', 0, 'free'), at('a', 'view', 0, 'pro'), at('a', 'cart', 10, 'free'),
  // NULL comes last, so the plan-less view is the later start.
  at('b', 'view', 0), at('b', 'view', 0, 'free'), at('b', 'cart', 5, 'free'),
  // The 'team' view is the only start that reaches the cart in the window (60 s).
  at('c', 'view', 0, 'free'), at('c', 'view', 100, 'team'), at('c', 'cart', 130),
];

beforeAll(async () => {
  engine = await createNodeEngine('wasm');
  await loadTestEvents(engine, LOG, { source: 'ties' });
});
afterAll(async () => engine?.close());

describe('funnel ties between attempts starting at one instant', () => {
  for (const order of ['ordered', 'strict'] as const) {
    test(`${order}: the breakdown value is the later start's, as in the reference`, async () => {
      const spec = { steps: ['view', 'cart'], breakdown: 'plan', breakdown_attribution: { step: 0 }, window_seconds: 60, order };
      const { rows } = await runAnalysis(engine, { kind: 'funnel', ...spec }, { table: 'ties' });
      expect(rows.map((r) => [r.breakdown, r.step, r.users, r.avg_seconds_from_previous])).toEqual([
        ['pro', 1, 1, null], ['pro', 2, 1, 10],
        ['team', 1, 1, null], ['team', 2, 1, 30],
        [null, 1, 1, null], [null, 2, 1, 5],
      ]);
      expect(rows).toEqual(referenceFunnel(spec, LOG));
    });

    test(`${order}: first touch takes the later start, then the first value across its steps`, async () => {
      const spec = { steps: ['view', 'cart'], breakdown: 'plan', window_seconds: 60, order };
      const { rows } = await runAnalysis(engine, { kind: 'funnel', ...spec }, { table: 'ties' });
      // b's later start has no plan; its cart does ('free'). c's cart has none; its view does ('team').
      expect(rows.map((r) => [r.breakdown, r.step, r.users])).toEqual([
        ['free', 1, 1], ['free', 2, 1], ['pro', 1, 1], ['pro', 2, 1], ['team', 1, 1], ['team', 2, 1],
      ]);
      expect(rows).toEqual(referenceFunnel(spec, LOG));
    });
  }
});
