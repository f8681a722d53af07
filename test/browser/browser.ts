import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { build, preview, type PreviewServer } from 'vite';
import { chromium, type Browser, type Page } from 'playwright-core';

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
