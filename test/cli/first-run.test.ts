import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { notebookData, parseNotebook } from '../../src/notebook/index.ts';
import { cohortbook, ROOT } from '../helpers/cli.ts';
import { SMALL_LOG_SUMMARY } from '../helpers/fixtures.ts';
import { AWKWARD_FILE_NAMES, awkwardFileBytes } from '../helpers/file-names.ts';

// What a first-time user of the command line meets (issue 15): every file name loads, an event that
// never occurs is a warning, shipped notebooks run with no flags, and nothing loaded is one sentence.
let dir: string;
const funnelSpec = JSON.stringify({ kind: 'funnel', steps: ['signup', 'purchase', 'step three'] });
const RAW_DUCKDB = /(Catalog|Binder|Parser|Conversion|Invalid Input|IO) Error:/;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cohortbook-first-run-'));
  for (const name of AWKWARD_FILE_NAMES) writeFileSync(join(dir, name), await awkwardFileBytes(name));
  writeFileSync(join(dir, 'funnel.md'), `---
title: Funnel with a step nobody reached
---

\`\`\`funnel id=three_steps
${funnelSpec}
\`\`\`
`);
  writeFileSync(join(dir, 'no-data.md'), '# No data named\n\n```sql id=counts\nSELECT event, count(*) AS n FROM events GROUP BY 1\n```\n\n```sql\nSELECT * FROM counts\n```\n\n```funnel\n{"steps": ["a", "b"]}\n```\n');
});

describe('every file name loads', () => {
  test.concurrent.each(AWKWARD_FILE_NAMES)('cohortbook load --events "%s"', async (name) => {
    const { code, stdout, stderr } = await cohortbook('load', '--events', join(dir, name));
    expect(stderr).not.toMatch(RAW_DUCKDB);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ file: name, ...SMALL_LOG_SUMMARY });
  });

  test('and analyses run on it', async () => {
    const { code, stdout } = await cohortbook('analyze', '--events', join(dir, 'events.csv'), '--spec', '{"kind": "funnel", "steps": ["signup", "purchase"]}');
    expect(code).toBe(0);
    expect(JSON.parse(stdout).rows.map((r: { users: number }) => r.users)).toEqual([3, 2]);
  });
});

describe('an event that never occurs', () => {
  test('analyze computes the result and warns on stderr', async () => {
    const { code, stdout, stderr } = await cohortbook('analyze', '--events', join(dir, 'events.csv'), '--spec', funnelSpec);
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.rows.map((r: { users: number }) => r.users)).toEqual([3, 2, 0]);
    expect(result.meta.warnings).toEqual(['steps[2]: "step three" never occurs in the data']);
    expect(stderr).toMatch(/^warning: steps\[2\]: "step three" never occurs in the data$/m);
  });

  test('run warns on stderr and the HTML report keeps the warning beside the cell', async () => {
    const out = join(dir, 'funnel.html');
    const { code, stdout, stderr } = await cohortbook('run', join(dir, 'funnel.md'), '--data', `events=${join(dir, 'events.csv')}`, '--out', out);
    expect(code).toBe(0);
    expect(stderr).toMatch(/^cell 1 "three_steps": warning: steps\[2\]: "step three" never occurs in the data$/m);
    expect(JSON.parse(stdout).warnings).toEqual([{ cell: 1, name: 'three_steps', warning: 'steps[2]: "step three" never occurs in the data' }]);
    const html = readFileSync(out, 'utf8');
    expect(html).toMatch(/<ul class="warnings"><li>⚠ steps\[2\]: &quot;step three&quot; never occurs in the data<\/li><\/ul>/);
    // the report's table reads as people read it (the JSON keeps the numbers)
    expect(html).toMatch(/<td class="n">2<\/td><td>purchase<\/td><td class="n">2<\/td><td class="n" data-value="0\.666\d*">66\.7 %<\/td><td class="n" data-value="0\.666\d*">66\.7 %<\/td><td class="n" data-value="249749\.5">2 d 21 h<\/td>/);
  });
});

describe('shipped notebooks', () => {
  const shipped = readdirSync(join(ROOT, 'notebooks')).filter((f) => f.endsWith('.md'));

  test.each(shipped)('%s names its data in its front matter', (file) => {
    const notebook = parseNotebook(readFileSync(join(ROOT, 'notebooks', file), 'utf8'));
    expect(notebookData(notebook.frontMatter).length, file).toBeGreaterThan(0);
  });

  test('cohortbook run notebooks/getting-started.md works with no flags', async () => {
    const out = join(dir, 'getting-started.html');
    const { code, stderr } = await cohortbook('run', 'notebooks/getting-started.md', '--out', out);
    expect(stderr).toMatch(/loaded shop-events\.csv: 25,137 events of 2,500 users/);
    expect(stderr).not.toMatch(RAW_DUCKDB);
    expect(code).toBe(0);
  });

  test('a notebook that reads events with nothing loaded says so once, naming --data', async () => {
    const { code, stderr } = await cohortbook('run', join(dir, 'no-data.md'), '--out', join(dir, 'no-data.html'));
    expect(code).toBe(1);
    expect(stderr).not.toMatch(RAW_DUCKDB);
    const said = stderr.split('\n').filter((line) => /nothing is loaded/.test(line));
    expect(said).toEqual(['nothing is loaded, and 2 cells read the event log: name the notebook\'s data in its front matter (data: FILE), or run it with --data events=FILE']);
    expect(stderr).toMatch(/^cell 3: depends on "counts", which failed$/m);
  });
});
