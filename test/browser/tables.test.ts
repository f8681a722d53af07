import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { openApp, shownRows, type OpenApp } from './browser.ts';

let app: OpenApp;
let page: Page;
let big: Locator;

const cells = () => page.locator('cb-notebook > cb-cell');

async function addSqlCell(code: string): Promise<Locator> {
  const before = await cells().count();
  await page.locator('cb-notebook .add.last button', { hasText: '+ SQL' }).click();
  const cell = cells().nth(before);
  await cell.locator('.cm-content').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(code);
  await page.keyboard.press('Control+Enter');
  return cell;
}

/** Types a filter and waits for the table to show the counts it should; returns how long that took (ms) and the longest main-thread task. */
async function filterTo(cell: Locator, text: string, counts: string): Promise<{ ms: number; longestTask: number }> {
  await page.evaluate(() => {
    const w = window as unknown as { __longest: number; __observer: PerformanceObserver };
    w.__longest = 0;
    w.__observer = new PerformanceObserver((list) => { for (const e of list.getEntries()) w.__longest = Math.max(w.__longest, e.duration); });
    w.__observer.observe({ type: 'longtask' });
  });
  const box = cell.getByTestId('table-filter');
  await box.fill('');
  const started = Date.now();
  await box.pressSequentially(text, { delay: 20 });
  await expect.poll(() => cell.getByTestId('table-counts').textContent(), { timeout: 10_000, interval: 20 }).toBe(counts);
  const ms = Date.now() - started - text.length * 20;
  const longestTask = await page.evaluate(() => {
    const w = window as unknown as { __longest: number; __observer: PerformanceObserver };
    w.__observer.disconnect();
    return w.__longest;
  });
  return { ms, longestTask };
}

beforeAll(async () => {
  app = await openApp({ clipboard: true });
  page = app.page;
  big = await addSqlCell(`SELECT i, 'item ' || i AS label, i % 7 AS bucket,
  'a long text that goes on and on and on, well past what one column of a table shows on a screen, row ' || i AS note
FROM range(100000) t(i)`);
  await big.getByTestId('row-count').filter({ hasText: '100,000 rows' }).waitFor({ timeout: 60_000 });
});

afterAll(async () => {
  await app?.close();
});

describe('result tables you can search', () => {
  test('filtering a 100,000-row result by a condition is quick and correct, with total and filtered counts', async () => {
    const table = big.locator('cb-table-view table');
    await expect(big.getByTestId('table-counts').textContent()).resolves.toBe('100,000 rows');
    const { ms, longestTask } = await filterTo(big, 'i > 99990', '9 of 100,000 rows');
    const rows = await shownRows(table);
    expect(rows.map((r) => r.i)).toEqual(['99,991', '99,992', '99,993', '99,994', '99,995', '99,996', '99,997', '99,998', '99,999']);
    console.log(`condition filter over 100,000 rows: ${ms} ms to the counts, longest task ${longestTask} ms`);
    expect(ms).toBeLessThan(1000);
    expect(longestTask).toBeLessThan(100);
    await filterTo(big, 'bucket = 3 and i < 30', '4 of 100,000 rows');
    expect((await shownRows(table)).map((r) => r.i)).toEqual(['3', '10', '17', '24']);
  });

  test('a text filter finds rows by any column; it is quick on 100,000 rows too', async () => {
    const { ms, longestTask } = await filterTo(big, 'item 4242', '11 of 100,000 rows');
    console.log(`text filter over 100,000 rows: ${ms} ms to the counts, longest task ${longestTask} ms`);
    expect(ms).toBeLessThan(1000);
    expect(longestTask).toBeLessThan(100);
    const rows = await shownRows(big.locator('cb-table-view table'));
    expect(rows.map((r) => r.label)).toEqual(['item 4242', ...Array.from({ length: 10 }, (_, k) => `item 4242${k}`)].slice(0, 10));
    await page.screenshot({ path: 'test-results/table-filter.png' });
  });

  test('sorting by a column is kept while the filter changes and when the cell runs again', async () => {
    await filterTo(big, 'i < 20', '20 of 100,000 rows');
    const header = big.locator('cb-table-view th', { hasText: 'bucket' });
    await header.click();
    await header.click();
    await expect(header.getAttribute('aria-sort')).resolves.toBe('descending');
    expect((await shownRows(big.locator('cb-table-view table'))).slice(0, 3).map((r) => [r.i, r.bucket])).toEqual([['6', '6'], ['13', '6'], ['5', '5']]);
    await filterTo(big, 'i < 10', '10 of 100,000 rows');
    expect((await shownRows(big.locator('cb-table-view table'))).slice(0, 2).map((r) => r.i)).toEqual(['6', '5']);
    await big.getByRole('button', { name: 'Run cell' }).click();
    await expect.poll(() => big.getByTestId('row-count').textContent().catch(() => null), { timeout: 60_000 }).toBe('100,000 rows');
    await expect(big.getByTestId('table-counts').textContent()).resolves.toBe('10 of 100,000 rows');
    await expect(header.getAttribute('aria-sort')).resolves.toBe('descending');
  });

  test('long text is cut with the whole value on hover; a cell and a column are copied', async () => {
    await filterTo(big, 'i = 7', '1 of 100,000 rows');
    const note = big.locator('cb-table-view tbody td').nth(3);
    const full = 'a long text that goes on and on and on, well past what one column of a table shows on a screen, row 7';
    // cut by its column's width, with an ellipsis, and whole on hover
    await expect(note.evaluate((td) => [td.scrollWidth > td.clientWidth, getComputedStyle(td).textOverflow])).resolves.toEqual([true, 'ellipsis']);
    await expect(note.getAttribute('title')).resolves.toBe(full);
    await note.click();
    await page.keyboard.press('Control+C');
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(full);
    await filterTo(big, 'i < 3', '3 of 100,000 rows');
    await big.locator('cb-table-view tbody td').first().click();
    // arrow keys move the selected cell, as in a spreadsheet
    await page.keyboard.press('ArrowRight');
    await big.getByRole('button', { name: 'Copy column' }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe('label\nitem 2\nitem 1\nitem 0');
  });
});
