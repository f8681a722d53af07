import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import type { ColumnTable } from 'arquero';
import type { Engine } from '../../src/engine/index.ts';
import { registerAnalysis, type Analysis } from '../../src/analytics/index.ts';
import { NotebookRuntime, UNTRUSTED_MESSAGE, createCell, type Cell, type CellState, type RuntimeHost } from '../../src/notebook/index.ts';
import { loadTestEvents } from '../helpers/events.ts';
import { createNodeHost } from './node-host.ts';

// A test-only analysis (retention and funnel are being written elsewhere): events and people per event.
const eventCounts: Analysis<{ event: string | null }> = {
  kind: 'test_event_counts',
  title: 'Events per name (test only)',
  validate(spec) {
    const event = (spec as { event?: unknown }).event ?? null;
    if (event !== null && typeof event !== 'string') throw new Error('event must be a name or null');
    return { event };
  },
  sql(spec, table) {
    const where = spec.event === null ? '' : 'WHERE event = ?';
    return {
      sql: `SELECT event, count(*)::INTEGER AS events, count(DISTINCT user_id)::INTEGER AS users FROM ${table} ${where} GROUP BY 1 ORDER BY 1`,
      params: spec.event === null ? [] : [spec.event],
    };
  },
  shape(result) {
    return { rows: result!.toArray().map((row) => ({ ...row.toJSON() })) };
  },
};
registerAnalysis(eventCounts);

let engine: Engine;
let host: RuntimeHost;

beforeAll(async () => {
  ({ engine, host } = await createNodeHost());
  // signup 3, purchase 3 (u1 once, u3 twice), view_item 2
  await loadTestEvents(engine, [
    { user_id: 'u1', event: 'signup', ts: '2024-01-01T09:00:00Z' },
    { user_id: 'u1', event: 'purchase', ts: '2024-01-02T10:00:00Z', revenue: 10 },
    { user_id: 'u2', event: 'signup', ts: '2024-01-01T11:00:00Z' },
    { user_id: 'u2', event: 'view_item', ts: '2024-01-03T12:00:00Z' },
    { user_id: 'u3', event: 'signup', ts: '2024-01-08T08:00:00Z' },
    { user_id: 'u3', event: 'purchase', ts: '2024-01-09T08:00:00Z', revenue: 20 },
    { user_id: 'u3', event: 'purchase', ts: '2024-01-15T08:00:00Z', revenue: 5 },
    { user_id: 'u4', event: 'view_item', ts: '2024-01-10T08:00:00Z' },
  ]);
});

afterAll(async () => {
  await engine?.close();
});

/** A runtime that also records the order in which cells started running. */
function start(cells: Cell[], trusted = true) {
  const runtime = new NotebookRuntime(host);
  const started: string[] = [];
  runtime.addEventListener('cell-state', (event) => {
    const { id, state } = (event as CustomEvent<{ id: string; state: CellState }>).detail;
    if (state.status === 'running') started.push(id);
  });
  runtime.setTrusted(trusted);
  runtime.setCells(cells);
  return { runtime, started };
}

const rows = (value: unknown) => (value as ColumnTable).objects();
const edit = (cells: Cell[], cell: Cell, source: string) => cells.map((c) => (c.id === cell.id ? { ...c, source } : c));

/** Resolves when the cell reaches `status` (at once if it is there): waits for the event, not for a time. */
function untilStatus(runtime: NotebookRuntime, id: string, status: CellState['status']): Promise<void> {
  if (runtime.state(id).status === status) return Promise.resolve();
  return new Promise((resolve) => {
    const listener = (event: Event) => {
      const detail = (event as CustomEvent<{ id: string; state: CellState }>).detail;
      if (detail.id !== id || detail.state.status !== status) return;
      runtime.removeEventListener('cell-state', listener);
      resolve();
    };
    runtime.addEventListener('cell-state', listener);
  });
}

/** Lets every pending promise callback run (a macrotask comes after all of them). */
const flush = () => new Promise((resolve) => setImmediate(resolve));

/** What a JS cell under test reaches through `globalThis`: a gate it waits on until the test opens it. */
const gate = globalThis as { openGate?: () => void };

