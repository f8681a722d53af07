import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { openApp, type OpenApp } from './browser.ts';

let app: OpenApp;
let page: Page;

// counted from the sample file itself
const csv = readFileSync('public/samples/shop-events.csv', 'utf8').trim().split('\n').map((line) => line.split(','));
const [userIndex, eventIndex] = ['user_id', 'event'].map((c) => csv[0].indexOf(c));
const buyers = new Set(csv.slice(1).filter((r) => r[eventIndex] === 'purchase').map((r) => r[userIndex])).size;
const purchases = csv.slice(1).filter((r) => r[eventIndex] === 'purchase').length;

beforeAll(async () => {
  // a browser whose language is Russian
  app = await openApp({ locale: 'ru-RU' });
  page = app.page;
});

afterAll(async () => {
  await app?.close();
});

describe('the interface and the course in Russian', () => {
  test('a Russian browser gets the Russian interface and the Russian first notebook, with Russian numbers', async () => {
    await expect(page.getByTestId('run-all').textContent()).resolves.toBe('Запустить всё');
    await expect(page.getByTestId('notebook-title').textContent()).resolves.toBe('Первые шаги');
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('ru');
    // an analysis table's rates with a decimal comma: 57,7 %
    const funnel = page.locator('cb-notebook > cb-cell').filter({ has: page.locator('.name', { hasText: /^purchase_funnel$/ }) });
    await expect.poll(() => funnel.locator('cb-table-view tbody').textContent().catch(() => ''), { timeout: 30_000 }).toMatch(/\d,\d %/);
    await expect(funnel.getByTestId('row-count').textContent()).resolves.toBe('4 строки');
  });

  test('an exercise answered in Russian: a decimal comma, a hint, the verdicts in Russian', async () => {
    const exercise = page.locator('cb-notebook > cb-cell').filter({ has: page.locator('.name', { hasText: /^purchases_per_buyer$/ }) }).locator('cb-exercise');
    await expect.poll(() => exercise.getByTestId('exercise-check').isEnabled(), { timeout: 30_000 }).toBe(true);
    await expect(exercise.getByTestId('exercise-check').textContent()).resolves.toBe('Проверить');
    await exercise.getByTestId('exercise-answer').fill('3');
    await exercise.getByTestId('exercise-check').click();
    await expect.poll(() => exercise.getByTestId('exercise-verdict').textContent()).toContain('Пока нет: слишком велико.');
    await exercise.getByTestId('exercise-hint').click();
    await expect(exercise.getByTestId('exercise-hints').textContent()).resolves.toContain('Оба числа');
    await exercise.getByTestId('exercise-answer').fill((purchases / buyers).toFixed(2).replace('.', ','));
    await exercise.getByTestId('exercise-check').click();
    await expect.poll(() => exercise.getByTestId('exercise-verdict').textContent()).toContain('Верно.');
    await expect.poll(() => page.locator('cb-exercise-progress').first().getByTestId('progress-text').textContent())
      .toBe('1 из 5 упражнений решено · 1 ответ · 1 подсказка');
    await exercise.scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'test-results/russian-notebook.png' });
  });

  test('the start page in Russian, and the switch back to English', async () => {
    await page.locator('cb-app header a.logo').click();
    await expect(page.locator('cb-start-page h1').textContent()).resolves.toBe('Блокноты');
    const card = page.locator('[data-testid=shipped-notebook][data-file="ru/churn-ltv-clv.md"]');
    await expect(card.locator('b').textContent()).resolves.toBe('Отток, LTV и CLV');
    await expect(card.getByTestId('learn').textContent()).resolves.toMatch(/^Вы узнаете: отток/);
    await page.screenshot({ path: 'test-results/russian-start-page.png' });
    await page.getByTestId('language').selectOption('en');
    await expect.poll(() => page.locator('cb-start-page h1').textContent()).toBe('Notebooks');
    await expect(page.getByTestId('run-all').textContent()).resolves.toBe('Run all');
    await expect(page.locator('[data-testid=shipped-notebook][data-file="churn-ltv-clv.md"] b').textContent()).resolves.toBe('Churn, LTV and CLV');
  });
});
