#!/usr/bin/env node
// The cohortbook command. Only node:util is loaded up front: the help text and usage mistakes print
// at once, and each command imports its engine, loaders and analyses when it runs.
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { UsageError } from './cli-error.ts';
import { COMMANDS, USAGE } from './usage.ts';

async function main(argv: string[]): Promise<number> {
  const say = (line: string) => process.stderr.write(`${line}\n`);
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        events: { type: 'string', multiple: true }, encoding: { type: 'string' }, sheet: { type: 'string' }, map: { type: 'string' }, engine: { type: 'string' }, spec: { type: 'string' },
        format: { type: 'string' }, delimiter: { type: 'string' }, tz: { type: 'string' }, data: { type: 'string', multiple: true }, out: { type: 'string' },
        port: { type: 'string' }, trust: { type: 'boolean' }, for: { type: 'string' },
        help: { type: 'boolean', short: 'h' }, version: { type: 'boolean' },
      },
    });
  } catch (error) {
    say(`cohortbook: ${(error as Error).message}\n\n${USAGE}`);
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
    (command || values.help ? process.stdout : process.stderr).write(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }
  try {
    if (!COMMANDS.includes(command)) throw new UsageError(`unknown command "${command}" (commands: ${COMMANDS.join(', ')})`);
    if (command === 'serve' || command === 'open') {
      const { serveCommand } = await import('./serve-command.ts');
      // serves until the process is stopped (Ctrl+C)
      await serveCommand(positionals[1], values, say, { openBrowser: command === 'open' });
      return 0;
    }
    if (command === 'check') {
      const { checkCommand } = await import('./check-command.ts');
      const result = await checkCommand(positionals[1], values, say);
      process.stdout.write(`${JSON.stringify(result.output, null, 2)}\n`);
      return result.failed ? 1 : result.notRun ? 3 : 0;
    }
    if (command === 'run') {
      const { runCommand } = await import('./run-command.ts');
      const result = await runCommand(positionals[1], values, say);
      process.stdout.write(`${JSON.stringify(result.output, null, 2)}\n`);
      return result.failed ? 1 : result.notRun ? 3 : 0;
    }
    if (positionals.length > 1) {
      throw new UsageError(`unexpected "${positionals[1]}" after ${command}: to read several files as one log, repeat --events, name their directory, or quote a glob (--events 'exports/*.csv')`);
    }
    const { analyzeCommand, loadCommand } = await import('./commands.ts');
    const output = command === 'load' ? await loadCommand(values, say) : await analyzeCommand(values, say);
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

// serve and open resolve once the server listens; it keeps the process alive until Ctrl+C
process.exitCode = await main(process.argv.slice(2));
