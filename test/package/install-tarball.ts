// Installs the packed tarball into an empty folder as a user would, but from npm's cache alone.
//
// `npm install --offline cohortbook-X.tgz` would need the registry's metadata of every dependency
// in the cache to resolve their version ranges, and a machine that ran `npm ci` has only the
// tarballs (the lockfile names versions). So the folder gets a lockfile of its own: the tarball,
// and its dependencies at exactly the versions (and integrity hashes) of this checkout's lockfile,
// each with its registry address. `npm ci --offline` then installs every one of them from the
// cache, by hash, without a request.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

interface LockEntry {
  version?: string;
  resolved?: string;
  integrity?: string;
  name?: string;
  dev?: boolean;
  devOptional?: boolean;
  optional?: boolean;
  [field: string]: unknown;
}

/** The registry npm is set up with, ending in a slash. */
function registry(): string {
  const url = execFileSync('npm', ['config', 'get', 'registry'], { encoding: 'utf8' }).trim();
  return url.endsWith('/') ? url : `${url}/`;
}

/**
 * A package-lock.json for a folder whose one dependency is `tarball`: every entry of `rootLock`
 * that is not only for development, with its registry address filled in (npm may be set to
 * leave it out), plus the tarball itself.
 */
export function tarballLockfile(rootLock: { packages: Record<string, LockEntry> }, tarball: string, manifest: Record<string, unknown>): object {
  const spec = `file:./${basename(tarball)}`;
  const integrity = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`;
  const from = registry();
  const packages: Record<string, LockEntry> = {
    '': { name: 'cohortbook-install-test', dependencies: { cohortbook: spec } },
    'node_modules/cohortbook': {
      version: manifest.version as string, resolved: spec, integrity, license: manifest.license,
      dependencies: manifest.dependencies, bin: manifest.bin, engines: manifest.engines,
    },
  };
  for (const [path, entry] of Object.entries(rootLock.packages)) {
    if (!path.startsWith('node_modules/') || entry.dev) continue;
    const { devOptional, ...rest } = entry;
    const name = entry.name ?? path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
    packages[path] = {
      ...rest,
      ...(devOptional ? { optional: true } : {}),
      resolved: entry.resolved ?? `${from}${name}/-/${name.split('/').pop()}-${entry.version}.tgz`,
    };
  }
  return { name: 'cohortbook-install-test', lockfileVersion: 3, requires: true, packages };
}

/** Packs this checkout (already built: no prepack) into `folder` and returns the tarball's path. */
export function packInto(root: string, folder: string): string {
  const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', folder], { cwd: root, encoding: 'utf8' });
  return join(folder, JSON.parse(out)[0].filename);
}

/** Installs the tarball into `folder` (which holds it) from the cache only. */
export function installOffline(root: string, folder: string, tarball: string): void {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const rootLock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
  writeFileSync(join(folder, 'package.json'), JSON.stringify({
    name: 'cohortbook-install-test', private: true, type: 'module', dependencies: { cohortbook: `file:./${basename(tarball)}` },
  }, null, 2));
  writeFileSync(join(folder, 'package-lock.json'), JSON.stringify(tarballLockfile(rootLock, tarball, manifest), null, 2));
  execFileSync('npm', ['ci', '--offline', '--no-audit', '--no-fund'], { cwd: folder, stdio: ['ignore', 'ignore', 'pipe'] });
}

/**
 * The command prefix that runs a command with no network at all: a fresh network namespace
 * (Linux, as root, as CI runs). Elsewhere nothing: the commands then run on the machine's network.
 */
export function withoutNetwork(): string[] {
  return spawnSync('unshare', ['-n', 'true']).status === 0 ? ['unshare', '-n'] : [];
}
