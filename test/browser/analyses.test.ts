import { afterAll, beforeAll, expect, test } from 'vitest';
import type { PreviewServer } from 'vite';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, serveApp } from './browser.ts';

let server: PreviewServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  let url: string;
  ({ url, server } = await serveApp());
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1400, height: 1000 } })).newPage();
  await page.goto(url);
  await page.getByTestId('summary-rows').waitFor({ timeout: 60_000 });
  await page.getByRole('button', { name: 'New' }).click();
  await page.getByTestId('notebook-title').filter({ hasText: 'Untitled analysis' }).waitFor();
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((done) => server?.httpServer.close(() => done()));
});

// every analysis a person can add from the menu runs on the sample log and shows its default chart
test.each(['retention', 'funnel', 'lifecycle', 'stickiness', 'active_users', 'churn', 'ltv', 'purchases', 'rfm', 'sessions', 'ab_test', 'growth'])(
  '%s added from the menu shows rows and its chart', async (kind) => {
    const cells = page.locator('cb-notebook > cb-cell');
    const before = await cells.count();
    await page.locator('cb-notebook .add.last select').selectOption(kind);
    await expect.poll(() => cells.count()).toBe(before + 1);
    const cell = cells.nth(before);
    await expect.poll(async () => (await cell.getByTestId('row-count').textContent().catch(() => null))
      ?? (await cell.getByTestId('cell-error').textContent().catch(() => null)), { timeout: 60_000 }).toMatch(/^\d[\d,]* rows?$/);
    await expect(cell.locator('.chart svg').count()).resolves.toBeGreaterThan(0);
    await expect(cell.locator('.formula').textContent()).resolves.toMatch(/\S/);
  });

test('the page of analyses looks right', async () => {
  await page.screenshot({ path: 'test-results/analyses.png', fullPage: true });
});
