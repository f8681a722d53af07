import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, test } from 'vitest';
import { SMALL_LOG_SUMMARY, smallLogFiles } from '../helpers/fixtures.ts';
import { BAD_FILES, badFileBytes } from '../helpers/bad-files.ts';
import { windows1251, xlsxWorkbook } from '../helpers/foreign-files.ts';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'cohortbook.js');
let dir: string;

/** Runs the CLI as a person would; never throws, returns exit code and both streams. */
async function cohortbook(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { cwd: ROOT, maxBuffer: 64 << 20 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cohortbook-cli-'));
  for (const [name, bytes] of Object.entries(await smallLogFiles())) writeFileSync(join(dir, name), bytes);
  for (const file of BAD_FILES) writeFileSync(join(dir, file.name), badFileBytes(file));
  writeFileSync(join(dir, 'orders.csv'), 'order_id,customer_id,created_at,total\n1,c1,2024-01-01T10:00:00Z,30\n2,c2,2024-01-02T10:00:00Z,12\n3,c1,2024-02-01T10:00:00Z,8\n');
});

describe('cohortbook load', () => {
  test.each(['small.csv', 'small.ndjson', 'small.parquet', 'small.csv.gz'])('%s prints the contract fields', async (file) => {
    const { code, stdout, stderr } = await cohortbook('load', '--events', join(dir, file));
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({
      mapping: { user_id: 'user_id', event: 'event', ts: 'ts', revenue: 'revenue' },
      ...SMALL_LOG_SUMMARY,
    });
    expect(stderr).toMatch(/loaded 5 events of 3 users/);
  });

  test('CSV, NDJSON and Parquet agree on native DuckDB too', async () => {
    const reports = await Promise.all(['small.csv', 'small.ndjson', 'small.parquet'].map(async (file) =>
      JSON.parse((await cohortbook('load', '--events', join(dir, file), '--engine', 'native')).stdout)));
    for (const report of reports) expect(report).toMatchObject(SMALL_LOG_SUMMARY);
  });

  test('--map names a constant event for a log of orders', async () => {
    const { code, stdout } = await cohortbook('load', '--events', join(dir, 'orders.csv'), '--map', 'event=:purchase');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({
      mapping: { user_id: 'customer_id', event: ':purchase', ts: 'created_at', revenue: 'total' },
      rows: 3, users: 2, skipped_rows: 0, first_ts: '2024-01-01T10:00:00.000Z', last_ts: '2024-02-01T10:00:00.000Z',
    });
  });

  const cases: [string, string, RegExp][] = [
    ['a missing file', 'nope.csv', /^file "nope\.csv": not found$/],
    ['a file without an event column', 'orders.csv', /^file "orders\.csv": no event column: .*--map event=:purchase$/],
    ...BAD_FILES.map((f): [string, string, RegExp] => [f.problem, f.name, f.cli ?? f.message]),
  ];
  test.each(cases)('%s: one readable line naming the file, exit 1', async (_, name, message) => {
    const { code, stdout, stderr } = await cohortbook('load', '--events', name === 'nope.csv' ? name : join(dir, name));
    expect(code).toBe(1);
    expect(stdout).toBe('');
    const lines = stderr.trim().split('\n').filter((line) => line.startsWith('cohortbook:'));
    expect(lines).toHaveLength(1);
    expect(lines[0].replace(/^cohortbook: /, '')).toMatch(message);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  test('a bad option is a usage error, exit 2', async () => {
    const { code, stderr } = await cohortbook('load', '--events', join(dir, 'small.csv'), '--engine', 'gpu');
    expect(code).toBe(2);
    expect(stderr).toMatch(/^cohortbook: --engine must be wasm or native, not "gpu"/);
  });
});

describe('cohortbook load: several files, encodings, workbooks', () => {
  const HEADER = 'user_id,event,ts\n';
  const JAN = 'анна,покупка,2024-01-03 10:00:00\nборис,просмотр,2024-01-20 11:00:00\n';
  const FEB = 'анна,просмотр,2024-02-02 09:00:00\nвера,покупка,2024-02-28 18:00:00\nборис,покупка,2024-02-11 12:00:00\n';
  let exports: string;
  beforeAll(() => {
    exports = join(dir, 'exports');
    mkdirSync(exports);
    writeFileSync(join(exports, 'events-2024-01.csv.gz'), gzipSync(HEADER + JAN));
    writeFileSync(join(exports, 'events-2024-02.csv.gz'), gzipSync(HEADER + FEB));
    writeFileSync(join(exports, 'README.md'), '# not an event file\n');
    writeFileSync(join(dir, 'whole.csv'), HEADER + JAN + FEB);
    writeFileSync(join(dir, 'cp1251.csv'), windows1251(HEADER + JAN + FEB));
  });

  const report = async (...args: string[]) => {
    const { code, stdout, stderr } = await cohortbook('load', ...args);
    expect(stderr).not.toMatch(/^cohortbook:/m);
    expect(code).toBe(0);
    return JSON.parse(stdout);
  };
  const totals = (r: Record<string, unknown>) => ({ rows: r.rows, users: r.users, first_ts: r.first_ts, last_ts: r.last_ts });

  test('--events repeated, a directory and a quoted glob all read the files as one log: the rows and people of the whole', async () => {
    const whole = totals(await report('--events', join(dir, 'whole.csv')));
    expect(whole).toEqual({ rows: 5, users: 3, first_ts: '2024-01-03T10:00:00.000Z', last_ts: '2024-02-28T18:00:00.000Z' });
    const repeated = await report('--events', join(exports, 'events-2024-01.csv.gz'), '--events', join(exports, 'events-2024-02.csv.gz'));
    expect(totals(repeated)).toEqual(whole);
    expect(repeated.files).toEqual(['events-2024-01.csv.gz', 'events-2024-02.csv.gz']);
    const folder = await report('--events', exports, '--engine', 'native');
    expect([totals(folder), folder.files]).toEqual([whole, ['events-2024-01.csv.gz', 'events-2024-02.csv.gz']]);
    const globbed = await report('--events', join(exports, '*.csv.gz'));
    expect([totals(globbed), globbed.files]).toEqual([whole, ['events-2024-01.csv.gz', 'events-2024-02.csv.gz']]);
  }, 240_000);

  test('a glob that matches nothing, and unquoted extra files, get a clear line', async () => {
    const none = await cohortbook('load', '--events', join(exports, '*.parquet'));
    expect([none.code, none.stderr.trim()]).toEqual([1, expect.stringMatching(/^cohortbook: file ".*\*\.parquet": matches no file$/)]);
    const stray = await cohortbook('load', '--events', join(exports, 'events-2024-01.csv.gz'), join(exports, 'events-2024-02.csv.gz'));
    expect(stray.code).toBe(2);
    expect(stray.stderr).toMatch(/^cohortbook: unexpected ".*events-2024-02\.csv\.gz" after load: to read several files as one log, repeat --events, name their directory, or quote a glob/);
  });

  test('a Windows-1251 file is detected, --encoding overrides it, and the Cyrillic ids survive', async () => {
    const detected = await report('--events', join(dir, 'cp1251.csv'));
    expect([detected.encoding, detected.rows, detected.users]).toEqual(['windows-1251', 5, 3]);
    const { stdout } = await cohortbook('analyze', '--events', join(dir, 'cp1251.csv'), '--spec', '{"kind": "active_users"}');
    expect(JSON.parse(stdout).meta.events.encoding).toBe('windows-1251');
    const wrong = await report('--events', join(dir, 'cp1251.csv'), '--encoding', 'cp1252');
    expect(wrong.encoding).toBe('windows-1252');
    const bad = await cohortbook('load', '--events', join(dir, 'cp1251.csv'), '--encoding', 'ebcdic');
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringMatching(/^cohortbook: --encoding must be one of utf-8, utf-16le, utf-16be, windows-1251, windows-1252, not "ebcdic"/)]);
  });

  test('an Excel workbook loads, a named sheet too', async () => {
    const at = (text: string) => new Date(`${text.replace(' ', 'T')}Z`);
    writeFileSync(join(dir, 'book.xlsx'), xlsxWorkbook([{ name: 'Cover', rows: [['About']] },
      { name: 'Log', rows: [['user_id', 'event', 'ts'], ['анна', 'покупка', at('2024-01-03 10:00:00')], ['борис', 'просмотр', at('2024-01-20 11:00:00')]] }]));
    const book = await report('--events', join(dir, 'book.xlsx'), '--sheet', 'Log');
    expect([book.format, book.rows, book.users, book.first_ts]).toEqual(['xlsx', 2, 2, '2024-01-03T10:00:00.000Z']);
  });
});

describe('cohortbook analyze', () => {
  test('an unknown kind is a clear error', async () => {
    const { code, stderr } = await cohortbook('analyze', '--events', join(dir, 'small.csv'), '--spec', '{"kind": "horoscope"}');
    expect(code).toBe(1);
    expect(stderr).toMatch(/^cohortbook: unknown analysis kind "horoscope" \(known kinds: /m);
  });

  test('a spec file that is not JSON is named', async () => {
    const spec = join(dir, 'bad-spec.json');
    writeFileSync(spec, '{kind: retention}');
    const { code, stderr } = await cohortbook('analyze', '--events', join(dir, 'small.csv'), '--spec', spec);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^cohortbook: spec ".*bad-spec\.json": not valid JSON/m);
  });
});

test('npx --no-install cohortbook runs the installed bin', async () => {
  const { stdout } = await run('npx', ['--no-install', 'cohortbook', '--version'], { cwd: ROOT });
  expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
});
