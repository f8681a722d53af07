import { readFileSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { ONLINE_RETAIL, onlineRetailLines } from '../helpers/online-retail.ts';
import { windows1251, xlsxWorkbook } from '../helpers/foreign-files.ts';
import { openApp, type OpenApp } from './browser.ts';

// Bringing data in (issue 17) as a person does it in Chromium: the import step, several files as
// one log, text that is not UTF-8, Excel workbooks.
let app: OpenApp;
let page: Page;

const RETAIL = readFileSync(ONLINE_RETAIL);
/** Anything on the page that reads like a command-line flag (`--map`, `--events`). */
const FLAG = /--(map|events|encoding|engine|tz|format|sheet|delimiter|data)\b/;
const rowCount = async () => (await page.getByTestId('summary-rows').textContent())?.replaceAll(',', '');
const step = () => page.getByTestId('import-step');

/** Rows of a query on the page's own engine, as plain objects. */
function query(sql: string): Promise<Record<string, unknown>[]> {
  return page.evaluate(async (text) => {
    const app = document.querySelector('cb-app') as unknown as { engine: { query(sql: string): Promise<{ toArray(): { toJSON(): Record<string, unknown> }[] }> } };
    return (await app.engine.query(text)).toArray().map((row) => JSON.parse(JSON.stringify(row.toJSON(), (_, v) => (typeof v === 'bigint' ? Number(v) : v))));
  }, sql);
}

/** What the data panel (with its import step) and the header say, through their shadow roots, without styles. */
function pageText(): Promise<string> {
  return page.evaluate(() => {
    const parts: string[] = [];
    const walk = (node: Node) => {
      if (node instanceof Element && ['STYLE', 'SCRIPT'].includes(node.tagName)) return;
      if (node.nodeType === Node.TEXT_NODE) parts.push(node.textContent ?? '');
      if (node instanceof Element && node.shadowRoot) walk(node.shadowRoot);
      node.childNodes.forEach(walk);
    };
    const app = document.querySelector('cb-app')!.shadowRoot!;
    for (const part of app.querySelectorAll('header, cb-data-panel, .trust')) walk(part);
    return parts.join(' ');
  });
}

/** Drops files on the page, as dragging them from the desktop does. */
async function drop(files: { name: string; bytes: Uint8Array }[]): Promise<void> {
  const payload = files.map((f) => ({ name: f.name, bytes: Buffer.from(f.bytes).toString('base64') }));
  await page.evaluate((items) => {
    const transfer = new DataTransfer();
    for (const item of items) transfer.items.add(new File([Uint8Array.from(atob(item.bytes), (c) => c.charCodeAt(0))], item.name));
    const app = document.querySelector('cb-app')!;
    app.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    app.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, payload);
}

beforeAll(async () => {
  app = await openApp();
  page = app.page;
});

afterAll(async () => {
  await app?.close();
});

describe('the import step', () => {
  test('Online Retail (no event column) opens in the import step; Cancel leaves the sample loaded', async () => {
    const before = await rowCount();
    await drop([{ name: 'online-retail.csv.gz', bytes: RETAIL }]);
    await step().waitFor({ timeout: 60_000 });
    await expect(page.getByTestId('import-reason').textContent()).resolves.toMatch(/^No event column: none of its columns \("InvoiceNo", .*\) names the event\. Choose below what the columns are\.$/);
    // each column with its type and sample values
    const columns = await page.getByTestId('import-columns').locator('tbody tr').allInnerTexts();
    expect(columns).toHaveLength(8);
    expect(columns[0]).toMatch(/^InvoiceNo\s+VARCHAR\s+536365 · 536366 · 536367/);
    expect(columns[4]).toMatch(/^InvoiceDate\s+TIMESTAMP\s+2010-12-01 08:26:00 · 2010-12-01 08:28:00 · 2010-12-01 08:34:00\s+Time/);
    expect(columns.find((c) => c.startsWith('CustomerID'))).toMatch(/User/);
    await expect(page.getByTestId('import-user').inputValue()).resolves.toBe('CustomerID');
    await expect(page.getByTestId('import-ts').inputValue()).resolves.toBe('InvoiceDate');
    await expect(page.getByTestId('import-problem').textContent()).resolves.toBe('The event name for every row is empty: give one, such as purchase');
    expect(await pageText()).not.toMatch(FLAG);
    await page.screenshot({ path: 'test-results/import-step-opened.png' });
    await page.getByTestId('import-cancel').click();
    await expect.poll(() => step().count()).toBe(0);
    expect(await rowCount()).toBe(before);
    expect(await query("SELECT count(*) AS n FROM duckdb_tables() WHERE table_name LIKE 'online_retail%'")).toEqual([{ n: 0 }]);
  }, 120_000);

  test('mapped through the step without typing a flag: 406,829 purchase events of 4,372 people; the choices go into front matter', async () => {
    await page.getByTestId('file-input').setInputFiles({ name: 'online-retail.csv.gz', mimeType: 'application/gzip', buffer: RETAIL });
    await step().waitFor({ timeout: 60_000 });
    await page.getByTestId('import-event-constant').fill('purchase');
    await page.getByTestId('import-revenue').selectOption('UnitPrice');
    await page.getByTestId('import-zone').fill('Europe/London');
    await expect.poll(() => page.getByTestId('import-rows').textContent().catch(() => null), { timeout: 60_000 }).toBe('406,829');
    await expect(page.getByTestId('import-users').textContent()).resolves.toBe('4,372');
    await expect(page.getByTestId('import-left-out').textContent()).resolves.toBe('135,080 rows left out: 135,080 without a user id, 0 without a readable time');
    await expect(page.getByTestId('import-encoding-read').textContent()).resolves.toBe('text read as UTF-8');
    // the first rows as they would load
    await expect.poll(() => page.getByTestId('import-preview').locator('tbody tr').count()).toBe(8);
    // nothing replaced yet
    expect(await query('SELECT count(*) AS n FROM events')).not.toEqual([{ n: 406_829 }]);
    await page.screenshot({ path: 'test-results/import-step-preview.png' });
    await expect(page.getByTestId('import-load').textContent()).resolves.toMatch(/Load 406,829 events/);
    await page.getByTestId('import-load').click();
    await expect.poll(rowCount, { timeout: 60_000 }).toBe('406829');
    expect(await query("SELECT count(*) AS n, count(DISTINCT user_id) AS people, min(event) AS a, max(event) AS b FROM events"))
      .toEqual([{ n: 406_829, people: 4_372, a: 'purchase', b: 'purchase' }]);
    // 2010-12-01 08:26 in London (GMT in December) is 08:26 UTC; 2011-06-01 in summer time is an hour earlier
    expect(await query("SELECT strftime(min(ts), '%Y-%m-%d %H:%M') AS first FROM events")).toEqual([{ first: '2010-12-01 08:26' }]);
    const frontMatter = await page.evaluate(() => (document.querySelector('cb-app') as unknown as { notebook: { frontMatter?: string } }).notebook.frontMatter);
    expect(frontMatter).toMatch(/data:\n(.*\n)*\s+- file: online-retail\.csv\.gz\n\s+mapping:\n\s+user_id: CustomerID\n\s+event: "?:purchase"?\n\s+ts: InvoiceDate\n\s+revenue: UnitPrice\n\s+timezone: Europe\/London/);
    expect(await pageText()).not.toMatch(FLAG);
  }, 240_000);

  test('the saved choices apply when the file is opened again: no step', async () => {
    await page.getByTestId('file-input').setInputFiles({ name: 'online-retail.csv.gz', mimeType: 'application/gzip', buffer: RETAIL });
    await expect.poll(() => page.locator('cb-app').evaluate((app) => (app as unknown as { busy: string | null }).busy), { timeout: 60_000 }).toBeNull();
    expect(await step().count()).toBe(0);
    expect(await rowCount()).toBe('406829');
  }, 120_000);

  test('after a reload the notebook and its data come back without asking', async () => {
    await page.waitForTimeout(1500); // autosave
    await page.reload();
    await expect.poll(rowCount, { timeout: 90_000 }).toBe('406829');
    expect(await step().count()).toBe(0);
    const frontMatter = await page.evaluate(() => (document.querySelector('cb-app') as unknown as { notebook: { frontMatter?: string } }).notebook.frontMatter);
    expect(frontMatter).toMatch(/file: online-retail\.csv\.gz/);
  }, 180_000);
});

describe('text that is not UTF-8, and Excel', () => {
  const CYRILLIC = 'user_id,event,ts\nАнна,покупка,2024-03-01 10:00:00\nЁжик,просмотр,2024-03-02 11:30:00\nАнна,просмотр,2024-03-05 09:15:00\n';

  test('a Windows-1251 CSV with Cyrillic ids loads the same rows as its UTF-8 twin, and says how it was read', async () => {
    await page.getByTestId('file-input').setInputFiles({ name: 'utf8.csv', mimeType: 'text/csv', buffer: Buffer.from(CYRILLIC) });
    await expect.poll(rowCount, { timeout: 30_000 }).toBe('3');
    const twin = await query('SELECT user_id, event, ts FROM events ORDER BY ts');
    await page.getByTestId('file-input').setInputFiles({ name: 'cp1251.csv', mimeType: 'text/csv', buffer: Buffer.from(windows1251(CYRILLIC)) });
    await expect.poll(() => page.locator('cb-data-panel section.active').getAttribute('data-source'), { timeout: 30_000 }).toBe('cp1251_csv');
    expect(await query('SELECT user_id, event, ts FROM events ORDER BY ts')).toEqual(twin);
    expect(twin.map((r) => r.user_id)).toEqual(['Анна', 'Ёжик', 'Анна']);
    await expect(page.locator('cb-data-panel section.active [data-testid=source-details]').textContent()).resolves.toBe('text read as Windows-1251 (Cyrillic)');
  });

  test('the import step reads the file again in the encoding the person picks', async () => {
    // a click while the panel re-renders after the previous load can be lost (noted in the closing
    // note as a bug of its own); the step must then open on a second click
    for (let tries = 0; tries < 6 && !(await step().isVisible()); tries++) {
      await page.getByTestId('reimport').click();
      await step().waitFor({ timeout: 5_000 }).catch(() => undefined);
    }
    await step().waitFor({ timeout: 5_000 });
    const samples = () => page.getByTestId('import-columns').locator('tbody tr').first().locator('td.samples').textContent();
    await expect(samples()).resolves.toBe('Анна · Ёжик');
    await page.getByTestId('import-encoding').selectOption('windows-1252');
    await expect.poll(samples, { timeout: 30_000 }).toBe('Àííà · ¨æèê');
    await page.getByTestId('import-encoding').selectOption('windows-1251');
    await expect.poll(samples, { timeout: 30_000 }).toBe('Анна · Ёжик');
    await page.getByTestId('import-cancel').click();
    await expect.poll(() => step().count()).toBe(0);
  });

  test('an Excel workbook loads the same rows as its CSV twin', async () => {
    const csv = 'CustomerID,InvoiceDate,UnitPrice\n17850,2010-12-01 08:26:00,2.55\n13047,2010-12-01 08:34:00,4.25\n17850,2011-01-05 14:03:30,1.5\n';
    await page.getByTestId('file-input').setInputFiles({ name: 'invoices.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await step().waitFor({ timeout: 30_000 });
    await page.getByTestId('import-event-constant').fill('purchase');
    await expect.poll(() => page.getByTestId('import-rows').textContent().catch(() => null), { timeout: 30_000 }).toBe('3');
    await page.getByTestId('import-load').click();
    await expect.poll(rowCount, { timeout: 30_000 }).toBe('3');
    const twin = await query('SELECT user_id, event, ts, "UnitPrice" FROM events ORDER BY ts');
    const at = (text: string) => new Date(`${text.replace(' ', 'T')}Z`);
    const workbook = xlsxWorkbook([{ name: 'Sheet1', rows: [['CustomerID', 'InvoiceDate', 'UnitPrice'],
      [17850, at('2010-12-01 08:26:00'), 2.55], [13047, at('2010-12-01 08:34:00'), 4.25], [17850, at('2011-01-05 14:03:30'), 1.5]] }]);
    await page.getByTestId('file-input').setInputFiles({ name: 'invoices.xlsx', mimeType: 'application/octet-stream', buffer: Buffer.from(workbook) });
    await step().waitFor({ timeout: 30_000 });
    await page.getByTestId('import-event-constant').fill('purchase');
    await expect.poll(() => page.getByTestId('import-rows').textContent().catch(() => null), { timeout: 30_000 }).toBe('3');
    await page.getByTestId('import-load').click();
    await expect.poll(() => page.locator('cb-data-panel section.active').getAttribute('data-source'), { timeout: 30_000 }).toBe('invoices_xlsx');
    expect(await query('SELECT user_id, event, ts, "UnitPrice" FROM events ORDER BY ts')).toEqual(twin);
  });
});

describe('several files are one log', () => {
  const text = gunzipSync(RETAIL).toString('utf8');
  const lines = text.split('\n');
  const body = lines.slice(1).filter(Boolean);
  const half = Math.floor(body.length / 2);
  const first = Buffer.from([lines[0], ...body.slice(0, half)].join('\n'));
  const second = Buffer.from([lines[0], ...body.slice(half)].join('\n'));
  const totals = 'SELECT count(*) AS n, count(DISTINCT user_id) AS people, epoch_ms(min(ts)) AS first, epoch_ms(max(ts)) AS last FROM events';
  // the whole log, from the independent pass over the CSV text (times without a zone read as UTC)
  const retail = onlineRetailLines();
  const whole = [{
    n: retail.length, people: new Set(retail.map((l) => l.customer)).size,
    first: retail.reduce((m, l) => Math.min(m, l.ms), Infinity), last: retail.reduce((m, l) => Math.max(m, l.ms), -Infinity),
  }];

  test('two halves selected together give the rows, people and range of the whole', async () => {
    expect(whole[0]).toMatchObject({ n: 406_829, people: 4_372 });
    await page.getByTestId('file-input').setInputFiles([
      { name: 'retail-2011-a.csv', mimeType: 'text/csv', buffer: first },
      { name: 'retail-2011-b.csv', mimeType: 'text/csv', buffer: second },
    ]);
    await step().waitFor({ timeout: 60_000 });
    await page.getByTestId('import-event-constant').fill('purchase');
    await expect.poll(() => page.getByTestId('import-rows').textContent().catch(() => null), { timeout: 60_000 }).toBe('406,829');
    await expect(page.getByTestId('import-summary').textContent()).resolves.toMatch(/2 files read as one log/);
    await page.getByTestId('import-load').click();
    await expect.poll(() => page.locator('cb-data-panel section.active').getAttribute('data-source'), { timeout: 60_000 }).toBe('retail_2011_a_csv');
    expect(await query(totals)).toEqual(whole);
    await expect(page.locator('cb-data-panel section.active [data-testid=source-details]').textContent()).resolves.toBe('2 files');
  }, 240_000);

  test('dropping one half, then adding the other to the loaded source, gives the whole too', async () => {
    await drop([{ name: 'retail-part-1.csv', bytes: first }]);
    await step().waitFor({ timeout: 60_000 });
    await page.getByTestId('import-event-constant').fill('purchase');
    await expect.poll(() => page.getByTestId('import-rows').textContent().catch(() => null), { timeout: 60_000 }).not.toBeNull();
    await page.getByTestId('import-load').click();
    await expect.poll(() => page.locator('cb-data-panel section.active').getAttribute('data-source'), { timeout: 60_000 }).toBe('retail_part_1_csv');
    await page.getByTestId('add-files-input').setInputFiles({ name: 'retail-part-2.csv', mimeType: 'text/csv', buffer: second });
    await expect.poll(rowCount, { timeout: 60_000 }).toBe('406829');
    expect(await step().count()).toBe(0);
    expect(await query(totals)).toEqual(whole);
    expect(await pageText()).not.toMatch(FLAG);
  }, 240_000);
});

describe('a file too big for a tab', () => {
  test('a 4 GB file gets one sentence before a byte is read, with the command that analyses it; the earlier data still answers queries', async () => {
    // a sparse file: 4 GB long, a few bytes on disk
    const path = join(tmpdir(), `cohortbook-huge-${process.pid}.csv`);
    writeFileSync(path, 'user_id,event,ts\nu1,open,2024-01-01 00:00:00\n');
    truncateSync(path, 4 * 1024 ** 3 + 4096);
    try {
      const before = await query('SELECT count(*) AS n, count(DISTINCT user_id) AS people FROM events');
      const name = path.split('/').pop()!;
      await page.getByTestId('file-input').setInputFiles(path);
      await expect.poll(() => page.getByTestId('load-error').textContent().catch(() => null), { timeout: 60_000 }).toBe(
        `"${name}" is 4.0 GB, more than this tab can load (it holds about 3.0 GB, as DuckDB in a browser stops near 3 GB), so it was not loaded and the data loaded before is still here: `
        + `analyse it on this machine with native DuckDB, npx cohortbook analyze --events ${name} --spec spec.json --engine native`);
      expect(await step().count()).toBe(0);
      expect(await query('SELECT count(*) AS n, count(DISTINCT user_id) AS people FROM events')).toEqual(before);
      await page.screenshot({ path: 'test-results/too-big-for-a-tab.png' });
    } finally {
      unlinkSync(path);
    }
  }, 120_000);
});
