import { tableFromIPC, tableToIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Engine } from '../../src/engine/index.ts';
import { QueryCancelledError, QueryError, loadEvents, LoadError } from '../../src/engine/index.ts';
import { SMALL_LOG_SUMMARY, smallLogFiles } from '../helpers/fixtures.ts';
import { loadTestEvents, queryRows } from '../helpers/events.ts';
import { BAD_FILES, badFileBytes } from '../helpers/bad-files.ts';

const encode = (text: string) => new TextEncoder().encode(text);

/**
 * The engine and loader contract, written once and run on every engine (DuckDB-WASM in Node and
 * native DuckDB), as DuckDB-WASM's own test suites take a getter.
 */
export function testEngineAndLoaders(name: string, create: () => Promise<Engine>): void {
  describe(`${name}: engine and loaders`, () => {
    let engine: Engine;
    const db = () => engine;
    beforeAll(async () => { engine = await create(); });
    afterAll(async () => { await engine?.close(); });

    test('binds parameters instead of pasting them into SQL', async () => {
      const rows = await queryRows(db(), "SELECT ? AS a, ? + 1 AS b, ? AS c", ["it's", 41, null]);
      expect(rows).toEqual([{ a: "it's", b: 42, c: null }]);
    });

    test('results of plain and prepared queries serialise to Arrow IPC (regression: empty IPC from prepared results)', async () => {
      for (const [sql, params] of [["SELECT 'xy' AS s", []], ['SELECT ? || ? AS s', ['x', 'y']]] as const) {
        const ipc = tableToIPC(await db().query(sql, params), 'stream');
        expect(tableFromIPC(ipc).toArray().map((row) => row.toJSON())).toEqual([{ s: 'xy' }]);
      }
    });

    test('a query with no rows keeps its columns (regression: native failed on empty results)', async () => {
      const table = await db().query('SELECT 1 AS a, \'x\' AS b WHERE false');
      expect([table.numRows, table.schema.fields.map((f) => f.name)]).toEqual([0, ['a', 'b']]);
    });

    test('a database error carries the SQL that caused it', async () => {
      const error = await db().query('SELECT * FROM no_such_table').catch((e) => e);
      expect(error).toBeInstanceOf(QueryError);
      expect(error.message).toMatch(/no_such_table[\s\S]*\nSQL: SELECT \* FROM no_such_table/);
    });

    test('a question mark inside a string or comment is not a placeholder', async () => {
      const rows = await queryRows(db(), "SELECT '?' AS q, ? AS x -- is it?\n, ? AS y", ['v', 2]);
      expect(rows).toEqual([{ q: '?', x: 'v', y: 2 }]);
    });

    test('a running query with bound values can be cancelled', async () => {
      const controller = new AbortController();
      const running = db().query('SELECT count(*) FROM range(3000000000) a, range(10) b WHERE a.range % 7 = b.range + ?', [1], { signal: controller.signal });
      setTimeout(() => controller.abort(), 300);
      await expect(running).rejects.toBeInstanceOf(QueryCancelledError);
      expect(await queryRows(db(), 'SELECT ? AS still_alive', [1])).toEqual([{ still_alive: 1 }]);
    });

    test('queries started together each get their own rows, the slow one as well', async () => {
      // the first polls (it is long enough to yield) while the others start on the same connection
      const slow = 'SELECT count(*) AS n FROM range(40000000) a WHERE a.range % 7 = ?';
      const [first, second, third] = await Promise.all([
        queryRows(db(), slow, [3]),
        queryRows(db(), 'SELECT ? + 1 AS n', [41]),
        queryRows(db(), 'SELECT count(*) AS n FROM range(10)'),
      ]);
      expect([first, second, third]).toEqual([[{ n: 5714286 }], [{ n: 42 }], [{ n: 10 }]]);
    });

    test('a running query can be cancelled', async () => {
      const controller = new AbortController();
      const running = db().query('SELECT count(*) FROM range(3000000000) a, range(10) b WHERE a.range % 7 = b.range', [], { signal: controller.signal });
      setTimeout(() => controller.abort(), 300);
      await expect(running).rejects.toBeInstanceOf(QueryCancelledError);
      expect(await queryRows(db(), 'SELECT 1 AS still_alive')).toEqual([{ still_alive: 1 }]);
    });

    test('every format, gzip-compressed or not, loads to the same events', async () => {
      const files = await smallLogFiles();
      for (const [file, bytes] of Object.entries(files)) {
        const summary = await loadEvents(db(), { name: file, bytes });
        expect({ file, rows: summary.rows, users: summary.users, skipped_rows: summary.skipped_rows, first_ts: summary.first_ts, last_ts: summary.last_ts })
          .toEqual({ file, ...SMALL_LOG_SUMMARY });
        const events = await queryRows(db(), 'SELECT user_id, event, epoch_ms(ts) AS ms, revenue, plan FROM events ORDER BY ts');
        expect(events[2]).toEqual({ user_id: 'u1', event: 'purchase', ms: Date.UTC(2024, 0, 3, 12), revenue: 19.5, plan: 'free' });
        expect(events.map((e) => e.user_id)).toEqual(['u1', 'u2', 'u1', 'u3', 'u3']);
      }
    });

    test('counts people by the hash of their id and records that it tells them apart', async () => {
      // 20,000 ids that differ in one character, twice each, plus padding the loader trims
      const lines = ['user_id,event,ts'];
      for (let i = 0; i < 20_000; i++) lines.push(`user${i},open,2024-01-01`, ` user${i} ,close,2024-01-02`);
      const summary = await loadEvents(db(), { name: 'many.csv', bytes: encode(lines.join('\n')) });
      expect({ rows: summary.rows, users: summary.users }).toEqual({ rows: 40_000, users: 20_000 });
      expect(await queryRows(db(), 'SELECT DISTINCT user_hash_unique FROM events__catalog')).toEqual([{ user_hash_unique: true }]);
    });

    test.each([
      ['ISO without offset, read as UTC', '2024-03-01 14:05:00', Date.UTC(2024, 2, 1, 14, 5)],
      ['ISO with T and Z', '2024-03-01T14:05:00Z', Date.UTC(2024, 2, 1, 14, 5)],
      ['ISO with an offset', '2024-03-01T14:05:00+02:00', Date.UTC(2024, 2, 1, 12, 5)],
      ['ISO with milliseconds and a negative offset', '2024-03-01T14:05:00.250-05:00', Date.UTC(2024, 2, 1, 19, 5, 0, 250)],
      ['epoch seconds', '1709301900', Date.UTC(2024, 2, 1, 14, 5)],
      ['epoch milliseconds', '1709301900250', Date.UTC(2024, 2, 1, 14, 5, 0, 250)],
      ['US local form', '12/1/2010 8:26', Date.UTC(2010, 11, 1, 8, 26)],
      ['day-first form when the month cannot be first', '31/12/2010 08:26', Date.UTC(2010, 11, 31, 8, 26)],
      ['a date alone', '2024-03-01', Date.UTC(2024, 2, 1)],
    ])('timestamps: %s', async (_, text, expected) => {
      await loadEvents(db(), { name: 'times.csv', bytes: encode(`user_id,event,when\nu1,open,${text}\nu2,open,${text}\n`) }, { mapping: { ts: 'when' } });
      const rows = await queryRows(db(), 'SELECT epoch_ms(ts) AS ms FROM events');
      expect(rows).toEqual([{ ms: expected }, { ms: expected }]);
    });

    test('ISO text with different offsets in one column becomes the same UTC instants; rows without a time are skipped', async () => {
      const rows = [
        ['a', '2024-03-01T14:05:00Z', Date.UTC(2024, 2, 1, 14, 5)],
        ['b', '2024-03-01T14:05:00+02:00', Date.UTC(2024, 2, 1, 12, 5)],
        ['c', '2024-03-01 14:05:00.250-05:00', Date.UTC(2024, 2, 1, 19, 5, 0, 250)],
        ['d', '2024-03-01 14:05', Date.UTC(2024, 2, 1, 14, 5)],
        ['e', ' 2024-03-01T14:05:00+0530 ', Date.UTC(2024, 2, 1, 8, 35)],
        ['f', '2024-03-01', Date.UTC(2024, 2, 1)],
      ] as const;
      const lines = rows.map(([user, ts]) => JSON.stringify({ user_id: user, event: 'open', ts }));
      lines.push(JSON.stringify({ user_id: 'g', event: 'open', ts: '' }), JSON.stringify({ user_id: 'h', event: 'open', ts: null }));
      const summary = await loadEvents(db(), { name: 'offsets.ndjson', bytes: encode(lines.join('\n')) });
      expect([summary.timestamps, summary.rows, summary.skipped]).toEqual([{ kind: 'iso' }, 6, { no_user_id: 0, no_ts: 2 }]);
      expect(await queryRows(db(), 'SELECT user_id, epoch_ms(ts) AS ms FROM events ORDER BY user_id'))
        .toEqual(rows.map(([user, , ms]) => ({ user_id: user, ms })));
    });

    test('the whole column decides the rule, not its first rows: one day-first time after 3,000 ambiguous ones', async () => {
      const lines = ['user_id,event,when'];
      for (let i = 0; i < 3000; i++) lines.push(`u${i},open,${1 + (i % 12)}/${1 + (i % 12)}/2024 8:26`);
      lines.push('last,open,1/2/2024 8:26', 'late,open,31/12/2024 08:26');
      const summary = await loadEvents(db(), { name: 'dayfirst.csv', bytes: encode(lines.join('\n')) }, { mapping: { ts: 'when' } });
      expect(summary.timestamps).toEqual({ kind: 'format', format: '%d/%m/%Y %H:%M' });
      expect(await queryRows(db(), "SELECT user_id, epoch_ms(ts) AS ms FROM events WHERE user_id IN ('last', 'late') ORDER BY user_id"))
        .toEqual([{ user_id: 'last', ms: Date.UTC(2024, 1, 1, 8, 26) }, { user_id: 'late', ms: Date.UTC(2024, 11, 31, 8, 26) }]);
    });

    test('an unreadable time far down a long column is named with its row', async () => {
      const lines = ['user_id,event,ts'];
      for (let i = 0; i < 5000; i++) lines.push(`u${i},open,${i === 4321 ? 'soon' : `2024-01-01T00:00:${String(i % 60).padStart(2, '0')}Z`}`);
      await expect(loadEvents(db(), { name: 'late.csv', bytes: encode(lines.join('\n')) }))
        .rejects.toThrow(/^file "late\.csv", column "ts": "soon" \(row 4322\) is not a date or time cohortbook can read/);
    });

    test.each([
      ['summer time', '2024-07-01 12:00:00', Date.UTC(2024, 6, 1, 11)],
      ['winter time', '2024-01-15 12:00', Date.UTC(2024, 0, 15, 12)],
      ['a time that occurs twice takes the first', '2024-10-27 01:30:00', Date.UTC(2024, 9, 27, 0, 30)],
      ['a skipped time takes the offset from before', '2024-03-31 01:30:00', Date.UTC(2024, 2, 31, 1, 30)],
      ['text with its own offset is not shifted', '2024-07-01T12:00:00Z', Date.UTC(2024, 6, 1, 12)],
      ['US local form in summer', '7/1/2024 12:00', Date.UTC(2024, 6, 1, 11)],
    ])('timestamps in the file\'s zone (Europe/London): %s', async (_, text, expected) => {
      // a second row in the other season gives the data range a DST change
      const other = text.startsWith('7/') ? '1/15/2024 12:00' : '2024-01-02 00:00:00';
      await loadEvents(db(), { name: 'london.csv', bytes: encode(`user_id,event,ts\nu1,open,${text}\nu2,open,${other}\n`) }, { timezone: 'Europe/London' });
      const rows = await queryRows(db(), "SELECT epoch_ms(ts) AS ms FROM events WHERE user_id = 'u1'");
      expect(rows).toEqual([{ ms: expected }]);
    });

    test('an unknown file zone is refused by name', async () => {
      await expect(loadEvents(db(), { name: 'z.csv', bytes: encode('user_id,event,ts\nu,e,2024-01-01\n') }, { timezone: 'Mars/Olympus' }))
        .rejects.toThrow(/^file "z\.csv": unknown time zone "Mars\/Olympus"/);
    });

    test('numeric epoch columns in JSON become UTC timestamps', async () => {
      const summary = await loadTestEvents(db(), [{ user_id: 'a', event: 'x', ts: 1709301900 as unknown as string }]);
      expect(summary.first_ts).toBe('2024-03-01T14:05:00.000Z');
    });

    test('guesses the mapping from common column names', async () => {
      const summary = await loadEvents(db(), { name: 'posthog.csv', bytes: encode('distinct_id,event_name,timestamp,amount,platform\nx,signup,2024-01-01T00:00:00Z,3.5,ios\n') });
      expect(summary.mapping).toEqual({ user_id: 'distinct_id', event: { column: 'event_name' }, ts: 'timestamp', revenue: 'amount' });
      expect(summary.columns.map((c) => c.name)).toEqual(['user_id', 'event', 'ts', 'revenue', 'platform']);
    });

    test('a file of one kind of event takes a constant event name', async () => {
      const bytes = encode('CustomerID,InvoiceDate,UnitPrice\n17850,2010-12-01 08:26:00,2.55\n,2010-12-01 08:28:00,1\n');
      await expect(loadEvents(db(), { name: 'invoices.csv', bytes })).rejects.toThrow(
        /^file "invoices\.csv": no event column: none of its columns \("CustomerID", "InvoiceDate", "UnitPrice"\) names the event$/);
      const summary = await loadEvents(db(), { name: 'invoices.csv', bytes }, { mapping: { event: ':purchase' } });
      expect([summary.rows, summary.skipped_rows]).toEqual([1, 1]);
      expect(await queryRows(db(), 'SELECT user_id, event FROM events')).toEqual([{ user_id: '17850', event: 'purchase' }]);
    });

    test('an override naming a missing column says which', async () => {
      await expect(loadEvents(db(), { name: 'a.csv', bytes: encode('user_id,event,ts\nu,e,2024-01-01\n') }, { mapping: { user_id: 'who' } }))
        .rejects.toThrow(/^file "a\.csv": the user column "who" is not a column of the file \(its columns: "user_id", "event", "ts"\)/);
    });

    describe('bad files get a clear error and leave loaded data alone', () => {
      beforeAll(async () => {
        await loadEvents(db(), { name: 'good.csv', bytes: encode('user_id,event,ts\nkeep,open,2024-01-01T00:00:00Z\n') });
      });

      test.each(BAD_FILES)('$problem', async (file) => {
        const error = await loadEvents(db(), { name: file.name, bytes: badFileBytes(file) }).catch((e) => e);
        expect(error).toBeInstanceOf(LoadError);
        expect(error.message).toMatch(file.message);
        expect(await queryRows(db(), 'SELECT user_id FROM events')).toEqual([{ user_id: 'keep' }]);
      });
    });
  });
}
