import { describe, expect, test } from 'vitest';
import { runAnalysis } from '../../src/analytics/index.ts';
import '../../src/analytics/funnel.ts';
import { bothEnginesWith } from '../helpers/both-engines.ts';
import type { TestEvent } from '../helpers/events.ts';

// PostHog's unordered funnel tests (posthog/hogql_queries/insights/funnels/test/test_funnel_unordered.py),
// with the same people and events, run as `order: "any"` on both engines. Where PostHog's events
// have no time, they are a minute apart in the order the test writes them.
const SIGNUP = 'user signed up';
const PAGEVIEW = '$pageview';
const INSIGHT = 'insight viewed';

let minute = 0;
/** Events of one person a minute apart, on 2021-05-01 from 00:00 UTC. */
const person = (user: string, ...events: string[]): TestEvent[] =>
  events.map((event) => ({ user_id: user, event, ts: new Date(Date.UTC(2021, 4, 1) + minute++ * 60_000).toISOString() }));
const at = (user: string, event: string, iso: string): TestEvent => ({ user_id: user, event, ts: `${iso}Z` });

// test_basic_unordered_funnel and test_big_multi_step_unordered_funnel
const BASIC = [
  ...person('stopped_after_signup1', SIGNUP),
  ...person('stopped_after_pageview1', PAGEVIEW, SIGNUP),
  ...person('stopped_after_insightview', SIGNUP, PAGEVIEW, 'blaah blaa', INSIGHT),
  ...person('stopped_after_insightview2', INSIGHT, PAGEVIEW, SIGNUP),
  ...person('stopped_after_insightview3', PAGEVIEW, SIGNUP, 'blaah blaa', INSIGHT),
  ...person('stopped_after_insightview4', 'blaah blaa', INSIGHT),
  ...person('stopped_after_insightview5', PAGEVIEW, 'blaah blaa'),
  ...person('stopped_after_insightview6', INSIGHT, PAGEVIEW),
].map((e) => ({ ...e, user_id: `basic_${e.user_id}` }));
const BIG = [
  ...person('stopped_after_signup1', SIGNUP),
  ...person('stopped_after_pageview1', PAGEVIEW, 'crying'),
  ...person('stopped_after_insightview', SIGNUP, PAGEVIEW, 'blaah blaa', INSIGHT),
  ...person('stopped_after_insightview2', INSIGHT, 'crying', SIGNUP),
  ...person('stopped_after_insightview3', PAGEVIEW, SIGNUP, 'crying', INSIGHT),
  ...person('stopped_after_insightview4', 'blaah blaa', INSIGHT),
  ...person('stopped_after_insightview5', PAGEVIEW, 'blaah blaa'),
  ...person('stopped_after_insightview6', INSIGHT, PAGEVIEW),
].map((e) => ({ ...e, user_id: `big_${e.user_id}` }));
// test_basic_unordered_funnel_conversion_times
const TIMES = [
  at('t_stopped_after_signup1', SIGNUP, '2021-05-02T00:00:00'),
  at('t_stopped_after_pageview1', PAGEVIEW, '2021-05-02T00:00:00'), at('t_stopped_after_pageview1', SIGNUP, '2021-05-02T01:00:00'),
  at('t_stopped_after_insightview', INSIGHT, '2021-05-02T00:00:00'), at('t_stopped_after_insightview', SIGNUP, '2021-05-02T02:00:00'),
  at('t_stopped_after_insightview', PAGEVIEW, '2021-05-02T04:00:00'), at('t_stopped_after_insightview', PAGEVIEW, '2021-05-03T00:00:00'),
  at('t_stopped_after_insightview', INSIGHT, '2021-05-03T03:00:00'), at('t_stopped_after_insightview', SIGNUP, '2021-05-03T06:00:00'),
];
// test_funnel_exclusions_full_window, test_unordered_exclusion_after_completion
const EXCLUDED = [
  at('x_person1', SIGNUP, '2021-05-01T01:00:00'), at('x_person1', 'paid', '2021-05-01T02:00:00'),
  at('x_person2', SIGNUP, '2021-05-01T03:00:00'), at('x_person2', 'x', '2021-05-01T03:30:00'), at('x_person2', 'paid', '2021-05-01T04:00:00'),
  at('x_person3', SIGNUP, '2021-05-01T05:00:00'), at('x_person3', 'paid', '2021-05-01T06:00:00'),
];
const AFTER = ['01', '02', '03', '04', '05'].map((h, i) => at('after_person1', [SIGNUP, 'paid', 'left', 'x', 'left'][i], `2021-05-01T${h}:00:00`));
// test_advanced_funnel_multiple_exclusions_between_steps
const MULTIPLE = ([
  ['person1', [[SIGNUP, '01:00'], ['x', '02:00'], [PAGEVIEW, '03:00'], [INSIGHT, '04:00'], ['y', '04:30'], ['invite teammate', '05:00'], ['pageview2', '06:00']]],
  ['person2', [[SIGNUP, '01:00'], ['y', '01:30'], [PAGEVIEW, '02:00'], [INSIGHT, '04:00'], ['y', '04:30'], ['invite teammate', '05:00'], ['x', '05:30'], ['pageview2', '06:00']]],
  ['person3', [[SIGNUP, '01:00'], ['x', '01:30'], [PAGEVIEW, '02:00'], [INSIGHT, '04:00'], ['invite teammate', '05:00'], ['x', '05:30'], ['pageview2', '06:00']]],
  ['person4', [[SIGNUP, '01:00'], [PAGEVIEW, '02:00'], [INSIGHT, '04:00'], ['invite teammate', '05:00'], ['pageview2', '06:00']]],
  ['person5', [[SIGNUP, '01:00'], ['x', '01:30'], [PAGEVIEW, '02:00'], ['x', '02:30'], [INSIGHT, '04:00'], ['y', '04:30'], ['invite teammate', '05:00'], ['x', '05:30'], ['pageview2', '06:00']]],
] as const).flatMap(([user, events]) => events.map(([event, time]) => at(`m_${user}`, event, `2021-05-01T${time}:00`)));
// test_funnel_window_ignores_dst_transition
const DST = [at('dst_user_1', PAGEVIEW, '2024-03-01T15:10:00'), at('dst_user_1', SIGNUP, '2024-03-15T14:27:00')];

