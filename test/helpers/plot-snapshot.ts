import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { JSDOM } from 'jsdom';
import { expect } from 'vitest';

/** A DOM for Plot in Node: pass `document` to a plot builder. */
export function plotDocument(): Document {
  return new JSDOM('<!DOCTYPE html><body></body>').window.document;
}

/** Where snapshots live: `test/plots/output/<name>.svg`, checked in. */
export const SNAPSHOT_DIR = join(import.meta.dirname, '..', 'plots', 'output');

/**
 * Whether this run may write snapshots: only when asked (`UPDATE_PLOT_SNAPSHOTS=1`, which
 * `npm run test:update-snapshots` sets), and never in CI, where a missing snapshot must fail.
 */
export function writingSnapshots(env: NodeJS.ProcessEnv = process.env): boolean {
  const ci = env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0';
  return env.UPDATE_PLOT_SNAPSHOTS === '1' && !ci;
}

/** Rounds every number in the markup to 3 decimals, as Plot's own snapshot tests do. */
function normalise(markup: string): string {
  return markup.replace(/\d+\.\d{4,}/g, (n) => String(Math.round(Number(n) * 1000) / 1000));
}

/**
 * Compares a rendered chart (SVG or figure markup) with `test/plots/output/<name>.svg`. A missing
 * snapshot fails, as a different one does (which leaves `<name>-changed.svg` beside it to look
 * at); `npm run test:update-snapshots` writes missing and changed ones instead (never under CI).
 */
export function expectPlotSnapshot(name: string, element: Element, dir = SNAPSHOT_DIR): void {
  const actual = normalise(element.outerHTML);
  const path = join(dir, `${name}.svg`);
  const changed = join(dir, `${name}-changed.svg`);
  const shown = relative(process.cwd(), path);
  const expected = existsSync(path) ? readFileSync(path, 'utf8') : null;
  if (expected === actual) return;
  if (writingSnapshots()) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  if (expected === null) {
    throw new Error(`no snapshot ${shown}: write it with \`npm run test:update-snapshots\`, look at it, and check it in`);
  }
  writeFileSync(changed, actual);
  expect(actual, `${name} differs from its snapshot; see ${changed} (\`npm run test:update-snapshots\` accepts it)`).toBe(expected);
}
