import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { QueryError, type Engine } from '../../src/engine/index.ts';
import { bindClickHouse, splitClickHouseStatements } from '../../src/engine/clickhouse-params.ts';
import { closeTestEngines, testEngine } from '../helpers/engines.ts';

describe('bindClickHouse: `?` as typed ClickHouse parameters', () => {
  test('numbers each placeholder and types it by its value', () => {
    expect(bindClickHouse('SELECT ? AS s, ? AS i, ? AS f, ? AS b, ? AS n', ['x', 3, 2.5, true, null])).toEqual({
      sql: 'SELECT {p0:String} AS s, {p1:Int64} AS i, {p2:Float64} AS f, {p3:Bool} AS b, {p4:Nullable(String)} AS n',
      values: { p0: 'x', p1: 3, p2: 2.5, p3: true, p4: null },
    });
  });

  test('leaves a ? inside literals, quoted names and comments alone', () => {
    const sql = `SELECT 'a?''?', "col?", \`b?\`, 'x\\'?' -- why?\n/* what? */ FROM t WHERE e = ?`;
    expect(bindClickHouse(sql, ['open']).sql).toBe(sql.replace(/\?$/, '{p0:String}'));
  });

  test('says when placeholders and values do not match', () => {
    expect(() => bindClickHouse('SELECT ?, ?', [1])).toThrow('the SQL has 2 placeholder(s) but 1 value(s) were given');
  });

  test('splits statements on ; outside literals', () => {
    expect(splitClickHouseStatements("CREATE VIEW a AS SELECT ';' ; ;DROP TABLE b;")).toEqual(["CREATE VIEW a AS SELECT ';'", 'DROP TABLE b']);
  });
});

describe('the ClickHouse engine (chDB)', () => {
  let engine: Engine;
  beforeAll(async () => { engine = await testEngine('clickhouse'); });
  afterAll(closeTestEngines);

  test('answers in the shapes every engine answers in: integers as numbers, times as epoch ms, NULLs', async () => {
    const row = (await engine.query(
      "SELECT count() AS n, toInt64(?) + 1 AS i, ? AS s, toDateTime64('2024-03-01 10:00:00.250', 3, 'UTC') AS ts, toDate('2024-03-02') AS d, ? AS b, CAST(NULL AS Nullable(String)) AS z FROM numbers(3)",
      [41, "it's", true],
    )).toArray()[0].toJSON();
    expect(row).toEqual({ n: 3, i: 42, s: "it's", ts: Date.UTC(2024, 2, 1, 10, 0, 0, 250), d: Date.UTC(2024, 2, 2), b: true, z: null });
  });

  test('a bound value is a value, never SQL', async () => {
    const row = (await engine.query('SELECT ? AS v', ["x'); DROP TABLE events; --"])).toArray()[0].toJSON();
    expect(row).toEqual({ v: "x'); DROP TABLE events; --" });
  });

  test('tables from Arrow keep their rows and types', async () => {
    const { arrowFromColumns } = await import('../../src/engine/arrow-io.ts');
    await engine.insertArrow('t', arrowFromColumns([
      { name: 'user_id', kind: 'VARCHAR', values: ['a', null] },
      { name: 'ts', kind: 'TIMESTAMP', values: [Date.UTC(2024, 0, 1), null] },
      { name: 'x', kind: 'DOUBLE', values: [1.5, null] },
    ]));
    expect((await engine.query('SELECT * FROM t ORDER BY user_id')).toArray().map((r) => r.toJSON()))
      .toEqual([{ user_id: 'a', ts: Date.UTC(2024, 0, 1), x: 1.5 }, { user_id: null, ts: null, x: null }]);
  });

  test("ClickHouse's errors are one readable line, with the SQL kept apart", async () => {
    const error = await engine.query('SELECT nope FROM numbers(1)').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueryError);
    expect((error as QueryError).reason).toMatch(/^ClickHouse error UNKNOWN_IDENTIFIER: Unknown expression identifier `nope`/);
    expect((error as QueryError).reason).not.toMatch(/\n/);
    expect((error as QueryError).sql).toBe('SELECT nope FROM numbers(1)');
  });

  test('SQL cells are refused with a reason', async () => {
    await expect(engine.parseSql('SELECT 1')).rejects.toThrow(/SQL cells do not run on the ClickHouse engine yet/);
  });
});
