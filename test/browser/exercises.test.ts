import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { openApp, type OpenApp } from './browser.ts';

let app: OpenApp;
let page: Page;

// counted from the sample file itself: the people in the log, and those with a purchase
const csv = readFileSync('public/samples/shop-events.csv', 'utf8').trim().split('\n').map((line) => line.split(','));
const userIndex = csv[0].indexOf('user_id');
const eventIndex = csv[0].indexOf('event');
const people = new Set(csv.slice(1).map((r) => r[userIndex])).size;
const buyers = new Set(csv.slice(1).filter((r) => r[eventIndex] === 'purchase').map((r) => r[userIndex])).size;

const cells = () => page.locator('cb-notebook > cb-cell');
const exercise = () => page.locator('cb-notebook > cb-cell cb-exercise').last();

beforeAll(async () => {
  app = await openApp();
  page = app.page;
});

afterAll(async () => {
  await app?.close();
});

describe('an exercise cell', () => {
  let cell: Locator;

  test('a wrong answer, a hint, a close answer, then the right one; the progress bar follows', async () => {
    const before = await cells().count();
    await page.locator('cb-notebook .add.last button', { hasText: '+ Exercise' }).click();
    await expect.poll(() => cells().count()).toBe(before + 1);
    cell = cells().nth(before);
    const box = exercise().getByTestId('exercise-answer');
    const verdict = exercise().getByTestId('exercise-verdict');
    // the check (count distinct user_id) has run: Check is enabled
    await expect.poll(() => exercise().getByTestId('exercise-check').isEnabled(), { timeout: 30_000 }).toBe(true);

    await box.fill(String(Math.round(people / 3)));
    await exercise().getByTestId('exercise-check').click();
    await expect.poll(() => verdict.getAttribute('data-verdict')).toBe('wrong');
    await expect(verdict.textContent()).resolves.toContain('Not yet: that is too low.');

    await exercise().getByTestId('exercise-hint').click();
    await expect(exercise().getByTestId('exercise-hints').textContent()).resolves.toContain('Count distinct user_id values, not events.');
    await expect(exercise().getByTestId('exercise-hint').isDisabled()).resolves.toBe(true);

    await box.fill(String(people + Math.round(people * 0.05)));
    await box.press('Enter');
    await expect.poll(() => verdict.getAttribute('data-verdict')).toBe('close');

    await box.fill(people.toLocaleString('en-US'));
    await exercise().getByTestId('exercise-check').click();
    await expect.poll(() => verdict.getAttribute('data-verdict')).toBe('right');
    await expect(exercise().getByTestId('exercise-solved').isVisible()).resolves.toBe(true);
    // the answer is not shown until asked for
    await expect(exercise().getByTestId('exercise-reference').count()).resolves.toBe(0);
    const bar = page.locator('cb-exercise-progress').first();
    await expect.poll(() => bar.getByTestId('progress-text').textContent()).toBe('1 of 6 exercises right · 1 answered · 1 hint used');
    await cell.screenshot({ path: 'test-results/exercise-right.png' });
  });

  test('after a reload the answer, the hint and the progress are kept; showing the answer is remembered', async () => {
    // the notebook autosaves 300 ms after a change
    await page.waitForTimeout(800);
    await page.reload();
    await expect.poll(() => exercise().getByTestId('exercise-solved').isVisible().catch(() => false), { timeout: 60_000 }).toBe(true);
    await expect(exercise().getByTestId('exercise-answer').inputValue()).resolves.toBe(people.toLocaleString('en-US'));
    await expect(exercise().getByTestId('exercise-hints').textContent()).resolves.toContain('Count distinct user_id values');
    const bar = page.locator('cb-exercise-progress').first();
    await expect.poll(() => bar.getByTestId('progress-text').textContent()).toBe('1 of 6 exercises right · 1 answered · 1 hint used');

    await expect.poll(() => exercise().getByTestId('exercise-reveal').isEnabled(), { timeout: 30_000 }).toBe(true);
    await exercise().getByTestId('exercise-reveal').click();
    await expect(exercise().getByTestId('exercise-expected').textContent()).resolves.toBe(people.toLocaleString('en-US'));
    await page.waitForTimeout(300);
    await page.reload();
    await expect.poll(() => exercise().getByTestId('exercise-revealed').isVisible().catch(() => false), { timeout: 60_000 }).toBe(true);
    await expect.poll(() => exercise().getByTestId('exercise-expected').textContent().catch(() => null), { timeout: 30_000 }).toBe(people.toLocaleString('en-US'));
  });
});

describe('a shipped notebook\'s exercise', () => {
  // the first visit opened the shipped getting-started notebook; its first exercise asks for the buyers
  const shipped = () => page.locator('cb-notebook > cb-cell').filter({ has: page.locator('.name', { hasText: /^buyers$/ }) }).locator('cb-exercise');

  test('wrong, a hint, right: the start page shows the progress on the notebook\'s card, after a reload too', async () => {
    const box = shipped().getByTestId('exercise-answer');
    await expect.poll(() => shipped().getByTestId('exercise-check').isEnabled(), { timeout: 30_000 }).toBe(true);
    await box.fill(String(people));
    await shipped().getByTestId('exercise-check').click();
    await expect.poll(() => shipped().getByTestId('exercise-verdict').getAttribute('data-verdict')).toBe('wrong');
    await shipped().getByTestId('exercise-hint').click();
    await expect(shipped().getByTestId('exercise-hints').textContent()).resolves.toContain('People, not purchases');
    await box.fill(String(buyers));
    await box.press('Enter');
    await expect.poll(() => shipped().getByTestId('exercise-verdict').getAttribute('data-verdict')).toBe('right');
    const total = await page.locator('cb-notebook > cb-cell cb-exercise').count();
    await expect.poll(() => page.locator('cb-exercise-progress').first().getByTestId('progress-text').textContent())
      .toBe(`2 of ${total} exercises right · 2 answered · 2 hints used`);
    await page.waitForTimeout(500);
    await page.reload();
    await expect.poll(() => shipped().getByTestId('exercise-solved').isVisible().catch(() => false), { timeout: 60_000 }).toBe(true);
    await page.locator('cb-app header a.logo').click();
    const card = page.locator('[data-testid=shipped-notebook][data-file="getting-started.md"]');
    await expect.poll(() => card.locator('cb-exercise-progress [data-testid=progress-text]').textContent().catch(() => null), { timeout: 10_000 })
      .toBe('1 of 5 exercises right');
    await expect(card.getByTestId('learn').textContent()).resolves.toMatch(/^You will learn: how a notebook works/);
    await page.screenshot({ path: 'test-results/start-page-progress.png' });
  });
});
