import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, test } from 'vitest';
import { createLogger, createServer, loadConfigFromFile } from 'vite';
import { launchChromium } from './browser.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');

// `npm start` (the dev server) is a new user's first command: it must print the address and
// nothing alarming, also once the page is open. Its dependency scan once failed on
// bench/chromium's page, in red, and opening the page printed a warning for each of DuckDB-WASM's
// sourcemap entries.
test('the dev server says nothing alarming while it starts and serves the page', async () => {
  // what reaches the terminal: the project's own logger (vite.config.ts) writes through console
  const said: { level: string; message: string }[] = [];
  const saved = { info: console.info, log: console.log, warn: console.warn, error: console.error };
  for (const level of ['info', 'log', 'warn', 'error'] as const) {
    console[level] = (...args: unknown[]) => { said.push({ level: level === 'log' ? 'info' : level, message: args.map(String).join(' ') }); };
  }
  const loaded = await loadConfigFromFile({ command: 'serve', mode: 'development' }, undefined, ROOT, 'silent');
  const server = await createServer({
    root: ROOT, customLogger: loaded?.config.customLogger ?? createLogger(), cacheDir: mkdtempSync(join(tmpdir(), 'cohortbook-vite-')),
    optimizeDeps: { force: true }, server: { port: 0, host: '127.0.0.1', strictPort: false },
  });
  const browser = await launchChromium();
  try {
    await server.listen();
    const url = server.resolvedUrls?.local[0];
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(String(error)));
    await page.goto(url!);
    await page.getByTestId('summary-rows').waitFor({ timeout: 90_000 });
    expect(await page.getByTestId('summary-rows').textContent()).toBe('25,137');
    await expect.poll(() => said.some((s) => /dependencies/i.test(s.message)), { timeout: 60_000 }).toBe(true);
    expect(said.filter((s) => s.level !== 'info').map((s) => s.message)).toEqual([]);
    expect(pageErrors).toEqual([]);
  } finally {
    await browser.close();
    await server.close();
    Object.assign(console, saved);
  }
}, 180_000);
