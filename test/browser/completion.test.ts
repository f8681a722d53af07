import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { openApp, type OpenApp } from './browser.ts';

let app: OpenApp;
let page: Page;

const cells = () => page.locator('cb-notebook > cb-cell');
const completions = () => page.locator('cb-cell[selected] .cm-tooltip-autocomplete li .cm-completionLabel').allTextContents();

/**
 * Enter on the open list, once it has settled. CodeMirror ignores a key pressed within 75 ms of the
 * list appearing, and an async source may still replace the list under load; a person reads the
 * list before pressing Enter, so this waits until two looks 200 ms apart show the same options.
 */
async function accept(): Promise<void> {
  let last = '';
  await expect.poll(async () => {
    const now = (await completions()).join('\n');
    const settled = now !== '' && now === last;
    last = now;
    if (!settled) await page.waitForTimeout(200);
    return settled;
  }, { timeout: 10_000 }).toBe(true);
  await page.keyboard.press('Enter');
}

/** Adds a cell at the end and types into its editor, key by key, as a person does. */
async function typeInNewCell(kind: '+ SQL' | '+ JavaScript', text: string): Promise<Locator> {
  const before = await cells().count();
  await page.locator('cb-notebook .add.last button', { hasText: kind }).click();
  await expect.poll(() => cells().count()).toBe(before + 1);
  const cell = cells().nth(before);
  await cell.locator('.cm-content').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.type(text, { delay: 15 });
  return cell;
}

beforeAll(async () => {
  app = await openApp();
  page = app.page;
});

afterAll(async () => {
  await app?.close();
});

describe('completion from the live schema', () => {
  test('typing SELECT plat in a SQL cell over the sample offers platform, with its type', async () => {
    await typeInNewCell('+ SQL', 'SELECT plat');
    await expect.poll(completions, { timeout: 10_000 }).toContain('platform');
    await expect(page.locator('.cm-tooltip-autocomplete li', { hasText: 'platform' }).first().locator('.cm-completionDetail').textContent()).resolves.toBe('varchar');
    await accept();
    await expect(cells().last().locator('.cm-content').innerText()).resolves.toBe('SELECT platform');
    await page.screenshot({ path: 'test-results/completion-sql.png' });
  });

  test('the log\'s event names inside quotes after event =, an alias\'s columns, DuckDB\'s functions', async () => {
    const cell = await typeInNewCell('+ SQL', "SELECT count(*) FROM events e WHERE e.event = 'add");
    await expect.poll(completions, { timeout: 10_000 }).toEqual(['add_to_cart']);
    await accept();
    await expect(cell.locator('.cm-content').innerText()).resolves.toBe("SELECT count(*) FROM events e WHERE e.event = 'add_to_cart'");
    await page.keyboard.press('End');
    await page.keyboard.type(' AND e.cou', { delay: 15 });
    await expect.poll(completions, { timeout: 10_000 }).toContain('country');
    await page.keyboard.press('Escape');
    await page.keyboard.type(' AND list_so', { delay: 15 });
    await expect.poll(completions, { timeout: 10_000 }).toContain('list_sort');
    await page.keyboard.press('Escape');
  });

  test('a named cell result is a table whose columns complete after FROM it, and hovering a column shows its type', async () => {
    const counts = await typeInNewCell('+ SQL', 'SELECT country, count(*) AS people FROM events GROUP BY 1');
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => counts.getByTestId('row-count').textContent().catch(() => null), { timeout: 30_000 }).toMatch(/rows?$/);
    const name = (await counts.locator('header .name').textContent())!;
    const reader = await typeInNewCell('+ SQL', `SELECT  FROM ${name}`);
    await page.keyboard.press('Escape');
    await reader.locator('.cm-content').click();
    await page.keyboard.press('Home');
    for (let i = 0; i < 'SELECT '.length; i++) await page.keyboard.press('ArrowRight');
    await page.keyboard.type('peo', { delay: 15 });
    await expect.poll(completions, { timeout: 10_000 }).toContain('people');
    await accept();
    await expect(reader.locator('.cm-content').innerText()).resolves.toBe(`SELECT people FROM ${name}`);
    await page.keyboard.press('Control+A');
    await page.keyboard.type(`SELECT country FROM ${name}`, { delay: 5 });
    await page.keyboard.press('Escape');
    // over the middle of "country", found in the line's text
    const at = await reader.locator('.cm-line').first().evaluate((line) => {
      const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const index = node.textContent!.indexOf('country');
        if (index < 0) continue;
        const range = document.createRange();
        range.setStart(node, index + 2);
        range.setEnd(node, index + 4);
        const rect = range.getBoundingClientRect();
        return { x: rect.x + rect.width / 2, y: rect.y + rect.height / 2 };
      }
      return null;
    });
    await page.mouse.move(at!.x, at!.y);
    await expect.poll(() => page.locator('.cb-hover').textContent().catch(() => null), { timeout: 10_000 }).toBe(`country: varchar · ${name}`);
    await page.screenshot({ path: 'test-results/completion-hover.png' });
  });

  test('in a JS cell: names other cells define, and d. inside an Arquero verb offers the table\'s columns', async () => {
    await typeInNewCell('+ JavaScript', 'event_c');
    await expect.poll(completions, { timeout: 10_000 }).toContain('event_counts');
    await accept();
    await page.keyboard.type('.filter((d) => d.peo', { delay: 15 });
    await expect.poll(completions, { timeout: 10_000 }).toEqual(['people']);
    await accept();
    await expect(cells().last().locator('.cm-content').innerText()).resolves.toMatch(/^event_counts\.filter\(\(d\) => d\.people\)?$/);
    await page.screenshot({ path: 'test-results/completion-js.png' });
  });
});