describe('reactivity', () => {
  test('editing a SQL cell re-runs the JS cell that reads it, with the new numbers, and nothing else', async () => {
    const counts = createCell('sql', "SELECT count(*)::INTEGER AS n FROM events WHERE event = 'purchase'", { name: 'counts' });
    const times = createCell('js', "const n = counts.get('n', 0);\nn * 10");
    const other = createCell('sql', 'SELECT count(DISTINCT user_id)::INTEGER AS people FROM events', { name: 'people' });
    const prose = createCell('markdown', '# Counts');
    let cells = [prose, counts, times, other];
    const { runtime, started } = start(cells);
    await runtime.idle();
    expect(runtime.state(counts.id)).toMatchObject({ status: 'done', rowCount: 1, declarations: ['counts'] });
    expect(rows(runtime.state(counts.id).value)).toEqual([{ n: 3 }]);
    expect(runtime.state(times.id)).toMatchObject({ status: 'done', value: 30, declarations: ['n'], references: ['counts'] });
    expect(rows(runtime.state(other.id).value)).toEqual([{ people: 4 }]);
    expect(runtime.state(prose.id).status).toBe('done');

    started.length = 0;
    cells = edit(cells, counts, "SELECT count(*)::INTEGER AS n FROM events WHERE event = 'view_item'");
    runtime.setCells(cells);
    expect(runtime.state(times.id).status).toBe('queued');
    await runtime.idle();
    expect(runtime.state(times.id).value).toBe(20);
    expect(started).toEqual([counts.id, times.id]);
  });

  test('cells run in dependency order, whatever their order in the notebook', async () => {
    const c = createCell('js', 'const c = b + 1');
    const b = createCell('js', 'const b = a * 2');
    const a = createCell('js', 'const a = 1');
    const { runtime, started } = start([c, b, a]);
    await runtime.idle();
    expect(started).toEqual([a.id, b.id, c.id]);
    expect(runtime.state(c.id)).toMatchObject({ status: 'done', value: 3 });
  });

  test('run(id) re-runs a cell and its dependents only; runAll re-runs everything', async () => {
    const a = createCell('js', 'const a = Math.random()');
    const b = createCell('js', 'const b = a');
    const lone = createCell('js', 'const lone = 1');
    const { runtime, started } = start([a, b, lone]);
    await runtime.idle();
    const first = runtime.state(b.id).value;
    started.length = 0;
    await runtime.run(a.id);
    expect(started).toEqual([a.id, b.id]);
    expect(runtime.state(b.id).value).not.toBe(first);
    expect(runtime.state(b.id).value).toBe(runtime.state(a.id).value);
    started.length = 0;
    await runtime.runAll();
    expect(started.sort()).toEqual([a.id, b.id, lone.id].sort());
  });

  test('removing the cell that defines a name leaves its reader with an unknown name', async () => {
    const a = createCell('js', 'const a = 1');
    const b = createCell('js', 'a + 1');
    const { runtime } = start([a, b]);
    await runtime.idle();
    expect(runtime.state(b.id).value).toBe(2);
    runtime.setCells([b]);
    await runtime.idle();
    expect(runtime.state(b.id)).toMatchObject({ status: 'error', error: { message: 'unknown name "a": no cell defines it', line: 1, column: 1 } });
  });
});

