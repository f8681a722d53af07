import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runAnalysis } from '../../../src/analytics/index.ts';
import type { Engine } from '../../../src/engine/index.ts';
import { ENGINE_KINDS, closeTestEngines, testEngine } from '../../helpers/engines.ts';
import { loadTestEvents, type TestEvent } from '../../helpers/events.ts';

const at = (user: string, event: string, time: string): TestEvent => ({ user_id: user, event, ts: `2024-03-04T${time}:00Z` });

// Sessions (30 minutes or more without an event starts a new one), repeats collapsed to their last time:
// a1: view(10:01) cart(10:03) checkout(10:10) buy(10:12) · a2: help(10:42), exactly 30 minutes later
// b1: view(09:00) cart(09:06) buy(09:20) · b2: view(11:00) cart(11:29), 29 minutes apart
// c1: search(12:00) view(12:02) cart(12:04) view(12:06) cart(12:08) buy(12:10)
const LOG: TestEvent[] = [
  at('a', 'view', '10:00'), at('a', 'view', '10:01'), at('a', 'cart', '10:03'), at('a', 'checkout', '10:10'), at('a', 'buy', '10:12'), at('a', 'help', '10:42'),
  at('b', 'view', '09:00'), at('b', 'cart', '09:05'), at('b', 'cart', '09:06'), at('b', 'buy', '09:20'), at('b', 'view', '11:00'), at('b', 'cart', '11:29'),
  at('c', 'search', '12:00'), at('c', 'view', '12:02'), at('c', 'cart', '12:04'), at('c', 'view', '12:06'), at('c', 'cart', '12:08'), at('c', 'buy', '12:10'),
  // the same instant: ordered by name, so apple comes before zoom
  at('d', 'zoom', '15:00'), at('d', 'apple', '15:00'),
];

type Edge = [step: number, source: string, target: string, sessions: number, people: number, avgSeconds: number];
const edge = (row: Record<string, unknown>): Edge => [row.step, row.source, row.target, row.sessions, row.people, row.avg_seconds] as Edge;

afterAll(closeTestEngines);

