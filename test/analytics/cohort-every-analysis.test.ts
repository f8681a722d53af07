import { afterAll, describe, expect, test } from 'vitest';
import { runAnalysis } from '../../src/analytics/index.ts';
import { seededRandom } from '../../src/notebook/teaching-data/random.ts';
import { ENGINE_KINDS, closeTestEngines, testEngine } from '../helpers/engines.ts';
import { loadTestEvents, type TestEvent } from '../helpers/events.ts';
import { referenceCohort, type CohortEvent, type RawCohort } from './cohort-reference.ts';
import { randomCohort, randomCohortLog } from './cohort-random-log.ts';

// `cohort` and `breakdown_cohorts` on every analysis: the result with `cohort: C` must be the
// analysis's own result on a log that holds only C's members' events, the members found by the
// brute-force reference (cohort-reference.ts) and the log cut in TypeScript. Each analysis is
// itself checked against its own reference elsewhere; here the shared cohort SQL is under test.

afterAll(closeTestEngines);

const RANGE = { date_from: '2024-03-20', date_to: '2024-05-10' };

/** One spec per analysis that takes cohorts, with explicit dates (defaults come from the whole log). */
export const COHORT_SPECS: Record<string, Record<string, unknown>> = {
  retention: { kind: 'retention', period: 'week', ...RANGE, start_event: 'a', return_event: null },
  funnel: { kind: 'funnel', steps: ['a', 'b', 'c'], window_seconds: 7 * 86400, ...RANGE },
  funnel_people: { kind: 'funnel', steps: ['a', 'b'], ...RANGE, people: { step: 1, kind: 'dropped' } },
  lifecycle: { kind: 'lifecycle', period: 'week', ...RANGE },
  stickiness: { kind: 'stickiness', period: 'day', ...RANGE },
  active_users: { kind: 'active_users', ...RANGE },
  churn: { kind: 'churn', period: 'week', inactive_days: 7, ...RANGE },
  ltv: { kind: 'ltv', period: 'week', ...RANGE },
  purchases: { kind: 'purchases', purchase_event: 'c', ...RANGE },
  rfm: { kind: 'rfm', purchase_event: 'c', as_of: '2024-05-10' },
  sessions: { kind: 'sessions', ...RANGE },
  trends: { kind: 'trends', period: 'day', ...RANGE, series: [{ event: 'a' }, { event: 'b', math: 'dau' }], breakdown: 'plan' },
  paths: { kind: 'paths', start_event: 'a', steps: 3, ...RANGE },
};

function withRevenue(events: CohortEvent[]): CohortEvent[] {
  return events.map((e, i) => ({ ...e, revenue: e.event === 'c' ? 5 + (i % 7) : null }));
}

const iso = (ms: number) => new Date(ms).toISOString();

async function load(engine: Awaited<ReturnType<typeof testEngine>>, events: CohortEvent[], source: string) {
  await loadTestEvents(engine, events.map((e): TestEvent => ({ ...e, ts: iso(e.ts) })), { source });
}

// `incomplete` says whether a period has fully elapsed by the log's last event: with a cohort that is
// still the whole log's, while the members' own log may end earlier.
const strip = (rows: Record<string, unknown>[]) => rows.map(({ breakdown_cohort: _, incomplete: __, ...row }) => row);

