import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { createCell, notebookTitle, parseNotebook, withInputValue, writeNotebook } from '../../src/notebook/index.ts';
import { formatFenceInfo, parseFenceInfo } from '../../src/notebook/fence-info.ts';
import { seededRandom } from '../../src/notebook/teaching-data/random.ts';

const roundTrip = (text: string) => writeNotebook(parseNotebook(text));

const EXAMPLE = `---
title: Weekly retention
---

# Retention

Who comes back after signing up?

\`\`\`sql id=signups
SELECT user_id, min(ts) AS first_seen
FROM events
GROUP BY user_id
\`\`\`

\`\`\`js
const weeks = signups.numRows();
weeks
\`\`\`
\`\`\`retention id=cohorts chart=curves hidden
{"period": "week", "periods": 8}
\`\`\`

Some closing words.
`;

describe('parseNotebook', () => {
  test('reads prose, SQL, JS and analysis cells with their names and attributes', () => {
    const notebook = parseNotebook(EXAMPLE);
    expect(notebook.frontMatter).toBe('title: Weekly retention\n');
    expect(notebook.cells.map((c) => [c.kind, c.name, c.analysis])).toEqual([
      ['markdown', undefined, undefined],
      ['sql', 'signups', undefined],
      ['js', undefined, undefined],
      ['analysis', 'cohorts', 'retention'],
      ['markdown', undefined, undefined],
    ]);
    expect(notebook.cells[0].source).toBe('# Retention\n\nWho comes back after signing up?');
    expect(notebook.cells[1].source).toBe('SELECT user_id, min(ts) AS first_seen\nFROM events\nGROUP BY user_id');
    expect(notebook.cells[3].attributes).toEqual({ chart: 'curves', hidden: '' });
    expect(notebook.cells[3].source).toBe('{"period": "week", "periods": 8}');
    expect(notebook.cells[4].source).toBe('Some closing words.');
    expect(new Set(notebook.cells.map((c) => c.id)).size).toBe(5);
  });

  test('keeps a fence of another language inside the prose, even one that contains a sql fence', () => {
    const text = 'Intro\n\n````md\n```sql id=inner\nSELECT 1\n```\n````\n\n```python\nprint(1)\n```\nAfter\n';
    const { cells } = parseNotebook(text);
    expect(cells).toHaveLength(1);
    expect(cells[0].kind).toBe('markdown');
    expect(roundTrip(text)).toBe(text);
  });

  test('a longer fence holds ``` inside a JS cell', () => {
    const text = '````js\nconst fence = `\n```\n`;\n````\n';
    const { cells } = parseNotebook(text);
    expect(cells.map((c) => c.kind)).toEqual(['js']);
    expect(cells[0].source).toBe('const fence = `\n```\n`;');
  });

  test('an indented fence belongs to the prose (a list item), not a cell', () => {
    const { cells } = parseNotebook('1. Run this:\n   ```sql\n   SELECT 1\n   ```\n');
    expect(cells.map((c) => c.kind)).toEqual(['markdown']);
  });

  test('~~~ fences, empty code cells and consecutive code cells', () => {
    const { cells } = parseNotebook('~~~sql id=a\nSELECT 1\n~~~\n```js\n```\n```sql\n\n```\n');
    expect(cells.map((c) => [c.kind, c.source])).toEqual([['sql', 'SELECT 1'], ['js', ''], ['sql', '']]);
  });
});

