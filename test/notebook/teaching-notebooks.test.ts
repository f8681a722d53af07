import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JSDOM } from 'jsdom';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { GAME_WEEKS, TEACHING_DATA, notebookData, parseNotebook, writeNotebook } from '../../src/notebook/index.ts';
import { onlineRetailLines } from '../helpers/online-retail.ts';
import { referencePaths, type PathEvent } from '../analytics/paths/paths-reference.ts';

// Every shipped notebook runs through the real headless path (`cohortbook run`, a child process),
// and the numbers its report shows are compared with references computed here in plain TypeScript
// from the raw logs (the generators' CSV text, the Online Retail file), never from the SQL.

const FILES = readdirSync('notebooks').filter((file) => file.endsWith('.md')).sort();
const SAMPLE = 'public/samples/shop-events.csv';
const DAY = 86_400_000;
const WEEK = 7 * DAY;

interface Run {
  code: number | null;
  output: string;
  html: string;
}

const out = mkdtempSync(join(tmpdir(), 'cohortbook-teaching-'));
const runs = new Map<string, Promise<Run>>();

/** `node bin/cohortbook.js run notebooks/FILE --out ...`, with the sample log when the notebook names no data. */
function runNotebook(file: string): Promise<Run> {
  const text = readFileSync(`notebooks/${file}`, 'utf8');
  const report = join(out, file.replace(/\.md$/, '.html'));
  const args = ['bin/cohortbook.js', 'run', `notebooks/${file}`, '--out', report];
  if (notebookData(parseNotebook(text).frontMatter).length === 0) args.push('--data', `events=${SAMPLE}`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      let html = '';
      try {
        html = readFileSync(report, 'utf8');
      } catch {
        // no report: the exit code and output say why
      }
      resolve({ code, output, html });
    });
  });
}

beforeAll(async () => {
  // two at a time: the machine has two cores, and each run is one DuckDB-WASM process
  const queue = [...FILES];
  const worker = async () => {
    for (let file = queue.shift(); file; file = queue.shift()) {
      const run = runNotebook(file);
      runs.set(file, run);
      await run;
    }
  };
  await Promise.all([worker(), worker()]);
}, 170_000);

afterAll(() => rmSync(out, { recursive: true, force: true }));

/**
 * A report's tables by their cell label (`SQL · monthly`, `retention · cohorts`), cells as shown,
 * or the number behind a cell shown as a duration or percentage (its `data-value`).
 */
function reportTables(html: string): Map<string, Record<string, string>[]> {
  const { document } = new JSDOM(html).window;
  const tables = new Map<string, Record<string, string>[]>();
  for (const section of document.querySelectorAll('section.cell')) {
    const label = section.querySelector('summary')?.textContent ?? '';
    const table = section.querySelector(':scope > table');
    if (!table) continue;
    const columns = [...table.querySelectorAll('thead th')].map((th) => th.textContent ?? '');
    const rows = [...table.querySelectorAll('tbody tr')].map((tr) => {
      const cells = [...tr.querySelectorAll('td')].map((td) => td.getAttribute('data-value') ?? td.textContent ?? '');
      return Object.fromEntries(columns.map((c, i) => [c, cells[i]]));
    });
    tables.set(label, rows);
  }
  return tables;
}

/** The markup of the cell whose label starts with `label` (its chart, table, text). */
function sectionHtml(html: string, label: string): string {
  const { document } = new JSDOM(html).window;
  const section = [...document.querySelectorAll('section.cell')].find((s) => (s.querySelector('summary')?.textContent ?? '').startsWith(label));
  return section?.innerHTML ?? '';
}

/** A number as the report prints it: `12,345.6` → 12345.6; an empty cell → null. */
const num = (text: string | undefined) => (text === undefined || text === '' ? null : Number(text.replace(/,/g, '')));
/** A notebook's text with every run of white space as one space, so prose checks ignore line wrapping. */
const prose = (file: string) => readFileSync(`notebooks/${file}`, 'utf8').replace(/\s+/g, ' ');
const thousands = (n: number) => n.toLocaleString('en-US');
const pct1 = (x: number) => `${(x * 100).toFixed(1)} %`;

/** The table of the cell labelled `Kind · name`, or of a JS cell that declares `name` among others. */
function table(html: string, label: string): Record<string, string>[] {
  const [kind, name] = label.split(' · ');
  const tables = reportTables(html);
  const key = [...tables.keys()].find((k) => k === label || (k.startsWith(`${kind} · `) && k.slice(kind.length + 3).split(', ').includes(name)));
  if (key === undefined) throw new Error(`the report has no table labelled "${label}" (it has: ${[...tables.keys()].join('; ')})`);
  return tables.get(key)!;
}

async function finished(file: string): Promise<Run> {
  const run = await runs.get(file)!;
  expect(run.code, run.output).toBe(0);
  return run;
}

function csvRows(text: string): string[][] {
  return text.trim().split('\n').slice(1).map((line) => line.split(','));
}

const monthIndex = (ms: number) => new Date(ms).getUTCFullYear() * 12 + new Date(ms).getUTCMonth();
const mondayOf = (ms: number) => {
  const day = Math.floor(ms / DAY);
  return (day - ((new Date(day * DAY).getUTCDay() + 6) % 7)) * DAY;
};
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

