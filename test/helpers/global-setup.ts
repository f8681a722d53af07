import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..', '..');

/**
 * CLI tests run `bin/cohortbook.js`, the command as it ships: compiled JavaScript in lib/. Bring
 * lib/ up to date with src/ first (incremental: about a second when nothing changed). A type error
 * still compiles (tsc's exit code 2: `npm test` type-checks before it tests), so one test file can
 * be run while another module is half-written; only a failure to write lib/ stops the run.
 * Browser tests build and serve the app in their own setup.
 */
export default function setup(): void {
  const tsc = spawnSync(process.execPath, [resolve(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
  if (tsc.status !== 0 && tsc.status !== 2) throw new Error(`tsc -p tsconfig.build.json could not write lib/ (exit code ${tsc.status})`);
}
