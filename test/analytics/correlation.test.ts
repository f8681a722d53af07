import { afterAll, describe, expect, test } from 'vitest';
import { correlationStats, fisherExact, runAnalysis } from '../../src/analytics/index.ts';
import { seededRandom } from '../../src/notebook/teaching-data/random.ts';
import { ENGINE_KINDS, closeTestEngines, testEngine } from '../helpers/engines.ts';
import { loadTestEvents, type TestEvent } from '../helpers/events.ts';
import { referenceCorrelation, referenceFisher } from './correlation-reference.ts';
import type { RawFunnelSpec } from './funnel-reference.ts';

afterAll(closeTestEngines);

const START = Date.UTC(2024, 4, 1);
const OTHER = Array.from({ length: 14 }, (_, i) => `e${i}`);

function randomLog(random: () => number): TestEvent[] {
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  const people = 20 + Math.floor(random() * 90);
  const rows: TestEvent[] = [];
  for (let p = 0; p < people; p++) {
    // some people lean towards e0/e1 and convert more: real correlations to find
    const keen = random() < 0.4;
    let t = START + Math.floor(random() * 10 * 1440) * 60_000;
    const count = 2 + Math.floor(random() * 12);
    for (let i = 0; i < count; i++) {
      const step = random();
      const event = step < 0.25 ? 'a' : step < (keen ? 0.5 : 0.35) ? 'b' : step < (keen ? 0.65 : 0.4) ? 'c' : keen && random() < 0.4 ? pick(['e0', 'e1']) : pick(OTHER);
      rows.push({ user_id: `p${p}`, event, ts: new Date(t).toISOString(), plan: pick(['free', 'pro', null]), src: keen ? pick(['ads', 'friend']) : pick(['ads', 'seo', null]) });
      // sometimes two events at the same minute
      if (random() > 0.1) t += Math.floor(random() * 36 * 60) * 60_000;
    }
  }
  return rows;
}

function randomFunnel(random: () => number): RawFunnelSpec {
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  const steps = random() < 0.5 ? ['a', 'b'] : ['a', 'b', 'c'];
  const spec: RawFunnelSpec = { steps, order: pick(['ordered', 'ordered', 'strict', 'any'] as const), window_seconds: pick([1, 2, 4, 7]) * 86400 };
  if (random() < 0.5) Object.assign(spec, { date_from: '2024-05-02', date_to: pick(['2024-05-06', '2024-05-09']) });
  if (random() < 0.2) spec.where = [{ column: 'plan', op: '!=', value: 'pro' }];
  if (random() < 0.2) spec.steps[0] = { event: 'a', where: [{ column: 'src', op: 'in', value: ['ads', 'friend'] }] };
  if (random() < 0.2 && spec.order !== 'any') spec.exclusions = [{ event: 'e5', from_step: 0, to_step: 1 }];
  return spec;
}

const round = (rows: Record<string, unknown>[]) => rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'number' ? Number(v.toPrecision(10)) : v])));

test.each(ENGINE_KINDS)('%s: correlation matches a brute-force reference on 50 random logs', async (kind) => {
  const engine = await testEngine(kind);
  const random = seededRandom(1904);
  let rows = 0;
  let truncated = 0;
  let withProperties = 0;
  for (let i = 0; i < 50; i++) {
    const log = randomLog(random);
    const source = `corr_${i}`;
    await loadTestEvents(engine, log, { source });
    const funnel = randomFunnel(random);
    const properties = random() < 0.6 ? ['plan', 'src'] : [];
    const exclude = random() < 0.3 ? ['e2', 'e3'] : [];
    const expected = referenceCorrelation(funnel, properties, exclude, log);
    const result = await runAnalysis(engine, { kind: 'correlation', funnel, properties, exclude_events: exclude }, { table: i % 2 ? source : 'events' });
    expect(round(result.rows), `log ${i} ${JSON.stringify(funnel)} ${JSON.stringify({ properties, exclude })}`).toEqual(round(expected.rows as never));
    expect([result.meta.success_total, result.meta.failure_total]).toEqual([expected.S, expected.F]);
    rows += result.rows.length;
    if (result.rows.filter((r) => r.correlation_type === 'success').length === 10) truncated++;
    if (result.rows.some((r) => r.type === 'property')) withProperties++;
  }
  expect(rows).toBeGreaterThan(300);
  expect(truncated).toBeGreaterThan(3);
  expect(withProperties).toBeGreaterThan(10);
}, 240_000);