describe('errors stay on their cells', () => {
  test('a cycle errors on every cell in it, naming the cycle; the others run', async () => {
    const a = createCell('js', 'const a = b + 1');
    const b = createCell('js', 'const b = a + 1');
    const c = createCell('js', 'const c = 5');
    const d = createCell('js', 'const d = a');
    const { runtime } = start([a, b, c, d]);
    await runtime.idle();
    expect(runtime.state(a.id)).toMatchObject({ status: 'error', error: { message: 'cycle: a → b → a' } });
    expect(runtime.state(b.id)).toMatchObject({ status: 'error', error: { message: 'cycle: b → a → b' } });
    expect(runtime.state(c.id)).toMatchObject({ status: 'done', value: 5 });
    expect(runtime.state(d.id)).toMatchObject({ status: 'error', error: { message: 'depends on "a", which failed' } });
  });

  test('a cycle through SQL and JS cells', async () => {
    const sql = createCell('sql', 'SELECT * FROM t2', { name: 't1' });
    const js = createCell('js', 'const t2 = t1');
    const { runtime } = start([sql, js]);
    await runtime.idle();
    expect(runtime.state(sql.id).error?.message).toBe('cycle: t1 → t2 → t1');
    expect(runtime.state(js.id).error?.message).toBe('cycle: t2 → t1 → t2');
  });

  test('a duplicate name errors on both defining cells; their readers say so; the others run', async () => {
    const sql = createCell('sql', 'SELECT 1 AS one', { name: 'x' });
    const js = createCell('js', 'const x = 2');
    const reader = createCell('js', 'x + 1');
    const fine = createCell('js', 'const y = 7');
    const { runtime } = start([sql, js, reader, fine]);
    await runtime.idle();
    expect(runtime.state(sql.id).error?.message).toMatch(/^duplicate name "x": also defined by cell 2$/);
    expect(runtime.state(js.id).error?.message).toMatch(/^duplicate name "x": also defined by cell 1$/);
    expect(runtime.state(reader.id)).toMatchObject({ status: 'error', error: { message: 'depends on "x", which failed' } });
    expect(runtime.state(fine.id)).toMatchObject({ status: 'done', value: 7 });
  });

  test('a syntax error shows with its line and column; fixing it runs the cell and its readers', async () => {
    const broken = createCell('js', 'const a = 1;\nconst b = ;');
    const reader = createCell('js', 'b * 2');
    let cells = [broken, reader];
    const { runtime } = start(cells);
    await runtime.idle();
    expect(runtime.state(broken.id)).toMatchObject({ status: 'error', error: { message: 'Unexpected token', line: 2, column: 11 } });
    expect(runtime.state(reader.id).error?.message).toBe('unknown name "b": no cell defines it');

    cells = edit(cells, broken, 'const a = 1;\nconst b = 21;');
    runtime.setCells(cells);
    await runtime.idle();
    expect(runtime.state(reader.id)).toMatchObject({ status: 'done', value: 42 });

    // broken again: its reader now knows "b" came from it
    runtime.setCells(edit(cells, broken, 'const a = 1;\nconst b = 21'.replace('21', '(')));
    await runtime.idle();
    expect(runtime.state(broken.id).error).toMatchObject({ line: 2, column: 12 });
    expect(runtime.state(reader.id).error?.message).toBe('depends on "b", which failed');
  });

  test('a thrown error shows with the line it was thrown on', async () => {
    const cell = createCell('js', 'const t = null;\n\nt.foo');
    const { runtime } = start([cell]);
    await runtime.idle();
    expect(runtime.state(cell.id).error).toMatchObject({ message: expect.stringMatching(/^TypeError: .*null/), line: 3 });
  });

  test('a failing SQL cell shows the database message; its readers say they depend on it', async () => {
    const bad = createCell('sql', 'SELECT no_such_column FROM events', { name: 'bad' });
    const reader = createCell('js', 'bad.numRows()');
    const fine = createCell('sql', 'SELECT 1 AS one');
    const { runtime } = start([bad, reader, fine]);
    await runtime.idle();
    expect(runtime.state(bad.id).error?.message).toMatch(/no_such_column/);
    expect(runtime.state(bad.id).error?.message).not.toMatch(/SQL:/);
    expect(runtime.state(reader.id).error?.message).toBe('depends on "bad", which failed');
    expect(rows(runtime.state(fine.id).value)).toEqual([{ one: 1 }]);
  });

  test('assigning to another cell\'s name is an error', async () => {
    const a = createCell('js', 'const a = 1');
    const b = createCell('js', 'a = 2');
    const { runtime } = start([a, b]);
    await runtime.idle();
    expect(runtime.state(b.id).error?.message).toBe('cannot assign to "a", which is defined outside this cell');
  });
});

