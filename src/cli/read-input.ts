import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';
import { LoadError, type EventFile } from '../engine/index.ts';

// the names a folder's event files have (others, such as a README, are not read)
const EVENT_FILE = /\.(csv|tsv|tab|txt|json|ndjson|jsonl|parquet|pq|arrow|feather|ipc|arrows|xlsx|xlsm)(\.gz)?$/i;

/**
 * The files `--events` names: a file, every event file of a directory, or the files a glob
 * matches (`'exports/*.csv.gz'`, quoted so the shell leaves it alone), each in name order. Several
 * `--events` add up. A directory or glob that holds no event file is an error naming it.
 */
export async function eventFilePaths(patterns: string[]): Promise<string[]> {
  const paths: string[] = [];
  for (const pattern of patterns) {
    if (isDynamicPattern(pattern)) {
      const found = (await glob([pattern], { onlyFiles: true, expandDirectories: false })).sort();
      if (found.length === 0) throw new LoadError(pattern, 'matches no file');
      paths.push(...found);
      continue;
    }
    const info = await stat(pattern).catch(() => null);
    if (info?.isDirectory()) {
      const found = (await readdir(pattern)).filter((name) => !name.startsWith('.') && EVENT_FILE.test(name)).sort().map((name) => join(pattern, name));
      if (found.length === 0) throw new LoadError(pattern, 'is a directory without event files (CSV, TSV, JSON, NDJSON, Parquet, Arrow or Excel, optionally .gz)');
      paths.push(...found);
      continue;
    }
    paths.push(pattern);
  }
  return paths;
}

/** Reads a file named on the command line; a missing or unreadable file is a `LoadError` naming it. */
export async function readEventFile(path: string): Promise<EventFile> {
  try {
    return { name: basename(path), bytes: new Uint8Array(await readFile(path)) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const problem = code === 'ENOENT' ? 'not found' : code === 'EISDIR' ? 'is a directory' : `cannot be read (${code ?? (error as Error).message})`;
    throw new LoadError(path, problem, { cause: error });
  }
}

/** Reads a spec: inline JSON (`{"kind": ...}`) or the path of a JSON file. */
export async function readSpec(text: string): Promise<{ kind?: unknown }> {
  const inline = text.trimStart().startsWith('{');
  let source = text;
  if (!inline) {
    try {
      source = await readFile(text, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new Error(`spec "${text}": ${code === 'ENOENT' ? 'not found' : `cannot be read (${code})`}`);
    }
  }
  try {
    return JSON.parse(source);
  } catch (error) {
    throw new Error(`spec ${inline ? '(inline)' : `"${text}"`}: not valid JSON (${(error as Error).message})`);
  }
}
