import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, test } from 'vitest';
import { detectEncoding, EventImport, LoadError, loadEvents, type Engine, type EventFile } from '../../src/engine/index.ts';
import { closeTestEngines, ENGINE_KINDS, testEngine } from '../helpers/engines.ts';
import { queryRows } from '../helpers/events.ts';
import { ONLINE_RETAIL, onlineRetailLines } from '../helpers/online-retail.ts';
import { utf16, windows1251, windows1252, xlsxWorkbook } from '../helpers/foreign-files.ts';

const encode = (text: string) => new TextEncoder().encode(text);

afterAll(closeTestEngines);

// a Cyrillic log as a Russian shop's Excel exports it
const CYRILLIC = 'user_id,event,ts,город\nАнна,покупка,2024-03-01 10:00:00,Москва\nЁжик,просмотр,2024-03-02 11:30:00,Тверь\nАнна,просмотр,2024-03-05 09:15:00,Москва\nпётр,покупка,2024-03-07 18:45:00,Ёлкино\n';
const LATIN = 'user_id,event,ts,ville\nMüller,achat,2024-03-01 10:00:00,Zürich\nJosé,vue,2024-03-02 11:30:00,Sevilla\nRenée,achat,2024-03-05 09:15:00,Besançon\n';

async function rows(engine: Engine): Promise<Record<string, unknown>[]> {
  return queryRows(engine, 'SELECT * EXCLUDE (revenue) FROM events ORDER BY ts');
}

describe('encodings are detected from the bytes', () => {
  test.each([
    ['UTF-8', encode(CYRILLIC), 'utf-8'],
    ['UTF-8 with a BOM', new Uint8Array([0xef, 0xbb, 0xbf, ...encode(CYRILLIC)]), 'utf-8'],
    ['UTF-16 LE with a BOM', utf16(CYRILLIC, 'le', true), 'utf-16le'],
    ['UTF-16 BE with a BOM', utf16(CYRILLIC, 'be', true), 'utf-16be'],
    ['UTF-16 LE without a BOM', utf16(LATIN, 'le', false), 'utf-16le'],
    ['UTF-16 BE without a BOM', utf16(LATIN, 'be', false), 'utf-16be'],
    ['Windows-1251 Cyrillic', windows1251(CYRILLIC), 'windows-1251'],
    ['Windows-1252 Latin', windows1252(LATIN), 'windows-1252'],
  ])('%s', (_, bytes, expected) => {
    expect(detectEncoding(bytes)).toBe(expected);
  });
});