describe('cancelling', () => {
  test('a slow SQL cell superseded by an edit is cancelled and does not overwrite the newer result', async () => {
    // unnamed: the query runs as a pending (cancellable) query on the engine
    const slow = createCell('sql', 'SELECT sum(a.range * b.range)::BIGINT AS v FROM range(200000) a, range(200000) b');
    const other = createCell('sql', 'SELECT 7 AS seven', { name: 'seven' });
    const cells = [slow, other];
    const { runtime } = start(cells);
    await untilStatus(runtime, slow.id, 'running');
    const began = performance.now();
    runtime.setCells(edit(cells, slow, 'SELECT 42 AS v'));
    await runtime.idle();
    expect(performance.now() - began).toBeLessThan(10_000);
    expect(runtime.state(slow.id)).toMatchObject({ status: 'done', rowCount: 1 });
    expect(rows(runtime.state(slow.id).value)).toEqual([{ v: 42 }]);
    expect(rows(runtime.state(other.id).value)).toEqual([{ seven: 7 }]);
    // the engine is free again
    expect((await host.sql('SELECT 1 AS one')).objects()).toEqual([{ one: 1 }]);
  });

  test('a JS run that finishes after it was superseded is ignored, and does not hold up the new run', async () => {
    // the old run waits on a gate the test opens only after the new run is done
    gate.openGate = undefined;
    const cell = createCell('js', "await new Promise((resolve) => { globalThis.openGate = resolve; });\n'old'");
    const reader = createCell('js', 'const shown = 1');
    const { runtime } = start([cell, reader]);
    await untilStatus(runtime, cell.id, 'running');
    await vi.waitUntil(() => gate.openGate !== undefined);
    runtime.setCells([{ ...cell, source: "'new'" }, reader]);
    await runtime.idle();
    expect(runtime.state(cell.id)).toMatchObject({ status: 'done', value: 'new' });
    const later: CellState[] = [];
    runtime.addEventListener('cell-state', (event) => later.push((event as CustomEvent<{ state: CellState }>).detail.state));
    gate.openGate!();
    await flush();
    expect(later).toEqual([]);
    expect(runtime.state(cell.id)).toMatchObject({ status: 'done', value: 'new' });
  }, 15_000);

  test('cancel(id) stops a run; the cell and its readers become stale', async () => {
    const slow = createCell('js', 'const slow = await new Promise((resolve) => setTimeout(() => resolve(1), 5000))');
    const reader = createCell('js', 'slow + 1');
    const { runtime } = start([slow, reader]);
    await untilStatus(runtime, slow.id, 'running');
    runtime.cancel(slow.id);
    await runtime.idle();
    expect(runtime.state(slow.id)).toMatchObject({ status: 'stale', error: { message: 'cancelled' } });
    expect(runtime.state(reader.id)).toMatchObject({ status: 'stale', error: { message: 'depends on "slow", which was cancelled' } });
  });
});

describe('trust', () => {
  test('untrusted JS does not run, SQL does; trusting runs the JS and what reads it', async () => {
    const js = createCell('js', "const picked = aq.table({ user_id: ['u1', 'u3'] })");
    const fromJs = createCell('sql', 'SELECT count(*)::INTEGER AS n FROM events JOIN picked USING (user_id)', { name: 'from_js' });
    const plain = createCell('sql', 'SELECT count(*)::INTEGER AS n FROM events', { name: 'plain_count' });
    const { runtime, started } = start([js, fromJs, plain], false);
    await runtime.idle();
    expect(runtime.state(js.id)).toMatchObject({ status: 'idle', error: { message: UNTRUSTED_MESSAGE } });
    expect(runtime.state(fromJs.id)).toMatchObject({ status: 'idle', error: { message: 'depends on "picked", which does not run until you trust this notebook' } });
    expect(rows(runtime.state(plain.id).value)).toEqual([{ n: 8 }]);
    expect(started).toEqual([plain.id]);

    runtime.setTrusted(true);
    await runtime.idle();
    expect(runtime.state(js.id).status).toBe('done');
    expect(rows(runtime.state(fromJs.id).value)).toEqual([{ n: 5 }]);
  });
});

