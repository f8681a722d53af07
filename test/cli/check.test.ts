import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JSDOM } from 'jsdom';
import { beforeAll, describe, expect, test } from 'vitest';
import { cohortbook } from '../helpers/cli.ts';

let dir: string;

// c1 orders 30 + 8, c2 orders 12: revenue 50, 2 customers, 3 orders
const ORDERS = 'customer_id,created_at,total\nc1,2024-01-01T10:00:00Z,30\nc2,2024-01-02T10:00:00Z,12\nc1,2024-02-01T10:00:00Z,8\n';
const fence = (id: string, yaml: string) => `\`\`\`exercise id=${id}\n${yaml}\n\`\`\`\n`;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cohortbook-check-'));
  writeFileSync(join(dir, 'orders.csv'), ORDERS);
  writeFileSync(join(dir, 'good.md'), `# Orders\n\n${fence('revenue', 'question: Total revenue?\ncheck:\n  sql: SELECT sum(revenue) FROM events')}
${fence('buyers', 'question: Customers per number of orders\nanswer: table\ncheck: SELECT orders, count(*) AS customers FROM (SELECT user_id, count(*) AS orders FROM events GROUP BY 1) GROUP BY 1 ORDER BY 1')}
${fence('more', 'question: Do more customers order once or twice?\nanswer: choice\nchoices: [once, twice, as many]\ncheck: SELECT \'as many\'')}`);
  writeFileSync(join(dir, 'bad.md'), `# Bad\n\n${fence('none', 'question: No check here')}
${fence('typo', 'question: Revenue?\ncheck: SELECT sum(revenu) FROM events')}
${fence('ok', 'question: Orders?\ncheck: SELECT count(*) FROM events')}`);
  writeFileSync(join(dir, 'js.md'), `# JS\n\n${fence('clv', 'question: CLV of 50 a month for 24 months?\ncheck:\n  js: 50 * 24')}`);
  writeFileSync(join(dir, 'plain.md'), '# Nothing to check\n\n```sql\nSELECT 1\n```\n');
});

describe('cohortbook check', () => {
  test('every check runs on the data and prints the expected answers', async () => {
    const { code, stdout, stderr } = await cohortbook('check', join(dir, 'good.md'), '--data', `events=${join(dir, 'orders.csv')}`, '--map', 'event=:purchase');
    expect(code, stderr).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.exercises).toEqual([
      { cell: 2, name: 'revenue', answer: 'number', ok: true, expected: '50', value: 50 },
      { cell: 3, name: 'buyers', answer: 'table', ok: true, expected: '2 rows: orders, customers' },
      { cell: 4, name: 'more', answer: 'choice', ok: true, expected: 'as many', value: 'as many' },
    ]);
    expect(stderr).toContain('ok    revenue (number): 50');
    expect(stderr).toContain('3 of 3 exercises check');
  }, 60_000);

  test('an exercise without a check and a check that errs fail it, naming each', async () => {
    const { code, stdout, stderr } = await cohortbook('check', join(dir, 'bad.md'), '--data', `events=${join(dir, 'orders.csv')}`, '--map', 'event=:purchase');
    expect(code).toBe(1);
    const out = JSON.parse(stdout);
    expect(out.exercises.map((e: { name: string; ok: boolean }) => [e.name, e.ok])).toEqual([['none', false], ['typo', false], ['ok', true]]);
    expect(stderr).toContain('FAIL  none: this exercise has no check: add "check:" with the SQL (or "js:") that computes the expected answer');
    expect(stderr).toMatch(/FAIL {2}typo: .*revenu/);
    expect(stderr).toContain('1 of 3 exercises check; 2 failed');
  }, 60_000);

  test('a JavaScript check runs only with --trust; a notebook with no exercise is an error', async () => {
    const data = ['--data', `events=${join(dir, 'orders.csv')}`, '--map', 'event=:purchase'];
    const untrusted = await cohortbook('check', join(dir, 'js.md'), ...data);
    expect(untrusted.code).toBe(3);
    expect(untrusted.stderr).toContain('a JavaScript check runs only with --trust');
    const trusted = await cohortbook('check', join(dir, 'js.md'), ...data, '--trust');
    expect(trusted.code, trusted.stderr).toBe(0);
    expect(JSON.parse(trusted.stdout).exercises[0].expected).toBe('1,200');
    const plain = await cohortbook('check', join(dir, 'plain.md'), ...data);
    expect(plain.code).toBe(1);
    expect(plain.stderr).toContain('has no exercises to check');
    const usage = await cohortbook('check');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('check needs a notebook file: cohortbook check NOTEBOOK.md');
  }, 90_000);

  test('run --for student writes questions without the answers; --for teacher with them', async () => {
    const data = ['--data', `events=${join(dir, 'orders.csv')}`, '--map', 'event=:purchase'];
    const student = join(dir, 'student.html');
    const teacher = join(dir, 'teacher.html');
    expect((await cohortbook('run', join(dir, 'good.md'), ...data, '--for', 'student', '--out', student)).code).toBe(0);
    expect((await cohortbook('run', join(dir, 'good.md'), ...data, '--out', teacher)).code).toBe(0);
    const text = (file: string) => new JSDOM(readFileSync(file, 'utf8')).window.document.body.textContent!;
    expect(text(student)).toContain('Total revenue?');
    expect(text(student)).not.toMatch(/\b50\b/);
    expect(text(student)).not.toContain('SELECT sum(revenue)');
    expect(text(teacher)).toContain('Answer: 50');
    const bad = await cohortbook('run', join(dir, 'good.md'), ...data, '--for', 'pupil');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--for must be student or teacher, not "pupil"');
  }, 90_000);
});
