import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { analysisKinds } from '../analytics/index.ts';
import { UsageError } from './cli-error.ts';
import { analyzeCommand, loadCommand } from './commands.ts';
import { runCommand } from './run-command.ts';

const USAGE = `cohortbook — product analytics on event logs, offline

Usage:
  cohortbook load    --events FILE [--map user_id=COL,event=COL,ts=COL,revenue=COL] [--engine wasm|native]
  cohortbook analyze --events FILE --spec SPEC.json [--map ...] [--engine wasm|native]
  cohortbook run     NOTEBOOK.md [--data name=FILE ...] [--out report.html] [--trust] [--engine wasm|native]

Options:
  --events FILE     CSV, TSV, JSON, NDJSON, Parquet or Arrow file, optionally .gz
  --map MAPPING     override the guessed columns; event=:purchase names the one event of a file without an event column
  --engine KIND     wasm (DuckDB-WASM, the browser's engine; default) or native (DuckDB, multi-threaded)
  --spec SPEC       a JSON file or inline JSON with a "kind" (${'${kinds}'})
  --format FORMAT   read the file as csv, tsv, json, parquet or arrow whatever its name
  --delimiter CHAR  CSV field delimiter (detected when absent)
  --tz ZONE         the IANA zone of the file's times that carry no offset (default UTC), e.g. Europe/London
  --data NAME=FILE  run: load FILE as source NAME (default: the data the notebook's front matter names)
  --out FILE        run: where the static HTML report goes (default: NOTEBOOK.html)
  --trust           run: run the notebook's JavaScript cells too (they can use this machine as any program can);
                    without it they are reported as not run and the exit code is 3 (the notebooks
                    cohortbook ships always run whole)

JSON goes to stdout; progress and messages to stderr.`;

function usage(): string {
  return USAGE.replace('${kinds}', analysisKinds().join(', ') || 'none yet');
}

async function main(argv: string[]): Promise<number> {
  const say = (line: string) => process.stderr.write(`${line}\n`);
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        events: { type: 'string' }, map: { type: 'string' }, engine: { type: 'string' }, spec: { type: 'string' },
        format: { type: 'string' }, delimiter: { type: 'string' }, tz: { type: 'string' }, data: { type: 'string', multiple: true }, out: { type: 'string' },
        trust: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' }, version: { type: 'boolean' },
      },
    });
  } catch (error) {
    say(`cohortbook: ${(error as Error).message}\n\n${usage()}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.version) {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    process.stdout.write(`${pkg.version}\n`);
    return 0;
  }
  const command = positionals[0];
  if (values.help || !command) {
    (command || values.help ? process.stdout : process.stderr).write(`${usage()}\n`);
    return values.help ? 0 : 2;
  }
  try {
    let output: unknown;
    if (command === 'load') output = await loadCommand(values, say);
    else if (command === 'analyze') output = await analyzeCommand(values, say);
    else if (command === 'run') {
      const result = await runCommand(positionals[1], values, say);
      process.stdout.write(`${JSON.stringify(result.output, null, 2)}\n`);
      return result.failed ? 1 : result.notRun ? 3 : 0;
    } else throw new UsageError(`unknown command "${command}" (commands: load, analyze, run)`);
    process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
    return 0;
  } catch (error) {
    const message = (error as Error)?.message ?? String(error);
    say(`cohortbook: ${message.split('\nSQL: ')[0]}`);
    if (error instanceof UsageError) say(`Run "cohortbook --help" for usage.`);
    if (process.env.COHORTBOOK_DEBUG) say(String((error as Error)?.stack));
    return error instanceof UsageError ? 2 : 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
