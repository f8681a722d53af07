import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { openApp, type OpenApp } from './browser.ts';

let app: OpenApp;
let page: Page;

// counted from the sample file itself, not through DuckDB
const csv = readFileSync('public/samples/shop-events.csv', 'utf8').trim().split('\n').map((line) => line.split(','));
const header = csv[0];
const values = (name: string) => csv.slice(1).map((row) => row[header.indexOf(name)]);
const eventCounts = new Map<string, number>();
for (const event of values('event')) eventCounts.set(event, (eventCounts.get(event) ?? 0) + 1);

const cells = () => page.locator('cb-notebook > cb-cell');
const column = (name: string) => page.locator('cb-data-panel cb-column-browser [data-testid=browser-column]', { has: page.locator(`.head button`, { hasText: new RegExp(`^${name}$`) }) });

beforeAll(async () => {
  app = await openApp();
  page = app.page;
});

afterAll(async () => {
  await app?.close();
});

describe('the column browser in the data panel', () => {
  test('lists each column with its type and profile: the distinct count of country is right', async () => {
    const country = column('country');
    await country.scrollIntoViewIfNeeded();
    await expect.poll(() => country.getByTestId('profile-distinct').textContent().catch(() => null), { timeout: 30_000 })
      .toBe(String(new Set(values('country')).size));
    await expect(country.locator('.type').textContent()).resolves.toBe('varchar');
    await expect(country.getByTestId('profile-nulls').textContent()).resolves.toBe('0');
    const revenue = column('revenue');
    await revenue.scrollIntoViewIfNeeded();
    // revenue is empty on every event but purchases
    const empty = values('revenue').filter((v) => v === '').length;
    await expect.poll(() => revenue.getByTestId('profile-nulls').textContent().catch(() => null), { timeout: 30_000 })
      .toBe(`${((empty / values('revenue').length) * 100).toFixed(1)} %`);
    await expect(revenue.locator('svg rect').count()).resolves.toBe(20);
    await page.locator('cb-data-panel').screenshot({ path: 'test-results/column-browser.png' });
  });

  test('the event column lists every event name with its count', async () => {
    const event = column('event');
    await event.scrollIntoViewIfNeeded();
    await expect.poll(() => event.locator('li').count(), { timeout: 30_000 }).toBe(eventCounts.size);
    const shown = await event.locator('li').evaluateAll((items) => items.map((li) => [li.querySelector('.value')!.textContent, li.querySelector('.n')!.textContent]));
    const expected = [...eventCounts].sort((a, b) => b[1] - a[1]).map(([name, n]) => [name, n.toLocaleString('en-US')]);
    expect(shown).toEqual(expected);
  });

  test('clicking a column inserts its name at the cursor; clicking an event name inserts it quoted', async () => {
    const before = await cells().count();
    await page.locator('cb-notebook .add.last button', { hasText: '+ SQL' }).click();
    const cell = cells().nth(before);
    await cell.locator('.cm-content').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText('SELECT  FROM events WHERE event = ');
    await page.keyboard.press('Home');
    for (let i = 0; i < 'SELECT '.length; i++) await page.keyboard.press('ArrowRight');
    await column('country').locator('.head button').click();
    await expect(cell.locator('.cm-content').innerText()).resolves.toBe('SELECT country FROM events WHERE event = ');
    await page.keyboard.press('End');
    await column('event').locator('li button', { hasText: /^purchase$/ }).click();
    await expect(cell.locator('.cm-content').innerText()).resolves.toBe("SELECT country FROM events WHERE event = 'purchase'");
  });
});

describe('the profile strip on a table output', () => {
  test('toggles a header strip with each column\'s profile', async () => {
    const counts = cells().filter({ has: page.locator('header .name', { hasText: /^event_counts$/ }) });
    await counts.getByTestId('toggle-profile').click();
    const strip = counts.getByTestId('profile-strip');
    await expect(strip.locator('[data-testid=profile-distinct]').allTextContents()).resolves.toEqual([String(eventCounts.size), String(eventCounts.size), String(eventCounts.size)]);
    await expect(strip.locator('th').first().locator('li').count()).resolves.toBe(5);
    await counts.screenshot({ path: 'test-results/profile-strip.png' });
    await counts.getByTestId('toggle-profile').click();
    await expect(strip.count()).resolves.toBe(0);
  });
});
