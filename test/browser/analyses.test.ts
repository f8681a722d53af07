import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { PreviewServer } from 'vite';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, serveApp, shownRows, showsValue } from './browser.ts';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '..', '..');
const SAMPLE = 'public/samples/shop-events.csv';

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

/** `cohortbook analyze` on the sample log the page opened, with the spec the cell holds. */
async function cliRows(kind: string, spec: Record<string, unknown>): Promise<Record<string, unknown>[]> {
  const { stdout } = await run(process.execPath, ['bin/cohortbook.js', 'analyze', '--events', SAMPLE, '--spec', JSON.stringify({ ...spec, kind })], { cwd: ROOT, maxBuffer: 64 << 20 });
  return JSON.parse(stdout).rows;
}

// Every analysis a person can add from the menu (but survey: the sample log has no answers) runs on
// the sample log, shows its default chart
// and formula, and its table shows the numbers `cohortbook analyze` gives for the same spec on the
// same file: the rows of the first page, column by column.
test.each(['trends', 'paths', 'retention', 'funnel', 'lifecycle', 'stickiness', 'active_users', 'churn', 'ltv', 'purchases', 'rfm', 'sessions', 'ab_test', 'growth'])(
  '%s added from the menu shows the numbers of cohortbook analyze, its chart and formula', async (kind) => {
    const cells = page.locator('cb-notebook > cb-cell');
    const before = await cells.count();
    await page.locator('cb-notebook .add.last select').selectOption(kind);
    await expect.poll(() => cells.count()).toBe(before + 1);
    const cell = cells.nth(before);
    await expect.poll(async () => (await cell.getByTestId('row-count').textContent().catch(() => null))
      ?? (await cell.getByTestId('cell-error').textContent().catch(() => null)), { timeout: 60_000 }).toMatch(/^\d[\d,]* rows?$/);
    await expect.poll(() => cell.locator('.status-running, .status-queued').count()).toBe(0);
    const spec = JSON.parse(await cell.evaluate((el) => (el as unknown as { cell: { source: string } }).cell.source));
    const expected = await cliRows(kind, spec);
    expect(await cell.getByTestId('row-count').textContent()).toBe(`${expected.length.toLocaleString('en-US')} ${expected.length === 1 ? 'row' : 'rows'}`);
    const shown = await shownRows(cell.locator('cb-table-view table').first());
    expect(shown.length).toBeGreaterThan(0);
    const columns = Object.keys(shown[0]);
    expect(columns.length).toBeGreaterThan(1);
    let numbers = 0;
    shown.forEach((row, i) => {
      for (const column of columns) {
        const value = expected[i][column];
        expect(showsValue(row[column], value), `row ${i} ${column}: shown "${row[column]}", cohortbook analyze gives ${JSON.stringify(value)}`).toBe(true);
        if (typeof value === 'number' && value !== 0) numbers++;
      }
    });
    // not a table of zeros and blanks
    expect(numbers).toBeGreaterThan(0);
    await expect.poll(() => cell.locator('.chart svg').locator('rect, path, circle, line, text').count()).toBeGreaterThan(3);
    await expect(cell.locator('.formula').textContent()).resolves.toMatch(/\S/);
  });

// The paths chart's nodes rewrite the spec: "Start here" on a node sets start_event, and the cell
// runs again with the numbers `cohortbook analyze` gives for the new spec.
test('paths: clicking a node and "Start here" rewrites the spec and runs it', async () => {
  const cells = page.locator('cb-notebook > cb-cell');
  const before = await cells.count();
  await page.locator('cb-notebook .add.last select').selectOption('paths');
  await expect.poll(() => cells.count()).toBe(before + 1);
  const cell = cells.nth(before);
  const node = cell.locator('.chart rect[data-name="add_to_cart"]').first();
  await node.waitFor({ timeout: 60_000 });
  await node.click();
  await cell.getByRole('menuitem', { name: 'Start here (add_to_cart)' }).click();
  await expect.poll(async () => JSON.parse(await cell.evaluate((el) => (el as unknown as { cell: { source: string } }).cell.source)).start_event, { timeout: 30_000 }).toBe('add_to_cart');
  await expect.poll(() => cell.locator('.chart rect[data-step="1"]').count(), { timeout: 60_000 }).toBe(1);
  await expect.poll(() => cell.locator('.status-running, .status-queued').count()).toBe(0);
  const spec = JSON.parse(await cell.evaluate((el) => (el as unknown as { cell: { source: string } }).cell.source));
  const expected = await cliRows('paths', spec);
  const shown = await shownRows(cell.locator('cb-table-view table').first());
  expect(shown[0].source).toBe('add_to_cart');
  expect(showsValue(shown[0].sessions, expected[0].sessions)).toBe(true);
  await cell.screenshot({ path: 'test-results/paths-start-here.png' });
  // the keyboard: a node takes the focus, Enter opens the same menu
  await cell.locator('.chart rect[data-name="checkout"]').first().focus();
  await page.keyboard.press('Enter');
  await expect.poll(() => cell.getByRole('menuitem', { name: 'End here (checkout)' }).count()).toBe(1);
  await page.keyboard.press('Escape');
  await expect.poll(() => cell.getByRole('menuitem').count()).toBe(0);
});
