// The static build (dist/) hosted as a static site under a deep path, by a plain file server:
// every request the page makes stays under that path, and the service worker is scoped to it.
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { build } from 'vite';
import sirv from 'sirv';
import type { Browser } from 'playwright-core';
import { launchChromium, recordRequests } from './browser.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const BASE = '/team/analytics/cohortbook/';
let server: Server;
let site: string;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'dist', 'index.html'))) await build({ root: ROOT, logLevel: 'warn' });
  const files = sirv(join(ROOT, 'dist'), { dev: true });
  server = createServer((req, res) => {
    const notFound = () => { res.statusCode = 404; res.end(); };
    if (!req.url?.startsWith(BASE)) return notFound();
    req.url = req.url.slice(BASE.length - 1);
    files(req, res, notFound);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  site = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}${BASE}`;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((done) => server?.close(() => done()));
});

test('under any path: relative asset addresses, the sample log, and a service worker scoped to that path', async () => {
  const context = await browser.newContext({ serviceWorkers: 'allow' });
  const page = await context.newPage();
  const requests = recordRequests(page);
  await page.goto(site);
  await expect.poll(() => page.getByTestId('summary-rows').textContent().catch(() => null), { timeout: 60_000 }).toBe('25,137');
  const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
  expect(scope).toBe(site);
  const outside = requests.filter((url) => !/^(data|blob):/.test(url) && !url.startsWith(site));
  expect(outside).toEqual([]);
  expect(requests.some((url) => url.startsWith(`${site}assets/`) && url.endsWith('.wasm'))).toBe(true);
  // The plain file server sends no isolation headers: the first visit runs DuckDB on one thread.
  // From the next visit on the service worker answers with them, and the page gets both cores.
  await expect(page.evaluate(() => crossOriginIsolated)).resolves.toBe(false);
  await expect.poll(() => page.getByTestId('engine-status').textContent(), { timeout: 30_000 }).toMatch(/· 1 thread ·/);
  const threads = Math.min(4, await page.evaluate(() => navigator.hardwareConcurrency));
  await page.reload();
  await expect.poll(() => page.getByTestId('engine-status').textContent(), { timeout: 60_000 }).toContain(`· ${threads} threads ·`);
  await expect(page.evaluate(() => crossOriginIsolated)).resolves.toBe(true);
  await context.close();
});
