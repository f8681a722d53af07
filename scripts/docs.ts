// npm run docs: makes the generated parts of docs/ anew from the code: each analysis page's field
// table, formula, worked example's output and chart; the CLI reference's usage; docs/api/ (TypeDoc).
// npm run docs -- --new KIND: starts docs/analyses/KIND.md for a new analysis from the template.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createNodeEngine } from '../src/engine/node.ts';
import { getAnalysis } from '../src/analytics/index.ts';
import { makeDocs } from './docs/pages.ts';
import { writeApiDocs } from './docs/api.ts';

const root = resolve(import.meta.dirname, '..');
const { values } = parseArgs({ options: { new: { type: 'string' } } });

if (values.new) {
  const kind = values.new;
  const analysis = getAnalysis(kind);
  const path = join(root, 'docs', 'analyses', `${kind}.md`);
  if (!analysis) throw new Error(`no analysis of kind "${kind}" is registered (src/analytics/index.ts imports each one)`);
  if (existsSync(path)) throw new Error(`docs/analyses/${kind}.md exists already`);
  const template = readFileSync(join(root, 'docs', 'analyses', 'TEMPLATE.md'), 'utf8');
  writeFileSync(path, template.replaceAll('KIND', kind).replaceAll('TITLE', analysis.title));
  console.log(`wrote docs/analyses/${kind}.md: write its prose and example (log and spec), link it from docs/analyses/README.md, then run npm run docs`);
}

const engine = await createNodeEngine('wasm');
try {
  const { files, missing, undocumented } = await makeDocs(root, engine);
  for (const file of files) {
    if (file.made === file.current) continue;
    if (file.made === null) rmSync(join(root, file.path));
    else writeFileSync(join(root, file.path), file.made);
    console.log(`${file.made === null ? 'removed' : 'wrote'} ${file.path}`);
  }
  for (const kind of missing) console.error(`no page for the "${kind}" analysis: npm run docs -- --new ${kind}`);
  for (const field of undocumented) console.error(`${field} has no description: give the field TSDoc in its spec type`);
  if (missing.length || undocumented.length) process.exitCode = 1;
} finally {
  await engine.close();
}
await writeApiDocs(root, join(root, 'docs', 'api'));
console.log('wrote docs/api/');
