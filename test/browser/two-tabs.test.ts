import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { PreviewServer } from 'vite';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, serveApp } from './browser.ts';

// No lost edits (issue 17, point 5): two tabs on one notebook, a full storage quota, a reload in
// the middle of an autosave.
let server: PreviewServer;
let url: string;
let browser: Browser;
let context: BrowserContext;
let first: Page;
let second: Page;

async function openTab(into: BrowserContext): Promise<Page> {
  const page = await into.newPage();
  await page.goto(url);
  await page.getByTestId('summary-rows').waitFor({ timeout: 60_000 });
  await page.locator('cb-notebook > cb-cell').first().waitFor({ timeout: 60_000 });
  return page;
}

/** Adds a SQL cell at the end and types `code` into it, as a person does. */
async function addSqlCell(page: Page, code: string): Promise<void> {
  const cells = page.locator('cb-notebook > cb-cell');
  const before = await cells.count();
  await page.locator('cb-notebook .add.last button', { hasText: '+ SQL' }).click();
  await expect.poll(() => cells.count()).toBe(before + 1);
  await cells.nth(before).locator('.cm-content').click();
  await page.keyboard.insertText(code);
  await page.keyboard.press('Escape');
}

/** Every notebook autosaved in the context's IndexedDB: id, title and text. */
function stored(page: Page): Promise<{ id: string; title: string; text: string }[]> {
  return page.evaluate(async () => {
    const request = <T>(r: IDBRequest<T>) => new Promise<T>((resolve, reject) => { r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
    const db = await request(indexedDB.open('cohortbook-notebooks'));
    try {
      const all = await request(db.transaction('notebooks').objectStore('notebooks').getAll());
      return all.map((n: { id: string; title: string; text: string }) => ({ id: n.id, title: n.title, text: n.text }));
    } finally {
      db.close();
    }
  });
}

const openId = (page: Page) => page.evaluate(() => (document.querySelector('cb-app') as unknown as { notebook: { id: string } }).notebook.id);
const banner = (page: Page) => page.getByTestId('other-tab-banner');

beforeAll(async () => {
  ({ url, server } = await serveApp());
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  first = await openTab(context);
  await first.waitForTimeout(800); // the first autosave: the second tab reopens this notebook
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((done) => server?.httpServer.close(() => done()));
});

describe('two tabs, one notebook', () => {
  test('the second tab is told the first owns the notebook; edits in both are kept, none over the other', async () => {
    second = await openTab(context);
    const id = await openId(first);
    expect(await openId(second)).toBe(id);
    await expect.poll(() => banner(second).count()).toBe(1);
    await expect(banner(second).textContent()).resolves.toMatch(/This notebook is open in another tab, which saves it\. Edits you make here are saved as a copy/);
    expect(await banner(first).count()).toBe(0);

    await addSqlCell(first, 'SELECT 1 AS edit_in_first_tab');
    await addSqlCell(second, 'SELECT 2 AS edit_in_second_tab');
    await expect.poll(async () => (await stored(first)).some((n) => n.text.includes('edit_in_second_tab')), { timeout: 15_000 }).toBe(true);
    await expect.poll(async () => (await stored(first)).find((n) => n.id === id)?.text.includes('edit_in_first_tab'), { timeout: 15_000 }).toBe(true);
    const all = await stored(first);
    const original = all.find((n) => n.id === id)!;
    const copy = all.find((n) => n.text.includes('edit_in_second_tab'))!;
    // the first tab's notebook never got the second tab's edit, and the copy is named as one
    expect(original.text).not.toMatch(/edit_in_second_tab/);
    expect(copy.id).not.toBe(id);
    expect(copy.title).toMatch(/\(copy\)$/);
    expect(await openId(second)).toBe(copy.id);
    await expect(second.getByTestId('notice').textContent()).resolves.toMatch(/saved as a copy/);
    // the second tab now owns its copy
    await expect.poll(() => banner(second).count()).toBe(0);
  });

  test('taking over: the owner saves first, then the other tab has its latest version; the first tab\'s later edit becomes a copy', async () => {
    const third = await openTab(context);
    await third.evaluate((id) => localStorage.setItem('cohortbook-last-notebook', id), await openId(first));
    await third.reload();
    await third.getByTestId('summary-rows').waitFor({ timeout: 60_000 });
    await expect.poll(() => banner(third).count(), { timeout: 30_000 }).toBe(1);
    // an edit the first tab has not autosaved yet (the take-over asks it to save first)
    await addSqlCell(first, 'SELECT 3 AS unsaved_in_first_tab');
    await third.getByTestId('take-over').click();
    await expect.poll(() => banner(third).count(), { timeout: 15_000 }).toBe(0);
    await expect.poll(() => third.evaluate(() => JSON.stringify((document.querySelector('cb-app') as unknown as { notebook: { cells: unknown[] } }).notebook.cells)), { timeout: 15_000 })
      .toMatch(/unsaved_in_first_tab/);
    await expect.poll(() => banner(first).textContent().catch(() => null), { timeout: 15_000 }).toMatch(/Another tab took this notebook over and saves it now/);
    const id = await openId(third);
    await addSqlCell(first, 'SELECT 4 AS after_take_over');
    await addSqlCell(third, 'SELECT 5 AS owner_now');
    await expect.poll(async () => (await stored(first)).some((n) => n.text.includes('after_take_over')), { timeout: 15_000 }).toBe(true);
    await expect.poll(async () => (await stored(first)).find((n) => n.id === id)?.text.includes('owner_now'), { timeout: 15_000 }).toBe(true);
    const all = await stored(first);
    expect(all.find((n) => n.id === id)!.text).not.toMatch(/after_take_over/);
    // every edit of every tab is somewhere
    for (const edit of ['edit_in_first_tab', 'edit_in_second_tab', 'unsaved_in_first_tab', 'after_take_over', 'owner_now']) {
      expect(all.some((n) => n.text.includes(edit)), edit).toBe(true);
    }
    await third.close();
  });
});

describe('storage that fails', () => {
  test('a full quota: a clear message, and the notebook still downloads with the edit', async () => {
    const full = await browser.newContext({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
    // the browser's answer when an origin's quota is used up, from the moment the page says so
    await full.addInitScript(() => {
      const put = IDBObjectStore.prototype.put;
      IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
        if ((window as unknown as { quotaFull?: boolean }).quotaFull) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        return put.apply(this, args);
      };
    });
    const page = await openTab(full);
    await page.evaluate(() => { (window as unknown as { quotaFull: boolean }).quotaFull = true; });
    await addSqlCell(page, 'SELECT 6 AS kept_in_the_download');
    await expect.poll(() => page.getByTestId('load-error').textContent().catch(() => null), { timeout: 15_000 })
      .toMatch(/^Autosave failed: this browser's storage for cohortbook is full, so the latest changes are not kept here\. The notebook is still open: download it with Save file \(Ctrl\+S\)/);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save file' }).click()]);
    const text = await new Promise<string>((resolve, reject) => {
      download.createReadStream().then((stream) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      }, reject);
    });
    expect(text).toMatch(/SELECT 6 AS kept_in_the_download/);
    await full.close();
  });

  test('a reload in the middle of an autosave brings back a complete version', async () => {
    const own = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const page = await openTab(own);
    await page.waitForTimeout(800);
    const before = (await stored(page))[0].text;
    await addSqlCell(page, `SELECT '${'x'.repeat(200_000)}' AS big_edit`);
    // the autosave starts 300 ms after the edit; reload while it writes
    await page.waitForTimeout(320);
    await page.reload();
    await page.getByTestId('summary-rows').waitFor({ timeout: 60_000 });
    const after = await stored(page);
    expect(after).toHaveLength(1);
    const text = after[0].text;
    // either the version before the edit or the one with all of it: never a part
    const complete = text === before || (text.includes(`'${'x'.repeat(200_000)}' AS big_edit`) && text.startsWith(before.slice(0, 200)));
    expect(complete).toBe(true);
    const shown = await page.locator('cb-notebook > cb-cell').count();
    expect(shown).toBeGreaterThan(0);
    await own.close();
  });
});