describe('writeNotebook', () => {
  const cases: Record<string, string> = {
    example: EXAMPLE,
    'no trailing newline': '# T\n\n```sql id=a\nSELECT 1\n```',
    'CRLF line endings': EXAMPLE.replace(/\n/g, '\r\n'),
    'mixed line endings': '# T\r\n\n```sql\r\nSELECT 1\n```\r\n',
    'tilde fences': '~~~sql id=a\nSELECT 1\n~~~\n\ntext\n',
    'longer fence with ``` inside': '`````js\nconst s = `\n```\n````\n`;\n`````\n',
    'front matter only': '---\ntitle: x\n---\n',
    'empty front matter': '---\n---\n\n# Hi\n',
    'front matter with a blank line': '---\n\n---',
    'empty code cells': '```js\n```\n\n```sql\n\n```\n\n```sql\n\n\n```\n',
    'consecutive code cells': '```sql id=a\nSELECT 1\n```\n```sql id=b\nSELECT * FROM a\n```\n```js\nb\n```\n',
    'blank lines everywhere': '\n\n\n# T\n\n\n\n```js\n1\n```\n\n\n\ntext\n\n\n',
    'whitespace-only lines': '  \n# T\n \t\n```js\n1\n```\n   \n',
    'unclosed fence': 'text\n\n```sql id=a\nSELECT 1\n',
    'unclosed prose fence': '```python\nprint(1)\n',
    'odd spacing in the info string': '```sql   id=a   hidden\nSELECT 1\n```   \n',
    'quoted attribute': '```funnel id=f title="Signup to purchase"\n{"steps": ["signup", "purchase"]}\n```\n',
    'input cells': '# Inputs\n\n```input id=platform\ntype: select   # from the log\noptions: SELECT DISTINCT platform FROM events\nvalue: ios\n```\n\n~~~input id=range\ntype: date-range\nvalue: [2024-01-01, 2024-01-31]\n~~~\n\n```sql id=n\nSELECT count(*) FROM events WHERE platform = ${platform}\n```\n',
    empty: '',
    'one newline': '\n',
    'a thematic break, not front matter': '# T\n\n---\n\ntext\n',
  };
  for (const [name, text] of Object.entries(cases)) {
    test(`parse then write returns the same text: ${name}`, () => {
      expect(roundTrip(text)).toBe(text);
    });
  }

  test('an input cell reads as an input; a new value rewrites only its value line', () => {
    const text = '```input id=platform\ntype: select   # from the log\noptions: [ios, web]\nvalue: ios\n```\n\ntext\n';
    const notebook = parseNotebook(text);
    expect(notebook.cells.map((c) => [c.kind, c.name])).toEqual([['input', 'platform'], ['markdown', undefined]]);
    notebook.cells[0] = { ...notebook.cells[0], source: withInputValue(notebook.cells[0].source, 'web') };
    expect(writeNotebook(notebook)).toBe(text.replace('value: ios', 'value: web'));
  });

  test('every notebook in notebooks/ round-trips byte for byte', () => {
    const files = readdirSync('notebooks').filter((file) => file.endsWith('.md'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const text = readFileSync(`notebooks/${file}`, 'utf8');
      expect(roundTrip(text), file).toBe(text);
    }
  });

  test('new cells are written in the canonical layout', () => {
    const text = writeNotebook({
      cells: [
        createCell('markdown', '# Orders'),
        createCell('sql', 'SELECT 1 AS one', { name: 'one' }),
        createCell('js', 'one.numRows()'),
        createCell('analysis', '{"period": "week"}', { analysis: 'retention', name: 'cohorts', attributes: { chart: 'heatmap' } }),
      ],
    });
    expect(text).toBe('# Orders\n\n```sql id=one\nSELECT 1 AS one\n```\n\n```js\none.numRows()\n```\n\n```retention id=cohorts chart=heatmap\n{"period": "week"}\n```\n');
    expect(parseNotebook(text).cells.map((c) => c.kind)).toEqual(['markdown', 'sql', 'js', 'analysis']);
  });

  test('a first Markdown cell that opens with a rule stays a cell, not front matter', () => {
    const cells = [createCell('markdown', '---\nA quote between rules\n---\n\n# Orders'), createCell('sql', 'SELECT 1', { name: 'one' })];
    const text = writeNotebook({ cells });
    expect(text).toBe('---\n---\n---\nA quote between rules\n---\n\n# Orders\n\n```sql id=one\nSELECT 1\n```\n');
    const back = parseNotebook(text);
    expect(back.cells.map((c) => [c.kind, c.source])).toEqual([['markdown', '---\nA quote between rules\n---\n\n# Orders'], ['sql', 'SELECT 1']]);
    expect(writeNotebook(back)).toBe(text);
    // one rule alone cannot close a front matter: it is written as it is
    expect(writeNotebook({ cells: [createCell('markdown', '---\n# Orders')] })).toBe('---\n# Orders\n');
  });

  test('an edited cell is rewritten and the rest of the file stays as it was', () => {
    const notebook = parseNotebook(EXAMPLE);
    notebook.cells[1] = { ...notebook.cells[1], source: 'SELECT 1 AS n' };
    notebook.cells[3] = { ...notebook.cells[3], name: 'weekly' };
    expect(writeNotebook(notebook)).toBe(EXAMPLE
      .replace('SELECT user_id, min(ts) AS first_seen\nFROM events\nGROUP BY user_id', 'SELECT 1 AS n')
      .replace('retention id=cohorts', 'retention id=weekly'));
  });

  test('code that contains a fence gets a longer fence when written', () => {
    const cell = createCell('js', 'const s = `\n```\n`;');
    const text = writeNotebook({ cells: [cell] });
    expect(text).toBe('````js\nconst s = `\n```\n`;\n````\n');
    expect(parseNotebook(text).cells[0].source).toBe(cell.source);
  });

  test('an edit that puts a closing fence in the code lengthens the fence', () => {
    const notebook = parseNotebook('```js\n1\n```\n\ntext\n');
    notebook.cells[0] = { ...notebook.cells[0], source: '`\n```\n`' };
    const reparsed = parseNotebook(writeNotebook(notebook));
    expect(reparsed.cells.map((c) => [c.kind, c.source])).toEqual([['js', '`\n```\n`'], ['markdown', 'text']]);
  });

  test('a cell added after an unclosed fence gets the fence closed', () => {
    const notebook = parseNotebook('```sql id=a\nSELECT 1\n');
    notebook.cells.push(createCell('js', 'a'));
    expect(parseNotebook(writeNotebook(notebook)).cells.map((c) => [c.kind, c.source])).toEqual([['sql', 'SELECT 1'], ['js', 'a']]);
  });
});

describe('round trip over generated notebooks (property test)', () => {
  // a seeded generator: the same notebooks on every run
  const random = seededRandom;
  const pick = <T>(next: () => number, items: T[]) => items[Math.floor(next() * items.length)];
  const proseLines = ['# Title', 'Some *prose*.', '', '', '   ', '- a list item', '   ```sql', '---', '> quote', 'text with ``` inside', '```'];
  const codeLines = [
    'SELECT 1', '', 'const x = 1;', '  indented', '```', '``` not a close', '~~~', '{"period": "week"}', '-- comment',
    'type: select', 'options: SELECT DISTINCT platform FROM events', 'value: [ios, web]  # kept', "label: 'It''s'",
  ];
  // YAML as people write it, and some that is not YAML: the front matter's text is kept either way
  const yamlLines = [
    'title: "Generated"', "title: 'It''s'   # quoted", 'data: generated:growth-lies', '# a comment', 'data:',
    '  - file: samples/shop-events.csv', '    mapping: event=:purchase', 'timezone: Europe/London', 'title: [not yaml', '',
  ];
  const infos = [
    'sql', 'sql id=a', 'js', 'retention id=r', 'funnel id=f hidden', 'python', 'md', 'sql  id=b  chart=bars', '', 'ltv title="x y"',
    'input id=platform', 'input  id=days label="Days back"', 'input',
  ];

  const nextYaml = random(99);
  const yamlBlock = () => Array.from({ length: 1 + Math.floor(nextYaml() * 4) }, () => pick(nextYaml, yamlLines));
  const generate = (next: () => number): string => {
    const eol = next() < 0.25 ? '\r\n' : '\n';
    const lines: string[] = [];
    // the front matter's lines come from a stream of their own, so the rest is as it always was
    if (next() < 0.3) lines.push('---', ...(next() < 0.5 ? yamlBlock() : []), '---');
    const blocks = Math.floor(next() * 8);
    for (let b = 0; b < blocks; b++) {
      if (next() < 0.45) {
        for (let i = Math.floor(next() * 4); i >= 0; i--) lines.push(pick(next, proseLines));
      } else {
        const marker = pick(next, ['```', '````', '~~~', '~~~~~']);
        lines.push(marker + pick(next, infos));
        for (let i = Math.floor(next() * 4); i > 0; i--) {
          const line = pick(next, codeLines);
          // a body line that would close this fence ends the cell early: still valid input, keep it
          lines.push(line);
        }
        if (next() < 0.95) lines.push(marker + (next() < 0.2 ? '  ' : ''));
      }
    }
    const text = lines.join(eol);
    return next() < 0.8 && lines.length > 0 ? text + eol : text;
  };

  test('writeNotebook(parseNotebook(text)) === text for 2000 generated notebooks', () => {
    const next = random(20240101);
    let cells = 0;
    let inputs = 0;
    for (let i = 0; i < 2000; i++) {
      const text = generate(next);
      const notebook = parseNotebook(text);
      cells += notebook.cells.length;
      inputs += notebook.cells.filter((c) => c.kind === 'input').length;
      expect(writeNotebook(notebook), JSON.stringify(text)).toBe(text);
      // reading the front matter never throws for the title, whatever it holds
      expect(typeof notebookTitle(notebook)).toBe('string');
    }
    expect(cells).toBeGreaterThan(2000);
    expect(inputs).toBeGreaterThan(100);
  });

  test('writing cells without their file layout, then parsing, gives back the same cells', () => {
    const next = random(7);
    for (let i = 0; i < 500; i++) {
      const original = parseNotebook(generate(next));
      const fresh = original.cells.map(({ format: _, ...cell }) => createCell(cell.kind, cell.source, cell));
      const reparsed = parseNotebook(writeNotebook({ cells: fresh }));
      const shape = (cells: typeof fresh) => cells.map((c) => [c.kind, c.name, c.analysis, c.attributes]);
      // markdown cells may merge or lose blank edges; code cells keep kind, name, attributes and source
      const code = (cells: typeof fresh) => cells.filter((c) => c.kind !== 'markdown');
      expect(shape(code(reparsed.cells))).toEqual(shape(code(fresh)));
      expect(code(reparsed.cells).map((c) => c.source)).toEqual(code(fresh).map((c) => c.source));
    }
  });
});

describe('fence info', () => {
  test('reads id, attributes and quoted values', () => {
    expect(parseFenceInfo('funnel id=f title="Signup to purchase" hidden')).toEqual({
      language: 'funnel', id: 'f', attributes: { title: 'Signup to purchase', hidden: '' },
    });
    expect(formatFenceInfo({ language: 'funnel', id: 'f', attributes: { title: 'Signup to purchase', hidden: '' } }))
      .toBe('funnel id=f title="Signup to purchase" hidden');
  });
});

describe('notebookTitle', () => {
  test('front matter title, else the first # heading, else Untitled', () => {
    expect(notebookTitle(parseNotebook(EXAMPLE))).toBe('Weekly retention');
    expect(notebookTitle(parseNotebook('Intro\n\n## Sub\n\n# Main ##\n'))).toBe('Main');
    expect(notebookTitle(parseNotebook('```sql\nSELECT 1\n```\n'))).toBe('Untitled');
  });
});
