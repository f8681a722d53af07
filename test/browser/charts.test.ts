import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { PreviewServer } from 'vite';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, serveApp } from './browser.ts';

// Every default chart, as a person sees it in a notebook, at 1, 12, 53 and 365 periods, in the
// light and the dark theme: screenshots under test-results/charts/ to look at, and the checks a
// person would make by eye: no text cut off at the chart's edge, no axis labels on top of each
// other, no text shrunk below 8 px to fit the cell.

/** A year (2023) of a small shop: 600 people, each active on some days after signing up. */
function yearLog(): string {
  let seed = 20230101;
  const random = () => {
    seed = (seed + 0x6d2b79f5) >>> 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const lines = ['user_id,event,ts,revenue,plan,variant,score'];
  const start = Date.UTC(2023, 0, 1);
  const end = Date.UTC(2024, 0, 1);
  for (let u = 0; u < 600; u++) {
    const plan = random() < 0.3 ? 'pro' : 'free';
    const variant = random() < 0.5 ? 'A' : 'B';
    let t = start + Math.floor(random() * 360) * 86_400_000 + Math.floor(random() * 86_400_000);
    const add = (event: string, revenue = '', score = '') => lines.push(`u${u},${event},${new Date(t).toISOString()},${revenue},${plan},${variant},${score}`);
    add('signup');
    if (random() < 0.3) add('survey', '', String(Math.floor(random() * 11)));
    for (let visit = 0; t < end && visit < 40; visit++) {
      add('session_start');
      add('view_item');
      if (random() < 0.5) { t += 60_000 * (1 + Math.floor(random() * 30)); add('add_to_cart'); }
      if (random() < 0.4) { t += 60_000 * (1 + Math.floor(random() * 600)); add('checkout'); }
      if (random() < 0.7 && lines.at(-1)!.includes('checkout')) { t += 60_000 * Math.floor(random() * 90); add('purchase', (5 + Math.floor(random() * 200)).toFixed(2)); }
      t += 86_400_000 * (1 + Math.floor(random() * random() * 60));
    }
  }
  return lines.filter((line, i) => i === 0 || Date.parse(line.split(',')[2]) < end).join('\n') + '\n';
}

/** A range of `n` periods of `period` in 2023 (weeks start on Monday 2022-12-26). */
function range(period: 'day' | 'week' | 'month', n: number): { date_from: string; date_to: string } {
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  if (period === 'month') return { date_from: '2023-01-01', date_to: day(Date.UTC(2023, n, 0)) };
  const first = period === 'week' ? Date.UTC(2022, 11, 26) : Date.UTC(2023, 0, 1);
  const length = period === 'week' ? 7 : 1;
  return { date_from: day(first), date_to: day(first + (n * length - 1) * 86_400_000) };
}

const PERIODS = [1, 12, 53, 365] as const;
const periodFor = (n: number) => (n === 365 ? 'day' : n === 53 ? 'week' : n === 12 ? 'month' : 'week');

/** The analysis cells of the notebook: kind, name and spec. */
function cells(): { kind: string; name: string; spec: Record<string, unknown> }[] {
  const out: { kind: string; name: string; spec: Record<string, unknown> }[] = [];
  for (const n of PERIODS) {
    const period = periodFor(n);
    const dates = range(period, n);
    out.push({ kind: 'retention', name: `retention_${n}`, spec: { period, start_event: 'signup', return_event: 'session_start', intervals: n, ...dates } });
    out.push({ kind: 'lifecycle', name: `lifecycle_${n}`, spec: { period, event: 'session_start', ...dates } });
    out.push({ kind: 'stickiness', name: `stickiness_${n}`, spec: { period: 'day', event: 'session_start', ...range('day', n) } });
    out.push({ kind: 'active_users', name: `active_users_${n}`, spec: { event: 'session_start', ...range('day', n) } });
    out.push({ kind: 'churn', name: `churn_${n}`, spec: { period, inactive_days: 30, ...dates } });
    out.push({ kind: 'ltv', name: `ltv_${n}`, spec: { period, start_event: 'signup', intervals: n, ...dates } });
    out.push({ kind: 'sessions', name: `sessions_${n}`, spec: { period, ...dates } });
    out.push({ kind: 'trends', name: `trends_${n}`, spec: { period, series: [{ event: 'view_item' }, { event: 'purchase', math: 'dau' }], breakdown: 'plan', compare: n === 12, ...dates } });
  }
  out.push(
    { kind: 'funnel', name: 'funnel', spec: { steps: ['view_item', 'add_to_cart', 'checkout', 'purchase'], window_seconds: 7 * 86_400 } },
    { kind: 'funnel', name: 'funnel_breakdown', spec: { steps: ['view_item', 'add_to_cart', 'checkout', 'purchase'], breakdown: 'plan' } },
    { kind: 'funnel', name: 'funnel_time', spec: { steps: ['view_item', 'purchase'], time_to_convert: { from_step: 1, to_step: 2, bins: 20 } } },
    { kind: 'paths', name: 'paths', spec: { start_event: 'view_item', steps: 5 } },
    { kind: 'paths', name: 'paths_to', spec: { end_event: 'purchase', steps: 4 } },
    { kind: 'growth', name: 'growth', spec: { metric: 'revenue', concentration: true } },
    { kind: 'purchases', name: 'purchases', spec: {} },
    { kind: 'rfm', name: 'rfm', spec: { summary: true } },
    { kind: 'survey', name: 'survey', spec: { column: 'score', event: 'survey' } },
    { kind: 'ab_test', name: 'ab_test', spec: { exposure_event: 'signup', conversion_event: 'purchase', variant_column: 'variant' } },
  );
  return out;
}

function notebook(): string {
  const body = cells().map((c) => `\`\`\`${c.kind} id=${c.name}\n${JSON.stringify(c.spec)}\n\`\`\``).join('\n\n');
  return `---\ntitle: Every default chart\n---\n\n# Every default chart\n\n${body}\n`;
}

interface Problems {
  svgs: number;
  clipped: string[];
  overlapping: string[];
  tiny: string[];
}

/** What a person would see wrong in a cell's chart, measured in the page. */
async function problems(page: Page, name: string): Promise<Problems> {
  return page.evaluate((cellName) => {
    const cell = [...document.querySelector('cb-app')!.shadowRoot!.querySelector('cb-notebook')!.shadowRoot!.querySelectorAll('cb-cell')]
      .find((c) => c.shadowRoot!.querySelector('header .name')?.textContent === cellName)!;
    const output = cell.shadowRoot!.querySelector('cb-cell-output')!.shadowRoot!;
    const svgs = [...output.querySelectorAll('.chart svg')] as SVGSVGElement[];
    const out = { svgs: svgs.length, clipped: [] as string[], overlapping: [] as string[], tiny: [] as string[] };
    for (const svg of svgs) {
      const box = svg.getBoundingClientRect();
      const scale = box.width / (svg.width.baseVal.value || box.width);
      const texts = [...svg.querySelectorAll('text')].filter((t) => (t.textContent ?? '').trim() !== '');
      for (const text of texts) {
        const r = text.getBoundingClientRect();
        if (r.width === 0) continue;
        if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1) out.clipped.push(text.textContent!);
        const size = parseFloat(getComputedStyle(text).fontSize) * scale;
        if (size < 8 && out.tiny.length < 5) out.tiny.push(`${text.textContent} (${size.toFixed(1)} px)`);
      }
      for (const axis of svg.querySelectorAll('g[aria-label$="tick label"]')) {
        const labels = [...axis.querySelectorAll('text')].map((t) => ({ text: t.textContent!, r: t.getBoundingClientRect() })).filter((l) => l.r.width > 0);
        for (let i = 0; i < labels.length; i++) {
          for (let j = i + 1; j < labels.length; j++) {
            const a = labels[i].r, b = labels[j].r;
            const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
            const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
            if (w > 1 && h > 1 && out.overlapping.length < 5) out.overlapping.push(`${labels[i].text} / ${labels[j].text}`);
          }
        }
      }
    }
    return out;
  }, name);
}

