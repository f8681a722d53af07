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

describe('sqlReferences', () => {
  test('finds table names after FROM and JOIN, qualified or quoted', () => {
    const refs = sqlReferences('SELECT c.week FROM main.cohorts c JOIN "Big Spenders" b USING (user_id) -- from x');
    expect(refs.tables).toEqual(['cohorts', 'Big Spenders']);
    expect(refs.identifiers).toEqual(['SELECT', 'c', 'FROM', 'main', 'JOIN', 'Big Spenders', 'b', 'user_id', 'cohorts']);
  });

  test('ignores strings, comments, function names and aliases', () => {
    const refs = sqlReferences(`
      SELECT count(*) AS total, 'FROM fake' AS label, $$ from dollar $$ AS d /* FROM hidden */
      FROM real_table -- JOIN commented
      WHERE note = 'it''s from quoted'`);
    expect(refs.tables).toEqual(['real_table']);
    expect(refs.identifiers).not.toContain('count');
    expect(refs.identifiers).not.toContain('total');
    expect(refs.identifiers).not.toContain('fake');
    expect(refs.identifiers).not.toContain('hidden');
    expect(refs.identifiers).not.toContain('commented');
    expect(refs.identifiers).not.toContain('dollar');
    expect(refs.identifiers).toContain('note');
  });
});

describe('buildCellGraph', () => {
  const options = { builtins: new Set(['aq', 'sql']), isGlobal: (name: string) => name in globalThis };

  test('a SQL cell reads any cell name it mentions, in any case, but not itself', () => {
    const cohorts = createCell('sql', 'SELECT 1 AS a', { name: 'cohorts' });
    const weights = createCell('js', 'const Weights = aq.table({ a: [1] })');
    const reader = createCell('sql', 'SELECT * FROM COHORTS JOIN weights USING (a)', { name: 'joined' });
    const self = createCell('sql', 'SELECT * FROM self_ref', { name: 'self_ref' });
    const graph = buildCellGraph([cohorts, weights, reader, self], options);
    expect(Object.fromEntries(graph.nodes.get(reader.id)!.inputs)).toEqual({ cohorts: cohorts.id, Weights: weights.id });
    expect(graph.nodes.get(self.id)!.inputs.size).toBe(0);
    expect(graph.nodes.get(weights.id)!.builtins).toEqual(['aq']);
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
