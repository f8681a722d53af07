// `cohortbook serve NOTEBOOK.md --data events=FILE` as a person runs it: the built app from this
// package on a local port (no Vite), opened in Chromium with that notebook and that data.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { build } from 'vite';
import type { Browser, Page } from 'playwright-core';
import { foreignRequests, launchChromium, recordRequests } from './browser.ts';
import { THREE_SIGNUPS } from '../helpers/three-signups.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'cohortbook.js');
let dir: string;
let browser: Browser;
const servers: ChildProcess[] = [];

// three people's signups and visits, counted by hand in the helper
const LOG = THREE_SIGNUPS;

const NOTEBOOK = `---
title: Served
---

# Served notebook

\`\`\`sql id=per_event
SELECT event, count(*) AS n FROM events GROUP BY 1 ORDER BY 1
\`\`\`

\`\`\`js id=total
per_event.rollup({ n: aq.op.sum('n') }).get('n', 0)
\`\`\`

\`\`\`retention id=weekly
{"period": "week", "start_event": "signup", "intervals": 3}
\`\`\`
`;

/** Starts `cohortbook <command> ...args --port 0` and resolves with the address it prints on stdout. */
function startServer(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ url: string; stderr: () => string }> {
  const child = spawn(process.execPath, [BIN, ...args, '--port', '0'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  servers.push(child);
  let stderr = '';
  child.stderr!.on('data', (chunk) => { stderr += chunk; });
  return new Promise((done, fail) => {
    child.once('exit', (code) => fail(new Error(`cohortbook ${args[0]} exited with ${code}: ${stderr}`)));
    createInterface({ input: child.stdout! }).once('line', (line) => done({ url: JSON.parse(line).url, stderr: () => stderr }));
  });
}

/** A GET with the Host header given, as a rebound DNS name would send it. */
function getWithHost(url: string, host: string): Promise<number> {
  return new Promise((done, fail) => {
    request(url, { headers: { host } }, (res) => { res.resume(); done(res.statusCode!); }).on('error', fail).end();
  });
}

const cellNamed = (page: Page, name: string) => page.locator('cb-notebook > cb-cell', { has: page.locator('header .name', { hasText: new RegExp(`^${name}$`) }) });

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'dist', 'index.html'))) await build({ root: ROOT, logLevel: 'warn' });
  dir = mkdtempSync(join(tmpdir(), 'cohortbook-serve-'));
  writeFileSync(join(dir, 'signups.csv'), LOG);
  writeFileSync(join(dir, 'served.md'), NOTEBOOK);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  for (const child of servers) child.kill();
});