describe('correlation by hand', () => {
  // Six people enter (signup); ann, bob and cyd buy. Between signup and purchase ann and bob
  // invite a friend (ann twice: counted once); dan invites after his window; eve and fay don't.
  const rows: TestEvent[] = [
    { user_id: 'ann', event: 'signup', ts: '2024-05-01T10:00:00Z', country: 'FR' },
    { user_id: 'ann', event: 'invite', ts: '2024-05-01T11:00:00Z' },
    { user_id: 'ann', event: 'invite', ts: '2024-05-01T12:00:00Z' },
    { user_id: 'ann', event: 'purchase', ts: '2024-05-02T10:00:00Z' },
    { user_id: 'ann', event: 'help', ts: '2024-05-03T10:00:00Z' },
    { user_id: 'bob', event: 'signup', ts: '2024-05-01T10:00:00Z', country: 'FR' },
    { user_id: 'bob', event: 'invite', ts: '2024-05-01T10:30:00Z' },
    { user_id: 'bob', event: 'purchase', ts: '2024-05-01T11:00:00Z' },
    { user_id: 'cyd', event: 'signup', ts: '2024-05-01T10:00:00Z', country: 'DE' },
    { user_id: 'cyd', event: 'purchase', ts: '2024-05-01T12:00:00Z' },
    { user_id: 'dan', event: 'signup', ts: '2024-05-01T10:00:00Z', country: 'DE' },
    { user_id: 'dan', event: 'help', ts: '2024-05-02T10:00:00Z' },
    { user_id: 'dan', event: 'invite', ts: '2024-05-09T10:00:00Z' },
    { user_id: 'eve', event: 'signup', ts: '2024-05-01T10:00:00Z' },
    { user_id: 'eve', event: 'help', ts: '2024-05-01T10:00:00Z' },
    { user_id: 'fay', event: 'signup', ts: '2024-05-01T10:00:00Z', country: 'DE' },
    { user_id: 'fay', event: 'help', ts: '2024-05-04T10:00:00Z' },
  ];

  test.each(ENGINE_KINDS)('%s: the counts, ratios, p-values and intervals of a log counted by hand', async (kind) => {
    const engine = await testEngine(kind);
    await loadTestEvents(engine, rows, { source: 'by_hand' });
    const { rows: got, meta } = await runAnalysis(engine, {
      kind: 'correlation', funnel: { steps: ['signup', 'purchase'], window_seconds: 7 * 86400 }, properties: ['country'],
    }, { table: 'by_hand' });
    expect(meta).toMatchObject({ success_total: 3, failure_total: 3 });
    // invite: s = 2 (ann, bob), f = 0 (dan's is after his 7 days) → (3·4)/(2·1) = 6
    // help:   s = 0 (ann's is after her purchase), f = 2 (dan, fay; eve's is at signup, not after) → (1·2)/(4·3) = 1/6
    // country=FR: s 2, f 0 → 6; country=DE: s 1, f 2 → (2·2)/(3·3) = 4/9; country=: s 0, f 1 (eve) → (1·3)/(4·2) = 3/8
    expect(got.map((r) => [r.event, r.success_count, r.failure_count, r.odds_ratio, r.correlation_type])).toEqual([
      ['country=FR', 2, 0, 6, 'success'],
      ['invite', 2, 0, 6, 'success'],
      ['help', 0, 2, 1 / 6, 'failure'],
      ['country=', 0, 1, 3 / 8, 'failure'],
      ['country=DE', 1, 2, 4 / 9, 'failure'],
    ]);
    const invite = got.find((r) => r.event === 'invite')!;
    // Fisher on [[2, 1], [0, 3]]: P(a) = C(2, a)·C(4, 3 − a)/C(6, 3): a = 0: 4/20, 1: 12/20, 2: 4/20;
    // the tables no likelier than a = 2 are a = 0 and 2 → p = 8/20 = 0.4
    expect(invite.p_value).toBeCloseTo(0.4, 12);
    const se = Math.sqrt(1 / 3 + 1 / 2 + 1 / 1 + 1 / 4);
    expect(invite.odds_ratio_low).toBeCloseTo(6 * Math.exp(-1.959963984540054 * se), 10);
    expect(invite.odds_ratio_high).toBeCloseTo(6 * Math.exp(1.959963984540054 * se), 10);
  });

  test('Fisher\'s exact test agrees with R\'s fisher.test and the exact integer reference', () => {
    // R: fisher.test(matrix(c(3, 1, 1, 3), 2))$p.value = 0.4857143; matrix(c(10, 2, 3, 15), 2) → 0.0005367241
    expect(fisherExact(3, 1, 1, 3)).toBeCloseTo(0.4857142857, 9);
    expect(fisherExact(10, 3, 2, 15)).toBeCloseTo(0.0005367241, 9);
    const random = seededRandom(7);
    for (let i = 0; i < 300; i++) {
      const [a, b, c, d] = Array.from({ length: 4 }, () => Math.floor(random() * 40));
      expect(fisherExact(a, b, c, d), `${a} ${b} ${c} ${d}`).toBeCloseTo(referenceFisher(a, b, c, d), 10);
    }
    expect(correlationStats(0, 0, 5, 5).odds_ratio).toBe(1);
  });

  test('no rows when nobody (or everybody) converts; bad specs get clear messages', async () => {
    const engine = await testEngine('native');
    await loadTestEvents(engine, rows, { source: 'by_hand' });
    const none = await runAnalysis(engine, { kind: 'correlation', funnel: { steps: ['signup', 'refund'] } }, { table: 'by_hand' });
    expect(none.rows).toEqual([]);
    expect(none.meta).toMatchObject({ success_total: 0, failure_total: 6 });
    const run = (spec: Record<string, unknown>) => runAnalysis(engine, { kind: 'correlation', ...spec }, { table: 'by_hand' });
    await expect(run({})).rejects.toThrow('correlation spec: funnel is needed');
    await expect(run({ funnel: { steps: ['signup'] } })).rejects.toThrow('correlation spec: funnel: steps must be a list of at least 2 events');
    await expect(run({ funnel: { steps: ['signup', 'purchase'], breakdown: 'country' } })).rejects.toThrow('funnel.breakdown: correlation compares');
    await expect(run({ funnel: { steps: ['signup', 'purchase'], window: 3 } })).rejects.toThrow('correlation spec: funnel: unknown field "window"');
    await expect(run({ funnel: { steps: ['signup', 'purchase'] }, properties: ['plan'] })).rejects.toThrow('properties: no column "plan"');
  });
});