describe.each(FILES)('notebooks/%s', (file) => {
  test('parses and writes back byte for byte', () => {
    const text = readFileSync(`notebooks/${file}`, 'utf8');
    expect(writeNotebook(parseNotebook(text))).toBe(text);
  });

  test('runs top to bottom through cohortbook run without an error', async () => {
    const run = await finished(file);
    expect(run.output).toMatch(/ran \d+ cells/);
    expect(run.html).not.toContain('class="error"');
    expect(run.html).toContain('<section class="cell">');
  });
});

describe('Why growth metrics lie', () => {
  const file = 'why-growth-metrics-lie.md';
  const text = prose(file);
  const users = new Map<string, number>();
  const byMonth = new Map<number, { signups: number; active: Set<string>; revenue: number }>();
  const returned = new Map<string, Set<number>>();
  let first = Infinity;
  for (const [user, event, ts, revenue] of csvRows(TEACHING_DATA['growth-lies'].generate())) {
    const m = monthIndex(Date.parse(ts));
    first = Math.min(first, m);
    const month = byMonth.get(m) ?? { signups: 0, active: new Set(), revenue: 0 };
    month.active.add(user);
    if (event === 'signup') {
      month.signups++;
      users.set(user, m);
    } else {
      month.revenue += Number(revenue);
      returned.set(user, (returned.get(user) ?? new Set()).add(m));
    }
    byMonth.set(m, month);
  }
  const cohortSize = new Map<number, number>();
  const monthOne = new Map<number, number>();
  for (const [user, m] of users) {
    cohortSize.set(m, (cohortSize.get(m) ?? 0) + 1);
    if (returned.get(user)?.has(m + 1)) monthOne.set(m, (monthOne.get(m) ?? 0) + 1);
  }

  test('MAU and revenue by month are the distinct people and the sum of revenue per month', async () => {
    const { html } = await finished(file);
    const rows = table(html, 'SQL · monthly');
    expect(rows).toHaveLength(12);
    for (const row of rows) {
      const [y, mo] = row.month.split('-').map(Number);
      const ref = byMonth.get(y * 12 + mo - 1)!;
      expect(num(row.new_users)).toBe(ref.signups);
      expect(num(row.mau)).toBe(ref.active.size);
      if (ref.revenue === 0) expect(row.revenue).toBe('');
      else expect(num(row.revenue)).toBeCloseTo(ref.revenue, 1);
    }
    const sizes = rows.map((r) => num(r.new_users));
    expect(sizes.slice(0, 3)).toEqual([10_000, 15_000, 20_000]);
    // the prose quotes December's totals and November's mix
    const december = byMonth.get(first + 11)!;
    expect(text).toContain(`${thousands(december.active.size)} in December`);
    expect(text).toContain(`$${thousands(Math.round(december.revenue))} in December`);
    expect(text).toContain(`60,000 of the ${thousands(byMonth.get(first + 10)!.active.size)} active people`);
  });

  test('the cohort table has the generator\'s cohort sizes and its one-month retention falls from the first release', async () => {
    const { html } = await finished(file);
    const rows = table(html, 'retention · cohorts');
    for (const [m, size] of cohortSize) {
      const cohort = `${Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}-01`;
      const zero = rows.find((r) => r.cohort === cohort && r.period === '0')!;
      expect(num(zero.cohort_size)).toBe(size);
      expect(size).toBe(10_000 + 5_000 * (m - first));
      const one = rows.find((r) => r.cohort === cohort && r.period === '1');
      if (m - first < 11) expect(num(one!.users)).toBe(monthOne.get(m) ?? 0);
    }
    const rates = [...Array(11).keys()].map((c) => monthOne.get(first + c)! / cohortSize.get(first + c)!);
    for (let c = 1; c < rates.length; c++) expect(rates[c]).toBeLessThan(rates[c - 1]);
    for (const c of [0, 1, 2, 10]) expect(text).toContain(pct1(rates[c]));
    // the one-month chart labels every cohort's rate
    const chart = sectionHtml(html, 'JavaScript · monthOne');
    expect(chart).toContain('<svg');
    for (const rate of rates) expect(chart).toContain(`${(rate * 100).toFixed(1)} %`);
  });

  test('revenue per active month falls by $0.10 with each release', async () => {
    const rows = table((await finished(file)).html, 'SQL · revenue_by_cohort');
    rows.forEach((row, c) => expect(num(row.revenue_per_active_month)).toBeCloseTo(5 - 0.1 * c, 6));
  });
});

