import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package's folder: the installed package, or this checkout (src/cli and lib/cli sit two levels down). */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The built web app (`npm run build` writes it; the published package ships it). */
export const APP_FOLDER = join(PACKAGE_ROOT, 'dist');

/**
 * Where the logs that notebooks name as `samples/...` are: `public/` in a checkout, the built app
 * (which holds a copy of `public/`) in an installed package.
 */
export function samplesFolder(): string {
  const checkout = join(PACKAGE_ROOT, 'public');
  return existsSync(join(checkout, 'samples')) ? checkout : APP_FOLDER;
}
