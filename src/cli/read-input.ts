import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { LoadError, type EventFile } from '../engine/index.ts';

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
