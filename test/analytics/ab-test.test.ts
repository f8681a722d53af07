import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Engine } from '../../src/engine/index.ts';
import { createNodeEngine } from '../../src/engine/node.ts';
import { runAnalysis } from '../../src/analytics/index.ts';
import { normalCdf, normalQuantile } from '../../src/analytics/stats/normal.ts';
import { loadTestEvents, type TestEvent } from '../helpers/events.ts';

let engine: Engine;
beforeAll(async () => { engine = await createNodeEngine('wasm'); });
afterAll(async () => { await engine?.close(); });

const counts = (a: [number, number], b: [number, number], extra = {}) => runAnalysis(null, {
  kind: 'ab_test', variants: [{ name: 'A', users: a[0], conversions: a[1] }, { name: 'B', users: b[0], conversions: b[1] }], ...extra,
});

describe('the normal distribution', () => {
  test.each([[0, 0.5], [1, 0.841345], [1.96, 0.975002], [-2.5758, 0.005], [3, 0.99865]])('Φ(%s) = %s', (z, p) => {
    expect(normalCdf(z)).toBeCloseTo(p, 5);
  });
  test('its inverse', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.995)).toBeCloseTo(2.575829, 5);
  });
});

describe('ab_test from counts', () => {
  test('2 of 10 versus 10 of 100 is not significant at 95 %', async () => {
    const { rows } = await counts([10, 2], [100, 10]);
    // worked by hand: pooled p = 12/110, SE = √(p(1−p)(1/10 + 1/100)) = 0.10333, z = −0.1/0.10333 = −0.9677
    expect(rows[1]).toMatchObject({ variant: 'B', rate: 0.1, difference: expect.closeTo(-0.1, 10), significant: false });
    expect(rows[1].p_value).toBeCloseTo(0.3332, 3);
    // unpooled SE = √(0.2·0.8/10 + 0.1·0.9/100) = √0.0169 = 0.13; ± 1.96 × SE
    expect(rows[1].ci_low).toBeCloseTo(-0.1 - 1.959964 * 0.13, 5);
    expect(rows[1].ci_high).toBeCloseTo(-0.1 + 1.959964 * 0.13, 5);
    expect(rows[1].verdict).toMatch(/^not significant at 95 %/);
    expect(rows[0]).toMatchObject({ variant: 'A', rate: 0.2, p_value: null, verdict: 'control' });
  });

  test('a large enough difference is significant, and its direction is named', async () => {
    const { rows } = await counts([5000, 500], [5000, 600]);
    // z = 0.02 / √(0.11·0.89·(2/5000)) = 3.1963
    expect(rows[1].p_value).toBeCloseTo(2 * (1 - normalCdf(0.02 / Math.sqrt(0.11 * 0.89 * (2 / 5000)))), 6);
    expect(rows[1].significant).toBe(true);
    expect(rows[1].verdict).toMatch(/^B converts better than A \(12\.0 % vs 10\.0 %\), significant at 95 %/);
  });

  test('the confidence level moves the verdict', async () => {
    const at95 = (await counts([2000, 200], [2000, 240])).rows[1];
    const at99 = (await counts([2000, 200], [2000, 240], { confidence: 0.99 })).rows[1];
    expect([at95.significant, at99.significant]).toEqual([true, false]);
  });

  test.each([
    [{ variants: [{ name: 'A', users: 10, conversions: 2 }] }, /variants must list at least two/],
    [{ variants: [{ name: 'A', users: 10, conversions: 20 }, { name: 'B', users: 5, conversions: 1 }] }, /variants\[0\]: conversions must be a whole number between 0 and users \(10\)/],
    [{ variants: [{ name: 'A', users: 10, conversions: 2 }, { name: 'A', users: 5, conversions: 1 }] }, /variant "A" is listed twice/],
    [{ variants: [{ name: 'A', users: 1, conversions: 0 }, { name: 'B', users: 1, conversions: 0 }], confidence: 95 }, /confidence must be a number between 0.5 and 1/],
  ])('a bad spec is refused: %j', async (spec, message) => {
    await expect(runAnalysis(null, { kind: 'ab_test', ...spec })).rejects.toThrow(message);
  });
});

describe('ab_test from events', () => {
  /** A brute-force count from the definition: first exposure's variant, conversion after it. */
  function reference(events: TestEvent[], windowSeconds: number | null) {
    const firstExposure = new Map<string, TestEvent>();
    for (const e of [...events].sort((a, b) => Date.parse(a.ts) - Date.parse(b.ts))) {
      if (e.event === 'exposure' && e.user_id && !firstExposure.has(e.user_id)) firstExposure.set(e.user_id, e);
    }
    const out = new Map<string, { users: number; conversions: number }>();
    for (const [user, exposure] of firstExposure) {
      const start = Date.parse(exposure.ts);
      const converted = events.some((e) => e.user_id === user && e.event === 'purchase' && Date.parse(e.ts) >= start
        && (windowSeconds === null || Date.parse(e.ts) <= start + windowSeconds * 1000));
      const v = out.get(String(exposure.variant)) ?? { users: 0, conversions: 0 };
      v.users++;
      if (converted) v.conversions++;
      out.set(String(exposure.variant), v);
    }
    return [...out.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([variant, v]) => ({ variant, ...v }));
  }

  test('counts exposed and converted people per variant like a brute-force pass over the same events', async () => {
    let seed = 42;
    const random = () => { seed = (seed * 1664525 + 1013904223) >>> 0; return seed / 2 ** 32; };
    const events: TestEvent[] = [];
    for (let u = 0; u < 300; u++) {
      const variant = random() < 0.5 ? 'control' : 'new_checkout';
      const t = Date.UTC(2024, 4, 1) + Math.floor(random() * 10 * 86_400_000);
      if (random() < 0.2) events.push({ user_id: `u${u}`, event: 'purchase', ts: new Date(t - 3600_000).toISOString(), variant });
      events.push({ user_id: `u${u}`, event: 'exposure', ts: new Date(t).toISOString(), variant });
      if (random() < 0.3) events.push({ user_id: `u${u}`, event: 'exposure', ts: new Date(t + 7200_000).toISOString(), variant: variant === 'control' ? 'new_checkout' : 'control' });
      if (random() < (variant === 'control' ? 0.2 : 0.3)) events.push({ user_id: `u${u}`, event: 'purchase', ts: new Date(t + Math.floor(random() * 5 * 86_400_000)).toISOString(), variant });
    }
    await loadTestEvents(engine, events);
    for (const window of [null, 2 * 86_400]) {
      const { rows } = await runAnalysis(engine, { kind: 'ab_test', exposure_event: 'exposure', conversion_event: 'purchase', variant_column: 'variant', window_seconds: window ?? undefined });
      expect(rows.map((r) => ({ variant: r.variant, users: r.users, conversions: r.conversions }))).toEqual(reference(events, window));
    }
    const { rows } = await runAnalysis(engine, { kind: 'ab_test', exposure_event: 'exposure', conversion_event: 'purchase', variant_column: 'variant', control: 'new_checkout' });
    expect(rows[0].variant).toBe('new_checkout');
    await expect(runAnalysis(engine, { kind: 'ab_test', variant: [] })).rejects.toThrow(/unknown field "variant" \(did you mean "variants"\?\)/);
  });
});
