import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { PreviewServer } from 'vite';
import type { Browser, Locator, Page } from 'playwright-core';
import { tableFromArrays, tableToIPC, type Table } from 'apache-arrow';
import { ipcToParquet } from '../../src/engine/parquet.ts';
import '../../src/engine/node.ts';
import { launchChromium, serveApp, shownRows } from './browser.ts';

let server: PreviewServer;
let browser: Browser;
let page: Page;

const cells = () => page.locator('cb-notebook > cb-cell');

async function addSqlCell(code: string): Promise<Locator> {
  const before = await cells().count();
  await page.locator('cb-notebook .add.last button', { hasText: '+ SQL' }).click();
  // the default 1 s ran out once on a loaded machine, right after the 10M-row table was drawn
  await expect.poll(() => cells().count(), { timeout: 10_000 }).toBe(before + 1);
  const cell = cells().nth(before);
  await cell.locator('.cm-content').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(code);
  await page.keyboard.press('Control+Enter');
  return cell;
}

/**
 * Watches the page's main thread with the Long Tasks API; `stop` returns the longest task (ms) seen
 * since, or 0 when no task took 50 ms or more.
 */
async function watchLongTasks(): Promise<() => Promise<number>> {
  await page.evaluate(() => {
    const w = window as unknown as { __longest: number; __observer: PerformanceObserver };
    w.__longest = 0;
    w.__observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) w.__longest = Math.max(w.__longest, entry.duration);
    });
    w.__observer.observe({ type: 'longtask' });
  });
  return () => page.evaluate(() => {
    const w = window as unknown as { __longest: number; __observer: PerformanceObserver };
    w.__observer.disconnect();
    return w.__longest;
  });
}

beforeAll(async () => {
  let url: string;
  ({ url, server } = await serveApp());
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1400, height: 1000 } })).newPage();
  await page.goto(url);
  await page.getByTestId('summary-rows').waitFor({ timeout: 60_000 });
  await page.locator('cb-notebook > cb-cell').first().waitFor();
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((done) => server?.httpServer.close(() => done()));
});

/** A log of `rows` events of 50,000 users, one a minute from 2024-01-01, times in epoch seconds. */
function bigLog(rows: number): Table {
  const start = Date.parse('2024-01-01T00:00:00Z');
  const events = ['signup', 'view', 'purchase', 'open_help'];
  return tableFromArrays({
    user_id: Array.from({ length: rows }, (_, i) => `user-${(i * 7919) % 50_000}`),
    event: Array.from({ length: rows }, (_, i) => events[i % events.length]),
    ts: Float64Array.from({ length: rows }, (_, i) => (start + i * 60_000) / 1000),
    revenue: Float64Array.from({ length: rows }, (_, i) => (i % 10 === 0 ? i % 97 : 0)),
  });
}

// Parquet decoding (parquet-wasm), JSON parsing and keeping the file in IndexedDB (a Uint8Array is
// serialised on the main thread) froze the page for 0.3 to 0.7 s with these files, and for seconds
// with larger ones.
test.each([
  // in row groups of 100,000 rows: they go into DuckDB one at a time, and every one of them arrives
  { format: 'Parquet', name: 'big-log.parquet', rows: 400_000, bytes: (log: Table) => ipcToParquet(tableToIPC(log, 'stream'), { maxRowGroupRows: 100_000 }) },
  { format: 'NDJSON', name: 'big-log.ndjson', rows: 100_000, bytes: async (log: Table) => log.toArray().map((row) => JSON.stringify(row.toJSON())).join('\n') },
])('loading a large $format file never blocks the page: it is decoded off the main thread', async ({ name, rows, bytes }) => {
  // from a file on disk: a `buffer` upload would be decoded by Playwright's own script on the
  // page's main thread (about a second for 5 MB), which is not the app's doing
  const dir = mkdtempSync(join(tmpdir(), 'cohortbook-'));
  const file = join(dir, name);
  writeFileSync(file, await bytes(bigLog(rows)));
  try {
    // the notebook's cells first finish what they are doing (they draw their charts on the main thread)
    await expect.poll(() => page.locator('cb-cell .status-running, cb-cell .status-queued').count(), { timeout: 60_000 }).toBe(0);
    await page.waitForTimeout(500);
    const stop = await watchLongTasks();
    await page.getByTestId('file-input').setInputFiles(file);
    await expect.poll(() => page.getByTestId('summary-rows').textContent(), { timeout: 30_000, interval: 50 }).toBe(rows.toLocaleString('en-US'));
    const longestTask = await stop();
    expect(await page.getByTestId('load-error').count()).toBe(0);
    expect(longestTask).toBeLessThan(100);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);

test('the page stays responsive while DuckDB scans 10M events, and a long query can be cancelled', async () => {
  const big = await addSqlCell(`SELECT 'u' || (i % 1000000) AS user_id, 'e' || (i % 20) AS event,
  TIMESTAMP '2024-01-01' + to_seconds(i * 3) AS ts FROM range(10000000) t(i)`);
  // a named cell becomes a table: 10M events built inside the worker
  await expect.poll(() => big.getByTestId('row-count').textContent().catch(() => null), { timeout: 120_000 }).toBe('10,000,000 rows');
  const name = (await big.locator('header .name').textContent())!;

  // the instrument sees a task that blocks the main thread for 150 ms
  const probe = await watchLongTasks();
  await page.evaluate(() => { setTimeout(() => { const start = performance.now(); while (performance.now() - start < 150); }, 0); });
  await page.waitForTimeout(400);
  expect(await probe()).toBeGreaterThanOrEqual(150);

  const stop = await watchLongTasks();
  const weekly = await addSqlCell(`SELECT date_trunc('week', ts) AS week, count(DISTINCT user_id) AS users, count(*) AS events
FROM ${name} GROUP BY 1 ORDER BY 1`);
  // 10M events 3 s apart span 347 days, weeks 0..49 from Monday 2024-01-01: 201,600 events (and as
  // many people, i % 1M) in each full week, 121,600 in the last
  await expect.poll(() => weekly.getByTestId('row-count').textContent().catch(() => null), { timeout: 120_000 }).toBe('50 rows');
  const longestTask = await stop();
  const weeks = await shownRows(weekly.locator('cb-table-view table').first());
  expect(weeks[0].week).toMatch(/^2024-01-01/);
  expect([weeks[0].users, weeks[0].events, weeks[1].events]).toEqual(['201,600', '201,600', '201,600']);
  const sorted = weekly.locator('cb-table-view th', { hasText: 'week' });
  await sorted.click();
  await sorted.click();
  await expect.poll(async () => (await shownRows(weekly.locator('cb-table-view table').first()))[0]).toMatchObject({ users: '121,600', events: '121,600' });
  expect(longestTask).toBeLessThan(100);

  const slow = await addSqlCell(`SELECT count(*) AS n FROM ${name} a JOIN ${name} b ON a.event = b.event WHERE a.ts < b.ts`);
  await slow.getByRole('button', { name: 'Cancel' }).click({ timeout: 30_000 });
  await expect.poll(() => slow.getByTestId('cell-error').textContent().catch(() => null), { timeout: 30_000 }).toBe('cancelled');
  const after = await addSqlCell(`SELECT count(*) AS n FROM ${name}`);
  await expect.poll(() => after.locator('tbody td').first().textContent().catch(() => null), { timeout: 60_000 }).toBe('10,000,000');
}, 300_000);
