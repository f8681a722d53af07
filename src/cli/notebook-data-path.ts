import { existsSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { PACKAGE_ROOT, samplesFolder } from './package-files.ts';

const SHIPPED = join(PACKAGE_ROOT, 'notebooks');

/**
 * Whether a notebook file is one cohortbook ships (in its own `notebooks/` folder): those are
 * trusted, as the app trusts them, so `cohortbook run notebooks/getting-started.md` runs them whole.
 */
export function isShippedNotebook(notebookPath: string): boolean {
  try {
    const folder = dirname(realpathSync(notebookPath));
    const shipped = realpathSync(SHIPPED);
    // notebooks/ and its translations, notebooks/ru/
    return folder === shipped || (dirname(folder) === shipped && /^[a-z]{2}$/.test(basename(folder)));
  } catch {
    return false;
  }
}

function inside(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}

/**
 * Where a data file named in a notebook's front matter is, on disk: inside the notebook's own
 * folder, or inside cohortbook's `public/` (the bundled samples, `samples/shop-events.csv`). A
 * notebook is someone else's text: an absolute path, one that climbs out with `..`, or a link
 * that leads out is refused, with a message saying to name the file with `--data` instead.
 *
 * @example
 * frontMatterDataPath('samples/shop-events.csv', 'notebooks/getting-started.md'); // '/…/cohortbook/public/samples/shop-events.csv'
 */
export function frontMatterDataPath(file: string, notebookPath: string): string {
  const refuse = (why: string) => new Error(`notebook data "${file}": ${why}; a notebook may name files only in its own folder or in cohortbook's public/ folder (name any other file with --data name=FILE)`);
  if (isAbsolute(file) || /^[A-Za-z]:[\\/]|^\\\\/.test(file)) throw refuse('an absolute path');
  // public/ in a checkout; the built app's copy of it in an installed package
  const folders = [dirname(resolve(notebookPath)), samplesFolder()];
  for (const folder of folders) {
    const candidate = resolve(folder, file);
    if (!inside(folder, candidate)) throw refuse('a path that leads out of the notebook\'s folder');
    if (!existsSync(candidate)) continue;
    const real = realpathSync(candidate);
    if (!inside(realpathSync(folder), real)) throw refuse('a link that leads out of its folder');
    return real;
  }
  throw new Error(`notebook data "${file}": not found in the notebook's folder or in cohortbook's public/ folder (name the file with --data name=FILE)`);
}
