import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, test } from 'vitest';
import { SMALL_LOG_SUMMARY, smallLogFiles } from '../helpers/fixtures.ts';
import { BAD_FILES, badFileBytes } from '../helpers/bad-files.ts';

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
