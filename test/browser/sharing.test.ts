import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { PreviewServer } from 'vite';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { foreignRequests, launchChromium, recordRequests, serveApp } from './browser.ts';

let server: PreviewServer;
let url: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;

const HOSTILE = `# A friendly notebook

<img src="x" onerror="window.__pwned = 'markdown'"> <script>window.__pwned = 'script'</script>

\`\`\`sql id=counts
SELECT count(*) AS n FROM events
\`\`\`

\`\`\`js
window.__pwned = 'javascript';
counts.numRows()
\`\`\`
`;

const pwned = () => page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned ?? null);

async function openNotebookFile(name: string, text: string): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Open…' }).click();
  await (await chooser).setFiles({ name, mimeType: 'text/markdown', buffer: Buffer.from(text) });
}

beforeAll(async () => {
  ({ url, server } = await serveApp());
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
  page = await context.newPage();
  await page.goto(url);
  await page.getByTestId('summary-rows').waitFor({ timeout: 60_000 });
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((done) => server?.httpServer.close(() => done()));
});

describe('notebooks from someone else', () => {
  test("a hostile notebook's script does not run until it is trusted, and its prose never runs script", async () => {
    await openNotebookFile('friendly.md', HOSTILE);
    await expect.poll(() => page.getByTestId('notebook-title').textContent()).toBe('A friendly notebook');
    await expect(page.getByTestId('trust-banner').textContent()).resolves.toMatch(/came from friendly\.md.*do not run until you trust it/s);
    const counts = page.locator('cb-notebook > cb-cell').filter({ has: page.locator('header .name', { hasText: 'counts' }) });
    await expect.poll(() => counts.getByTestId('row-count').textContent().catch(() => null), { timeout: 30_000 }).toBe('1 row');
    await expect(page.locator('cb-notebook [data-testid=cell-error]').textContent()).resolves.toMatch(/does not run until you trust this notebook/);
    expect(await pwned()).toBeNull();
    await expect(page.locator('cb-notebook .prose script').count()).resolves.toBe(0);
    await page.getByTestId('trust').click();
    await expect.poll(pwned, { timeout: 30_000 }).toBe('javascript');
  });

  test('a copied link carries the notebook; it opens untrusted with its sample data', async () => {
    await page.getByTestId('copy-link').click();
    const link = await page.locator('cb-app').evaluate((app) => (app as unknown as { lastLink: string | null }).lastLink);
    expect(link).toMatch(/#nb=[A-Za-z0-9_-]+$/);
    const other = await context.newPage();
    const requests = recordRequests(other);
    await other.goto(link!);
    await expect.poll(() => other.getByTestId('notebook-title').textContent(), { timeout: 60_000 }).toBe('A friendly notebook');
    await expect(other.getByTestId('trust-banner').textContent()).resolves.toMatch(/came from a link/);
    await expect.poll(() => other.getByTestId('summary-rows').textContent().catch(() => null), { timeout: 60_000 }).toBe('25,137');
    expect(await other.evaluate(() => (window as unknown as { __pwned?: string }).__pwned ?? null)).toBeNull();
    expect(foreignRequests(requests, url)).toEqual([]);
    await other.close();
  });

  test('Export HTML writes a report with its tables that opens with no app and no network', async () => {
    const download = page.waitForEvent('download');
    await page.getByTestId('export-html').click();
    const saved = await download;
    expect(saved.suggestedFilename()).toBe('a-friendly-notebook.html');
    const file = join(mkdtempSync(join(tmpdir(), 'cohortbook-report-')), saved.suggestedFilename());
    await saved.saveAs(file);
    const html = readFileSync(file, 'utf8');
    expect(html).toMatch(/<title>A friendly notebook<\/title>/);
    expect(html).toMatch(/<th>n<\/th><\/tr><\/thead><tbody><tr><td class="n">25,137<\/td>/);
    expect(html).not.toMatch(/<script/i);
    const viewer = await context.newPage();
    const requests = recordRequests(viewer);
    await viewer.goto(`file://${file}`);
    await expect(viewer.locator('h1').textContent()).resolves.toBe('A friendly notebook');
    expect(requests.filter((r) => !r.startsWith('file://'))).toEqual([]);
    expect(await viewer.evaluate(() => (window as unknown as { __pwned?: string }).__pwned ?? null)).toBeNull();
    await viewer.close();
  });

  test('presentation mode shows one cell at a time with its code hidden', async () => {
    await page.getByTestId('present').click();
    const slide = page.getByTestId('slide');
    await expect(slide.locator('h1').textContent()).resolves.toBe('A friendly notebook');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => slide.getByTestId('row-count').textContent().catch(() => null)).toBe('1 row');
    await expect(slide.locator('.cm-content').isVisible()).resolves.toBe(false);
    await expect(page.locator('aside').isVisible()).resolves.toBe(false);
    await page.screenshot({ path: 'test-results/presentation.png' });
    await page.keyboard.press('Escape');
    await expect(page.locator('aside').isVisible()).resolves.toBe(true);
  });
});
