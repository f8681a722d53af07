import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Engine } from '../../src/engine/index.ts';

/**
 * The parsing seam (issues 14.1 and 15.8): DuckDB's own tokenizer splits statements, its binder
 * names the tables a statement reads. The same answers on every engine.
 */
export function testSqlParsing(name: string, create: () => Promise<Engine>): void {
  describe(`${name}: DuckDB's parser`, () => {
    let engine: Engine;
    beforeAll(async () => { engine = await create(); });
    afterAll(async () => { await engine?.close(); });

    const tables = async (sql: string) => (await engine.parseSql(sql)).tables;
    const statements = async (sql: string) => (await engine.parseSql(sql)).statements.map((s) => [s.text, s.line, s.column]);

    test('splits at the `;` tokens only: strings, quoted names and comments keep theirs', async () => {
      expect(await statements("SELECT ';' AS \"a;b\" -- c;\n; /* ; */ SET VARIABLE u = 1;\n")).toEqual([
        ["SELECT ';' AS \"a;b\" -- c;", 1, 1],
        ['SET VARIABLE u = 1', 2, 11],
      ]);
      expect(await statements('SELECT 1 AS x; SET VARIABLE u = 2')).toHaveLength(2);
      expect(await statements('SELECT 1;;  -- trailing note')).toEqual([['SELECT 1', 1, 1]]);
      expect(await statements('  -- only a comment\n')).toEqual([]);
      // DuckDB's own statement extraction makes several statements of one PIVOT; the split does not
      expect(await statements('PIVOT t ON a USING sum(b)')).toHaveLength(1);
    });

    test('names the tables a query reads: joins, comma joins, subqueries, CTE bodies without the CTE names', async () => {
      expect(await tables('SELECT event, count(*) FROM events GROUP BY 1')).toEqual(['events']);
      expect(await tables('SELECT * FROM a JOIN b ON a.x = b.x, c WHERE x IN (SELECT x FROM d) AND EXISTS (SELECT 1 FROM e)')).toEqual(['a', 'b', 'c', 'd', 'e']);
      expect(await tables('WITH weekly AS (SELECT * FROM events) SELECT * FROM weekly')).toEqual(['events']);
      expect(await tables('SELECT * FROM "Big Spenders" s, main.Cohorts')).toEqual(['Big Spenders', 'Cohorts']);
      expect(await tables('SELECT 1 AS one')).toEqual([]);
    });

    test('tables are null when the text does not parse', async () => {
      expect(await tables('SELECT * FROM')).toBeNull();
    });
  });
}
