import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..', '..');

/**
 * CLI tests run `bin/cohortbook.js`, the command as it ships: compiled JavaScript in lib/. Bring
 * lib/ up to date with src/ first (incremental: about a second when nothing changed). Browser
 * tests build and serve the app in their own setup.
 */
export default function setup(): void {
  execFileSync(process.execPath, [resolve(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
}
