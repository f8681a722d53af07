import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A scratch folder for engines that need real files; removed when the process exits. */
export function scratchDirectory(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * Writes a registered file's bytes into an engine's scratch folder under a name no cell chose (the
 * count of files so far and the name's safe characters), and records where it went.
 */
export function writeScratchFile(dir: string, files: Map<string, string>, name: string, bytes: Uint8Array): string {
  const path = join(dir, `${files.size}-${name.replace(/[^A-Za-z0-9._-]/g, '_')}`);
  writeFileSync(path, bytes);
  files.set(name, path);
  return path;
}
