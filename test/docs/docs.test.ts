// docs/ cannot go stale: every analysis has a page; each page's field table, formula and worked
// example (its output table and chart, run here on DuckDB-WASM and native DuckDB) are what the
// code makes now; the CLI reference holds the command's own help; docs/api/ is what TypeDoc makes
// from the TSDoc. When one differs: `npm run docs` writes them anew (then read the diff).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { analysisKinds } from '../../src/analytics/index.ts';
import { createNodeEngine } from '../../src/engine/node.ts';
import type { Engine } from '../../src/engine/index.ts';
import { makeDocs, type DocFile } from '../../scripts/docs/pages.ts';
import { makeAnalysisPage } from '../../scripts/docs/analysis-page.ts';
import { specFieldReader } from '../../scripts/docs/spec-fields.ts';
import { filesUnder, writeApiDocs } from '../../scripts/docs/api.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const AGAIN = 'is not what the code makes now: run `npm run docs` and read the diff';
let wasm: Engine;
let native: Engine;
let made: Awaited<ReturnType<typeof makeDocs>>;

/** The output region of a page: what its example computed. */
const output = (text: string | null) => /<!-- output[^>]*-->\n([\s\S]*?)<!-- \/output -->/.exec(text ?? '')?.[1];

beforeAll(async () => {
  [wasm, native] = await Promise.all([createNodeEngine('wasm'), createNodeEngine('native')]);
  made = await makeDocs(ROOT, wasm);
}, 120_000);

afterAll(async () => {
  await wasm?.close();
  await native?.close();
});

describe('docs/analyses', () => {
  test('every analysis has a page, linked from the index, and every field a meaning', () => {
    expect(made.missing, 'analyses without a page (npm run docs -- --new KIND)').toEqual([]);
    expect(made.undocumented, 'fields without a description (give them TSDoc in their spec type)').toEqual([]);
    const index = readFileSync(join(ROOT, 'docs', 'analyses', 'README.md'), 'utf8');
    for (const kind of analysisKinds()) expect(index, `docs/analyses/README.md links ${kind}.md`).toContain(`(${kind}.md)`);
  });

  test.each(analysisKinds())('%s: the page and its chart are what the code makes (DuckDB-WASM)', (kind) => {
    for (const file of made.files.filter((f: DocFile) => f.path.startsWith(`docs/analyses/${kind}.`))) {
      expect(file.current, `${file.path} ${AGAIN}`).toBe(file.made);
    }
  });

  test.each(analysisKinds())('%s: native DuckDB computes the same worked example', async (kind) => {
    const page = made.files.find((f) => f.path === `docs/analyses/${kind}.md`)!;
    const again = await makeAnalysisPage(native, kind, page.current!, specFieldReader(ROOT).fields(kind));
    expect(output(again.text)).toBe(output(page.current));
  });
});

test('docs/cli.md holds the command\'s own help text', () => {
  const cli = made.files.find((f) => f.path === 'docs/cli.md');
  expect(cli, 'docs/cli.md exists').toBeDefined();
  expect(cli!.current, `docs/cli.md ${AGAIN}`).toBe(cli!.made);
});

test('docs/api is what TypeDoc makes from the TSDoc of the entry points', async () => {
  const out = mkdtempSync(join(tmpdir(), 'cohortbook-api-'));
  try {
    await writeApiDocs(ROOT, out);
    const expected = filesUnder(out);
    const current = filesUnder(join(ROOT, 'docs', 'api'));
    expect([...current.keys()].sort(), `docs/api's files ${AGAIN}`).toEqual([...expected.keys()].sort());
    for (const [path, text] of expected) expect(current.get(path), `docs/api/${path} ${AGAIN}`).toBe(text);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}, 120_000);
