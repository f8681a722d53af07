import { afterAll, beforeAll, expect, test } from 'vitest';
import type { PreviewServer } from 'vite';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { smallLogFiles, SMALL_LOG_SUMMARY } from '../helpers/fixtures.ts';
import { launchChromium, serveApp, shownRows } from './browser.ts';
import { CONTENT_SECURITY_POLICY, CROSS_ORIGIN_ISOLATION_HEADERS, META_CONTENT_SECURITY_POLICY } from '../../src/ui/content-security-policy.ts';

let server: PreviewServer;
let url: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  ({ url, server } = await serveApp());
  browser = await launchChromium();
  context = await browser.newContext({ serviceWorkers: 'allow' });
  page = await context.newPage();
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', () => {
      const w = window as unknown as { __cspViolations?: number };
      w.__cspViolations = (w.__cspViolations ?? 0) + 1;
    });
  });
  await page.goto(url);
  await page.getByTestId('source-rows').first().waitFor({ timeout: 60_000 });
  // an active service worker has finished precaching the app
  await page.evaluate(async () => { await navigator.serviceWorker.ready; });
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((done) => server?.httpServer.close(() => done()));
});

test('after one visit the workspace loads and reads files with the network cut', async () => {
  await context.setOffline(true);
  const failed: string[] = [];
  page.on('requestfailed', (request) => failed.push(request.url()));
  await page.reload();
  // still cross-origin isolated from the cache, so DuckDB-WASM runs its threaded build: a thread per core, up to 4
  const threads = Math.min(4, await page.evaluate(() => navigator.hardwareConcurrency));
  await expect.poll(async () => page.getByTestId('engine-status').textContent(), { timeout: 60_000 })
    .toMatch(new RegExp(`DuckDB-WASM ready in \\d+ ms · ${threads} threads · offline`));
  await expect(page.evaluate(() => crossOriginIsolated)).resolves.toBe(true);
  await page.getByTestId('source-rows').first().waitFor({ timeout: 60_000 });
  // the sample notebook's retention cell runs offline and draws its heatmap
  const retention = page.locator('cb-notebook > cb-cell').filter({ has: page.locator('header .name', { hasText: /^weekly_retention$/ }) });
  await expect.poll(() => retention.locator('.chart svg rect').count(), { timeout: 60_000 }).toBeGreaterThan(20);
  const csv = 'user_id,event,ts\na,signup,2024-01-01T00:00:00Z\nb,signup,2024-01-02T00:00:00Z\na,purchase,2024-01-09T00:00:00Z\n';
  await page.getByTestId('file-input').setInputFiles({ name: 'offline.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await expect.poll(async () => page.locator('cb-data-panel section.active [data-testid=source-rows]').textContent(), { timeout: 30_000 }).toBe('3');
  // and the analyses re-run offline on the file just loaded: 8 weekly cohorts ending with the week
  // of its last event (Jan 8); a and b signed up in the week of Jan 1, a came back the week after
  const firstWeek = page.locator('cb-notebook > cb-cell').filter({ has: page.locator('header .name', { hasText: /^firstWeek$/ }) });
  await expect.poll(async () => (await shownRows(retention.locator('cb-table-view table').first()))[0]?.cohort, { timeout: 30_000 }).toBe('2023-11-20');
  await expect.poll(async () => (await shownRows(firstWeek.locator('cb-table-view table').first())).map((r) => [r.cohort, r.cohort_size, r.users].join(' ')), { timeout: 30_000 })
    .toEqual(['2023-11-20 0 0', '2023-11-27 0 0', '2023-12-04 0 0', '2023-12-11 0 0', '2023-12-18 0 0', '2023-12-25 0 0', '2024-01-01 2 1']);
  // Parquet is decoded in a worker of its own, with parquet-wasm: both come from the cache too
  const parquet = (await smallLogFiles())['small.parquet'];
  await page.getByTestId('file-input').setInputFiles({ name: 'offline.parquet', mimeType: 'application/vnd.apache.parquet', buffer: Buffer.from(parquet) });
  await expect.poll(async () => page.locator('cb-data-panel section.active [data-testid=source-rows]').textContent(), { timeout: 30_000 }).toBe(String(SMALL_LOG_SUMMARY.rows));
  expect(failed).toEqual([]);
});

test("offline, the service worker answers with the app's Content-Security-Policy, and the page carries it too (issue 14.4)", async () => {
  await context.setOffline(true);
  const served = await page.evaluate(async () => {
    const response = await fetch('./');
    return {
      policy: response.headers.get('content-security-policy'), controlled: !!navigator.serviceWorker.controller,
      opener: response.headers.get('cross-origin-opener-policy'), embedder: response.headers.get('cross-origin-embedder-policy'),
    };
  });
  expect(served).toEqual({
    policy: CONTENT_SECURITY_POLICY, controlled: true,
    opener: CROSS_ORIGIN_ISOLATION_HEADERS['Cross-Origin-Opener-Policy'], embedder: CROSS_ORIGIN_ISOLATION_HEADERS['Cross-Origin-Embedder-Policy'],
  });
  await expect(page.locator('meta[http-equiv=Content-Security-Policy]').getAttribute('content')).resolves.toBe(META_CONTENT_SECURITY_POLICY);
  // the policy holds in the page: a request elsewhere is refused before it leaves
  await context.setOffline(false);
  const refused = await page.evaluate(() => fetch('http://127.0.0.1:9/x').then(() => 'sent', (error: Error) => error.name));
  expect(refused).toBe('TypeError');
  await expect.poll(() => page.evaluate(() => (window as unknown as { __cspViolations?: number }).__cspViolations ?? 0)).toBeGreaterThan(0);
});
