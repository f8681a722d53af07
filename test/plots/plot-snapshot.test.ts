import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { expectPlotSnapshot, plotDocument, writingSnapshots } from '../helpers/plot-snapshot.ts';

// The snapshot helper itself: a chart without a snapshot must fail, not re-baseline (issue 16).
let dir: string;
const svg = (text: string) => {
  const element = plotDocument().createElement('svg');
  element.textContent = text;
  return element;
};

beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'cohortbook-snapshots-')); });
afterEach(() => {
  vi.unstubAllEnvs();
  rmSync(dir, { recursive: true, force: true });
});

test('a missing snapshot fails and writes nothing', () => {
  vi.stubEnv('UPDATE_PLOT_SNAPSHOTS', '');
  expect(() => expectPlotSnapshot('absent', svg('x'), dir)).toThrow(/^no snapshot .*absent\.svg: write it with `npm run test:update-snapshots`/);
  expect(existsSync(join(dir, 'absent.svg'))).toBe(false);
});

test('a different snapshot fails and leaves the new markup beside it', () => {
  vi.stubEnv('UPDATE_PLOT_SNAPSHOTS', '');
  writeFileSync(join(dir, 'chart.svg'), '<svg>old</svg>');
  expect(() => expectPlotSnapshot('chart', svg('new'), dir)).toThrow(/chart differs from its snapshot/);
  expect(readFileSync(join(dir, 'chart-changed.svg'), 'utf8')).toBe('<svg>new</svg>');
  expect(readFileSync(join(dir, 'chart.svg'), 'utf8')).toBe('<svg>old</svg>');
});

test('the explicit update step writes a missing snapshot, except under CI', () => {
  expect(writingSnapshots({ UPDATE_PLOT_SNAPSHOTS: '1' })).toBe(true);
  expect(writingSnapshots({ UPDATE_PLOT_SNAPSHOTS: '1', CI: 'true' })).toBe(false);
  expect(writingSnapshots({ CI: 'false' })).toBe(false);
  expect(writingSnapshots({})).toBe(false);
  vi.stubEnv('CI', '');
  vi.stubEnv('UPDATE_PLOT_SNAPSHOTS', '1');
  expectPlotSnapshot('fresh', svg('x'), dir);
  expect(readFileSync(join(dir, 'fresh.svg'), 'utf8')).toBe('<svg>x</svg>');
  vi.stubEnv('CI', 'true');
  expect(() => expectPlotSnapshot('fresh-in-ci', svg('x'), dir)).toThrow(/^no snapshot/);
});
