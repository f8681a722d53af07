import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runAnalysis } from '../../src/analytics/index.ts';
import { loadEvents, type Engine } from '../../src/engine/index.ts';
import { ENGINE_KINDS, closeTestEngines, testEngine } from '../helpers/engines.ts';
import { loadOnlineRetail, onlineRetailLines } from '../helpers/online-retail.ts';
import { referencePaths, type PathEvent } from './paths/paths-reference.ts';
import { referenceTrends, type ReferenceTrendsSpec, type TrendsEvent } from './trends/trends-reference.ts';

// Real and sample data, checked against separate passes over the CSV text (never DuckDB):
// UCI Online Retail (CC BY 4.0, see public/samples/README.md), InvoiceDate in UK local time
// without a zone, read as UTC by the loader and here alike; and the sample shop log.
const SAMPLE = 'public/samples/shop-events.csv';
const DAY = 86_400_000;

/** The sample log's rows, split by hand (it has no quoted field). */
function sampleEvents(): TrendsEvent[] {
  const [header, ...lines] = readFileSync(SAMPLE, 'utf8').trim().split('\n');
  const names = header.split(',');
  return lines.map((line) => {
    const f = Object.fromEntries(line.split(',').map((value, i) => [names[i], value]));
    return { ...f, user_id: f.user_id, event: f.event, ts: Date.parse(f.timestamp), revenue: f.revenue === '' ? null : Number(f.revenue) };
  });
}

const round = (rows: Record<string, unknown>[]) => rows.map((row) => ({ ...row, value: typeof row.value === 'number' ? Math.round(row.value * 1e6) / 1e6 : row.value }));

afterAll(closeTestEngines);

describe.each(ENGINE_KINDS)('on %s', (kind) => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await testEngine(kind);
    await loadOnlineRetail(engine);
    await engine.exec('CREATE TABLE retail_lines AS SELECT * FROM retail');
    await loadEvents(engine, { name: 'shop-events.csv', bytes: readFileSync(SAMPLE) }, {});
  }, 120_000);

  test('Online Retail: revenue per month (sum of Quantity × UnitPrice) and customers per week (dau)', async () => {
    const lines = onlineRetailLines();
    const { rows } = await runAnalysis(engine, {
      kind: 'trends', period: 'month',
      series: [{ event: 'purchase', math: 'sum', property: 'revenue', label: 'revenue' }],
    }, { table: 'retail_lines' });
    const revenue = new Map<string, number>();
    for (const line of lines) {
      const month = `${line.date.slice(0, 7)}-01`;
      revenue.set(month, (revenue.get(month) ?? 0) + line.quantity * line.price);
    }
    expect(rows.map((r) => r.period)).toEqual([...revenue.keys()].sort());
    for (const row of rows) expect(row.value as number).toBeCloseTo(revenue.get(row.period as string)!, 4);

    const weekly = await runAnalysis(engine, { kind: 'trends', period: 'week', series: [{ event: 'purchase', math: 'dau' }] }, { table: 'retail_lines' });
    const monday = Date.UTC(2010, 10, 29);
    const customers = new Map<string, Set<string>>();
    for (const line of lines) {
      const week = new Date(monday + Math.floor((line.ms - monday) / (7 * DAY)) * 7 * DAY).toISOString().slice(0, 10);
      let set = customers.get(week);
      if (!set) customers.set(week, (set = new Set()));
      set.add(line.customer);
    }
    const weeks = weekly.rows.map((r) => r.period as string);
    expect(weeks[0]).toBe('2010-11-29');
    expect(weeks).toHaveLength(Math.round((Date.parse(weeks[weeks.length - 1]) - monday) / (7 * DAY)) + 1);
    for (const row of weekly.rows) expect(row.value, row.period as string).toBe(customers.get(row.period as string)?.size ?? 0);
    expect(weekly.rows.filter((r) => (r.value as number) > 0).length).toBeGreaterThan(45);
  }, 60_000);

  test('the sample log: signups per day by source, purchases and revenue per week with a formula, against the reference', async () => {
    const events = sampleEvents();
    const specs: ReferenceTrendsSpec[] = [
      { series: [{ event: 'signup' }], period: 'day', week_start: 'monday', timezone: 'UTC', date_from: '2024-01-01', date_to: '2024-03-31', breakdown: 'source' },
      {
        series: [{ event: 'purchase', math: 'sum', property: 'revenue' }, { event: 'purchase', math: 'dau', label: 'buyers' }],
        period: 'week', week_start: 'monday', timezone: 'Europe/Paris', date_from: '2024-01-08', date_to: '2024-03-24',
        formula: ['A / B', (v) => (v[1] === 0 ? 0 : v[0] / v[1])], compare: true,
      },
      { series: [{ event: null, math: 'weekly_active' }], period: 'day', week_start: 'monday', timezone: 'America/New_York', date_from: '2024-03-01', date_to: '2024-03-20', breakdown: 'platform' },
    ];
    for (const spec of specs) {
      const { formula, ...rest } = spec;
      const { rows } = await runAnalysis(engine, { kind: 'trends', ...rest, ...(formula ? { formula: formula[0] } : {}) });
      expect(rows.filter((r) => (r.value as number) > 0).length).toBeGreaterThan(10);
      expect(round(rows), JSON.stringify(rest)).toEqual(round(referenceTrends(events, spec) as never));
    }
  }, 60_000);

  test('the sample log: what happens after add_to_cart, against the paths reference', async () => {
    const events = sampleEvents() as PathEvent[];
    const spec = { steps: 5, start_event: 'add_to_cart', end_event: null, min_sessions: 1, max_edges: 8, timezone: 'UTC', date_from: '2024-01-01', date_to: '2024-03-31' };
    const { rows, meta } = await runAnalysis(engine, { kind: 'paths', ...spec });
    const expected = referencePaths(events, spec);
    const round6 = (r: Record<string, unknown>[]) => r.map((row) => ({ ...row, avg_seconds: Math.round(Number(row.avg_seconds) * 1e6) / 1e6 }));
    expect(round6(rows)).toEqual(round6(expected.rows as never));
    expect(meta).toMatchObject({ sessions: expected.sessions, people: expected.people });
    expect(rows[0]).toMatchObject({ step: 1, source: 'add_to_cart', target: 'checkout' });
  }, 60_000);
});
