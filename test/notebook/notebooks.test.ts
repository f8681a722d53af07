import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as Plot from '@observablehq/plot';
import type { ColumnTable } from 'arquero';
import { loadEvents, type Engine } from '../../src/engine/index.ts';
import {
  NotebookRuntime, TEACHING_DATA, notebookData, parseNotebook, writeNotebook, type Cell, type NotebookDataRef, type RuntimeHost,
} from '../../src/notebook/index.ts';
import { plotDocument } from '../helpers/plot-snapshot.ts';
import { createNodeHost, loadSampleLog } from './node-host.ts';

const FILES = readdirSync('notebooks').filter((file) => file.endsWith('.md')).sort();

let engine: Engine;
let host: RuntimeHost;

/** Node has no DOM: Plot draws into a jsdom document, as in the plot snapshot tests. */
function withPlot(base: RuntimeHost): RuntimeHost {
  const document = plotDocument();
  return {
    ...base,
    builtins: () => ({ ...base.builtins(), Plot: { ...Plot, plot: (options: Plot.PlotOptions) => Plot.plot({ document, ...options }) } }),
  };
}

/** Loads what a notebook's front matter names, as the app and `cohortbook run` do: a generated log or a file under public/. */
async function loadNotebookData(target: Engine, refs: NotebookDataRef[]): Promise<void> {
  for (const [i, ref] of refs.entries()) {
    const generated = ref.file.startsWith('generated:') ? TEACHING_DATA[ref.file.slice('generated:'.length)] : undefined;
    const file = generated
      ? { name: generated.file, bytes: new TextEncoder().encode(generated.generate()) }
      : { name: ref.file.split('/').pop()!, bytes: new Uint8Array(await readFile(`public/${ref.file}`)) };
    await loadEvents(target, file, { mapping: ref.mapping, timezone: ref.timezone, activate: i === 0 });
  }
}

beforeAll(async () => {
  const created = await createNodeHost();
  engine = created.engine;
  await loadSampleLog(engine);
  host = withPlot(created.host);
});

afterAll(async () => {
  await engine?.close();
});

describe.each(FILES)('notebooks/%s', (file) => {
  const text = readFileSync(`notebooks/${file}`, 'utf8');

  test('parses and writes back byte for byte', () => {
    expect(writeNotebook(parseNotebook(text))).toBe(text);
  });

  const refs = notebookData(parseNotebook(text).frontMatter);

  test(`runs top to bottom on ${refs.length ? 'its own data' : 'the sample log'} without an error`, async () => {
    const { cells } = parseNotebook(text);
    // a notebook that names its data runs on it, in an engine of its own
    const own = refs.length ? await createNodeHost() : null;
    if (own) await loadNotebookData(own.engine, refs);
    try {
      await runNotebookCells(cells, own ? withPlot(own.host) : host, file);
    } finally {
      await own?.engine.close();
    }
  }, 120_000);
});

/** Runs a notebook's cells and expects every one to finish without an error. */
async function runNotebookCells(cells: Cell[], runHost: RuntimeHost, file: string): Promise<void> {
  const runtime = new NotebookRuntime(runHost);
  runtime.setCells(cells);
  await runtime.idle();
  for (const cell of cells) {
    const state = runtime.state(cell.id);
    expect(state.error, `${file}: ${cell.source.slice(0, 60)}`).toBeUndefined();
    expect(state.status).toBe('done');
  }
  expect(cells.filter((c) => c.kind !== 'markdown').length).toBeGreaterThan(0);
}

const objects = (value: unknown) => (value as ColumnTable).objects() as Record<string, unknown>[];

describe('notebooks/getting-started.md on the sample log', () => {
  // a brute-force reference from the CSV itself, in plain TypeScript
  const lines = readFileSync('public/samples/shop-events.csv', 'utf8').trim().split('\n').slice(1).map((line) => line.split(','));
  const reference = new Map<string, { events: number; people: Set<string> }>();
  for (const [user, event] of lines) {
    const entry = reference.get(event) ?? { events: 0, people: new Set() };
    entry.events++;
    entry.people.add(user);
    reference.set(event, entry);
  }

  test('its cells compute the numbers a plain count of the CSV gives', async () => {
    const { cells } = parseNotebook(readFileSync('notebooks/getting-started.md', 'utf8'));
    const runtime = new NotebookRuntime(host);
    runtime.setCells(cells);
    await runtime.idle();
    // exercises sit between the worked cells: the worked ones are the sql, js and analysis cells
    const code = cells.filter((c) => c.kind !== 'markdown' && c.kind !== 'exercise');
    const [counts, reach, chart, perBuyer] = code.map((c) => runtime.state(c.id));

    const expected = [...reference].map(([event, { events, people }]) => ({ event, events, people: people.size }))
      .sort((a, b) => b.events - a.events);
    expect(objects(counts.value)).toEqual(expected);

    const purchase = objects(reach.value).find((row) => row.event === 'purchase');
    expect(purchase?.share).toBeCloseTo(reference.get('purchase')!.people.size / reference.get('signup')!.people.size, 12);
    expect((reach.value as ColumnTable).numRows()).toBe(5);

    const svg = chart.value as Element;
    expect(svg.tagName.toLowerCase()).toBe('svg');
    expect(svg.querySelectorAll('rect').length).toBe(3);

    const buyersByPlatform = new Map<string, Set<string>>();
    const revenueByPlatform = new Map<string, number>();
    for (const [user, event, , revenue, platform] of lines) {
      if (event !== 'purchase') continue;
      buyersByPlatform.set(platform, (buyersByPlatform.get(platform) ?? new Set()).add(user));
      revenueByPlatform.set(platform, (revenueByPlatform.get(platform) ?? 0) + Number(revenue || 0));
    }
    const rows = objects(perBuyer.value);
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      const platform = row.platform as string;
      const revenue = Math.round(revenueByPlatform.get(platform)! * 100) / 100;
      expect(row.revenue_per_buyer).toBeCloseTo(revenue / buyersByPlatform.get(platform)!.size, 2);
    }
  });
});
