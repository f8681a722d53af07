import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, test } from 'vitest';

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
  writeFileSync(join(dir, 'broken.md'), '# Broken\n\n```sql id=a\nSELECT nope FROM events\n```\n\n```sql id=b\nSELECT 1 AS one\n```\n');
});

describe('cohortbook run', () => {
  test('renders a notebook headless to a static report with tables, charts and values', async () => {
    const out = join(dir, 'report.html');
    const { code, stdout, stderr } = await cohortbook('run', join(dir, 'report.md'), '--data', `events=${join(dir, 'orders.csv')}`, '--map', 'event=:purchase', '--out', out);
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

  test('a missing notebook is named', async () => {
    const { code, stderr } = await cohortbook('run', join(dir, 'nope.md'), '--out', join(dir, 'x.html'));
    expect(code).toBe(1);
    expect(stderr).toMatch(/^cohortbook: notebook ".*nope\.md": not found$/m);
  });
});
