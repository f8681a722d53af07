import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { cellTableProblem, loadEvents, sourceSlug, type Engine } from '../../src/engine/index.ts';
import { createNodeEngine } from '../../src/engine/node.ts';
import { createEngineHost, DataSources } from '../../src/notebook/index.ts';
import { SMALL_LOG_SUMMARY } from '../helpers/fixtures.ts';
import { AWKWARD_FILE_NAMES, awkwardFileBytes } from '../helpers/file-names.ts';
import { queryRows } from '../helpers/events.ts';

describe('source table names', () => {
  test('a file name becomes a readable table name that cannot be one of cohortbook\'s own', () => {
    expect(sourceSlug('events.csv')).toBe('events_csv');
    expect(sourceSlug('Events.CSV.gz')).toBe('events_csv_gz');
    expect(sourceSlug('events')).toBe('events_file');
    expect(sourceSlug('events__catalog')).toBe('events_catalog');
    expect(sourceSlug(`it's "quoted".csv`)).toBe('it_s_quoted_csv');
    expect(sourceSlug('2024-log.csv')).toBe('t_2024_log_csv');
    expect(sourceSlug('...')).toBe('data');
  });
});

for (const kind of ['wasm', 'native'] as const) {
  describe(`every file name loads (${kind})`, () => {
    let engine: Engine;
    beforeAll(async () => { engine = await createNodeEngine(kind); });
    afterAll(async () => engine?.close());

    test('each one, as the command line loads it', async () => {
      for (const name of AWKWARD_FILE_NAMES) {
        const summary = await loadEvents(engine, { name, bytes: await awkwardFileBytes(name) });
        expect(summary, name).toMatchObject({ file: name, ...SMALL_LOG_SUMMARY });
        expect((await queryRows(engine, 'SELECT count(*)::INTEGER AS n FROM events'))[0].n, name).toBe(5);
      }
    });

    test('all of them side by side, as the data panel keeps them; none replaces another', async () => {
      const panel = new DataSources(engine);
      for (const name of AWKWARD_FILE_NAMES) await panel.add({ name, bytes: await awkwardFileBytes(name) });
      const sources = panel.list.map((s) => s.source);
      expect(sources).toHaveLength(AWKWARD_FILE_NAMES.length);
      expect(new Set(sources.map((s) => s.toLowerCase())).size).toBe(sources.length);
      for (const source of sources) expect((await queryRows(engine, `SELECT count(*)::INTEGER AS n FROM "${source}"`))[0].n, source).toBe(5);
      await panel.activate(sources[0]);
      expect((await queryRows(engine, 'SELECT count(*)::INTEGER AS n FROM events'))[0].n).toBe(5);
    });

    test('a file named like a table a notebook cell made keeps that table, and a cell cannot replace a loaded file', async () => {
      const host = createEngineHost(engine);
      await host.createTable('monthly_csv', 'SELECT 42 AS answer');
      const summary = await loadEvents(engine, { name: 'monthly.csv', bytes: await awkwardFileBytes('monthly.csv') });
      expect(summary.source).toBe('monthly_csv_2');
      expect(await queryRows(engine, 'SELECT answer FROM monthly_csv')).toEqual([{ answer: 42 }]);
      await expect(host.createTable('monthly_csv_2', 'SELECT 1 AS x')).rejects.toThrow(/^"monthly_csv_2" is the table of a loaded file; give the cell another name/);
      await expect(host.createTable('Events', 'SELECT 1 AS x')).rejects.toThrow(/^"Events" is the loaded event log's own name; give the cell another name$/);
      expect(await cellTableProblem(engine, 'revenue_by_week')).toBeNull();
    });

    test('the data panel keeps one source per file name and replaces it when the same file loads again', async () => {
      const sources = new DataSources(engine);
      const first = await sources.add({ name: 'events.csv', bytes: await awkwardFileBytes('events.csv') });
      const other = await sources.add({ name: 'Events.csv', bytes: await awkwardFileBytes('Events.csv') });
      const again = await sources.add({ name: 'events.csv', bytes: await awkwardFileBytes('events.csv') });
      expect(again.source).toBe(first.source);
      expect(other.source).not.toBe(first.source);
      expect(sources.list.map((s) => s.file.name)).toEqual(['events.csv', 'Events.csv']);
    });

    test('a name cohortbook keeps for itself is refused in a sentence', async () => {
      await expect(loadEvents(engine, { name: 'x.csv', bytes: await awkwardFileBytes('x.csv') }, { source: 'events__catalog' }))
        .rejects.toThrow(/^file "x\.csv": cannot be loaded as "events__catalog": the name "events__catalog" is cohortbook's own/);
    });
  });
}
