import { describe, expect, test } from 'vitest';
import { CellSyntaxError, parseJsCell, sqlReferences } from '../../src/notebook/index.ts';
import { buildCellGraph } from '../../src/notebook/cell-graph.ts';
import { createCell } from '../../src/notebook/index.ts';
import { jsonErrorPosition } from '../../src/notebook/json-error-position.ts';

describe('parseJsCell', () => {
  const cases: [string, string, string[], string[]][] = [
    ['top-level declarations of every kind', 'const a = 1, { b, c: [d] } = o; let e; var f; function g() {} class H {}', ['a', 'b', 'd', 'e', 'f', 'g', 'H'], ['o']],
    ['function parameters and inner variables are local', 'function f(x, { y } = z) { const w = x + y + v; return w; }', ['f'], ['z', 'v']],
    ['arrow functions, catch clauses, loops and classes', [
      'const r = rows.map((d, i) => d.value * i);',
      'for (const k of keys) total += k;',
      'try { risky() } catch (err) { report(err) }',
      'for (let i = 0; i < n; i++) {}',
      'class A extends Base { method() { return this.x + outer } }',
    ].join('\n'), ['r', 'A'], ['rows', 'keys', 'total', 'risky', 'report', 'n', 'Base', 'outer']],
    ['members, keys and labels are not references', 'const o = { a: b.c, [k]: 1, d };\nloop: for (;;) break loop;', ['o'], ['b', 'k', 'd']],
    ['a block-scoped name is free outside its block', '{ const inner = 1 }\ninner', [], ['inner']],
    ['top-level await', 'const t = await sql`SELECT 1`;\nt', ['t'], ['sql']],
    ['shadowing a cell name inside a function', 'const f = (cohorts) => cohorts.numRows();\nf(weekly)', ['f'], ['weekly']],
  ];
  for (const [name, source, declarations, references] of cases) {
    test(name, () => {
      const code = parseJsCell(source);
      expect(code.declarations).toEqual(declarations);
      expect(code.references).toEqual(references);
    });
  }

  test('finds assignments to free names, not to locals or members', () => {
    expect(parseJsCell('x = 1; y++; [a, { b }] = pair; let own; own = 2; obj.prop = 3;').assignments).toEqual(['x', 'y', 'a', 'b']);
  });

  test('a cell ending in an expression shows it; one ending in a declaration does not', () => {
    expect(parseJsCell('const a = 1;\na + 1').display).toEqual({ start: 13, end: 18 });
    expect(parseJsCell('a + 1;\nconst b = 2').display).toBeNull();
  });

  test('a syntax error carries its line and column, counted from 1', () => {
    expect(() => parseJsCell('const a = 1;\n\nconst = 2')).toThrow(CellSyntaxError);
    try {
      parseJsCell('const a = 1;\n\nconst = 2');
    } catch (error) {
      expect(error).toMatchObject({ message: 'Unexpected token', line: 3, column: 7 });
    }
  });
});

