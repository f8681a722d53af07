import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { PreviewServer } from 'vite';
import type { Browser, Page } from 'playwright-core';
import { BAD_FILES, badFileBytes } from '../helpers/bad-files.ts';
import { foreignRequests, launchChromium, recordRequests, serveApp } from './browser.ts';

const SAMPLE = resolve(import.meta.dirname, '..', '..', 'public', 'samples', 'shop-events.csv');
// Every sample row has a user and a time, so the events kept are the file's data lines.
const SAMPLE_ROWS = readFileSync(SAMPLE, 'utf8').trim().split('\n').length - 1;

let server: PreviewServer;
let url: string;
let browser: Browser;
let page: Page;
let requests: string[];

const rowCount = async () => (await page.getByTestId('summary-rows').textContent())?.replaceAll(',', '');

beforeAll(async () => {
  ({ url, server } = await serveApp());
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  requests = recordRequests(page);
  await page.goto(url);
  await page.getByTestId('summary-rows').waitFor({ timeout: 60_000 });
  await page.getByTestId('events-preview').locator('summary').click();
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((done) => server?.httpServer.close(() => done()));
});

describe('the data page in Chromium', () => {
  test('opens the sample event log on a first visit', async () => {
    expect(await rowCount()).toBe(String(SAMPLE_ROWS));
    // the preview table fills after the summary shows; wait for it rather than count at once
    await expect.poll(() => page.getByTestId('events-preview').locator('cb-table-view tbody tr').count(), { timeout: 15_000 }).toBe(10);
    await page.screenshot({ path: 'test-results/sample-loaded.png' });
  });

  test('loads a picked NDJSON file and shows its row count and mapping', async () => {
    const lines = [
      { distinct_id: 'a', event_name: 'signup', timestamp: 1704067200 },
      { distinct_id: 'b', event_name: 'signup', timestamp: 1704070800 },
      { distinct_id: 'a', event_name: 'purchase', timestamp: 1704153600, amount: 12.5 },
      { distinct_id: '', event_name: 'purchase', timestamp: 1704153600 },
    ].map((line) => JSON.stringify(line)).join('\n');
    await page.getByTestId('file-input').setInputFiles({ name: 'small.ndjson', mimeType: 'application/x-ndjson', buffer: Buffer.from(lines) });
    await expect.poll(rowCount, { timeout: 30_000 }).toBe('3');
    const mapping = page.locator('cb-data-panel section.active form');
    await expect(mapping.locator('#map-user_id').inputValue()).resolves.toBe('distinct_id');
    await expect(mapping.locator('#map-event').inputValue()).resolves.toBe('event_name');
    await expect(mapping.locator('#map-ts').inputValue()).resolves.toBe('timestamp');
    await expect(mapping.locator('#map-revenue').inputValue()).resolves.toBe('amount');
    await expect(page.locator('cb-data-panel section.active').innerText()).resolves.toMatch(/1 row left out/);
  });

  test.each(BAD_FILES)('$problem: the message names the file (or the import step opens) and the loaded data stays usable', async (file) => {
    await page.getByTestId('file-input').setInputFiles({ name: file.name, mimeType: 'application/octet-stream', buffer: Buffer.from(badFileBytes(file)) });
    if (file.importStep) {
      await page.getByTestId('import-step').waitFor({ timeout: 30_000 });
      await expect(page.getByTestId('import-reason').textContent()).resolves.toMatch(file.importStep);
      await page.getByTestId('import-cancel').click();
      await expect.poll(() => page.getByTestId('import-step').count()).toBe(0);
    } else {
      await expect.poll(async () => page.getByTestId('load-error').textContent().catch(() => null), { timeout: 30_000 }).toMatch(file.message);
    }
    expect(await rowCount()).toBe('3');
    await expect.poll(() => page.getByTestId('events-preview').locator('cb-table-view tbody tr').count(), { timeout: 15_000 }).toBe(3);
  });

  test('no request leaves the app', async () => {
    expect(requests.length).toBeGreaterThan(3);
    expect(foreignRequests(requests, url)).toEqual([]);
  });
});