describe('Cohorts by acquisition', () => {
  const file = 'cohorts-by-acquisition.md';
  const people = new Map<string, { source: string; joined: number }>();
  const events: { user: string; event: string; ms: number }[] = [];
  for (const [user, event, ts, source] of csvRows(TEACHING_DATA['acquisition-cohorts'].generate())) {
    const ms = Date.parse(ts);
    if (event === 'signup') people.set(user, { source, joined: ms });
    events.push({ user, event, ms });
  }
  const sizes = new Map<string, number>();
  for (const { source } of people.values()) sizes.set(source, (sizes.get(source) ?? 0) + 1);

  test('weekly rolling retention by source: people back in their week k, counted from their own sign-up', async () => {
    const rows = table((await finished(file)).html, 'retention · weekly');
    const back = new Map<string, Set<string>>();
    for (const { user, ms } of events) {
      const { source, joined } = people.get(user)!;
      const k = Math.floor((ms - joined) / WEEK);
      const key = `${isoDate(mondayOf(joined))}|${source}|${k}`;
      back.set(key, (back.get(key) ?? new Set()).add(user));
    }
    const complete = rows.filter((r) => r.period !== '0' && r.incomplete === 'false');
    expect(complete.length).toBeGreaterThan(30);
    for (const row of complete) expect(num(row.users), `${row.cohort} ${row.breakdown} +${row.period}`).toBe(back.get(`${row.cohort}|${row.breakdown}|${row.period}`)?.size ?? 0);
    // the banner group is gone by week three in every cohort; the migrated group stays
    for (const row of rows.filter((r) => r.breakdown === 'banner' && Number(r.period) >= 3)) expect(row.users).toBe('0');
    for (const row of complete.filter((r) => r.breakdown === 'migrated')) expect(num(row.rate)).toBeGreaterThan(0.8);
  });

  test('goal events per 100 people of each group, per week since sign-up', async () => {
    const { html } = await finished(file);
    const counts = new Map<string, number>();
    for (const { user, event, ms } of events) {
      if (event === 'signup') continue;
      const { source, joined } = people.get(user)!;
      const key = `${source}|${event}|${Math.floor((ms - joined) / WEEK)}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const rows = table(html, 'SQL · goals_by_week');
    expect(rows).toHaveLength(12);
    for (const row of rows) {
      for (let week = 0; week <= 4; week++) {
        const expected = Math.round((1000 * (counts.get(`${row.source}|${row.goal}|${week}`) ?? 0)) / sizes.get(row.source)!) / 10;
        expect(num(row[`week_${week}`]), `${row.source} ${row.goal} week ${week}`).toBeCloseTo(expected, 6);
      }
    }
    const perWeek = table(html, 'JavaScript · perWeek');
    const banner = perWeek.find((r) => r.source === 'banner')!;
    expect([banner['week 3'], banner['week 4']]).toEqual(['0', '0']);
    expect(num(perWeek.find((r) => r.source === 'migrated')!['week 4'])).toBeGreaterThan(200);
  });
});

describe("A game's cohort table", () => {
  const file = 'a-games-cohort-table.md';
  const text = prose(file);
  const players = new Map<string, { version: string; installed: number; completed: boolean; purchases: { ms: number; revenue: number }[] }>();
  for (const [user, event, ts, revenue, version] of csvRows(TEACHING_DATA['game-cohorts'].generate())) {
    const ms = Date.parse(ts);
    const player = players.get(user) ?? { version, installed: ms, completed: false, purchases: [] };
    if (event === 'install') player.installed = ms;
    if (event === 'tutorial_complete') player.completed = true;
    if (event === 'purchase') player.purchases.push({ ms, revenue: Number(revenue) });
    players.set(user, player);
  }
  const start = Date.UTC(2024, 0, 1);
  const weekOf = (ms: number) => Math.floor((ms - start) / WEEK);

  test('tutorial completion by version: 34 % before the new tutorial, 47 % with it', async () => {
    const rows = table((await finished(file)).html, 'JavaScript · perVersion');
    for (const version of ['v1.0', 'v1.1', 'v1.2']) {
      const group = [...players.values()].filter((p) => p.version === version);
      const row = rows.find((r) => r.app_version === version)!;
      const completed = group.filter((p) => p.completed).length;
      expect(num(row.installs)).toBe(group.length);
      expect(num(row.tutorial_pct)).toBeCloseTo(Math.round((1000 * completed) / group.length) / 10, 6);
      expect(text).toContain(pct1(completed / group.length));
    }
    expect(num(rows[0].tutorial_pct)).toBeCloseTo(33.5, 6);
    expect(num(rows[2].tutorial_pct)).toBeCloseTo(47.2, 6);
  });

  test('the weekly cohort table: installs, completions, buyers and repeat buyers within 21 days', async () => {
    const rows = table((await finished(file)).html, 'SQL · cohort_table');
    expect(rows).toHaveLength(12);
    for (const row of rows) {
      const week = weekOf(Date.parse(`${row.cohort}T00:00:00Z`));
      const group = [...players.values()].filter((p) => weekOf(p.installed) === week);
      const buyers = group.filter((p) => p.purchases.length > 0);
      const repeat = buyers.filter((p) => {
        const [a, b] = [...p.purchases].sort((x, y) => x.ms - y.ms);
        return b !== undefined && b.ms <= a.ms + 21 * DAY;
      });
      expect(row.app_version).toBe(GAME_WEEKS[week].version);
      expect([num(row.installs), num(row.completed), num(row.buyers), num(row.repeat_buyers)])
        .toEqual([group.length, group.filter((p) => p.completed).length, buyers.length, repeat.length]);
    }
  });

  test('LTV at 4 weeks against CAC from the weekly spend', async () => {
    const rows = table((await finished(file)).html, 'JavaScript · atFourWeeks');
    expect(rows).toHaveLength(12);
    for (const { week, spend } of GAME_WEEKS) {
      const group = [...players.values()].filter((p) => weekOf(p.installed) === week);
      const revenue = group.flatMap((p) => p.purchases).filter((x) => weekOf(x.ms) - week <= 4).reduce((s, x) => s + x.revenue, 0);
      const row = rows.find((r) => r.cohort === isoDate(start + week * WEEK))!;
      expect(num(row.cac)).toBeCloseTo(Math.round((100 * spend) / group.length) / 100, 6);
      expect(num(row.ltv_4_weeks)).toBeCloseTo(Math.round((100 * revenue) / group.length) / 100, 6);
      expect(num(row.ltv_cac)).toBeCloseTo(Math.round((1000 * revenue) / spend) / 1000, 6);
      expect(revenue / spend).toBeLessThan(0.25);
    }
  });
});

describe('Churn, LTV and CLV', () => {
  const file = 'churn-ltv-clv.md';
  const text = prose(file);
  const byUser = new Map<string, { event: string; ms: number; revenue: number }[]>();
  for (const [user, event, ts, revenue] of csvRows(TEACHING_DATA.subscriptions.generate())) {
    byUser.set(user, [...(byUser.get(user) ?? []), { event, ms: Date.parse(ts), revenue: Number(revenue || 0) }]);
  }
  const first = monthIndex(Date.UTC(2024, 0, 1));
  const last = monthIndex(Date.UTC(2025, 11, 1));

  test('churn per month: lost ÷ customers at the start, spells from the first payment to the cancel', async () => {
    // a spell starts at a payment and ends at the next cancel; at equal times the payment comes first
    const spells: { acquired: number; churned: number | null }[] = [];
    for (const rows of byUser.values()) {
      let open: number | null = null;
      const sorted = rows.filter((r) => r.event !== 'subscribe' && monthIndex(r.ms) <= last)
        .sort((a, b) => a.ms - b.ms || (a.event === 'cancel' ? 1 : 0) - (b.event === 'cancel' ? 1 : 0));
      for (const r of sorted) {
        if (r.event === 'payment' && open === null) open = monthIndex(r.ms);
        if (r.event === 'cancel' && open !== null) {
          spells.push({ acquired: open, churned: monthIndex(r.ms) });
          open = null;
        }
      }
      if (open !== null) spells.push({ acquired: open, churned: null });
    }
    const rows = table((await finished(file)).html, 'churn · monthly_churn');
    expect(rows).toHaveLength(24);
    let lost = 0;
    let atStart = 0;
    rows.forEach((row, i) => {
      const m = first + i;
      const start = spells.filter((s) => s.acquired < m && (s.churned === null || s.churned >= m)).length;
      const fresh = spells.filter((s) => s.acquired === m).length;
      const gone = spells.filter((s) => s.churned === m && s.acquired < m).length;
      const churned = spells.filter((s) => s.churned === m).length;
      expect([num(row.customers_start), num(row.new_customers), num(row.lost), num(row.customers_end)], row.period)
        .toEqual([start, fresh, gone, start + fresh - churned]);
      if (start > 0) expect(num(row.churn_rate)).toBeCloseTo(gone / start, 4);
      lost += gone;
      atStart += start;
    });
    const pooled = table((await finished(file)).html, 'JavaScript · pooled')[0];
    expect(num(pooled.lost)).toBe(lost);
    expect(num(pooled.churn_rate)).toBeCloseTo(Math.round((lost / atStart) * 10000) / 10000, 6);
    expect(num(pooled.average_lifetime_months)).toBeCloseTo(Math.round((atStart / lost) * 10) / 10, 6);
    const june = rows.find((r) => r.period === '2025-06-01')!;
    for (const value of [june.customers_start, june.lost, june.new_customers, june.customers_end]) expect(text).toContain(value);
  });

  test('CLV = ARPU × lifetime: 50 × 24 = 1,200, and about 1,000 measured on the log', async () => {
    const { html } = await finished(file);
    const textbook = table(html, 'ltv · textbook')[0];
    expect([num(textbook.arpu), num(textbook.lifetime_periods), num(textbook.clv), num(textbook.ltv_cac), num(textbook.payback_periods)])
      .toEqual([50, 24, 1200, 4, 6]);
    // ARPU = payments ÷ customer-months with a payment; churn = customer-months not followed by one
    const active = new Map<string, Set<number>>();
    let revenue = 0;
    for (const [user, rows] of byUser) {
      for (const r of rows) {
        if (r.event !== 'payment' || monthIndex(r.ms) > last) continue;
        active.set(user, (active.get(user) ?? new Set()).add(monthIndex(r.ms)));
        revenue += r.revenue;
      }
    }
    let customerMonths = 0;
    let atRisk = 0;
    let lost = 0;
    for (const months of active.values()) {
      customerMonths += months.size;
      for (const m of months) {
        if (m >= last) continue;
        atRisk++;
        if (!months.has(m + 1)) lost++;
      }
    }
    const measured = table(html, 'ltv · measured')[0];
    const arpu = revenue / customerMonths;
    expect(arpu).toBe(50);
    expect(num(measured.arpu)).toBe(50);
    expect(num(measured.churn_rate)).toBeCloseTo(lost / atRisk, 4);
    expect(num(measured.clv)).toBeCloseTo((arpu * atRisk) / lost, 3);
    expect(text).toContain(`CLV about ${Math.round((arpu * atRisk) / lost)} EUR`);
  });

  test('the oldest cohort\'s cumulative revenue per subscriber after two years', async () => {
    const jan = [...byUser.values()].filter((rows) => rows.some((r) => r.event === 'subscribe' && monthIndex(r.ms) === first));
    const paid = jan.flatMap((rows) => rows.filter((r) => r.event === 'payment' && monthIndex(r.ms) <= last)).reduce((s, r) => s + r.revenue, 0);
    const value = Math.round(paid / jan.length);
    expect(sectionHtml((await finished(file)).html, 'JavaScript · ltvCohorts')).toContain(`Jan 2024: ${value} EUR`);
    expect(text).toContain(`${value} EUR`);
  });
});

/** Φ through erfc (Numerical Recipes' Chebyshev fit, fractional error below 1.2e-7). */
function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * x);
  const erfc = t * Math.exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
    + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return z >= 0 ? 1 - erfc / 2 : erfc / 2;
}

function pValue(n1: number, x1: number, n2: number, x2: number): number {
  const pooled = (x1 + x2) / (n1 + n2);
  const z = (x2 / n2 - x1 / n1) / Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  return 2 * (1 - normalCdf(Math.abs(z)));
}

describe('Is it significant?', () => {
  const file = 'is-it-significant.md';
  const text = prose(file);

  test('2 of 10 against 10 of 100 is not significant (p = 0.33)', async () => {
    const { html } = await finished(file);
    const p = pValue(10, 2, 100, 10);
    expect(p).toBeCloseTo(0.3335, 4);
    const b = table(html, 'ab_test · tiny').find((r) => r.variant === 'B')!;
    expect(num(b.p_value)).toBeCloseTo(p, 4);
    expect(b.significant).toBe('false');
    expect(b.verdict).toMatch(/^not significant at 95 %/);
    expect(text).toContain('**Not significant.** The p-value is 0.33');
    // the chance of 2 or more of 10 at a true 10 %, and the sample sizes, from the formulas by hand
    const twoOrMore = 1 - 0.9 ** 10 - 10 * 0.1 * 0.9 ** 9;
    expect(sectionHtml(html, 'JavaScript · chance')).toContain(`2 or more: ${(twoOrMore * 100).toFixed(1)} %`);
    expect(table(html, 'JavaScript · needed').map((r) => num(r.people_per_group))).toEqual([197, 14_749, 57_761]);
  });

  test('the real-sized test: counts from first exposures and later purchases, significant', async () => {
    const exposed = new Map<string, { variant: string; ms: number }>();
    const bought = new Map<string, number>();
    for (const [user, event, ts, variant] of csvRows(TEACHING_DATA['checkout-test'].generate())) {
      const ms = Date.parse(ts);
      const seen = exposed.get(user);
      if (event === 'exposure' && (seen === undefined || ms < seen.ms)) exposed.set(user, { variant, ms });
      if (event === 'purchase') bought.set(user, Math.max(bought.get(user) ?? -Infinity, ms));
    }
    const counts = { A: [0, 0], B: [0, 0] } as Record<string, [number, number]>;
    for (const [user, { variant, ms }] of exposed) {
      counts[variant][0]++;
      if ((bought.get(user) ?? -Infinity) >= ms) counts[variant][1]++;
    }
    const rows = table((await finished(file)).html, 'ab_test · checkout');
    for (const row of rows) expect([num(row.users), num(row.conversions)]).toEqual(counts[row.variant]);
    const p = pValue(...counts.A, ...counts.B);
    const b = rows.find((r) => r.variant === 'B')!;
    expect(b.significant).toBe('true');
    expect(b.verdict).toContain(`p = ${p.toPrecision(2)}`);
    expect(text).toContain(`${thousands(counts.A[0])} people saw A`);
  });
});


describe('Cohorts of a real online shop (UCI Online Retail, CC BY 4.0)', () => {
  const file = 'online-retail-cohorts.md';
  const text = prose(file);
  // the loader leaves out rows without a customer and reads InvoiceDate's wall-clock time as UTC
  const rows = onlineRetailLines();
  const sales = rows.filter((r) => !r.invoice.startsWith('C'));

  /** Month-1 retention of first-time monthly cohorts over the given rows. */
  function monthOne(list: typeof rows): Map<number, [number, number]> {
    const firstMonth = new Map<string, number>();
    const months = new Map<string, Set<number>>();
    for (const r of list) {
      const m = monthIndex(r.ms);
      firstMonth.set(r.customer, Math.min(firstMonth.get(r.customer) ?? Infinity, m));
      months.set(r.customer, (months.get(r.customer) ?? new Set()).add(m));
    }
    const out = new Map<number, [number, number]>();
    for (const [customer, m] of firstMonth) {
      const cell = out.get(m) ?? [0, 0];
      cell[0]++;
      if (months.get(customer)!.has(m + 1)) cell[1]++;
      out.set(m, cell);
    }
    return out;
  }

  test('the overview and the cancellations as the raw file counts them', async () => {
    const overview = table((await finished(file)).html, 'SQL · overview')[0];
    const cancelled = rows.filter((r) => r.invoice.startsWith('C'));
    expect(num(overview.lines)).toBe(406_829);
    expect(num(overview.customers)).toBe(4_372);
    expect(num(overview.invoices)).toBe(new Set(rows.map((r) => r.invoice)).size);
    expect(num(overview.cancellation_invoices)).toBe(new Set(cancelled.map((r) => r.invoice)).size);
    expect(num(overview.sales_gbp)).toBe(Math.round(sales.reduce((s, r) => s + r.quantity * r.price, 0)));
    expect(num(overview.cancelled_gbp)).toBe(Math.round(cancelled.reduce((s, r) => s + r.quantity * r.price, 0)));
    expect(text).toContain(`There are ${thousands(new Set(cancelled.map((r) => r.invoice)).size)} of them`);
    // "Quantity > 0" leaves out exactly the C invoices
    expect(rows.filter((r) => r.invoice.startsWith('C') !== r.quantity <= 0)).toHaveLength(0);
  });

  test('one-month retention of monthly cohorts, with the cancellations left in and left out', async () => {
    const compared = table((await finished(file)).html, 'JavaScript · compared');
    const withC = monthOne(rows);
    const withoutC = monthOne(sales);
    expect(compared).toHaveLength(12);
    for (const row of compared) {
      const [y, m] = row.cohort.split('-').map(Number);
      const key = y * 12 + m - 1;
      expect([num(row.customers_with_c), num(row.customers_without_c)]).toEqual([withC.get(key)![0], withoutC.get(key)![0]]);
      expect(num(row.month_1_with_c)).toBeCloseTo(withC.get(key)![1] / withC.get(key)![0], 4);
      expect(num(row.month_1_without_c)).toBeCloseTo(withoutC.get(key)![1] / withoutC.get(key)![0], 4);
    }
    const feb = monthIndex(Date.UTC(2011, 1, 1));
    expect(text).toContain(`February 2011: ${pct1(withC.get(feb)![1] / withC.get(feb)![0])} with`);
    expect(text).toContain(`${pct1(withoutC.get(feb)![1] / withoutC.get(feb)![0])} without`);
    const cohorts = table((await finished(file)).html, 'retention · cohorts');
    const december = cohorts.find((r) => r.cohort === '2010-12-01' && r.period === '1')!;
    expect([num(december.cohort_size), num(december.users)]).toEqual(withoutC.get(monthIndex(Date.UTC(2010, 11, 1))));
    expect(text).toContain(`${december.cohort_size} customers "first" bought in December 2010`);
  });

  test('repeat purchase rate and return rate by invoice', async () => {
    const metrics = Object.fromEntries(table((await finished(file)).html, 'purchases · repeat').map((r) => [r.metric, num(r.value)]));
    const invoices = new Map<string, Set<string>>();
    for (const r of sales) invoices.set(r.customer, (invoices.get(r.customer) ?? new Set()).add(r.invoice));
    const refunds = new Set(rows.filter((r) => r.invoice.startsWith('C')).map((r) => `${r.customer}|${r.invoice}`)).size;
    const purchases = [...invoices.values()].reduce((s, set) => s + set.size, 0);
    const repeat = [...invoices.values()].filter((set) => set.size >= 2).length / invoices.size;
    expect([metrics.customers, metrics.purchases, metrics.refunds]).toEqual([invoices.size, purchases, refunds]);
    expect(metrics.repeat_purchase_rate).toBeCloseTo(repeat, 4);
    expect(metrics.return_rate).toBeCloseTo(refunds / purchases, 4);
    expect(text).toContain(`${pct1(repeat)} bought at least twice`);
    expect(text).toContain(`is ${pct1(refunds / purchases)}`);
  });

  test('LTV by cohort: cumulative sales per customer by months since the first purchase', async () => {
    const ltv = table((await finished(file)).html, 'JavaScript · ltvTable');
    const firstMonth = new Map<string, number>();
    for (const r of sales) firstMonth.set(r.customer, Math.min(firstMonth.get(r.customer) ?? Infinity, monthIndex(r.ms)));
    const size = new Map<number, number>();
    for (const m of firstMonth.values()) size.set(m, (size.get(m) ?? 0) + 1);
    const revenue = new Map<string, number>();
    for (const r of sales) {
      const cohort = firstMonth.get(r.customer)!;
      const key = `${cohort}|${monthIndex(r.ms) - cohort}`;
      revenue.set(key, (revenue.get(key) ?? 0) + r.quantity * r.price);
    }
    expect(ltv).toHaveLength(13);
    let cells = 0;
    for (const row of ltv) {
      const [y, m] = row.cohort.split('-').map(Number);
      const cohort = y * 12 + m - 1;
      expect(num(row.customers)).toBe(size.get(cohort));
      let cumulative = 0;
      for (let age = 0; cohort + age <= monthIndex(Date.UTC(2011, 11, 1)); age++) {
        cumulative += revenue.get(`${cohort}|${age}`) ?? 0;
        expect(num(row[String(age)]), `${row.cohort} +${age}`).toBe(Math.round(cumulative / size.get(cohort)!));
        cells++;
      }
    }
    expect(cells).toBe(91);
  });

  test('RFM segments cover every customer and all of the sales', async () => {
    const segments = table((await finished(file)).html, 'JavaScript · segments');
    const customers = new Set(sales.map((r) => r.customer)).size;
    expect(segments.reduce((s, r) => s + num(r.customers)!, 0)).toBe(customers);
    expect(segments.reduce((s, r) => s + num(r.share_of_revenue)!, 0)).toBeCloseTo(100, 0);
    const champions = segments.find((r) => r.segment === 'Champions')!;
    expect(segments[0].segment).toBe('Champions');
    expect(text).toContain(`Champions, ${champions.share_of_customers} % of the customers, bring in ${champions.share_of_revenue} %`);
    expect(text).toMatch(/CC BY 4\.0/);
    expect(text).toContain('doi:10.1057/dbm.2012.17');
  });
});

describe('Activation: which first-week action keeps people?', () => {
  const file = 'activation.md';
  const text = prose(file);
  // The reference, from the generator's CSV in plain TypeScript: each person's signup (their first
  // event), their first subscribe within 28 days (inclusive), their events in between.
  const people = new Map<string, { signup: number; events: { event: string; ms: number }[] }>();
  for (const [user, event, ts] of csvRows(TEACHING_DATA.activation.generate())) {
    const person = people.get(user) ?? { signup: Infinity, events: [] };
    const ms = Date.parse(ts);
    if (event === 'signup') person.signup = Math.min(person.signup, ms);
    person.events.push({ event, ms });
    people.set(user, person);
  }
  const WINDOW = 28 * DAY;
  const outcome = [...people.values()].map(({ signup, events }) => {
    const paid = events.filter((e) => e.event === 'subscribe' && e.ms >= signup && e.ms <= signup + WINDOW).map((e) => e.ms);
    const converted = paid.length > 0 ? Math.min(...paid) : null;
    const end = converted ?? signup + WINDOW;
    const first = Math.min(...events.map((e) => e.ms));
    return {
      converted: converted !== null,
      invited: events.some((e) => e.event === 'invite_teammate' && e.ms > signup && e.ms < end),
      activated: events.some((e) => e.event === 'invite_teammate' && e.ms >= first && e.ms < first + 7 * DAY),
    };
  });
  const S = outcome.filter((o) => o.converted).length;
  const F = outcome.length - S;
  const s = outcome.filter((o) => o.converted && o.invited).length;
  const f = outcome.filter((o) => !o.converted && o.invited).length;
  const activated = outcome.filter((o) => o.activated).length;

  test('the correlation finds the planted action first, with the counts and odds ratio counted here', async () => {
    const { html } = await finished(file);
    const rows = table(html, 'correlation · converters');
    expect(rows[0].event).toBe('invite_teammate');
    expect([num(rows[0].success_count), num(rows[0].failure_count)]).toEqual([s, f]);
    const ratio = ((s + 1) * (F - f + 1)) / ((S - s + 1) * (f + 1));
    expect(num(rows[0].odds_ratio)).toBeCloseTo(ratio, 3);
    expect(num(rows[0].p_value)!).toBeLessThan(1e-6);
    // the decoys: nothing, or barely anything
    for (const decoy of ['change_avatar', 'source=ads', 'source=search', 'source=friend']) {
      expect(num(rows.find((r) => r.event === decoy)!.p_value)!, decoy).toBeGreaterThan(0.05);
    }
    expect(text).toContain(`${S} of the 3,000 subscribed within 28 days; ${thousands(F)} did not`);
    expect(text).toContain(`${s} converters invited a teammate against ${f} of the others, an odds ratio of about ${ratio.toFixed(1)}`);
  });

  test('the activated cohort and their retention against everyone else', async () => {
    const { html } = await finished(file);
    expect(text).toContain(`${activated} people are activated`);
    const retention = table(html, 'retention · by_activation');
    // period 0 of each group's cohorts adds up to the group's size (everyone signed up in the range)
    const size = (group: string) => retention.filter((r) => r.breakdown_cohort === group && r.period === '0').reduce((n, r) => n + num(r.users)!, 0);
    // eight weekly cohorts (Sep 2 to Oct 27) in each of the two groups
    expect(retention.filter((r) => r.period === '0')).toHaveLength(16);
    expect(size('activated')).toBe(activated);
    expect(size('not activated')).toBe(outcome.length - activated);
    const rate = (group: string, period: string) => {
      const cells = retention.filter((r) => r.breakdown_cohort === group && r.period === period && r.incomplete === 'false');
      return cells.reduce((n, r) => n + num(r.users)!, 0) / cells.reduce((n, r) => n + num(r.cohort_size)!, 0);
    };
    for (const period of ['2', '3', '4']) {
      expect(rate('activated', period)).toBeGreaterThan(0.4);
      expect(rate('not activated', period)).toBeLessThan(0.2);
    }
    expect(sectionHtml(html, 'retention · by_activation')).toContain('<svg');
  });
});

describe('What happens after add to cart?', () => {
  const file = 'what-happens-after-add-to-cart.md';
  const text = prose(file);
  // the sample log as the loader reads it: user_id,event,timestamp,revenue,platform,country,source
  const events = csvRows(readFileSync(SAMPLE, 'utf8')).map(([user, event, timestamp, , platform]) => ({ user_id: user, event, ts: Date.parse(timestamp), platform }));
  const paths = (spec: { start_event?: string; end_event?: string; steps: number }) => referencePaths(events as PathEvent[], {
    start_event: null, end_event: null, min_sessions: 1, max_edges: 50, timezone: 'UTC', date_from: '2024-01-02', date_to: '2024-03-24', ...spec,
  });
  const shown = (rows: Record<string, string>[]) => rows.map((r) => [num(r.step), r.source, r.target, num(r.sessions), num(r.people)]);

  test('the paths after add_to_cart are the brute-force reference\'s, and the prose quotes them', async () => {
    const { html } = await finished(file);
    const expected = paths({ start_event: 'add_to_cart', steps: 4 });
    expect(shown(table(html, 'paths · after_cart'))).toEqual(expected.rows.map((r) => [r.step, r.source, r.target, r.sessions, r.people]));
    const out = (target: string) => expected.rows.find((r) => r.step === 1 && r.target === target)!.sessions;
    const purchases = expected.rows.find((r) => r.step === 2 && r.target === 'purchase')!.sessions;
    expect(text).toContain(`The caption says ${thousands(expected.sessions)} sessions reach \`add_to_cart\``);
    expect(sectionHtml(html, 'paths · after_cart')).toContain(`${thousands(expected.sessions)} sessions of ${thousands(expected.people)} people`);
    expect(text).toContain(`${thousands(out('checkout'))} go on to \`checkout\` and ${out('open_help')} open the help; the other ${thousands(expected.sessions - out('checkout') - out('open_help'))} **end right there**`);
    expect(text).toContain(`${thousands(purchases)} end in a purchase: ${Math.round((purchases / expected.sessions) * 100)} % of the sessions`);
  });

  test('every path to a purchase takes the four steps', async () => {
    const { html } = await finished(file);
    const expected = paths({ end_event: 'purchase', steps: 4 });
    expect(shown(table(html, 'paths · before_purchase'))).toEqual(expected.rows.map((r) => [r.step, r.source, r.target, r.sessions, r.people]));
    expect(expected.rows.map((r) => r.sessions)).toEqual([1300, 1300, 1300]);
    expect(text).toContain('All 1,300 purchase sessions went `view_item → add_to_cart → checkout → purchase`');
  });

  test('purchases per 100 cart adds each week, and the people who bought per platform and month', async () => {
    const { html } = await finished(file);
    const weekly = new Map<string, { carts: number; buys: number }>();
    for (const e of events) {
      const week = isoDate(mondayOf(e.ts));
      const w = weekly.get(week) ?? { carts: 0, buys: 0 };
      if (e.event === 'add_to_cart') w.carts++;
      if (e.event === 'purchase') w.buys++;
      weekly.set(week, w);
    }
    const formula = table(html, 'trends · cart_to_purchase').filter((r) => r.series === 'formula');
    expect(formula.map((r) => r.period)).toEqual([...weekly.keys()].sort());
    for (const row of formula) expect(num(row.value)).toBeCloseTo((weekly.get(row.period)!.buys / weekly.get(row.period)!.carts) * 100, 3);
    const ratios = formula.map((r) => num(r.value)!);
    expect(Math.min(...ratios)).toBeGreaterThan(43);
    expect(Math.max(...ratios)).toBeLessThan(56);
    const carts = [...weekly.keys()].sort().map((w) => weekly.get(w)!.carts);
    expect(text).toContain(`grow from ${carts[0]} in the first week to ${carts[carts.length - 1]} in the last`);

    const people = new Map<string, { carted: Set<string>; bought: Set<string> }>();
    for (const e of events) {
      const key = `${e.platform}|${isoDate(e.ts).slice(0, 7)}-01`;
      const p = people.get(key) ?? { carted: new Set(), bought: new Set() };
      if (e.event === 'add_to_cart') p.carted.add(e.user_id);
      if (e.event === 'purchase') p.bought.add(e.user_id);
      people.set(key, p);
    }
    const byPlatform = table(html, 'trends · buyers_by_platform').filter((r) => r.series === 'formula');
    expect(byPlatform).toHaveLength(9);
    const share = (platform: string, month: string) => { const p = people.get(`${platform}|${month}`)!; return (p.bought.size / p.carted.size) * 100; };
    for (const row of byPlatform) expect(num(row.value)).toBeCloseTo(share(row.breakdown, row.period), 3);
    const range = (platform: string) => ['2024-01-01', '2024-02-01', '2024-03-01'].map((m) => Math.round(share(platform, m)));
    expect(text).toContain(`On iOS ${Math.min(...range('ios'))} to ${Math.max(...range('ios'))} of every 100`);
    expect(text).toContain(`on Android ${Math.min(...range('android'))} to ${Math.max(...range('android'))}`);
    expect(range('web')).toEqual([60, 60, 51]);
  });

  test('each of the last four weeks had more people adding to a cart than four weeks earlier', async () => {
    const rows = table((await finished(file)).html, 'trends · carts_compared');
    const current = rows.filter((r) => r.compare === 'current');
    const previous = rows.filter((r) => r.compare === 'previous');
    expect(current.map((r) => r.period)).toEqual(['2024-02-26', '2024-03-04', '2024-03-11', '2024-03-18']);
    expect(previous.map((r) => r.period)).toEqual(['2024-01-29', '2024-02-05', '2024-02-12', '2024-02-19']);
    const carted = (from: string) => new Set(events.filter((e) => e.event === 'add_to_cart' && isoDate(mondayOf(e.ts)) === from).map((e) => e.user_id)).size;
    for (const row of rows) expect(num(row.value)).toBe(carted(row.period));
    current.forEach((row, i) => expect(num(row.value)!).toBeGreaterThan(num(previous[i].value)!));
  });
});
