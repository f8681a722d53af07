import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runAnalysis } from '../../src/analytics/index.ts';
import '../../src/analytics/funnel.ts';
import type { Engine } from '../../src/engine/index.ts';
import { createNodeEngine } from '../../src/engine/node.ts';
import { loadTestEvents, type TestEvent } from '../helpers/events.ts';

let engine: Engine;
const T0 = Date.UTC(2024, 2, 1, 12);
/** An event `seconds` after 2024-03-01T12:00Z. */
const at = (user: string, event: string, seconds: number, props: Record<string, unknown> = {}): TestEvent =>
  ({ user_id: user, event, ts: new Date(T0 + seconds * 1000).toISOString(), ...props });

const LOGS: Record<string, TestEvent[]> = {
  basic: [
    at('a', 'view', 0), at('a', 'cart', 60), at('a', 'buy', 180),
    at('b', 'view', 0), at('b', 'cart', 120),
    at('c', 'view', 0), at('c', 'other', 10),
    at('d', 'cart', 0), at('d', 'buy', 10), // never entered: no step 1
  ],
  // window 3600 s: a's cart exactly at the limit counts, b's one second past does not.
  window: [at('a', 'view', 0), at('a', 'cart', 3600), at('b', 'view', 0), at('b', 'cart', 3601)],
  // a's first view is too early for the cart (window 3600); the view at 5400 s starts a new attempt.
  reentry: [at('a', 'view', 0), at('a', 'view', 5400), at('a', 'cart', 7200), at('a', 'buy', 7300)],
  // Same instant: the file lists the cart first; steps are matched in step order anyway.
  ties: [at('a', 'cart', 0), at('a', 'view', 0), at('a', 'buy', 0), at('b', 'buy', 5), at('b', 'view', 5)],
  // Steps [view, view]: one view cannot fill both.
  twice: [at('a', 'view', 0), at('b', 'view', 0), at('b', 'view', 30), at('c', 'view', 0), at('c', 'view', 0)],
  // a: something in between; b: the other event at the same instant as the cart; c: clean.
  strict: [
    at('a', 'view', 0), at('a', 'other', 10), at('a', 'cart', 20),
    at('b', 'view', 0), at('b', 'other', 20), at('b', 'cart', 20),
    at('c', 'view', 0), at('c', 'cart', 5),
  ],
  // Steps view, cart, buy: a buys before the cart; b starts with the buy.
  any: [at('a', 'view', 0), at('a', 'buy', 10), at('a', 'cart', 30), at('b', 'buy', 0), at('b', 'view', 10), at('b', 'cart', 20)],
  // The example of issue 15, steps [sign up, pageview, insight] (window 1 hour):
  unordered: [
    at('p', 'pageview', 0), at('p', 'sign up', 60), // steps 1 and 2
    at('q', 'insight', 0), at('q', 'pageview', 30), // steps 1 and 2, without signing up
    at('r', 'insight', 0), // step 1
    // all three; the repeated insight adds nothing, but starts an attempt that gets there as early
    at('s', 'insight', 0), at('s', 'insight', 10), at('s', 'pageview', 20), at('s', 'sign up', 50),
    at('t', 'pageview', 0), at('t', 'insight', 3601), // the insight is past the first attempt's window: a new one
    at('v', 'other', 0), // never entered
  ],
  // Exclusion "remove" between steps (levels) 0 and 2, any order: it taints only its own attempt.
  unorderedExclusion: [
    at('a', 'pageview', 0), at('a', 'remove', 10), at('a', 'insight', 20), // tainted; the attempt from the insight is clean
    at('b', 'pageview', 0), at('b', 'remove', 10), at('b', 'insight', 20), at('b', 'sign up', 7200), at('b', 'insight', 7210), // later attempt is clean
    at('c', 'remove', 0), at('c', 'pageview', 10), at('c', 'insight', 20), // before the attempt: fine
  ],
  // Exclusion "remove" between steps 0 and 1 (view → cart).
  exclusion: [
    at('a', 'view', 0), at('a', 'remove', 10), // never reaches cart: tainted, removed
    at('b', 'view', 0), at('b', 'cart', 10), at('b', 'remove', 20), // after cart: fine
    at('c', 'view', 0), at('c', 'remove', 10), at('c', 'cart', 20), // between: removed
    at('d', 'view', 0), at('d', 'remove', 10), at('d', 'view', 86_400 * 20), at('d', 'cart', 86_400 * 20 + 5), // later clean attempt counts
    at('e', 'view', 0), at('e', 'remove', 86_400 * 15), // after the window: fine
  ],
  hold: [
    at('a', 'view', 0, { device: 'phone' }), at('a', 'cart', 10, { device: 'web' }),
    at('b', 'view', 0, { device: 'phone' }), at('b', 'cart', 10, { device: 'phone' }),
    at('c', 'view', 0, { device: 'phone' }), at('c', 'view', 5, { device: 'web' }), at('c', 'cart', 10, { device: 'web' }),
  ],
  breakdown: [
    at('a', 'view', 0, { plan: 'pro' }), at('a', 'cart', 10, { plan: 'free' }),
    at('b', 'view', 0, { plan: 'free' }), at('b', 'cart', 30, { plan: 'free' }),
    at('c', 'view', 0, { plan: 'free' }),
    at('d', 'view', 0, { plan: 'test' }), at('d', 'cart', 1, { plan: 'test' }),
  ],
  // 2024-03-01T12:00Z is day 0; step 1 must fall on 2024-03-02 or 03-03 (New York time).
  dates: [
    at('a', 'view', 86_400), at('a', 'cart', 86_400 * 3), // cart after date_to, within the window
    at('b', 'view', 0), at('b', 'cart', 86_400 * 1.1), // step 1 before date_from
    at('c', 'view', 86_400 * 2.6), // 2024-03-04T02:24Z is 03-03 21:24 in New York
    at('d', 'view', 86_400 * 2.8), // 2024-03-04T07:12Z is 03-04 in New York
  ],
};