describe.each(ENGINE_KINDS)('on %s', (kind) => {
  test.each(Object.entries(COHORT_SPECS))('%s keeps a cohort and breaks down by cohorts as on the members\' own log', async (name, spec) => {
    const engine = await testEngine(kind);
    const random = seededRandom(1900 + name.length);
    let compared = 0;
    for (let i = 0; i < 6; i++) {
      const events = withRevenue(randomCohortLog(random, 12));
      const source = `every_${name}_${i}`;
      await load(engine, events, source);
      const defined = new Map<string, RawCohort>();
      for (let j = 0; j < 3; j++) defined.set(`c${j}`, randomCohort(random, `c${j}`, [...defined.keys()]));
      const lookup = (n: string) => defined.get(n);
      const membersLog = async (keep: (user: string) => boolean, tag: string) => {
        const kept = events.filter((e) => keep(e.user_id));
        const table = `${source}_${tag}`;
        if (kept.length === 0) return null;
        await load(engine, kept, table);
        return table;
      };
      const members = (c: string) => new Set(referenceCohort(events, c, lookup).map((m) => m.user_id));
      const c0 = members('c0');
      const c1 = members('c1');
      const c2 = members('c2');

      // cohort: C
      const only = await runAnalysis(engine, { ...spec, cohort: 'c1' }, { table: source, cohorts: lookup });
      const cut = await membersLog((u) => c1.has(u), 'c1');
      if (cut) {
        expect(strip(only.rows), `${name} log ${i} cohort ${JSON.stringify(defined.get('c1'))}`).toEqual(strip((await runAnalysis(engine, spec, { table: cut })).rows));
        compared++;
      }

      // breakdown_cohorts: [C] → C and "not C", with cohort: D as well
      const split = await runAnalysis(engine, { ...spec, cohort: 'c0', breakdown_cohorts: ['c2'] }, { table: source, cohorts: lookup });
      for (const [label, keep] of [['c2', (u: string) => c0.has(u) && c2.has(u)], ['not c2', (u: string) => c0.has(u) && !c2.has(u)]] as const) {
        const table = await membersLog(keep, label.replace(' ', '_'));
        if (!table) continue;
        const expected = strip((await runAnalysis(engine, spec, { table })).rows);
        const got = split.rows.filter((r) => r.breakdown_cohort === label);
        expect(strip(got).map((r) => (spec.kind === 'retention' || spec.kind === 'funnel') && !('breakdown' in (expected[0] ?? {})) ? (({ breakdown: _, ...rest }) => rest)(r) : r),
          `${name} log ${i} ${label}`).toEqual(expected);
        compared++;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(6);
  }, 120_000);
});

describe('cohort fields', () => {
  test('several breakdown cohorts: one group each, a person in two counts in both', async () => {
    const engine = await testEngine('native');
    const events: TestEvent[] = [
      { user_id: 'ann', event: 'signup', ts: '2024-03-01T10:00:00Z' },
      { user_id: 'ann', event: 'invite', ts: '2024-03-02T10:00:00Z' },
      { user_id: 'ann', event: 'purchase', ts: '2024-03-03T10:00:00Z' },
      { user_id: 'bob', event: 'signup', ts: '2024-03-01T11:00:00Z' },
      { user_id: 'bob', event: 'purchase', ts: '2024-03-20T10:00:00Z' },
      { user_id: 'cyd', event: 'signup', ts: '2024-03-02T11:00:00Z' },
    ];
    await loadTestEvents(engine, events, { source: 'three_people' });
    const inviters = { name: 'inviters', rules: [{ did: 'invite', within_days_of_first_seen: 7 }] };
    const buyers = { name: 'buyers', rules: [{ did: 'purchase' }] };
    const { rows, meta } = await runAnalysis(engine, {
      kind: 'stickiness', period: 'day', date_from: '2024-03-01', date_to: '2024-03-31', breakdown_cohorts: [inviters, buyers],
    });
    // ann invited in her first week and bought (active 3 days); bob bought (active 2 days); cyd neither
    expect(rows.filter((r) => (r.users as number) > 0)).toEqual([
      { periods_active: 3, users: 1, breakdown_cohort: 'inviters' },
      { periods_active: 2, users: 1, breakdown_cohort: 'buyers' },
      { periods_active: 3, users: 1, breakdown_cohort: 'buyers' },
    ]);
    expect(Object.keys(meta.by_cohort as object)).toEqual(['inviters', 'buyers']);
    expect((meta.spec as { breakdown_cohorts: unknown[] }).breakdown_cohorts).toHaveLength(2);
  });

  test('bad cohort fields get messages that name the field and the problem', async () => {
    const engine = await testEngine('native');
    await loadTestEvents(engine, [{ user_id: 'ann', event: 'signup', ts: '2024-03-01T10:00:00Z', plan: 'pro' }], { source: 'one_person' });
    const run = (spec: Record<string, unknown>, cohorts?: (n: string) => unknown) => runAnalysis(engine, { kind: 'lifecycle', ...spec }, { cohorts });
    await expect(run({ cohort: 'activated' })).rejects.toThrow('lifecycle spec: cohort: no cohort named "activated" (define it in a cohort cell, or give its definition {"name", "match", "rules"} here)');
    await expect(run({ cohort: { name: 'x', rules: [] } })).rejects.toThrow('cohort ("x") needs rules');
    await expect(run({ cohort: { name: 'x', rules: [{ did: 'signup', at_least: 2, at_most: 1 }] } })).rejects.toThrow('lifecycle spec: cohort ("x"): rules[0]: at_most (1) is less than at_least (2)');
    await expect(run({ cohort: { name: 'x', rules: [{ property: 'country', op: '=', value: 'FR' }] } })).rejects.toThrow('rules[0]: no column "country"');
    await expect(run({ cohort: { name: 'x', rules: [{ did: 'signup', within_days_of_first_seen: 7, date_from: '2024-01-01' }] } })).rejects.toThrow('give within_days_of_first_seen or a date range, not both');
    await expect(run({ cohort: { name: 'x', rules: [{ did: 'signup', within: 7 }] } })).rejects.toThrow('unknown field "within" for a did rule');
    await expect(run({ breakdown_cohorts: [] })).rejects.toThrow('breakdown_cohorts must be a non-empty list');
    const cyclic = new Map<string, unknown>([
      ['a', { name: 'a', rules: [{ in_cohort: 'b' }] }],
      ['b', { name: 'b', rules: [{ did: 'signup' }, { not_in_cohort: 'a' }] }],
    ]);
    await expect(run({ cohort: 'a' }, (n) => cyclic.get(n))).rejects.toThrow('lifecycle spec: cohort cycle: a → b → a');
    // an event that never occurs is a warning, not an error
    const { meta } = await run({ cohort: { name: 'x', rules: [{ did: 'sign_up' }] } });
    expect(meta.warnings).toEqual(['cohort ("x").rules[0]: "sign_up" never occurs in the data (did you mean "signup"?)']);
  });
});
