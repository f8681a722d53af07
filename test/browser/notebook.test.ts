import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { PreviewServer } from 'vite';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { foreignRequests, launchChromium, recordRequests, serveApp } from './browser.ts';

let server: PreviewServer;
let url: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let requests: string[];

const cells = () => page.locator('cb-notebook > cb-cell');
const cellNamed = (name: string) => page.locator('cb-notebook > cb-cell', { has: page.locator('header .name', { hasText: new RegExp(`^${name}$`) }) });

/** Replaces a cell's code the way a person does: click, select all, type, Shift+Enter. */
async function typeInto(cell: Locator, code: string): Promise<void> {
  await cell.locator('.cm-content').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(code);
  await page.keyboard.press('Shift+Enter');
}

async function addCell(kind: '+ SQL' | '+ JavaScript'): Promise<Locator> {
  const before = await cells().count();
  await page.locator('cb-notebook .add.last button', { hasText: kind }).click();
  await expect.poll(() => cells().count()).toBe(before + 1);
  return cells().nth(before);
}

/** The text of every notebook autosaved in the page's IndexedDB (the app's store, read directly). */
function savedNotebookTexts(): Promise<string[]> {
  return page.evaluate(async () => {
    const request = <T>(r: IDBRequest<T>) => new Promise<T>((resolve, reject) => { r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
    // opening a database that does not exist would create it without the app's store
    if (!(await indexedDB.databases()).some((d) => d.name === 'cohortbook-notebooks')) return [];
    const db = await request(indexedDB.open('cohortbook-notebooks'));
    try {
      if (!db.objectStoreNames.contains('notebooks')) return [];
      const all = await request(db.transaction('notebooks').objectStore('notebooks').getAll());
      return all.map((n: { text: string }) => n.text);
    } finally {
      db.close();
    }
  });
}

beforeAll(async () => {
  ({ url, server } = await serveApp());
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  page = await context.newPage();
  requests = recordRequests(page);
  await page.goto(url);
  await page.getByTestId('summary-rows').waitFor({ timeout: 60_000 });
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((done) => server?.httpServer.close(() => done()));
});

describe('the notebook in Chromium', () => {
  test('opens the getting-started notebook and runs its cells on the sample log', async () => {
    await expect(page.getByTestId('notebook-title').textContent()).resolves.toBe('Getting started');
    const counts = cellNamed('event_counts');
    await expect.poll(() => counts.getByTestId('row-count').textContent().catch(() => null), { timeout: 30_000 }).toBe('6 rows');
    await expect(counts.locator('tbody tr').first().innerText()).resolves.toMatch(/^view_item\s+16,283\s+2,499$/);
  });

  test('editing a SQL cell re-runs the chart that reads it', async () => {
    const query = await addCell('+ SQL');
    await typeInto(query, 'SELECT platform, count(*) AS n FROM events GROUP BY platform ORDER BY platform');
    await expect.poll(() => query.getByTestId('row-count').textContent().catch(() => null), { timeout: 30_000 }).toBe('3 rows');
    const name = (await query.locator('header .name').textContent())!;
    const chart = await addCell('+ JavaScript');
    await typeInto(chart, `Plot.barX(${name}, { x: 'n', y: 'platform' }).plot({ height: 120 })`);
    await expect.poll(() => chart.locator('svg [aria-label="bar"] rect').count(), { timeout: 30_000 }).toBe(3);
    await typeInto(query, "SELECT platform, count(*) AS n FROM events WHERE platform <> 'web' GROUP BY platform ORDER BY platform");
    await expect.poll(() => chart.locator('svg [aria-label="bar"] rect').count(), { timeout: 30_000 }).toBe(2);
    await expect(chart.locator('svg').textContent()).resolves.not.toMatch(/web/);
    await page.screenshot({ path: 'test-results/notebook-edited.png', fullPage: true });
  });

  test('a retention cell added through its form shows the cohort heatmap', async () => {
    const before = await cells().count();
    await page.locator('cb-notebook .add.last select').selectOption('retention');
    await expect.poll(() => cells().count()).toBe(before + 1);
    const cell = cells().nth(before);
    const form = cell.locator('cb-analysis-form');
    await form.locator('select[aria-label="Period"]').selectOption('week');
    await form.locator('select[aria-label="Cohort by"]').selectOption('signup');
    await form.locator('select[aria-label="Came back to"]').selectOption('purchase');
    await expect.poll(() => cell.getByTestId('row-count').textContent().catch(() => null), { timeout: 60_000 }).toMatch(/^\d+ rows$/);
    const heatmap = cell.locator('.chart svg');
    await expect.poll(() => heatmap.locator('rect').count(), { timeout: 30_000 }).toBeGreaterThan(20);
    await expect(cell.locator('tbody tr').first().innerText()).resolves.toMatch(/^2024-01-29\t/); // 8 weekly cohorts ending with the last event's week
    const spec = JSON.parse(await cell.evaluate((el) => (el as unknown as { cell: { source: string } }).cell.source));
    expect(spec).toMatchObject({ period: 'week', start_event: 'signup', return_event: 'purchase' });
    await cell.screenshot({ path: 'test-results/retention-cell.png' });
  });

  test('an error shows on the cell that has it; the others keep working', async () => {
    const errors = page.locator('cb-notebook [data-testid=cell-error]');
    const errorsBefore = await errors.count();
    const broken = await addCell('+ SQL');
    await typeInto(broken, 'SELECT no_such_column FROM events');
    await expect.poll(() => broken.getByTestId('cell-error').textContent().catch(() => null), { timeout: 30_000 }).toMatch(/no_such_column/);
    await expect(errors.count()).resolves.toBe(errorsBefore + 1);
    await expect(cellNamed('event_counts').getByTestId('row-count').textContent()).resolves.toBe('6 rows');
    await typeInto(broken, 'SELECT count(*) AS n FROM events');
    await expect.poll(() => broken.getByTestId('row-count').textContent().catch(() => null), { timeout: 30_000 }).toBe('1 row');
    await expect(errors.count()).resolves.toBe(errorsBefore);
  });

  test('a reload brings the notebook and its data back as they were', async () => {
    const before = await cells().count();
    const names = await page.locator('cb-notebook > cb-cell header .name').allTextContents();
    const lastSource = 'SELECT count(*) AS n FROM events';
    const lastQuery = cells().filter({ has: page.locator('.cm-content', { hasText: lastSource }) });
    // autosave is debounced: wait until IndexedDB holds the last edit, not for a time
    await expect.poll(() => savedNotebookTexts(), { timeout: 30_000 })
      .toContainEqual(expect.stringMatching(/SELECT count\(\*\) AS n FROM events\n```/));
    expect((await savedNotebookTexts()).some((text) => text.includes('no_such_column'))).toBe(false);
    await page.reload();
    await page.getByTestId('summary-rows').waitFor({ timeout: 60_000 });
    await expect.poll(() => cells().count(), { timeout: 30_000 }).toBe(before);
    await expect(page.locator('cb-notebook > cb-cell header .name').allTextContents()).resolves.toEqual(names);
    await expect(lastQuery.locator('.cm-content').innerText()).resolves.toBe(lastSource);
    await expect.poll(() => lastQuery.getByTestId('row-count').textContent().catch(() => null), { timeout: 30_000 }).toBe('1 row');
  });

  test('no request leaves the app', () => {
    expect(foreignRequests(requests, url)).toEqual([]);
  });
});
