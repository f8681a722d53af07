import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { openApp, type OpenApp } from './browser.ts';

let app: OpenApp;
let page: Page;

// counted from the sample file itself
const csv = readFileSync('public/samples/shop-events.csv', 'utf8').trim().split('\n').map((line) => line.split(','));
const eventIndex = csv[0].indexOf('event');
const platformIndex = csv[0].indexOf('platform');
const count = (event: string, platform?: string) => csv.slice(1).filter((r) => r[eventIndex] === event && (!platform || r[platformIndex] === platform)).length;

const cells = () => page.locator('cb-notebook > cb-cell');
const source = (cell: Locator) => cell.evaluate((el) => (el as unknown as { cell: { source: string } }).cell.source);

async function addCell(button: string): Promise<Locator> {
  const before = await cells().count();
  await page.locator('cb-notebook .add.last button', { hasText: button }).click();
  await expect.poll(() => cells().count()).toBe(before + 1);
  return cells().nth(before);
}

async function typeInto(cell: Locator, code: string): Promise<void> {
  await cell.locator('.cm-content').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(code);
  await page.keyboard.press('Control+Enter');
}

const firstValue = (cell: Locator) => cell.locator('cb-table-view tbody td').first().textContent();

beforeAll(async () => {
  app = await openApp();
  page = app.page;
});

afterAll(async () => {
  await app?.close();
});

describe('inputs that cells read', () => {
  let input: Locator;
  let reader: Locator;

  test('a select input offers the log\'s events; a SQL cell reads ${choice}; changing the input re-runs it with the new value', async () => {
    input = await addCell('+ Input');
    const select = input.locator('cb-input-control select');
    await expect.poll(() => select.locator('option').allTextContents(), { timeout: 30_000 }).toEqual(['add_to_cart', 'checkout', 'open_help', 'purchase', 'signup', 'view_item']);
    await expect(input.locator('cb-input-control label').first().textContent()).resolves.toBe('Event');
    reader = await addCell('+ SQL');
    await typeInto(reader, 'SELECT count(*) AS n FROM events WHERE event = ${choice}');
    await expect.poll(() => firstValue(reader).catch(() => null), { timeout: 30_000 }).toBe(count('add_to_cart').toLocaleString('en-US'));
    await select.selectOption('purchase');
    await expect.poll(() => firstValue(reader).catch(() => null), { timeout: 30_000 }).toBe(count('purchase').toLocaleString('en-US'));
    await expect(source(input)).resolves.toBe('type: select\nlabel: Event\noptions: SELECT DISTINCT event FROM events ORDER BY 1\nvalue: purchase');
    await input.screenshot({ path: 'test-results/input-select.png' });
  });

  test('a multi-select and a slider, read by SQL and JavaScript', async () => {
    const platforms = await addCell('+ Input');
    await platforms.getByRole('button', { name: 'Code' }).click();
    await typeInto(platforms, 'type: multi-select\nlabel: Platforms\noptions: [ios, android, web]\nvalue: [ios]');
    await platforms.getByRole('button', { name: 'Control' }).click();
    const both = await addCell('+ SQL');
    await typeInto(both, 'SELECT count(*) AS n FROM events WHERE event = ${choice} AND platform IN ${choice2}');
    await expect.poll(() => firstValue(both).catch(() => null), { timeout: 30_000 }).toBe(count('purchase', 'ios').toLocaleString('en-US'));
    await platforms.locator('select[multiple]').selectOption(['android', 'web']);
    await expect.poll(() => firstValue(both).catch(() => null), { timeout: 30_000 })
      .toBe((count('purchase', 'android') + count('purchase', 'web')).toLocaleString('en-US'));

    const slider = await addCell('+ Input');
    await slider.getByRole('button', { name: 'Code' }).click();
    await typeInto(slider, 'type: slider\nlabel: Weeks\nmin: 1\nmax: 12\nstep: 1\nvalue: 4');
    await slider.getByRole('button', { name: 'Control' }).click();
    const js = await addCell('+ JavaScript');
    await typeInto(js, '`${choice3} weeks of ${choice}`');
    await expect.poll(() => js.locator('cb-cell-output pre').textContent().catch(() => null), { timeout: 30_000 }).toBe('4 weeks of purchase');
    // the slider's number box, typed into as a person does
    const box = slider.locator('input[type=number]');
    await box.fill('9');
    await expect.poll(() => js.locator('cb-cell-output pre').textContent().catch(() => null), { timeout: 30_000 }).toBe('9 weeks of purchase');
    await expect(slider.locator('input[type=range]').inputValue()).resolves.toBe('9');
    await page.screenshot({ path: 'test-results/inputs.png', fullPage: false });
  });

  test('an analysis form takes a field from an input, and follows it', async () => {
    const before = await cells().count();
    await page.locator('cb-notebook .add.last select').selectOption('stickiness');
    const cell = cells().nth(before);
    await cell.locator('select[aria-label="Take Activity from an input"]').selectOption('choice');
    await expect(cell.getByTestId('linked-field').textContent()).resolves.toMatch(/from input\s+choice/);
    await expect.poll(async () => JSON.parse(await source(cell)).event).toBe('${choice}');
    await expect.poll(() => cell.getByTestId('row-count').textContent().catch(() => null), { timeout: 30_000 }).toMatch(/rows?$/);
    const total = async () => cell.evaluate((el) => {
      const value = (el as unknown as { state: { value: { objects(): { users: number }[] } } }).state.value;
      return value.objects().reduce((sum, row) => sum + row.users, 0);
    });
    const people = (event: string) => new Set(csv.slice(1).filter((r) => r[eventIndex] === event).map((r) => r[0])).size;
    await expect.poll(total, { timeout: 30_000 }).toBe(people('purchase'));
    await input.locator('cb-input-control select').selectOption('checkout');
    await expect.poll(total, { timeout: 30_000 }).toBe(people('checkout'));
  });

  test('the HTML report shows each input\'s value when it was exported', async () => {
    const download = page.waitForEvent('download');
    await page.getByTestId('export-html').click();
    const html = readFileSync(await (await download).path(), 'utf8');
    expect(html).toContain('<span class="input-label">Event</span> <code>choice</code> = <b class="input-value">checkout</b>');
    expect(html).toContain('<span class="input-label">Platforms</span> <code>choice2</code> = <b class="input-value">android, web</b>');
    expect(html).toContain('<span class="input-label">Weeks</span> <code>choice3</code> = <b class="input-value">9</b>');
  });
});
