// `cohortbook --help` and usage mistakes answer at once: they must not import DuckDB, parquet-wasm
// or the analyses. A module hook makes any such import fail loudly, so a static import that
// creeps back into the command's start shows up here (how fast it is, is measured, not tested:
// README "The command line").
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';
import { analysisKinds } from '../../src/analytics/index.ts';
import { ANALYSIS_KINDS, USAGE } from '../../src/cli/usage.ts';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'cohortbook.js');

// resolves every import as usual, but fails one of the heavy packages or an analysis module
const FORBID = `data:text/javascript,${encodeURIComponent(`
import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(\`
  export async function resolve(specifier, context, next) {
    if (/@duckdb|parquet-wasm|apache-arrow|arquero|jsdom|\\\\/analytics\\\\//.test(specifier)) throw new Error('the command loaded ' + specifier);
    return next(specifier, context);
  }\`));
`)}`;

async function lightly(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', FORBID, BIN, ...args], { cwd: ROOT });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('the command starts without its engines', () => {
  test('--help prints the usage', async () => {
    const { code, stdout, stderr } = await lightly('--help');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toBe(`${USAGE}\n`);
  });

  test('no command, an unknown command and an unknown option are usage mistakes (exit 2)', async () => {
    expect(await lightly()).toMatchObject({ code: 2, stdout: '', stderr: `${USAGE}\n` });
    const unknown = await lightly('retain', '--events', 'x.csv');
    expect(unknown).toMatchObject({ code: 2, stdout: '' });
    expect(unknown.stderr).toBe('cohortbook: unknown command "retain" (commands: load, analyze, run, check, serve, open)\nRun "cohortbook --help" for usage.\n');
    const option = await lightly('load', '--event', 'x.csv');
    expect(option.code).toBe(2);
    expect(option.stderr).toMatch(/^cohortbook: Unknown option '--event'/);
  });

  test('--version prints the package\'s version', async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(await lightly('--version')).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  test('the hook does catch a command that loads DuckDB', async () => {
    const { code, stderr } = await lightly('load', '--events', 'public/samples/shop-events.csv');
    expect(code).toBe(1);
    expect(stderr).toMatch(/the command loaded /);
  });

  test('the help text names every analysis kind the registry has', () => {
    expect(ANALYSIS_KINDS).toEqual(analysisKinds());
  });
});
