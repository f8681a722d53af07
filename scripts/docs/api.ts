// The library's API reference, docs/api/, made by TypeDoc from the TSDoc of the package's entry
// points (typedoc.json). test/docs/docs.test.ts makes it again and compares.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Application } from 'typedoc';

/** Writes the API reference into `out` (docs/api, or a scratch folder to compare with it). */
export async function writeApiDocs(root: string, out: string): Promise<void> {
  const app = await Application.bootstrapWithPlugins({ options: join(root, 'typedoc.json'), out, logLevel: 'Warn' });
  const project = await app.convert();
  if (!project) throw new Error('TypeDoc could not read the entry points (see the messages above)');
  await app.generateOutputs(project);
}

/** Every file under `folder`, by path relative to it, with its text. */
export function filesUnder(folder: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(folder, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(relative(folder, path), readFileSync(path, 'utf8'));
  }
  return files;
}
