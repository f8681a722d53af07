import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { AWKWARD_FILE_NAMES, awkwardFileBytes } from '../helpers/file-names.ts';
import { openApp, type OpenApp } from './browser.ts';

// What a first-time user meets on the page (issue 15): every file name loads, and an event name
// that never occurs is a warning beside the cell's result, not an error.
let app: OpenApp;
let page: Page;
const RAW_DUCKDB = /(Catalog|Binder|Parser|Conversion|Invalid Input|IO) Error:/;
const rowCount = async () => (await page.getByTestId('summary-rows').textContent())?.replaceAll(',', '');

beforeAll(async () => {
  app = await openApp();
  page = app.page;
});

afterAll(async () => {
  await app?.close();
});

describe('every file name loads in the page', () => {
  test.each(AWKWARD_FILE_NAMES)('"%s"', async (name) => {
    await page.getByTestId('file-input').setInputFiles({ name, mimeType: 'application/octet-stream', buffer: Buffer.from(await awkwardFileBytes(name)) });
    const exactly = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
    await expect.poll(() => page.locator('cb-data-panel section.active', { has: page.locator('span', { hasText: exactly }) }).count(), { timeout: 30_000 }).toBe(1);
    expect(await rowCount()).toBe('5');
    expect((await page.getByTestId('load-error').allTextContents()).join(' ')).not.toMatch(RAW_DUCKDB);
  });

  test('all of them are kept side by side, one source each', async () => {
    const names = await page.locator('cb-data-panel section.source').evaluateAll((sections) => sections.map((s) => s.getAttribute('data-source')));
    expect(new Set(names).size).toBe(names.length);
    expect(names.length).toBeGreaterThanOrEqual(AWKWARD_FILE_NAMES.length);
  });
});

describe('an event that never occurs', () => {
  test('the cell shows the result with the warning beside it', async () => {
    const notebook = '# Warned\n\n```funnel id=three\n{"steps": ["signup", "purchase", "step three"]}\n```\n';
    await page.getByTestId('file-input').setInputFiles({ name: 'warned.md', mimeType: 'text/markdown', buffer: Buffer.from(notebook) });
    const cell = page.locator('cb-notebook > cb-cell', { has: page.locator('header .name', { hasText: /^three$/ }) });
    await expect.poll(() => cell.getByTestId('row-count').textContent().catch(() => null), { timeout: 30_000 }).toBe('3 rows');
    await expect(cell.getByTestId('cell-warnings').innerText()).resolves.toBe('steps[2]: "step three" never occurs in the data');
    await expect(cell.locator('tbody tr').nth(2).innerText()).resolves.toMatch(/^3\tstep three\t0\t0 %\t0 %/);
    expect(await cell.getByTestId('cell-error').count()).toBe(0);
    await cell.screenshot({ path: 'test-results/cell-warning.png' });
  });
});