describe.each(ENGINE_KINDS)('paths on %s', (kind) => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await testEngine(kind);
    await loadTestEvents(engine, LOG, { source: 'shop' });
  });
  const run = (spec: Record<string, unknown>) => runAnalysis(engine, { kind: 'paths', date_from: '2024-03-04', date_to: '2024-03-04', ...spec }, { table: 'shop' });

  test('from each session\'s start: sessions, people and the mean time of each edge', async () => {
    const { rows, meta } = await run({ where: [{ column: 'user_id', op: '!=', value: 'd' }] });
    expect(rows.map(edge)).toEqual([
      [1, 'view', 'cart', 3, 2, (120 + 360 + 1740) / 3], // a1, b1, b2
      [1, 'search', 'view', 1, 1, 120],
      [2, 'cart', 'buy', 1, 1, 840],
      [2, 'cart', 'checkout', 1, 1, 420],
      [2, 'view', 'cart', 1, 1, 120],
      [3, 'cart', 'view', 1, 1, 120],
      [3, 'checkout', 'buy', 1, 1, 120],
      [4, 'view', 'cart', 1, 1, 120], // c1's fifth item is its fourth edge's target; buy is the sixth
    ]);
    expect(rows.every((r) => r.other === false)).toBe(true);
    expect(meta).toMatchObject({ sessions: 5, people: 3, edges: 8, cut_sessions: 0 });
    // the sessions (and people) whose path reaches each item at each step
    expect((meta.nodes as Record<string, unknown>[]).map((n) => [n.step, n.name, n.sessions, n.people])).toEqual([
      [1, 'view', 3, 2], [1, 'help', 1, 1], [1, 'search', 1, 1],
      [2, 'cart', 3, 2], [2, 'view', 1, 1],
      [3, 'buy', 1, 1], [3, 'cart', 1, 1], [3, 'checkout', 1, 1],
      [4, 'buy', 1, 1], [4, 'view', 1, 1],
      [5, 'cart', 1, 1],
    ]);
  });

  test('events at the same instant are ordered by name', async () => {
    const { rows } = await run({ where: [{ column: 'user_id', op: '=', value: 'd' }] });
    expect(rows.map(edge)).toEqual([[1, 'apple', 'zoom', 1, 1, 0]]);
  });

  test('start_event: from its first occurrence, steps items; sessions without it are left out', async () => {
    const { rows, meta } = await run({ start_event: 'cart', steps: 3 });
    expect(rows.map(edge)).toEqual([
      [1, 'cart', 'buy', 1, 1, 840], // b1
      [1, 'cart', 'checkout', 1, 1, 420], // a1
      [1, 'cart', 'view', 1, 1, 120], // c1: cart view cart
      [2, 'checkout', 'buy', 1, 1, 120],
      [2, 'view', 'cart', 1, 1, 120],
    ]);
    expect(meta).toMatchObject({ sessions: 4, people: 3 }); // a1, b1, b2 (cart alone), c1
  });

  test('a start or end event that never occurs: no paths, and a warning with the name it may have meant', async () => {
    const { rows, meta } = await run({ start_event: 'crat', end_event: 'buy' });
    expect(rows).toEqual([]);
    expect(meta.warnings).toEqual(['start_event: "crat" never occurs in the data (did you mean "cart"?)']);
  });

  test('end_event: to its first occurrence, the last steps items', async () => {
    const { rows, meta } = await run({ end_event: 'buy', steps: 3 });
    expect(rows.map(edge)).toEqual([
      [1, 'view', 'cart', 2, 2, (360 + 120) / 2], // b1, c1's view(12:06) cart(12:08)
      [1, 'cart', 'checkout', 1, 1, 420], // a1's last three: cart checkout buy
      [2, 'cart', 'buy', 2, 2, (840 + 120) / 2],
      [2, 'checkout', 'buy', 1, 1, 120],
    ]);
    expect(meta).toMatchObject({ sessions: 3, people: 3 });
  });

  test('both points: an over-long path keeps steps/2 at each end around "..." (timed as the first item it hides)', async () => {
    const short = await run({ start_event: 'view', end_event: 'buy', steps: 2 });
    expect(short.rows.map(edge)).toEqual([
      [1, 'view', '...', 3, 3, (120 + 360 + 120) / 3], // a1: to cart 10:03; b1: to cart 09:06; c1: to cart 12:04
      [2, '...', 'buy', 3, 3, (540 + 840 + 360) / 3],
    ]);
    const four = await run({ start_event: 'view', end_event: 'buy', steps: 4 });
    expect(four.rows.map(edge)).toEqual([
      [1, 'view', 'cart', 3, 3, (120 + 360 + 120) / 3], // a1 and b1 whole; c1: view cart ... cart buy
      [2, 'cart', '...', 1, 1, 120],
      [2, 'cart', 'buy', 1, 1, 840],
      [2, 'cart', 'checkout', 1, 1, 420],
      [3, '...', 'cart', 1, 1, 120],
      [3, 'checkout', 'buy', 1, 1, 120],
      [4, 'cart', 'buy', 1, 1, 120],
    ]);
  });

  test('max_edges: what is cut is summed into "other" per source; what no first step reaches is left out', async () => {
    const { rows, meta } = await run({ max_edges: 2, where: [{ column: 'user_id', op: '!=', value: 'd' }] });
    expect(rows.map((r) => [...edge(r), r.other])).toEqual([
      [1, 'view', 'cart', 3, 2, 740, false],
      [1, 'search', 'view', 1, 1, 120, false],
      [2, 'cart', 'other', 2, 2, (840 + 420) / 2, true], // a1's checkout and b1's buy
      [2, 'view', 'other', 1, 1, 120, true],
      // step 3 and 4 sources are reached only through cut edges
    ]);
    expect(meta).toMatchObject({ edges: 2, cut_sessions: 3, unreachable_edges: 3 });
  });

  test('min_sessions: edges below it are cut into "other"', async () => {
    const { rows } = await run({ min_sessions: 2, where: [{ column: 'user_id', op: '!=', value: 'd' }] });
    expect(rows.map((r) => [...edge(r), r.other])).toEqual([
      [1, 'view', 'cart', 3, 2, 740, false],
      [1, 'search', 'other', 1, 1, 120, true],
      [2, 'cart', 'other', 2, 2, 630, true],
    ]);
  });

  test('the range is local days: in Auckland (UTC+13) 11:00 UTC is already the next day', async () => {
    const { rows, meta } = await run({ timezone: 'Pacific/Auckland', where: [{ column: 'user_id', op: '!=', value: 'd' }] });
    expect(rows.map(edge)).toEqual([
      [1, 'view', 'cart', 2, 2, 240], // a1, b1
      [2, 'cart', 'buy', 1, 1, 840],
      [2, 'cart', 'checkout', 1, 1, 420],
      [3, 'checkout', 'buy', 1, 1, 120],
    ]);
    expect(meta).toMatchObject({ sessions: 3, people: 2 }); // a1, a2, b1
  });
});

describe('paths spec errors', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await testEngine('wasm');
    await loadTestEvents(engine, LOG, { source: 'shop' });
  });
  test.each([
    [{ steps: 1 }, /^paths spec: steps must be ≥ 2, not 1$/],
    [{ steps: 2.5 }, /^paths spec: steps must be a whole number, not 2\.5$/],
    [{ steps: 21 }, /^paths spec: steps must be ≤ 20, not 21$/],
    [{ min_sessions: 0 }, /^paths spec: min_sessions must be ≥ 1, not 0$/],
    [{ max_edges: 'all' }, /^paths spec: max_edges must be a number, not "all"$/],
    [{ start: 'view' }, /^paths spec: unknown field "start"/],
    [{ start_event: 3 }, /^paths spec: start_event must be an event name or null, not 3$/],
    [{ timezone: 'Mars/Olympus' }, /^paths spec: timezone "Mars\/Olympus" is not an IANA time zone name/],
  ])('rejects %j', async (extra, message) => {
    await expect(runAnalysis(engine, { kind: 'paths', ...extra }, { table: 'shop' })).rejects.toThrow(message);
  });
});
