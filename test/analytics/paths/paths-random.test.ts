import { afterAll, expect, test } from 'vitest';
import { runAnalysis } from '../../../src/analytics/index.ts';
import { seededRandom } from '../../../src/notebook/teaching-data/random.ts';
import { ENGINE_KINDS, closeTestEngines, testEngine } from '../../helpers/engines.ts';
import { loadTestEvents, type TestEvent } from '../../helpers/events.ts';
import { referencePaths, type PathEvent, type ReferencePathsSpec } from './paths-reference.ts';

const ZONES = ['UTC', 'Europe/London', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata'];
// Nights of DST changes (London and New York in March and October/November, Sydney in April and October).
const ANCHORS = ['2024-03-30', '2024-03-09', '2024-10-26', '2024-11-02', '2024-04-06', '2024-10-05', '2024-06-15'];
const NAMES = ['view', 'view', 'cart', 'buy', 'help', 'search'];
const LOGS = 150;
const SPECS_PER_LOG = 2;

afterAll(closeTestEngines);

function randomLog(random: () => number) {
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  const anchor = Date.parse(`${pick(ANCHORS)}T12:00:00Z`);
  const users = 1 + Math.floor(random() * 6);
  const events: PathEvent[] = [];
  for (let u = 0; u < users; u++) {
    let t = anchor + Math.floor(random() * 36 * 60) * 60_000;
    const count = 1 + Math.floor(random() * 25);
    for (let i = 0; i < count; i++) {
      events.push({ user_id: `u${u}`, event: pick(NAMES), ts: t, plan: pick(['x', 'y', null]) });
      // mostly minutes apart, sometimes exactly 30 minutes (a new session), sometimes the same instant
      const r = random();
      t += r < 0.15 ? 0 : r < 0.25 ? 30 * 60_000 : r < 0.3 ? 29 * 60_000 + 59_000 : r < 0.4 ? Math.floor(random() * 600) * 60_000 : Math.floor(random() * 20) * 60_000 + 1000;
    }
  }
  // every name occurs (each its own one-event session), so any spec's points are names of the data
  [...new Set(NAMES)].forEach((event, i) => events.push({ user_id: 'every', event, ts: anchor + i * 31 * 60_000, plan: null }));
  return { events, anchor };
}

function randomSpec(random: () => number, anchor: number): ReferencePathsSpec {
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const points = pick([[null, null], ['view', null], [null, 'buy'], ['cart', 'buy'], ['view', 'help'], ['search', null]] as const);
  return {
    steps: pick([2, 3, 4, 5, 7]),
    start_event: points[0],
    end_event: points[1],
    min_sessions: pick([1, 1, 1, 2]),
    max_edges: pick([50, 50, 3, 6]),
    timezone: pick(ZONES),
    date_from: day(anchor - pick([0, 1]) * 86_400_000),
    date_to: day(anchor + pick([0, 1, 2]) * 86_400_000),
    ...(random() < 0.15 ? { where: [{ column: 'plan', op: '!=' as const, value: 'y' }] } : {}),
  };
}

const round = (rows: Record<string, unknown>[]) => rows.map((row) => ({ ...row, avg_seconds: Math.round(Number(row.avg_seconds) * 1e6) / 1e6 }));

test.each(ENGINE_KINDS)(`%s matches a brute-force reference on ${LOGS} random logs x ${SPECS_PER_LOG} specs across DST changes`, async (kind) => {
  const engine = await testEngine(kind);
  const random = seededRandom(20241218);
  let edges = 0;
  let cut = 0;
  let dots = 0;
  for (let i = 0; i < LOGS; i++) {
    const log = randomLog(random);
    const source = `paths_${i}`;
    await loadTestEvents(engine, log.events.map((e): TestEvent => ({ ...e, ts: new Date(e.ts).toISOString() })), { source });
    for (let j = 0; j < SPECS_PER_LOG; j++) {
      const spec = randomSpec(random, log.anchor);
      const expected = referencePaths(log.events, spec);
      const table = j % 2 === 0 ? 'events' : source;
      const { rows, meta } = await runAnalysis(engine, { kind: 'paths', ...spec }, { table });
      const context = `log ${i} spec ${JSON.stringify(spec)} on ${table}`;
      expect(round(rows), context).toEqual(round(expected.rows as never));
      expect([meta.sessions, meta.people], context).toEqual([expected.sessions, expected.people]);
      edges += rows.length;
      cut += rows.filter((r) => r.other).length;
      dots += rows.filter((r) => r.target === '...').length;
    }
  }
  // The logs must exercise the interesting cases: many edges, some cut into "other", some "...".
  expect(edges).toBeGreaterThan(800);
  expect(cut).toBeGreaterThan(50);
  expect(dots).toBeGreaterThan(5);
}, 300_000);