describe('cohortbook serve', () => {
  test('serves the built app with the notebook and data given; the notebook runs in Chromium once trusted', async () => {
    const { url, stderr } = await startServer(['serve', 'served.md', '--data', 'events=signups.csv']);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?serve=[0-9a-f]{32}$/);
    await expect.poll(stderr).toMatch(/serving the cohortbook workspace with served\.md, events=signups\.csv at http:\/\/127\.0\.0\.1:\d+\/\?serve=/);
    const page = await browser.newPage();
    const requests = recordRequests(page);
    await page.goto(url);
    // the data given, not the sample: 6 events of 3 people
    await expect.poll(() => page.getByTestId('summary-rows').textContent().catch(() => null), { timeout: 60_000 }).toBe('6');
    await expect(page.getByTestId('notebook-title').textContent()).resolves.toBe('Served notebook');
    const perEvent = cellNamed(page, 'per_event');
    await expect.poll(() => perEvent.getByTestId('row-count').textContent().catch(() => null), { timeout: 30_000 }).toBe('2 rows');
    await expect(perEvent.locator('tbody tr').allInnerTexts()).resolves.toEqual(['signup\t3', 'visit\t3']);
    // a notebook from a file: its JavaScript waits for the person
    await expect(page.getByTestId('trust-banner').textContent()).resolves.toMatch(/came from served\.md/);
    await page.getByTestId('trust').click();
    await expect.poll(() => cellNamed(page, 'total').locator('pre').textContent().catch(() => null), { timeout: 30_000 }).toBe('6');
    const weekly = cellNamed(page, 'weekly');
    await expect.poll(() => weekly.getByTestId('row-count').textContent().catch(() => null), { timeout: 60_000 }).toBe('6 rows');
    await expect.poll(() => weekly.locator('.chart svg rect').count(), { timeout: 30_000 }).toBeGreaterThan(3);
    await page.screenshot({ path: 'test-results/serve.png', fullPage: true });
    // the token has left the address, and the page is cross-origin isolated (for DuckDB's threads)
    expect(new URL(page.url()).search).toBe('');
    await expect(page.evaluate(() => crossOriginIsolated)).resolves.toBe(true);
    expect(foreignRequests(requests, url)).toEqual([]);
    await page.close();
  });

  test('answers only to this machine, and the session only with its token', async () => {
    const { url } = await startServer(['serve', 'served.md', '--data', 'events=signups.csv']);
    const { origin, port, searchParams } = new URL(url);
    expect(await getWithHost(`${origin}/`, `127.0.0.1:${port}`)).toBe(200);
    expect(await getWithHost(`${origin}/`, `evil.example:${port}`)).toBe(403);
    expect((await fetch(`${origin}/cohortbook-serve?token=${'0'.repeat(32)}`)).status).toBe(404);
    expect((await fetch(`${origin}/cohortbook-serve/data/0`)).status).toBe(404);
    const session = await (await fetch(`${origin}/cohortbook-serve?token=${searchParams.get('serve')}`)).json();
    expect(session).toMatchObject({ notebook: { name: 'served.md', text: NOTEBOOK }, data: [{ source: 'events', name: 'signups.csv', size: LOG.length }], trusted: false });
    expect(await (await fetch(new URL(session.data[0].url, origin))).text()).toBe(LOG);
  });

  test('open hands the address to the browser ($BROWSER) and --trust runs JavaScript at once', async () => {
    const opened = join(dir, 'opened.txt');
    const fakeBrowser = join(dir, 'fake-browser.sh');
    writeFileSync(fakeBrowser, `#!/bin/sh\nprintf '%s' "$1" > '${opened}'\n`);
    chmodSync(fakeBrowser, 0o755);
    const { url } = await startServer(['open', 'served.md', '--data', 'events=signups.csv', '--trust'], { ...process.env, BROWSER: fakeBrowser });
    await expect.poll(() => (existsSync(opened) ? readFileSync(opened, 'utf8') : null), { timeout: 15_000 }).toBe(url);
    const page = await browser.newPage();
    await page.goto(url);
    await expect.poll(() => cellNamed(page, 'total').locator('pre').textContent().catch(() => null), { timeout: 60_000 }).toBe('6');
    await expect(page.getByTestId('trust-banner').count()).resolves.toBe(0);
    await page.close();
  });

  test('open on a machine with no display and no $BROWSER serves and says to open the address', async () => {
    const { DISPLAY, WAYLAND_DISPLAY, BROWSER, ...env } = process.env;
    const { url, stderr } = await startServer(['open'], env);
    await expect.poll(stderr).toMatch(/no browser to open here \(no display\): open the address above in one/);
    expect((await fetch(url)).status).toBe(200);
  });

  test('bad arguments fail before anything is served, each with its message', async () => {
    const fail = (...args: string[]) => startServer(args).then(() => 'served', (error: Error) => error.message);
    await expect(fail('serve', 'missing.md')).resolves.toMatch(/exited with 1: cohortbook: notebook "missing\.md": not found/);
    await expect(fail('serve', '--data', 'events=nowhere.csv')).resolves.toMatch(/exited with 1: cohortbook: nowhere\.csv: not found/);
    await expect(fail('serve', '--data', 'signups.csv')).resolves.toMatch(/exited with 2: cohortbook: --data takes name=FILE, not "signups\.csv"/);
  });
});
