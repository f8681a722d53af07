import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { openApp, type OpenApp } from './browser.ts';

let app: OpenApp;
let page: Page;

const cells = () => page.locator('cb-notebook > cb-cell');
const cellNamed = (name: string) => cells().filter({ has: page.locator('header .name', { hasText: new RegExp(`^${name}$`) }) });
const source = (cell: Locator) => cell.evaluate((el) => (el as unknown as { cell: { source: string } }).cell.source);

beforeAll(async () => {
  app = await openApp();
  page = app.page;
});

afterAll(async () => {
  await app?.close();
});

describe('the chart builder', () => {
  test('proposes bars for a category and a number, previews live, and inserts a JS cell whose chart renders', async () => {
    const counts = cellNamed('event_counts');
    const index = await counts.evaluate((el) => [...(el.parentNode as ParentNode).children].filter((e) => e.tagName === 'CB-CELL').indexOf(el as Element));
    await counts.getByTestId('open-chart-builder').click();
    const dialog = counts.locator('cb-chart-builder dialog');
    await expect(dialog.isVisible()).resolves.toBe(true);
    await expect(dialog.locator('select[aria-label="Mark"]').inputValue()).resolves.toBe('bar');
    await expect(dialog.locator('select[aria-label="X"]').inputValue()).resolves.toBe('event');
    await expect(dialog.locator('select[aria-label="Y"]').inputValue()).resolves.toBe('events');
    const preview = dialog.getByTestId('chart-preview');
    await expect(preview.locator('[aria-label="bar"] rect').count()).resolves.toBe(6);
    // largest first: view_item has the most events
    await expect(preview.locator('[aria-label="x-axis tick label"] text').first().textContent()).resolves.toBe('view_item');
    await dialog.locator('select[aria-label="Y"]').selectOption('people');
    await dialog.locator('select[aria-label="Sort bars"]').selectOption('value, smallest first');
    await expect.poll(() => preview.locator('[aria-label="x-axis tick label"] text').first().textContent()).toBe('open_help');
    await expect(dialog.getByTestId('chart-code').textContent()).resolves.toContain('Plot.barY(event_counts, Plot.groupX({ y: "sum" }, { x: "event", y: "people", sort: { x: "y" } }))');
    await dialog.screenshot({ path: 'test-results/chart-builder.png' });
    await dialog.getByTestId('chart-insert').click();
    const inserted = cells().nth(index + 1);
    await expect(source(inserted)).resolves.toMatch(/^Plot\.plot\(\{\n/);
    await expect(inserted.locator('header .kind').textContent()).resolves.toBe('JavaScript');
    await expect.poll(() => inserted.locator('cb-cell-output svg [aria-label="bar"] rect').count(), { timeout: 30_000 }).toBe(6);
    await expect(inserted.locator('cb-cell-output svg [aria-label="x-axis tick label"] text').first().textContent()).resolves.toBe('open_help');
  });

  test('dates go on a time scale: a weekly count becomes a line', async () => {
    const before = await cells().count();
    await page.locator('cb-notebook .add.last button', { hasText: '+ SQL' }).click();
    const weekly = cells().nth(before);
    await weekly.locator('.cm-content').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText("SELECT date_trunc('week', ts) AS week, platform, count(*) AS events FROM events GROUP BY ALL ORDER BY 1");
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => weekly.getByTestId('row-count').textContent().catch(() => null), { timeout: 30_000 }).toMatch(/rows$/);
    await weekly.getByTestId('open-chart-builder').click();
    const dialog = weekly.locator('cb-chart-builder dialog');
    await expect(dialog.locator('select[aria-label="Mark"]').inputValue()).resolves.toBe('line');
    await expect(dialog.locator('select[aria-label="Colour"]').inputValue()).resolves.toBe('platform');
    await expect(dialog.getByTestId('chart-code').textContent()).resolves.toContain('x: { type: "utc", label: "week" }');
    await dialog.getByTestId('chart-insert').click();
    const inserted = cells().nth(before + 1);
    await expect.poll(() => inserted.locator('cb-cell-output svg [aria-label="line"] path').count(), { timeout: 30_000 }).toBe(3);
    await inserted.screenshot({ path: 'test-results/chart-inserted-line.png' });
  });
});
