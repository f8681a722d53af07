import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ColumnTable } from 'arquero';
import type { Engine, EngineKind } from '../../src/engine/index.ts';
import { createNodeEngine } from '../../src/engine/node.ts';
import { NotebookRuntime, createCell, createEngineHost, type Cell } from '../../src/notebook/index.ts';
import { loadTestEvents, queryRows } from '../helpers/events.ts';

const rows = (value: unknown) => (value as ColumnTable).objects();

/** SQL cells on every engine: one statement each (issue 14.1), and exactly the tables they read (issue 15.8). */
describe.each<EngineKind>(['wasm', 'native'])('SQL cells on %s', (kind) => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await createNodeEngine(kind);
    await loadTestEvents(engine, [
      { user_id: 'u00569', event: 'signup', ts: '2024-01-01T09:00:00Z' },
      { user_id: 'u00005', event: 'purchase', ts: '2024-01-02T10:00:00Z' },
      { user_id: 'u00005', event: 'signup', ts: '2024-01-03T10:00:00Z' },
    ]);
  });
  afterAll(async () => { await engine?.close(); });

  async function run(cells: Cell[]): Promise<NotebookRuntime> {
    const runtime = new NotebookRuntime(createEngineHost(engine));
    runtime.setCells(cells);
    await runtime.idle();
    return runtime;
  }

  describe('a SQL cell is one statement (issue 14.1)', () => {
    for (const name of ['leak_named', undefined]) {
      test(`${name ? 'a named' : 'an unnamed'} cell holding two statements runs neither and says so`, async () => {
        await engine.exec("SET VARIABLE u = 'untouched'");
        const cell = createCell('sql', "SELECT 1 AS x;\n  SET VARIABLE u = (SELECT string_agg(user_id, ',') FROM events)", { name });
        const runtime = await run([cell]);
        expect(runtime.state(cell.id)).toMatchObject({
          status: 'error',
          error: { message: 'a SQL cell runs one statement, and this one holds 2 (the second begins at line 2, column 3): put each in a cell of its own', line: 2, column: 3 },
        });
        expect(await queryRows(engine, "SELECT getvariable('u') AS u")).toEqual([{ u: 'untouched' }]);
      });
    }

    test("a `;` in a string, a quoted name or a comment, and a trailing `;` with a comment, are one statement", async () => {
      const cell = createCell('sql', "SELECT ';' AS \"a;b\" /* ; */ ; -- the end; really", { name: 'semis' });
      const runtime = await run([cell]);
      expect(rows(runtime.state(cell.id).value)).toEqual([{ 'a;b': ';' }]);
    });
  });

  describe('a SQL cell depends on exactly the tables it reads (issue 15.8)', () => {
    test('a column named like a JS cell is no dependency: the SQL cell runs though that cell failed', async () => {
      const js = createCell('js', "const event = (() => { throw new Error('this log has no platform column'); })()");
      const counts = createCell('sql', 'SELECT event, count(*)::INTEGER AS n FROM events GROUP BY event ORDER BY event', { name: 'event_counts' });
      const runtime = await run([counts, js]);
      expect(runtime.state(js.id).status).toBe('error');
      expect(runtime.state(counts.id)).toMatchObject({ status: 'done', references: [] });
      expect(rows(runtime.state(counts.id).value)).toEqual([{ event: 'purchase', n: 1 }, { event: 'signup', n: 2 }]);
    });

    test("a CTE that shadows a cell's name reads the CTE, not the cell", async () => {
      const weekly = createCell('sql', 'SELECT no_such_column FROM events', { name: 'weekly' });
      const reader = createCell('sql', 'WITH weekly AS (SELECT 7 AS w) SELECT w FROM weekly', { name: 'shadowed' });
      const runtime = await run([weekly, reader]);
      expect(runtime.state(weekly.id).status).toBe('error');
      expect(runtime.state(reader.id)).toMatchObject({ status: 'done', references: [] });
      expect(rows(runtime.state(reader.id).value)).toEqual([{ w: 7 }]);
    });

    test('quoted and case-different names, comma joins and subqueries are dependencies', async () => {
      const picked = createCell('js', "const picked = aq.table({ user_id: ['u00005'] })");
      const spenders = createCell('sql', "SELECT 'u00569' AS user_id", { name: 'big_spenders' });
      const quoted = createCell('sql', 'SELECT count(*)::INTEGER AS n FROM "BIG_SPENDERS"', { name: 'quoted' });
      const comma = createCell('sql', 'SELECT count(*)::INTEGER AS n FROM events e, Picked p WHERE e.user_id = p.user_id', { name: 'comma' });
      const nested = createCell('sql', 'SELECT count(*)::INTEGER AS n FROM events WHERE user_id IN (SELECT user_id FROM big_spenders) OR user_id IN (SELECT user_id FROM (SELECT * FROM picked))', { name: 'nested' });
      const runtime = await run([quoted, comma, nested, picked, spenders]);
      expect(runtime.state(quoted.id)).toMatchObject({ status: 'done', references: ['big_spenders'] });
      expect(rows(runtime.state(quoted.id).value)).toEqual([{ n: 1 }]);
      expect(runtime.state(comma.id)).toMatchObject({ status: 'done', references: ['picked'] });
      expect(rows(runtime.state(comma.id).value)).toEqual([{ n: 2 }]);
      expect(runtime.state(nested.id).references.sort()).toEqual(['big_spenders', 'picked']);
      expect(rows(runtime.state(nested.id).value)).toEqual([{ n: 3 }]);
    });

    test('text that does not parse yet falls back to the names after FROM and JOIN', async () => {
      const source = createCell('sql', 'SELECT 1 AS one', { name: 'source_table' });
      const broken = createCell('sql', 'SELECT one, FROM source_table WHERE', { name: 'broken' });
      const runtime = await run([source, broken]);
      expect(runtime.state(broken.id)).toMatchObject({ status: 'error', references: ['source_table'] });
      expect(runtime.state(broken.id).error?.message).toBe('the SQL ends too early: something is missing at its end');
    });
  });
});