describe('composition', () => {
  test('a SQL cell queries an Arquero table declared by a JS cell', async () => {
    const weights = createCell('js', "const weights = aq.table({ user_id: ['u1', 'u2', 'u3'], weight: [2, 3, 4] })");
    const joined = createCell('sql', `
      SELECT sum(w.weight * e.revenue)::DOUBLE AS weighted -- u1: 2*10, u3: 4*(20+5)
      FROM events e JOIN weights w ON e.user_id = w.user_id
      WHERE e.event = 'purchase'`, { name: 'weighted' });
    const back = createCell('js', "weighted.get('weighted', 0)");
    const { runtime } = start([back, joined, weights]);
    await runtime.idle();
    expect(runtime.state(joined.id).references).toEqual(['weights']);
    expect(rows(runtime.state(joined.id).value)).toEqual([{ weighted: 120 }]);
    expect(runtime.state(back.id).value).toBe(120);
  });

  test('JS cells get sql`...` (values bound as parameters), aq and the analyses as functions', async () => {
    const cell = createCell('js', [
      "const event = 'purchase';",
      'const people = await sql`SELECT count(DISTINCT user_id)::INTEGER AS n FROM events WHERE event = ${event}`;',
      'const counts = await testEventCounts({});',
      "({ people: people.get('n', 0), kinds: counts.numRows(), derived: aq.table({ x: [1, 2] }).rollup({ s: aq.op.sum('x') }).get('s', 0) })",
    ].join('\n'));
    const { runtime } = start([cell]);
    await runtime.idle();
    expect(runtime.state(cell.id)).toMatchObject({ status: 'done', value: { people: 2, kinds: 3, derived: 3 } });
  });

  test('a JS cell shows its last expression, else its last declaration; promises are awaited', async () => {
    const expression = createCell('js', 'const a = 1;\na + 1');
    const declaration = createCell('js', 'const b = 5;\nfunction f() { return b; }\nconst c = f() * 2;');
    const promise = createCell('js', 'const later = Promise.resolve(7)');
    const reader = createCell('js', 'later + 1');
    const { runtime } = start([expression, declaration, promise, reader]);
    await runtime.idle();
    expect(runtime.state(expression.id).value).toBe(2);
    expect(runtime.state(declaration.id)).toMatchObject({ value: 10, declarations: ['b', 'f', 'c'] });
    expect(runtime.state(promise.id).value).toBe(7);
    expect(runtime.state(reader.id).value).toBe(8);
  });
});

describe('analysis cells', () => {
  test('an analysis cell runs its spec; its rows are an Arquero table for JS and SQL cells', async () => {
    const analysis = createCell('analysis', '{"event": "purchase"}', { analysis: 'test_event_counts', name: 'purchases' });
    const js = createCell('js', "purchases.get('users', 0)");
    const sql = createCell('sql', 'SELECT event, users FROM purchases', { name: 'purchase_users' });
    const { runtime } = start([analysis, js, sql]);
    await runtime.idle();
    const state = runtime.state(analysis.id);
    expect(state).toMatchObject({ status: 'done', rowCount: 1, declarations: ['purchases'] });
    expect(state.result).toMatchObject({ kind: 'test_event_counts', rows: [{ event: 'purchase', events: 3, users: 2 }] });
    expect(rows(state.value)).toEqual([{ event: 'purchase', events: 3, users: 2 }]);
    expect(runtime.state(js.id).value).toBe(2);
    expect(runtime.state(sql.id).error).toBeUndefined();
    expect(rows(runtime.state(sql.id).value)).toEqual([{ event: 'purchase', users: 2 }]);
  });

  test('a spec that is not JSON errors with its line and column; an unknown kind names the known ones', async () => {
    const broken = createCell('analysis', '{\n  "event": purchase\n}', { analysis: 'test_event_counts', name: 'broken' });
    const unknown = createCell('analysis', '{}', { analysis: 'no_such_analysis', name: 'nothing' });
    const { runtime } = start([broken, unknown]);
    await runtime.idle();
    expect(runtime.state(broken.id).error).toMatchObject({ message: expect.stringMatching(/^the test_event_counts spec is not valid JSON/), line: 2, column: 12 });
    expect(runtime.state(unknown.id).error?.message).toMatch(/unknown analysis kind "no_such_analysis" \(known kinds: .*test_event_counts/);
  });
});