describe.each(ENGINE_KINDS)('importing on %s', (kind) => {
  test.each([
    ['Windows-1251', 'shop.csv', windows1251(CYRILLIC), 'windows-1251'],
    ['UTF-16 LE with a BOM', 'shop.csv', utf16(CYRILLIC, 'le', true), 'utf-16le'],
    ['UTF-16 BE without a BOM', 'shop.csv', utf16(CYRILLIC, 'be', false), 'utf-16be'],
    ['UTF-8 with a BOM', 'shop.csv', new Uint8Array([0xef, 0xbb, 0xbf, ...encode(CYRILLIC)]), 'utf-8'],
  ])('a %s CSV loads the same rows as its UTF-8 twin, Cyrillic ids and events exactly', async (_, name, bytes, encoding) => {
    const engine = await testEngine(kind);
    await loadEvents(engine, { name: 'twin.csv', bytes: encode(CYRILLIC) });
    const twin = await rows(engine);
    expect(twin.map((r) => r.user_id)).toEqual(['Анна', 'Ёжик', 'Анна', 'пётр']);
    const summary = await loadEvents(engine, { name, bytes });
    expect(summary.encoding).toBe(encoding);
    expect(await rows(engine)).toEqual(twin);
    expect(summary.columns.map((c) => c.name)).toContain('город');
  });

  test('a Windows-1252 CSV loads its accented names exactly; naming the encoding overrides the guess', async () => {
    const engine = await testEngine(kind);
    const summary = await loadEvents(engine, { name: 'fr.csv', bytes: windows1252(LATIN) });
    expect(summary.encoding).toBe('windows-1252');
    expect((await rows(engine)).map((r) => [r.user_id, r.ville])).toEqual([['Müller', 'Zürich'], ['José', 'Sevilla'], ['Renée', 'Besançon']]);
    // the same bytes read as Cyrillic: what a wrong choice looks like (ü is 0xFC, ь in Windows-1251)
    const wrong = await loadEvents(engine, { name: 'fr.csv', bytes: windows1252(LATIN) }, { encoding: 'windows-1251' });
    expect(wrong.encoding).toBe('windows-1251');
    expect((await rows(engine))[0].user_id).toBe('Mьller');
    await expect(loadEvents(engine, { name: 'fr.csv', bytes: windows1252(LATIN) }, { encoding: 'utf-8' }))
      .rejects.toThrow(/^file "fr\.csv": is not UTF-8 text: choose the encoding it was saved in/);
  });

  test('an Excel workbook loads the same rows as its CSV twin; date cells (serial numbers) become timestamps', async () => {
    const engine = await testEngine(kind);
    const csv = 'CustomerID,InvoiceDate,UnitPrice,Country\n17850,2010-12-01 08:26:00,2.55,United Kingdom\n13047,2010-12-01 08:34:00,4.25,United Kingdom\n17850,2011-01-05 14:03:30,1.5,France\n,2011-01-06 10:00:00,3,Spain\n';
    await loadEvents(engine, { name: 'invoices.csv', bytes: encode(csv) }, { mapping: { event: ':purchase' } });
    const twin = await queryRows(engine, 'SELECT user_id, event, ts, "UnitPrice", "Country" FROM events ORDER BY ts');
    const at = (text: string) => new Date(`${text.replace(' ', 'T')}Z`);
    const workbook = xlsxWorkbook([
      { name: 'Notes', rows: [['not this sheet']] },
      {
        name: 'Invoices', rows: [['CustomerID', 'InvoiceDate', 'UnitPrice', 'Country'],
          [17850, at('2010-12-01 08:26:00'), 2.55, 'United Kingdom'], [13047, at('2010-12-01 08:34:00'), 4.25, 'United Kingdom'],
          [17850, at('2011-01-05 14:03:30'), 1.5, 'France'], [null, at('2011-01-06 10:00:00'), 3, 'Spain']],
      },
    ]);
    const summary = await loadEvents(engine, { name: 'invoices.xlsx', bytes: workbook }, { mapping: { event: ':purchase' }, sheet: 'Invoices' });
    expect([summary.format, summary.rows, summary.users, summary.skipped_rows]).toEqual(['xlsx', 3, 2, 1]);
    expect(await queryRows(engine, 'SELECT user_id, event, ts, "UnitPrice", "Country" FROM events ORDER BY ts')).toEqual(twin);
    expect(summary.first_ts).toBe('2010-12-01T08:26:00.000Z');
    await expect(loadEvents(engine, { name: 'invoices.xlsx', bytes: workbook }, { sheet: 'Sales' })).rejects.toThrow(/^file "invoices\.xlsx": has no sheet named "Sales"$/);
    // without a sheet name the first sheet is read: one column, nothing that looks like a user
    await expect(loadEvents(engine, { name: 'invoices.xlsx', bytes: workbook })).rejects.toThrow(/^file "invoices\.xlsx": has a header \(not this sheet\) but no rows$/);
  });

  test('Online Retail opens in an import session: columns, guesses, a preview that replaces nothing, then the commit', async () => {
    const engine = await testEngine(kind);
    await loadEvents(engine, { name: 'before.csv', bytes: encode('user_id,event,ts\na,open,2024-01-01\nb,open,2024-01-02\n') });
    const session = await EventImport.open(engine, 'online_retail_csv_gz', [{ name: 'online-retail.csv.gz', bytes: readFileSync(ONLINE_RETAIL) }]);
    try {
      const { inspection } = session;
      expect(inspection.rows).toBe(541_909);
      expect(inspection.guess).toEqual({ user_id: 'CustomerID', ts: 'InvoiceDate' });
      expect(inspection.columns.map((c) => c.name)).toEqual(['InvoiceNo', 'StockCode', 'Description', 'Quantity', 'InvoiceDate', 'UnitPrice', 'CustomerID', 'Country']);
      expect(inspection.columns.find((c) => c.name === 'InvoiceNo')!.samples).toEqual(['536365', '536366', '536367']);
      expect(inspection.encoding).toBe('utf-8');
      // the guess alone cannot load: there is no event column, and the problem names the role
      const missing = await session.preview().catch((e) => e);
      expect(missing).toBeInstanceOf(LoadError);
      expect([missing.role, missing.message]).toEqual(['event', expect.stringMatching(/^file "online-retail\.csv\.gz": no event column: none of its columns \("InvoiceNo", .*\) names the event$/)]);
      const lines = onlineRetailLines();
      const preview = await session.preview({ mapping: { event: ':purchase', revenue: '' } });
      expect([preview.summary.rows, preview.summary.users]).toEqual([lines.length, new Set(lines.map((l) => l.customer)).size]);
      expect([preview.summary.rows, preview.summary.users, preview.summary.skipped.no_user_id]).toEqual([406_829, 4_372, 135_080]);
      expect(preview.summary.mapping.revenue).toBeNull();
      expect(preview.rows).toHaveLength(20);
      expect(preview.rows[0]).toMatchObject({ user_id: '17850', event: 'purchase', InvoiceNo: '536365' });
      // nothing replaced yet: events is still the earlier log
      expect(await queryRows(engine, 'SELECT count(*)::INT AS n FROM events')).toEqual([{ n: 2 }]);
      const summary = await session.commit();
      expect(summary.rows).toBe(406_829);
    } finally {
      await session.close();
    }
    const tables = await queryRows(engine, "SELECT table_name FROM duckdb_tables() WHERE table_name LIKE 'online_retail%' ORDER BY 1");
    expect(tables).toEqual([{ table_name: 'online_retail_csv_gz' }, { table_name: 'online_retail_csv_gz__catalog' }]);
  });

  test('a cancelled import leaves no table behind and events as it was', async () => {
    const engine = await testEngine(kind);
    await loadEvents(engine, { name: 'before.csv', bytes: encode('user_id,event,ts\na,open,2024-01-01\n') });
    const session = await EventImport.open(engine, 'other_csv', [{ name: 'other.csv', bytes: encode('who,what,when\nx,y,2024-01-01\n') }]);
    await session.preview({ mapping: { user_id: 'who', event: 'what', ts: 'when' } });
    await session.close();
    expect(await queryRows(engine, "SELECT count(*)::INT AS n FROM duckdb_tables() WHERE table_name LIKE 'other_csv%'")).toEqual([{ n: 0 }]);
    expect(await queryRows(engine, 'SELECT user_id FROM events')).toEqual([{ user_id: 'a' }]);
  });

  test('two halves of Online Retail loaded together give the rows, people and range of the whole', async () => {
    const engine = await testEngine(kind);
    const text = gunzipSync(readFileSync(ONLINE_RETAIL)).toString('utf8');
    const lines = text.split('\n');
    const header = lines[0];
    const body = lines.slice(1).filter(Boolean);
    const half = Math.floor(body.length / 2);
    const halves: EventFile[] = [
      { name: 'retail-1.csv', bytes: encode([header, ...body.slice(0, half)].join('\n')) },
      { name: 'retail-2.csv', bytes: encode([header, ...body.slice(half)].join('\n')) },
    ];
    const whole = await loadEvents(engine, { name: 'online-retail.csv.gz', bytes: readFileSync(ONLINE_RETAIL) }, { mapping: { event: ':purchase' } });
    const both = await loadEvents(engine, halves, { mapping: { event: ':purchase' } });
    expect([both.rows, both.users, both.first_ts, both.last_ts, both.skipped_rows]).toEqual([whole.rows, whole.users, whole.first_ts, whole.last_ts, whole.skipped_rows]);
    expect(both.files).toEqual(['retail-1.csv', 'retail-2.csv']);
    expect(both.source).toBe('retail_1_csv');
    // the file's identical lines within one half are not "across files"
    expect(both.duplicate_rows).toBe(0);
  });

  test('several files: a missing column is null, a column whose type differs is text, duplicates across files are kept and counted', async () => {
    const engine = await testEngine(kind);
    const files: EventFile[] = [
      { name: 'events-2024-01.csv', bytes: encode('user_id,event,ts,score\na,open,2024-01-01 10:00:00,1\nb,open,2024-01-02 10:00:00,2\n') },
      { name: 'events-2024-02.csv', bytes: encode('user_id,event,ts,score,plan\nb,open,2024-01-02 10:00:00,2,\nc,buy,2024-02-03 10:00:00,n/a,pro\nc,buy,2024-02-04 10:00:00,high,free\n') },
    ];
    const summary = await loadEvents(engine, files);
    expect([summary.rows, summary.users, summary.duplicate_rows]).toEqual([5, 3, 1]);
    expect(summary.widened_columns).toEqual(['score']);
    expect(summary.columns.find((c) => c.name === 'score')?.type).toBe('VARCHAR');
    expect(await queryRows(engine, 'SELECT user_id, plan, score FROM events ORDER BY ts, user_id')).toEqual([
      { user_id: 'a', plan: null, score: '1' }, { user_id: 'b', plan: null, score: '2' }, { user_id: 'b', plan: null, score: '2' },
      { user_id: 'c', plan: 'pro', score: 'n/a' }, { user_id: 'c', plan: 'free', score: 'high' },
    ]);
    // numbers in one file and decimals in another stay numbers
    const mixed = await loadEvents(engine, [
      { name: 'a.csv', bytes: encode('user_id,event,ts,amount\na,buy,2024-01-01,3\n') },
      { name: 'b.csv', bytes: encode('user_id,event,ts,amount\nb,buy,2024-01-02,2.5\n') },
    ]);
    expect(mixed.file_columns.find((c) => c.name === 'amount')?.type).toBe('DOUBLE');
    expect(mixed.widened_columns).toEqual(['amount']);
  });
});

describe('what a file needs to load, before it is read', () => {
  test('by format and size: a 4 GB CSV does not fit a tab, Online Retail does', async () => {
    const { estimateLoadMemory, isOutOfMemory, TAB_MEMORY_BYTES } = await import('../../src/engine/index.ts');
    expect(estimateLoadMemory('huge.csv', 4 * 1024 ** 3)).toMatchObject({ format: 'csv', fits: false, available: TAB_MEMORY_BYTES });
    expect(estimateLoadMemory('online-retail.csv.gz', readFileSync(ONLINE_RETAIL).length).fits).toBe(true);
    // gzip-compressed: the size it will have once decompressed counts
    expect(estimateLoadMemory('a.csv.gz', 100).needed).toBeGreaterThan(estimateLoadMemory('a.csv', 100).needed);
    expect(estimateLoadMemory('a.parquet', 600 * 1024 ** 2).fits).toBe(false);
    expect([isOutOfMemory(new RangeError('Array buffer allocation failed')), isOutOfMemory(new Error('Out of Memory Error: could not allocate block')), isOutOfMemory(new Error('no user column'))])
      .toEqual([true, true, false]);
  });
});