let server: PreviewServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  mkdirSync('test-results/charts', { recursive: true });
  let url: string;
  ({ url, server } = await serveApp());
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1400, height: 1000 } })).newPage();
  await page.goto(url);
  await page.getByTestId('summary-rows').waitFor({ timeout: 60_000 });
  await page.getByTestId('file-input').setInputFiles({ name: 'shop-2023.csv', mimeType: 'text/csv', buffer: Buffer.from(yearLog()) });
  await page.locator('cb-data-panel section.active', { hasText: 'shop-2023.csv' }).waitFor({ timeout: 60_000 });
  await page.getByTestId('file-input').setInputFiles({ name: 'charts.md', mimeType: 'text/markdown', buffer: Buffer.from(notebook()) });
  await page.getByTestId('notebook-title').filter({ hasText: 'Every default chart' }).waitFor({ timeout: 30_000 });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((done) => server?.httpServer.close(() => done()));
});

const cellNamed = (name: string) => page.locator('cb-notebook > cb-cell', { has: page.locator('header .name', { hasText: new RegExp(`^${name}$`) }) });

describe('every default chart is readable', () => {
  for (const theme of ['light', 'dark'] as const) {
    test.each(cells().map((c) => c.name))(`%s (${theme})`, async (name) => {
      if (theme === 'dark' && (await page.evaluate(() => document.documentElement.dataset.theme)) !== 'dark') {
        await page.getByRole('button', { name: 'Switch light and dark theme' }).click();
      }
      const cell = cellNamed(name);
      await cell.scrollIntoViewIfNeeded();
      await expect.poll(() => cell.locator('.chart svg').count().catch(() => 0), { timeout: 120_000 }).toBeGreaterThan(0);
      await cell.locator('cb-cell-output').screenshot({ path: `test-results/charts/${name}-${theme}.png` });
      const found = await problems(page, name);
      expect(found).toEqual({ svgs: found.svgs, clipped: [], overlapping: [], tiny: [] });
    }, 180_000);
  }
});

describe('tables read as people read them', () => {
  test('durations and percentages in the table; the CSV download keeps the plain numbers', async () => {
    if ((await page.evaluate(() => document.documentElement.dataset.theme)) === 'dark') await page.getByRole('button', { name: 'Switch light and dark theme' }).click();
    const cell = cellNamed('funnel');
    await cell.scrollIntoViewIfNeeded();
    const second = await cell.locator('tbody tr').nth(1).innerText();
    // step 2: users, conversions as percentages, the times between steps as durations
    expect(second).toMatch(/^2\tadd_to_cart\t579\t96\.5 %\t96\.5 %\t\d+ (min|h) \d+ (s|min)\t\d+ (min|s)/);
    const [download] = await Promise.all([page.waitForEvent('download'), cell.getByRole('button', { name: 'CSV' }).click()]);
    const csv = await new Promise<string>((resolve, reject) => {
      download.createReadStream().then((stream) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve(Buffer.concat(chunks).toString('utf8'))).on('error', reject);
      }, reject);
    });
    const row = csv.trim().split('\n')[2].split(',');
    expect(row.slice(0, 5)).toEqual(['2', 'add_to_cart', '579', '0.965', '0.965']);
    expect(Number(row[5])).toBeGreaterThan(60);
    expect(csv).not.toMatch(/%| min | h /);
  });
});
