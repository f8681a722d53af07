import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { openApp, type OpenApp } from './browser.ts';

let app: OpenApp;
let page: Page;

const cells = () => page.locator('cb-notebook > cb-cell');
const palette = () => page.locator('cb-command-palette dialog');
const options = () => palette().locator('li[role=option]');

beforeAll(async () => {
  app = await openApp();
  page = app.page;
});

afterAll(async () => {
  await app?.close();
});

describe('the command palette', () => {
  test('Ctrl+K opens it; typing filters the actions, each with its shortcut; Enter adds a cell', async () => {
    await cells().first().locator('header').click();
    const before = await cells().count();
    await page.keyboard.press('Control+k');
    await expect(palette().isVisible()).resolves.toBe(true);
    await expect(page.locator('cb-command-palette input').evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement)).resolves.toBe(true);
    const all = await options().count();
    expect(all).toBeGreaterThan(40);
    await page.keyboard.type('run');
    const shown = await options().allTextContents();
    expect(shown.length).toBeLessThan(all);
    expect(shown.every((text) => /run/i.test(text))).toBe(true);
    await expect(options().filter({ hasText: 'Run the cell and go to the next' }).locator('kbd').textContent()).resolves.toBe('Shift+Enter');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('add sql');
    await expect(options().locator('.label').allTextContents()).resolves.toEqual(['SQL cell']);
    await palette().screenshot({ path: 'test-results/palette.png' });
    await page.keyboard.press('Enter');
    await expect(palette().isVisible()).resolves.toBe(false);
    await expect.poll(() => cells().count()).toBe(before + 1);
    // below the selected (first) cell, with the example query, editing
    await expect(cells().nth(1).locator('header .kind').textContent()).resolves.toBe('SQL');
  });

  test('arrow keys choose; the palette switches the theme and opens a shipped notebook', async () => {
    const theme = () => page.evaluate(() => document.documentElement.dataset.theme);
    const was = await theme();
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+k');
    await page.keyboard.type('theme');
    await page.keyboard.press('Enter');
    await expect.poll(theme).toBe(was === 'dark' ? 'light' : 'dark');
    await page.keyboard.press('Control+k');
    await page.keyboard.type('open');
    const titles = await options().locator('.label').allTextContents();
    const target = titles.indexOf('Why growth metrics lie');
    expect(target).toBeGreaterThanOrEqual(0);
    for (let i = 0; i < target; i++) await page.keyboard.press('ArrowDown');
    await expect(options().nth(target).getAttribute('aria-selected')).resolves.toBe('true');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('notebook-title').textContent(), { timeout: 30_000 }).toBe('Why growth metrics lie');
    await page.keyboard.press('Control+k');
    await page.keyboard.type('theme');
    await page.keyboard.press('Enter');
  });

  test('? shows the shortcut list; Escape closes it', async () => {
    await page.locator('cb-notebook').focus();
    await page.keyboard.press('?');
    const list = page.locator('cb-command-palette [data-testid=shortcut-list]');
    await expect(list.isVisible()).resolves.toBe(true);
    const rows = await list.locator('tr').allTextContents();
    for (const key of ['Ctrl+K', 'Shift+Enter', 'D D', 'Alt+↑', 'Ctrl+S']) expect(rows.some((row) => row.endsWith(key))).toBe(true);
    await palette().screenshot({ path: 'test-results/shortcuts.png' });
    await page.keyboard.press('Escape');
    await expect(palette().isVisible()).resolves.toBe(false);
  });
});