beforeAll(async () => {
  engine = await createNodeEngine('wasm');
  for (const [name, log] of Object.entries(LOGS)) await loadTestEvents(engine, log, { source: name });
});
afterAll(async () => engine?.close());

const run = (table: string, spec: Record<string, unknown>) => runAnalysis(engine, { kind: 'funnel', ...spec }, { table });
const users = async (table: string, spec: Record<string, unknown>) => (await run(table, spec)).rows.map((r) => r.users);

describe('funnel', () => {
  test('counts each step, conversions and seconds from the previous step (steps are 1-based)', async () => {
    const { rows, meta } = await run('basic', { steps: ['view', 'cart', 'buy'] });
    expect(rows).toEqual([
      { step: 1, event: 'view', users: 3, conversion_from_start: 1, conversion_from_previous: 1, avg_seconds_from_previous: null, median_seconds_from_previous: null },
      { step: 2, event: 'cart', users: 2, conversion_from_start: 2 / 3, conversion_from_previous: 2 / 3, avg_seconds_from_previous: 90, median_seconds_from_previous: 90 },
      { step: 3, event: 'buy', users: 1, conversion_from_start: 1 / 3, conversion_from_previous: 0.5, avg_seconds_from_previous: 120, median_seconds_from_previous: 120 },
    ]);
    expect(meta.step_numbering).toBe('1-based');
    expect((meta.spec as { window_seconds: number }).window_seconds).toBe(1_209_600);
  });

  test('the window is inclusive: exactly at the limit counts, one second past does not', async () => {
    expect(await users('window', { steps: ['view', 'cart'], window_seconds: 3600 })).toEqual([2, 1]);
    expect(await users('window', { steps: ['view', 'cart'], window_seconds: 3601 })).toEqual([2, 2]);
  });

  test('a later step-1 event starts a new attempt and the best attempt counts', async () => {
    const { rows } = await run('reentry', { steps: ['view', 'cart', 'buy'], window_seconds: 3600 });
    expect(rows.map((r) => r.users)).toEqual([1, 1, 1]);
    expect(rows[1].avg_seconds_from_previous).toBe(1800);
    expect(rows[2].avg_seconds_from_previous).toBe(100);
  });

  test('events at the same instant are matched in step order', async () => {
    const { rows } = await run('ties', { steps: ['view', 'cart', 'buy'] });
    expect(rows.map((r) => r.users)).toEqual([2, 1, 1]);
    expect(rows[2].median_seconds_from_previous).toBe(0);
    expect(await users('ties', { steps: ['view', 'buy'] })).toEqual([2, 2]);
  });

  test('one event fills one step, even when a step repeats', async () => {
    expect(await users('twice', { steps: ['view', 'view'] })).toEqual([3, 2]);
    for (const order of ['strict', 'any']) expect(await users('twice', { steps: ['view', 'view'], order })).toEqual([3, 2]);
  });

  test('strict: another event strictly between two steps breaks the attempt', async () => {
    expect(await users('strict', { steps: ['view', 'cart'] })).toEqual([3, 3]);
    expect(await users('strict', { steps: ['view', 'cart'], order: 'strict' })).toEqual([3, 2]);
    const { rows } = await run('strict', { steps: ['view', 'cart'], order: 'strict', people: { step: 1, kind: 'dropped' } });
    // a's view at T0, other at +10 s, cart at +20 s: three events
    expect(rows).toEqual([{ user_id: 'a', first_seen: '2024-03-01T12:00:00.000Z', last_seen: '2024-03-01T12:00:20.000Z', events: 3, furthest_step: 1 }]);
  });

  test('any: an attempt starts at any step; step k counts people who did k distinct steps (PostHog unordered)', async () => {
    expect(await users('any', { steps: ['view', 'cart', 'buy'] })).toEqual([2, 2, 0]);
    const { rows } = await run('any', { steps: ['view', 'cart', 'buy'], order: 'any' });
    expect(rows.map((r) => r.users)).toEqual([2, 2, 2]);
    // a: steps done at 0, 10, 30 s; b: at 0, 10, 20 s.
    expect(rows.map((r) => r.avg_seconds_from_previous)).toEqual([null, 10, 15]);

    const spec = { steps: ['sign up', 'pageview', 'insight'], order: 'any', window_seconds: 3600 };
    const example = await run('unordered', spec);
    // p, q, r, s and t enter; p, q and s do two steps, s all three.
    expect(example.rows.map((r) => r.users)).toEqual([5, 3, 1]);
    // p: 60 s, q: 30 s; s's best attempt is the later start (10 s) with the same finish: 10 s, then 30 s.
    expect(example.rows[0].avg_seconds_from_previous).toBeNull();
    expect(example.rows[1].avg_seconds_from_previous).toBeCloseTo(100 / 3, 9);
    expect(example.rows[2].avg_seconds_from_previous).toBe(30);
    const two = await run('unordered', { ...spec, people: { step: 2, kind: 'reached' } });
    expect(two.rows.map((r) => r.user_id)).toEqual(['p', 'q', 's']);
    const one = await run('unordered', { ...spec, people: { step: 1, kind: 'dropped' } });
    expect(one.rows.map((r) => r.user_id)).toEqual(['r', 't']);
    expect(await users('unordered', { ...spec, window_seconds: 3601 })).toEqual([5, 4, 1]);
  });

  test('any: an exclusion taints only the attempt it falls in', async () => {
    const spec = { steps: ['sign up', 'pageview', 'insight'], order: 'any', window_seconds: 3600, exclusions: [{ event: 'remove', from_step: 0, to_step: 2 }] };
    const { rows } = await run('unorderedExclusion', spec);
    expect(rows.map((r) => r.users)).toEqual([3, 2, 0]);
    const reached = await run('unorderedExclusion', { ...spec, people: { step: 2, kind: 'reached' } });
    expect(reached.rows.map((r) => r.user_id)).toEqual(['b', 'c']);
    // without the exclusion, a's first attempt does two steps
    expect(await users('unorderedExclusion', { ...spec, exclusions: [] })).toEqual([3, 3, 0]);
    // b counts through the clean attempt (10 s from sign up to insight), c through its only one.
    expect(rows[1].avg_seconds_from_previous).toBe(10);
    await expect(run('unorderedExclusion', { ...spec, exclusions: [{ event: 'insight', from_step: 0, to_step: 1 }] }))
      .rejects.toThrow(/exclusions\[0\]: "insight" is step 2 itself, so it cannot be excluded from an any-order funnel/);
  });

  test('exclusions remove the person, also when the attempt never finishes', async () => {
    const spec = { steps: ['view', 'cart'], exclusions: [{ event: 'remove', from_step: 0, to_step: 1 }] };
    expect(await users('exclusion', spec)).toEqual([3, 2]);
    const reached = await run('exclusion', { ...spec, people: { step: 1, kind: 'reached' } });
    expect(reached.rows.map((r) => r.user_id)).toEqual(['b', 'd', 'e']);
    expect(await users('exclusion', { steps: ['view', 'cart'] })).toEqual([5, 3]);
  });

  test('hold keeps one value of a column across the steps of an attempt', async () => {
    expect(await users('hold', { steps: ['view', 'cart'] })).toEqual([3, 3]);
    const { rows } = await run('hold', { steps: ['view', 'cart'], hold: 'device' });
    expect(rows.map((r) => r.users)).toEqual([3, 2]);
    expect(rows[1].avg_seconds_from_previous).toBe(7.5); // b: 10 s, c (web attempt): 5 s
  });

  test('breakdown by the step-1 event, and where filters on all events and on a step', async () => {
    const { rows } = await run('breakdown', { steps: ['view', 'cart'], breakdown: 'plan' });
    expect(rows.map((r) => [r.breakdown, r.step, r.users, r.conversion_from_start])).toEqual([
      ['free', 1, 2, 1], ['free', 2, 1, 0.5],
      ['pro', 1, 1, 1], ['pro', 2, 1, 1],
      ['test', 1, 1, 1], ['test', 2, 1, 1],
    ]);
    const where = [{ column: 'plan', op: '!=', value: 'test' }];
    expect(await users('breakdown', { steps: ['view', 'cart'], where })).toEqual([3, 2]);
    const proView = { event: 'view', where: [{ column: 'plan', op: '=', value: 'pro' }] };
    expect(await users('breakdown', { steps: [proView, 'cart'] })).toEqual([1, 1]);
  });

  test('step 1 inside [date_from, date_to] in the zone; later steps may fall after date_to', async () => {
    const spec = { steps: ['view', 'cart'], date_from: '2024-03-02', date_to: '2024-03-03', timezone: 'America/New_York' };
    const { rows } = await run('dates', spec);
    expect(rows.map((r) => r.users)).toEqual([2, 1]);
    const people = await run('dates', { ...spec, people: { step: 1, kind: 'reached' } });
    expect(people.rows.map((r) => r.user_id)).toEqual(['a', 'c']);
    // In UTC, c's view falls on 03-04: outside.
    expect(await users('dates', { ...spec, timezone: 'UTC' })).toEqual([1, 1]);
    expect(await users('dates', { ...spec, date_to: '2024-03-04', timezone: 'UTC' })).toEqual([3, 1]);
  });

  test('people who reached a step and who dropped off right after it', async () => {
    const spec = { steps: ['view', 'cart', 'buy'] };
    const ids = async (step: number, kind: string) => (await run('basic', { ...spec, people: { step, kind } })).rows.map((r) => r.user_id);
    expect(await ids(1, 'reached')).toEqual(['a', 'b', 'c']);
    expect(await ids(1, 'dropped')).toEqual(['c']);
    expect(await ids(2, 'dropped')).toEqual(['b']);
    expect(await ids(3, 'reached')).toEqual(['a']);
  });

  test('time to convert as a histogram of seconds between two steps', async () => {
    const { rows } = await run('basic', { steps: ['view', 'cart', 'buy'], time_to_convert: { from_step: 1, to_step: 2, bins: 4 } });
    // a: 60 s, b: 120 s; width = ceil(120 / 4) = 30 s; the last bin holds the maximum.
    expect(rows).toEqual([
      { bin_start_seconds: 60, bin_end_seconds: 90, users: 1, sum_seconds: 60 },
      { bin_start_seconds: 90, bin_end_seconds: 120, users: 1, sum_seconds: 120 },
    ]);
    const whole = await run('basic', { steps: ['view', 'cart', 'buy'], time_to_convert: { from_step: 1, to_step: 3, bins: 1 } });
    expect(whole.rows).toEqual([{ bin_start_seconds: 0, bin_end_seconds: 180, users: 1, sum_seconds: 180 }]);
  });

  test('clear errors for specs that cannot run', async () => {
    const bad = (spec: Record<string, unknown>) => run('basic', { steps: ['view', 'cart'], ...spec });
    await expect(bad({ steps: ['view', 3] })).rejects.toThrow(/steps\[1\] must be an event name or \{event, where\}/);
    await expect(bad({ steps: ['view', ''] })).rejects.toThrow(/steps\[1\] must be an event name, not ""/);
    await expect(bad({ steps: ['view'] })).rejects.toThrow(/steps must be a list of at least 2 events/);
    await expect(bad({ order: 'sorted' })).rejects.toThrow(/order must be one of ordered, strict, any/);
    await expect(bad({ window_seconds: 0 })).rejects.toThrow(/window_seconds must be a number of seconds above 0/);
    await expect(bad({ exclusions: [{ event: 'buy', from_step: 0, to_step: 2 }] })).rejects.toThrow(/exclusions\[0\]\.to_step must be a step index from 0 to 1/);
    await expect(bad({ exclusions: [{ event: 'cart', from_step: 0, to_step: 1 }] })).rejects.toThrow(/"cart" is step 1 itself/);
    await expect(bad({ breakdown: 'plann' })).rejects.toThrow(/breakdown: no column "plann"/);
    await expect(bad({ hold: 'device' })).rejects.toThrow(/hold: no column "device"/);
    await expect(bad({ people: { step: 3 } })).rejects.toThrow(/people\.step must be a step index from 1 to 2/);
    await expect(bad({ people: { step: 2, kind: 'dropped' } })).rejects.toThrow(/nobody drops off after the last step/);
    await expect(bad({ date_from: '2024-02-30' })).rejects.toThrow(/^funnel spec: date_from must be a local date written YYYY-MM-DD, not "2024-02-30"$/);
    await expect(bad({ date_from: '2024-02-01', date_to: '2024-01-01' })).rejects.toThrow(/^funnel spec: date_from 2024-02-01 is after date_to 2024-01-01$/);
    await expect(bad({ timezone: 'Mars/Base' })).rejects.toThrow(/^funnel spec: timezone "Mars\/Base" is not an IANA time zone name \(like "Europe\/London"\)$/);
    await expect(bad({ windw_seconds: 10 })).rejects.toThrow(/unknown field "windw_seconds" \(did you mean "window_seconds"\?\)/);
    await expect(bad({ breakdown_attribution: 'first' })).rejects.toThrow(/breakdown_attribution must be "first_touch", "last_touch" or \{"step": k\} \(0-based\), not "first"/);
    await expect(bad({ breakdown_attribution: { step: 2 } })).rejects.toThrow(/breakdown_attribution\.step must be a step index from 0 to 1 \(0-based\), not 2/);
  });

  test('an event that never occurs is not an error: nobody reaches that step, and a warning says so', async () => {
    const { rows, meta } = await run('basic', { steps: ['view', 'cart', 'crat'], exclusions: [{ event: 'byu', from_step: 0, to_step: 1 }] });
    expect(rows.map((r) => [r.step, r.event, r.users, r.conversion_from_previous])).toEqual([[1, 'view', 3, 1], [2, 'cart', 2, 2 / 3], [3, 'crat', 0, 0]]);
    expect(meta.warnings).toEqual([
      'steps[2]: "crat" never occurs in the data (did you mean "cart"?)',
      'exclusions[0]: "byu" never occurs in the data (did you mean "buy"?)',
    ]);
    const first = await run('basic', { steps: ['sign up', 'view'], order: 'any' });
    expect(first.rows.map((r) => r.users)).toEqual([3, 0]);
    expect(first.meta.warnings).toEqual(['steps[0]: "sign up" never occurs in the data']);
    const nobody = await run('basic', { steps: ['sign up', 'view'] });
    expect(nobody.rows.map((r) => [r.users, r.conversion_from_start])).toEqual([[0, null], [0, null]]);
    expect((await run('basic', { steps: ['view', 'cart'] })).meta.warnings).toEqual([]);
  });
});