const engines = bothEnginesWith([...BASIC, ...BIG, ...TIMES, ...EXCLUDED, ...AFTER, ...MULTIPLE, ...DST]);

/** Users per step and the people at each step, the same on both engines. */
async function funnel(spec: Record<string, unknown>, prefix: string) {
  const full = { kind: 'funnel', order: 'any', ...spec, where: [{ column: 'user_id', op: 'starts_with', value: prefix }] };
  const { rows } = await runAnalysis(engines.wasm, full);
  expect((await runAnalysis(engines.native, full)).rows).toEqual(rows);
  const steps = (spec.steps as string[]).length;
  const people: string[][] = [];
  for (let step = 1; step <= steps; step++) {
    const reached = await runAnalysis(engines.wasm, { ...full, people: { step, kind: 'reached' } });
    people.push(reached.rows.map((r) => String(r.user_id).slice(prefix.length)));
  }
  return { users: rows.map((r) => r.users), rows, people };
}

describe("PostHog's unordered funnel tests, as order any", () => {
  test('test_basic_unordered_funnel: 8, 5, 3', async () => {
    const { users, people } = await funnel({ steps: [SIGNUP, PAGEVIEW, INSIGHT] }, 'basic_');
    expect(users).toEqual([8, 5, 3]);
    expect(people[1]).toEqual(['stopped_after_insightview', 'stopped_after_insightview2', 'stopped_after_insightview3', 'stopped_after_insightview6', 'stopped_after_pageview1']);
    expect(people[2]).toEqual(['stopped_after_insightview', 'stopped_after_insightview2', 'stopped_after_insightview3']);
  });

  test('test_big_multi_step_unordered_funnel: 8, 5, 3, 1', async () => {
    const { users, people } = await funnel({ steps: [SIGNUP, PAGEVIEW, INSIGHT, 'crying'] }, 'big_');
    expect(users).toEqual([8, 5, 3, 1]);
    expect(people[3]).toEqual(['stopped_after_insightview3']);
  });

  test('test_basic_unordered_funnel_conversion_times: the first conversion, 5400 s and 7200 s', async () => {
    const { users, rows } = await funnel({ steps: [SIGNUP, PAGEVIEW, INSIGHT], date_from: '2021-05-01', date_to: '2021-05-07', window_seconds: 86_400 }, 't_');
    expect(users).toEqual([3, 2, 1]);
    // PostHog's UDF funnels (as here): person 3's first conversion counts, not an average of both
    expect(rows.map((r) => r.avg_seconds_from_previous)).toEqual([null, 5400, 7200]);
  });

  test('test_funnel_exclusions_full_window: 3, 2 (person 2 counts at step 1 through a clean attempt)', async () => {
    const spec = { steps: [SIGNUP, 'paid'], window_seconds: 14 * 86_400, date_from: '2021-05-01', date_to: '2021-05-14', exclusions: [{ event: 'x', from_step: 0, to_step: 1 }] };
    const { users, people } = await funnel(spec, 'x_');
    expect(users).toEqual([3, 2]);
    expect(people).toEqual([['person1', 'person2', 'person3'], ['person1', 'person3']]);
  });

  test('test_unordered_exclusion_after_completion: an exclusion after the last step taints nothing', async () => {
    const spec = { steps: [SIGNUP, 'paid', 'left'], window_seconds: 14 * 86_400, date_from: '2021-05-01', date_to: '2021-05-14', exclusions: [{ event: 'x', from_step: 0, to_step: 2 }] };
    expect((await funnel(spec, 'after_')).users).toEqual([1, 1, 1]);
  });

  test('test_advanced_funnel_multiple_exclusions_between_steps: 5, 2, 1, 1, 1', async () => {
    const spec = {
      steps: [SIGNUP, PAGEVIEW, INSIGHT, 'invite teammate', 'pageview2'], date_from: '2021-05-01', date_to: '2021-05-14',
      exclusions: [{ event: 'x', from_step: 0, to_step: 4 }, { event: 'y', from_step: 0, to_step: 4 }],
    };
    const { users, people } = await funnel(spec, 'm_');
    expect(users).toEqual([5, 2, 1, 1, 1]);
    expect(people[1]).toEqual(['person1', 'person4']);
    expect(people[4]).toEqual(['person4']);
  });

  test('test_funnel_window_ignores_dst_transition: 1,207,020 s in UTC and in US/Pacific', async () => {
    for (const timezone of ['UTC', 'US/Pacific']) {
      const { users, rows } = await funnel({ steps: [PAGEVIEW, SIGNUP], date_from: '2024-02-17', date_to: '2024-03-18', timezone }, 'dst_');
      expect(users).toEqual([1, 1]);
      expect([rows[1].avg_seconds_from_previous, rows[1].median_seconds_from_previous]).toEqual([1_207_020, 1_207_020]);
    }
  });
});
