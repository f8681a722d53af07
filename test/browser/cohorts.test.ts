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
  expect(count).toBe(`${expected.rows.length.toLocaleString("en-US")} rows`);
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
  expect(count).toBe(`${expected.rows.length.toLocaleString("en-US")} rows`);
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

test('clicking a stickiness bar and a retention cell lists their people: CSV, saved as a cohort, a person\'s timeline', async () => {
  const sticky = await addFromMenu('stickiness');
  await settled(sticky);
  const spec = { ...JSON.parse(await source(sticky)), kind: 'stickiness' };
  const counts = (await cli(spec)).rows;
  const biggest = counts.reduce((best, r, i) => ((r.users as number) > (counts[best].users as number) ? i : best), 0);
  const k = counts[biggest].periods_active as number;
  await sticky.locator('.chart svg g[aria-label="bar"]').first().locator('rect').nth(biggest).click();
  const list = sticky.getByTestId('people-list');
  await expect.poll(() => list.locator('[data-testid=people] li:not(.head)').count(), { timeout: 30_000 }).toBe(counts[biggest].users);
  const expected = (await cli({ ...spec, people: { periods_active: k } })).rows;
  await expect(list.locator('h3').first().textContent()).resolves.toBe(`active in ${k} periods: ${expected.length.toLocaleString('en-US')} people`);
  const shownIds = await list.locator('[data-testid=people] li:not(.head) button').allTextContents();
  expect(shownIds).toEqual(expected.map((r) => r.user_id));

  // CSV
  const [file] = await Promise.all([app.page.waitForEvent('download'), list.getByRole('button', { name: 'CSV' }).click()]);
  expect(file.suggestedFilename()).toBe('people.csv');
  const csv = await (await import('node:fs/promises')).readFile((await file.path())!, 'utf8');
  expect(csv.trim().split('\n')).toHaveLength(expected.length + 1);

  // a person's timeline: their events in order
  const first = expected[0];
  await list.getByRole('button', { name: String(first.user_id), exact: true }).click();
  await expect.poll(() => list.getByTestId('timeline').locator('h3').textContent()).toBe(`${first.user_id}'s events, in order`);
  await expect.poll(async () => (await shownRows(list.getByTestId('timeline').locator('table'))).length).toBe(Math.min(20, first.events as number));

  // saved as a static cohort: a cohort cell with those ids, listing them
  const cells = app.page.locator('cb-notebook > cb-cell');
  const before = await cells.count();
  await list.getByRole('button', { name: 'Save as cohort' }).click();
  await expect.poll(() => cells.count()).toBe(before + 1);
  const saved = app.page.locator('cb-notebook > cb-cell', { has: app.page.locator('.name', { hasText: /^picked$/ }) });
  expect(JSON.parse(await source(saved))).toEqual({ user_ids: expected.map((r) => r.user_id) });
  expect(await settled(saved)).toBe(`${expected.length.toLocaleString("en-US")} rows`);

  // a retention heatmap cell
  const retention = await addFromMenu('retention');
  await settled(retention);
  const rspec = { ...JSON.parse(await source(retention)), kind: 'retention' };
  const matrix = (await cli(rspec)).rows;
  const at = matrix.findIndex((r) => (r.period as number) === 1 && (r.users as number) > 0);
  await retention.locator('.chart svg g[aria-label="cell"]').first().locator('rect').nth(at).click({ force: true });
  const rlist = retention.getByTestId('people-list');
  await expect.poll(() => rlist.locator('[data-testid=people] li:not(.head)').count(), { timeout: 30_000 }).toBe(matrix[at].users);
  await expect(rlist.locator('h3').first().textContent()).resolves.toContain(`${matrix[at].cohort} +1`);
});

test('the activation notebook opens from the palette and runs: correlation finds the planted action', async () => {
  const { page } = app;
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+k');
  await page.keyboard.type('open');
  const options = page.locator('cb-command-palette [role=option]');
  const titles = await options.locator('.label').allTextContents();
  const target = titles.indexOf('Activation: which first-week action keeps people?');
  expect(target).toBeGreaterThanOrEqual(0);
  await options.nth(target).click();
  await expect.poll(() => page.getByTestId('notebook-title').textContent(), { timeout: 30_000 }).toBe('Activation: which first-week action keeps people?');
  const named = (name: string) => page.locator('cb-notebook > cb-cell', { has: page.locator('header .name', { hasText: new RegExp(`^${name}$`) }) });
  for (const name of ['signup_to_paid', 'converters', 'activated', 'by_activation']) await settled(named(name));
  await expect(page.locator('cb-notebook [data-testid=cell-error]').count()).resolves.toBe(0);
  const top = (await shownRows(named('converters').locator('cb-table-view table').first()))[0];
  expect(top.event).toBe('invite_teammate');
  expect(await named('activated').getByTestId('row-count').textContent()).toBe('877 rows');
  await expect.poll(() => named('by_activation').locator('.chart').textContent()).toContain('not activated');
}, 120_000);
