// Every generated part of docs/, made anew without writing anything: `npm run docs` writes what
// differs, test/docs/docs.test.ts fails on it.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analysisKinds } from '../../src/analytics/index.ts';
import type { Engine } from '../../src/engine/index.ts';
import { USAGE } from '../../src/cli/usage.ts';
import { fillRegion, makeAnalysisPage } from './analysis-page.ts';
import { specFieldReader } from './spec-fields.ts';

/** A file of docs/ as it is and as the code makes it (null: it should not exist). */
export interface DocFile {
  path: string;
  current: string | null;
  made: string | null;
}

/** What `npm run docs` would write, and what it cannot make (a kind without a page, a field without words). */
export async function makeDocs(root: string, engine: Engine): Promise<{ files: DocFile[]; missing: string[]; undocumented: string[] }> {
  const read = (path: string) => (existsSync(join(root, path)) ? readFileSync(join(root, path), 'utf8') : null);
  const files: DocFile[] = [];
  const missing: string[] = [];
  const undocumented: string[] = [];
  const reader = specFieldReader(root);
  for (const kind of analysisKinds()) {
    const path = `docs/analyses/${kind}.md`;
    const current = read(path);
    if (current === null) {
      missing.push(kind);
      continue;
    }
    const made = await makeAnalysisPage(engine, kind, current, reader.fields(kind));
    files.push({ path, current, made: made.text });
    files.push({ path: `docs/analyses/${kind}.svg`, current: read(`docs/analyses/${kind}.svg`), made: made.chart });
    undocumented.push(...made.undocumented);
  }
  const cli = read('docs/cli.md');
  if (cli !== null) files.push({ path: 'docs/cli.md', current: cli, made: fillRegion(cli, 'usage', `\`\`\`text\n${USAGE}\n\`\`\`\n`, 'docs/cli.md') });
  return { files, missing, undocumented };
}
