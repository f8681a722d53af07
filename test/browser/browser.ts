import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { build, preview, type PreviewServer } from 'vite';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

const ROOT = resolve(import.meta.dirname, '..', '..');

/** Serves the built app (building it when `dist/` is missing) on a free localhost port. */
export async function serveApp(): Promise<{ url: string; server: PreviewServer }> {
  if (!existsSync(resolve(ROOT, 'dist', 'index.html'))) await build({ root: ROOT, logLevel: 'warn' });
  const server = await preview({ root: ROOT, logLevel: 'warn', preview: { port: 0, host: '127.0.0.1', strictPort: false } });
  const address = server.httpServer.address();
  const port = typeof address === 'object' && address ? address.port : 4173;
  return { url: `http://127.0.0.1:${port}/`, server };
}

/** Debian's Chromium, headless, with the flags this machine's closed network needs. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-quic'],
  });
}

/** Records every request the page makes, to check that none leaves the app's own origin. */
export function recordRequests(page: Page): string[] {
  const urls: string[] = [];
  page.on('request', (request) => urls.push(request.url()));
  return urls;
}

/** Requests to any host other than the app's own (data: and blob: URLs stay on the machine). */
export function foreignRequests(urls: string[], appUrl: string): string[] {
  const own = new URL(appUrl).host;
  return urls.filter((url) => !/^(data|blob):/.test(url) && new URL(url).host !== own);
}

/**
 * The rows a cell's table shows (its current page), keyed by column name, each cell as shown. The
 * header cell also holds the column's type in a `.type` span, which is left out of the name.
 */
export function shownRows(table: Locator): Promise<Record<string, string>[]> {
  return table.evaluate((element) => {
    const names = [...element.querySelectorAll('thead tr:first-child th')].map((th) => {
      const name = th.cloneNode(true) as Element;
      name.querySelector('.type')?.remove();
      return (name.textContent ?? '').replace(/[↑↓]/g, '').trim();
    });
    return [...element.querySelectorAll('tbody tr')].map((tr) => {
      const cells = [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '');
      return Object.fromEntries(names.map((name, i) => [name, cells[i]]));
    });
  });
}

const DURATION_UNITS: Record<string, number> = { d: 86_400, h: 3600, min: 60, s: 1 };

/** A readable duration (`1 d 23 h`, `4 min 59 s`, `4.3 s`) in seconds, with its last unit's size. */
function shownDuration(text: string): { seconds: number; unit: number } | null {
  const match = /^(−?)(\d+(?:\.\d+)?) (d|h|min|s)(?: (\d+) (h|min|s))?$/.exec(text);
  if (!match) return null;
  const [, sign, big, bigUnit, small, smallUnit] = match;
  const seconds = Number(big) * DURATION_UNITS[bigUnit] + (small ? Number(small) * DURATION_UNITS[smallUnit] : 0);
  // a duration is rounded to its second unit (one below the first when only one is shown)
  const names = Object.keys(DURATION_UNITS);
  const unitName = smallUnit ?? names[Math.min(names.indexOf(bigUnit) + 1, names.length - 1)];
  const decimals = /\.(\d+)/.exec(big)?.[1].length ?? 0;
  const unit = decimals ? 10 ** -decimals : DURATION_UNITS[unitName];
  return { seconds: (sign ? -1 : 1) * seconds, unit };
}

/**
 * Whether a table cell shows `value`: text as it is, true/false, an empty cell for null, and a
 * number to the digits it is shown with (`12,345`, `0.1235`, `12.3 %`, `1 d 23 h`, `+0.5 pts`),
 * however it is formatted.
 */
export function showsValue(shown: string | undefined, value: unknown): boolean {
  if (shown === undefined) return false;
  const text = shown.trim();
  if (value === null || value === undefined) return text === '';
  if (typeof value !== 'number') return text === String(value);
  const duration = shownDuration(text);
  if (duration) return Math.abs(duration.seconds - value) <= duration.unit / 2 + 1e-9;
  const points = /^([+−-]?)(\d+(?:\.\d+)?) pts$/.exec(text);
  if (points) {
    const decimals = /\.(\d+)/.exec(points[2])?.[1].length ?? 0;
    const shownNumber = (points[1] === '−' || points[1] === '-' ? -1 : 1) * Number(points[2]) / 100;
    return Math.abs(shownNumber - value) <= 10 ** -decimals / 200 + 1e-12;
  }
  const percent = text.endsWith('%');
  const digits = text.replace(/[,\s%]/g, '').replace(/−/g, '-');
  if (!/^-?\d+(\.\d+)?(e[-+]?\d+)?$/i.test(digits)) return false;
  const decimals = /\.(\d+)/.exec(digits)?.[1].length ?? 0;
  const shownNumber = Number(digits) / (percent ? 100 : 1);
  const unit = 10 ** -decimals / (percent ? 100 : 1);
  return Math.abs(shownNumber - value) <= unit / 2 + 1e-12 * Math.abs(value);
}

/**
 * Serves the built app, opens it in Chromium on the sample log (the getting-started notebook)
 * and waits until a cell has shown its result; `close` ends the browser and the server.
 *
 * @example
 * let app: OpenApp;
 * beforeAll(async () => { app = await openApp(); });
 * afterAll(() => app?.close());
 */
export async function openApp(options: { width?: number; height?: number; clipboard?: boolean; locale?: string } = {}): Promise<OpenApp> {
  const { url, server } = await serveApp();
  const browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: options.width ?? 1400, height: options.height ?? 1000 }, ...(options.locale ? { locale: options.locale } : {}) });
  if (options.clipboard) await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: url });
  const page = await context.newPage();
  await page.goto(url);
  await page.getByTestId('summary-rows').waitFor({ timeout: 60_000 });
  await page.locator('cb-notebook > cb-cell [data-testid=row-count]').first().waitFor({ timeout: 60_000 });
  return {
    page, url,
    close: async () => {
      await browser.close();
      await new Promise<void>((done) => server.httpServer.close(() => done()));
    },
  };
}

export interface OpenApp {
  page: Page;
  url: string;
  close(): Promise<void>;
}