describe('sqlReferences (the fallback when DuckDB cannot parse a text yet)', () => {
  test('finds table names after FROM and JOIN, qualified or quoted', () => {
    expect(sqlReferences('SELECT c.week FROM main.cohorts c JOIN "Big Spenders" b USING (user_id) -- from x').tables).toEqual(['cohorts', 'Big Spenders']);
  });

  test('ignores strings, comments, columns, function names and aliases', () => {
    const refs = sqlReferences(`
      SELECT count(*) AS total, event, 'FROM fake' AS label, $$ from dollar $$ AS d /* FROM hidden */
      FROM real_table -- JOIN commented
      WHERE note = 'it''s from quoted' AND extract(year FROM ts) = 2024`);
    expect(refs.tables).toEqual(['real_table']);
  });

  test('comma joins, subqueries, table functions and LATERAL', () => {
    expect(sqlReferences('SELECT * FROM a x, b AS y JOIN c ON y.k = c.k, LATERAL (SELECT * FROM d) z, range(3) r WHERE x.v IN (SELECT v FROM e)').tables)
      .toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  test('CTE names are not tables; the tables their bodies read are', () => {
    expect(sqlReferences('WITH RECURSIVE w(n) AS (SELECT * FROM events), v AS NOT MATERIALIZED (SELECT * FROM w JOIN cohorts USING (n)) SELECT * FROM v, W').tables)
      .toEqual(['events', 'cohorts']);
  });

  test('DuckDB\'s FROM-first form and text that does not parse yet', () => {
    expect(sqlReferences('FROM events SELECT event WHERE x').tables).toEqual(['events']);
    expect(sqlReferences('SELECT one, FROM source_table WHERE').tables).toEqual(['source_table']);
  });
});

describe('buildCellGraph', () => {
  const options = { builtins: new Set(['aq', 'sql']), isGlobal: (name: string) => name in globalThis };

  test('a SQL cell reads the cells whose names it reads as tables, in any case, but not itself', () => {
    const cohorts = createCell('sql', 'SELECT 1 AS a', { name: 'cohorts' });
    const weights = createCell('js', 'const Weights = aq.table({ a: [1] })');
    const a = createCell('js', 'const a = 1');
    const reader = createCell('sql', 'SELECT a FROM COHORTS JOIN weights USING (a)', { name: 'joined' });
    const self = createCell('sql', 'SELECT * FROM self_ref', { name: 'self_ref' });
    const graph = buildCellGraph([cohorts, weights, a, reader, self], options);
    expect(Object.fromEntries(graph.nodes.get(reader.id)!.inputs)).toEqual({ cohorts: cohorts.id, Weights: weights.id });
    expect(graph.nodes.get(self.id)!.inputs.size).toBe(0);
    expect(graph.nodes.get(weights.id)!.builtins).toEqual(['aq']);
  });

  test("DuckDB's table list, when the parser gave one, wins over the token scan", () => {
    const cohorts = createCell('sql', 'SELECT 1 AS a', { name: 'cohorts' });
    const reader = createCell('sql', 'SELECT * FROM cohorts', { name: 'reader' });
    const graph = buildCellGraph([cohorts, reader], { ...options, sqlTables: () => [] });
    expect(graph.nodes.get(reader.id)!.inputs.size).toBe(0);
    const unparsed = buildCellGraph([cohorts, reader], { ...options, sqlTables: () => null });
    expect([...unparsed.nodes.get(reader.id)!.inputs.keys()]).toEqual(['cohorts']);
  });

  test('the run order puts readers after what they read, ties in notebook order', () => {
    const c = createCell('js', 'const c = a + b');
    const b = createCell('js', 'const b = 2');
    const a = createCell('js', 'const a = 1');
    const d = createCell('markdown', '# prose');
    const graph = buildCellGraph([c, b, a, d], options);
    expect(graph.order).toEqual([b.id, a.id, c.id, d.id]);
  });

  test('a three-cell cycle is named from each of its cells', () => {
    const a = createCell('js', 'const a = c');
    const b = createCell('js', 'const b = a');
    const c = createCell('js', 'const c = b');
    const graph = buildCellGraph([a, b, c], options);
    expect(graph.nodes.get(a.id)!.error?.message).toBe('cycle: a → c → b → a');
    expect(graph.nodes.get(b.id)!.error?.message).toBe('cycle: b → a → c → b');
  });
});

describe('jsonErrorPosition', () => {
  test('points where JSON stops being valid', () => {
    expect(jsonErrorPosition('{"period": "week", "intervals": [1, 2.5e3, true, null]}')).toBe(-1);
    expect(jsonErrorPosition('{"period": week}')).toBe(11);
    expect(jsonErrorPosition('{"a": 1,}')).toBe(8);
    expect(jsonErrorPosition('{"a": 1')).toBe(7);
    expect(jsonErrorPosition('[1] x')).toBe(4);
  });
});
