import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { openApp, type OpenApp } from './browser.ts';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let app: OpenApp;
let page: Page;

interface Violation { id: string; impact: string; nodes: { target: unknown[]; failureSummary: string }[] }

/** axe-core's serious and critical violations on the page as it is (shadow roots included). */
async function seriousViolations(): Promise<string[]> {
  // evaluated through the debugging protocol, which the page's CSP does not govern (it forbids inline scripts)
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: Violation[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })) }));
  });
  return violations.flatMap((v) => v.nodes.map((n) => `${v.impact} ${v.id}: ${JSON.stringify(n.target)} ${n.failureSummary.split('\n').slice(1, 3).join(' ')}`));
}

async function setTheme(theme: 'light' | 'dark'): Promise<void> {
  await page.evaluate((t) => { document.documentElement.dataset.theme = t; }, theme);
}

beforeAll(async () => {
  app = await openApp({ width: 1280, height: 900 });
  page = app.page;
  await page.waitForFunction(() => {
    const nb = document.querySelector('cb-app')?.shadowRoot?.querySelector('cb-notebook')?.shadowRoot;
    return !!nb && nb.querySelectorAll('cb-cell').length > 0 && [...nb.querySelectorAll('cb-cell')].every((c) => !c.shadowRoot?.querySelector('.status-running, .status-queued'));
  }, undefined, { timeout: 60_000 });
});

afterAll(async () => {
  await app?.close();
});

describe('every screen', () => {
  for (const width of [1024, 1280, 1920]) {
    test(`${width} px: nothing runs off the page, the header is one line, in both themes`, async () => {
      await page.setViewportSize({ width, height: 900 });
      await expect.poll(() => page.getByTestId('toggle-data-panel').getAttribute('aria-expanded')).toBe(width < 1280 ? 'false' : 'true');
      for (const theme of ['light', 'dark'] as const) {
        await setTheme(theme);
        await page.waitForTimeout(150);
        const layout = await page.evaluate(() => {
          const app = document.querySelector('cb-app')!.shadowRoot!;
          const main = app.querySelector('main')!;
          const header = app.querySelector('header')!;
          return { page: document.documentElement.scrollWidth, main: main.scrollWidth - main.clientWidth, header: header.getBoundingClientRect().height };
        });
        expect(layout.page).toBeLessThanOrEqual(width);
        expect(layout.main).toBeLessThanOrEqual(0);
        expect(layout.header).toBeLessThan(56);
        await page.screenshot({ path: `test-results/layout-${width}-${theme}.png` });
      }
      await setTheme('light');
    });
  }

  test('at 1024 px the data panel is a rail that opens over the notebook, and the header\'s actions fold into a menu', async () => {
    await page.setViewportSize({ width: 1024, height: 900 });
    const rail = page.getByTestId('toggle-data-panel');
    await expect.poll(() => rail.getAttribute('aria-expanded')).toBe('false');
    await expect(page.locator('cb-data-panel').isVisible()).resolves.toBe(false);
    await rail.click();
    await expect(page.locator('cb-data-panel').isVisible()).resolves.toBe(true);
    await page.screenshot({ path: 'test-results/layout-1024-panel-open.png' });
    await page.keyboard.press('Escape');
    await expect(page.locator('cb-data-panel').isVisible()).resolves.toBe(false);
    const menu = page.getByTestId('header-menu');
    await expect(menu.isVisible()).resolves.toBe(true);
    await expect(page.getByTestId('export-html').isVisible()).resolves.toBe(false);
    await menu.click();
    await expect(page.getByTestId('export-html').isVisible()).resolves.toBe(true);
    await page.screenshot({ path: 'test-results/layout-1024-menu.png' });
    await menu.click();
  });
});

describe('every person', () => {
  test('axe-core finds no serious or critical violation on the notebook, in both themes', async () => {
    await page.setViewportSize({ width: 1400, height: 900 });
    for (const theme of ['light', 'dark'] as const) {
      await setTheme(theme);
      expect(await seriousViolations(), theme).toEqual([]);
    }
    await setTheme('light');
  });

  test('… nor on the data panel\'s import step (mapping) at 1024 px, nor on the start page', async () => {
    await page.setViewportSize({ width: 1024, height: 900 });
    await page.getByTestId('toggle-data-panel').click();
    expect(await seriousViolations()).toEqual([]);
    await page.keyboard.press('Escape');
    await page.setViewportSize({ width: 1400, height: 900 });
    await page.locator('cb-app').evaluate((app) => { (app as unknown as { view: string }).view = 'start'; });
    await page.locator('cb-start-page').waitFor();
    for (const theme of ['light', 'dark'] as const) {
      await setTheme(theme);
      expect(await seriousViolations(), theme).toEqual([]);
    }
    await setTheme('light');
  });

  test('every control is reached with Tab and shows where the focus is', async () => {
    const seen: string[] = [];
    const invisible: string[] = [];
    await page.locator('body').click({ position: { x: 1, y: 1 } });
    for (let i = 0; i < 60; i++) {
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => {
        let el: Element | null = document.activeElement;
        while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
        if (!el || el === document.body) return null;
        const style = getComputedStyle(el);
        const ring = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
        const name = `${el.tagName.toLowerCase()}:${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 30)}`;
        return { name, ring };
      });
      if (!focused) continue;
      seen.push(focused.name);
      if (!focused.ring) invisible.push(focused.name);
    }
    expect(invisible).toEqual([]);
    console.log(seen.join(' | '));
    for (const control of ['button:Notebooks', 'button:Run all', 'button:Actions', 'button:Open files…']) expect(seen).toContain(control);
  });
});
