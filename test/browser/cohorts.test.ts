import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Locator } from 'playwright-core';
import { openApp, shownRows, type OpenApp } from './browser.ts';

// Cohorts and correlation as a person meets them: a cohort cell from the menu, filled in with its
// form; retention broken down by "did X in the first N days" in two clicks; a funnel's "What did
// converters do?". The numbers shown are those `cohortbook analyze` gives for the same spec.

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '..', '..');
const SAMPLE = 'public/samples/shop-events.csv';

let app: OpenApp;

beforeAll(async () => {
  app = await openApp();
  await app.page.getByRole('button', { name: 'New' }).click();
  await app.page.getByTestId('notebook-title').filter({ hasText: 'Untitled analysis' }).waitFor();
}, 120_000);

afterAll(() => app?.close());

async function cli(spec: Record<string, unknown>) {
  const { stdout } = await run(process.execPath, ['bin/cohortbook.js', 'analyze', '--events', SAMPLE, '--spec', JSON.stringify(spec)], { cwd: ROOT, maxBuffer: 64 << 20 });
  return JSON.parse(stdout) as { rows: Record<string, unknown>[]; meta: Record<string, unknown> };
}

async function addFromMenu(kind: string): Promise<Locator> {
  const cells = app.page.locator('cb-notebook > cb-cell');
  const before = await cells.count();
  await app.page.locator('cb-notebook .add.last select').selectOption(kind);
  await expect.poll(() => cells.count()).toBe(before + 1);
  return cells.nth(before);
}

async function settled(cell: Locator): Promise<string> {
  await expect.poll(async () => (await cell.getByTestId('row-count').textContent().catch(() => null))
    ?? (await cell.getByTestId('cell-error').textContent().catch(() => null)), { timeout: 60_000 }).toMatch(/^\d[\d,]* rows?$/);
  await expect.poll(() => cell.locator('.status-running, .status-queued').count()).toBe(0);
  return (await cell.getByTestId('row-count').textContent())!;
}

const source = (cell: Locator) => cell.evaluate((el) => (el as unknown as { cell: { source: string } }).cell.source);

test('a cohort cell from the menu, changed with its form, lists the members cohortbook analyze finds', async () => {
  const cell = await addFromMenu('cohort');
  await settled(cell);
  // rule 1: did … at least 2 times in the first 3 days
  await cell.getByLabel('Rule 1 event').selectOption('add_to_cart');
  await cell.getByLabel('Rule 1 at least').fill('2');
  await cell.getByLabel('Rule 1 at least').press('Tab');
  await cell.getByLabel('Rule 1 days').fill('3');
  await cell.getByLabel('Rule 1 days').press('Tab');
  await cell.getByRole('button', { name: '+ rule' }).click();
  await cell.getByLabel('Rule 2 kind').selectOption('property');
  await cell.getByLabel('Rule 2 column').selectOption('country');
  await cell.getByLabel('Rule 2 value').fill('FR');
  await cell.getByLabel('Rule 2 value').press('Tab');
  await expect.poll(async () => JSON.parse(await source(cell))).toEqual({
    match: 'all',
    rules: [{ did: 'add_to_cart', at_least: 2, within_days_of_first_seen: 3 }, { property: 'country', op: '=', value: 'FR', of: 'first_event' }],
  });
  const count = await settled(cell);
  const definition = JSON.parse(await source(cell));
  const expected = await cli({ kind: 'cohort', cohort: { name: 'cohort', ...definition } });
  expect(expected.rows.length).toBeGreaterThan(3);
  expect(count).toBe(`${expected.rows.length} rows`);
  const shown = await shownRows(cell.locator('cb-table-view table').first());
  expect(shown.map((r) => r.user_id)).toEqual(expected.rows.slice(0, shown.length).map((r) => r.user_id));
});

test('retention breaks down by "did X in the first N days" in two clicks, with both groups on the chart', async () => {
  const cell = await addFromMenu('retention');
  await settled(cell);
  // the two clicks: open the list, pick the event (a select takes both as one selectOption)
  await cell.getByLabel('Break down by what people did in their first days').selectOption('add_to_cart');
  await expect.poll(async () => JSON.parse(await source(cell)).breakdown_cohorts).toEqual([
    { name: 'add_to_cart in first 7 days', rules: [{ did: 'add_to_cart', within_days_of_first_seen: 7 }] },
  ]);
  const count = await settled(cell);
  const spec = JSON.parse(await source(cell));
  const expected = await cli({ ...spec, kind: 'retention' });
  expect(count).toBe(`${expected.rows.length} rows`);
  expect(new Set(expected.rows.map((r) => r.breakdown_cohort))).toEqual(new Set(['add_to_cart in first 7 days', 'not add_to_cart in first 7 days']));
  await expect.poll(() => cell.locator('.chart').textContent()).toContain('not add_to_cart in first 7 days');
});

test('a funnel\'s "What did converters do?" adds a correlation cell with the funnel\'s steps, and its numbers', async () => {
  const funnel = await addFromMenu('funnel');
  await settled(funnel);
  const cells = app.page.locator('cb-notebook > cb-cell');
  const before = await cells.count();
  await funnel.getByRole('button', { name: 'What did converters do?' }).click();
  await expect.poll(() => cells.count()).toBe(before + 1);
  const index = await cells.evaluateAll((els, f) => els.findIndex((el) => el === f), await funnel.elementHandle());
  const correlation = cells.nth(index + 1);
  await settled(correlation);
  const spec = JSON.parse(await source(correlation));
  expect(spec.funnel.steps).toEqual(JSON.parse(await source(funnel)).steps);
  const expected = await cli({ ...spec, kind: 'correlation' });
  const shown = await shownRows(correlation.locator('cb-table-view table').first());
  expect(shown.map((r) => r.event)).toEqual(expected.rows.map((r) => r.event).slice(0, shown.length));
  await expect.poll(() => correlation.locator('.chart svg circle').count()).toBe(expected.rows.length);
});
