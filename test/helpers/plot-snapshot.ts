import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { JSDOM } from 'jsdom';
import { expect } from 'vitest';

/** A DOM for Plot in Node: pass `document` to a plot builder. */
export function plotDocument(): Document {
  return new JSDOM('<!DOCTYPE html><body></body>').window.document;
}

const OUTPUT = join(import.meta.dirname, '..', 'plots', 'output');

/** Rounds every number in the markup to 3 decimals, as Plot's own snapshot tests do. */
function normalise(markup: string): string {
  return markup.replace(/\d+\.\d{4,}/g, (n) => String(Math.round(Number(n) * 1000) / 1000));
}

/**
 * Compares a rendered chart (SVG or figure markup) with `test/plots/output/<name>.svg`. A missing
 * snapshot is written; a different one fails and leaves `<name>-changed.svg` beside it to look at.
 */
export function expectPlotSnapshot(name: string, element: Element): void {
  const actual = normalise(element.outerHTML);
  const path = join(OUTPUT, `${name}.svg`);
  const changed = join(OUTPUT, `${name}-changed.svg`);
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  const expected = readFileSync(path, 'utf8');
  if (expected !== actual) writeFileSync(changed, actual);
  expect(actual, `${name} differs from its snapshot; see ${changed}`).toBe(expected);
}
