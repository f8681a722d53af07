import { createStore, del, entries, get, set, type UseStore } from 'idb-keyval';

/** A notebook as autosaved in the browser: its file text plus what the workspace needs to reopen it. */
export interface StoredNotebook {
  id: string;
  title: string;
  /** The notebook file (Markdown with fenced cells), exactly as it would be downloaded. */
  text: string;
  updatedAt: number;
  /** The data files this notebook had loaded: their names, their stored bytes' keys, the mappings used. */
  sources: StoredSource[];
  /** Whether its JavaScript may run (false for notebooks that came from a link or a file). */
  trusted: boolean;
  /** The shipped notebook it was opened from (`getting-started.md`): its exercises' progress is kept under that file. */
  shipped?: string;
}

/** One data file a stored notebook uses. */
export interface StoredSource {
  /** The file's own name (it loads under this name). */
  name: string;
  /**
   * The key of its bytes in the file store: their SHA-256 (`sha256:…`). Stored files are keyed by
   * content, so a file that arrives in a link under the same name as one of the person's own
   * never replaces it. Absent in notebooks saved before files were keyed by content (their
   * files were stored under the bare name).
   */
  key?: string;
  mapping: Record<string, string>;
  timezone?: string;
  /** The encoding its text was read in, when the person chose one. */
  encoding?: string;
  /** When several files are one log: every one of them (the first is `name`/`key`), in order. */
  parts?: { name: string; key?: string }[];
}

export type NotebookListing = Pick<StoredNotebook, 'id' | 'title' | 'updatedAt'>;

let stores: { notebooks: UseStore; files: UseStore } | null = null;

function db() {
  stores ??= {
    notebooks: createStore('cohortbook-notebooks', 'notebooks'),
    files: createStore('cohortbook-files', 'files'),
  };
  return stores;
}

/** Saves (or replaces) a notebook. */
export function saveNotebook(notebook: StoredNotebook): Promise<void> {
  return set(notebook.id, notebook, db().notebooks);
}

export function loadNotebook(id: string): Promise<StoredNotebook | undefined> {
  return get(id, db().notebooks);
}

export function deleteNotebook(id: string): Promise<void> {
  return del(id, db().notebooks);
}

/** Every saved notebook, most recently changed first. */
export async function listNotebooks(): Promise<NotebookListing[]> {
  const all = await entries<string, StoredNotebook>(db().notebooks);
  return all.map(([, n]) => ({ id: n.id, title: n.title, updatedAt: n.updatedAt })).sort((a, b) => b.updatedAt - a.updatedAt);
}

let hasher: Worker | null = null;
const waiting = new Map<number, (key: string | undefined) => void>();
let nextId = 0;

/**
 * The key a data file is stored under: the SHA-256 of its bytes (`sha256:…`), so the same bytes
 * are kept once and no other bytes can take their place. Computed in a worker from the Blob (which
 * it reads without a copy on the page): on the page, hashing a large file would freeze it.
 * Undefined where there is no Web Crypto (a page not served from localhost or https): the file is
 * then not kept.
 *
 * @example
 * await dataFileKey(new Blob(['abc'])); // 'sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
 */
export function dataFileKey(blob: Blob): Promise<string | undefined> {
  if (!globalThis.crypto?.subtle || typeof Worker === 'undefined') return Promise.resolve(undefined);
  if (!hasher) {
    hasher = new Worker(new URL('./content-key-worker.ts', import.meta.url), { type: 'module' });
    hasher.onmessage = (event: MessageEvent<{ id: number; key: string | null }>) => {
      waiting.get(event.data.id)?.(event.data.key ?? undefined);
      waiting.delete(event.data.id);
    };
  }
  const id = nextId++;
  return new Promise((resolve) => {
    waiting.set(id, resolve);
    hasher!.postMessage({ id, blob });
  });
}

/**
 * Keeps a loaded data file so a reopened notebook finds its data after a reload or a crash, under
 * the key of its content (`dataFileKey`); returns that key. It is stored as a Blob: IndexedDB
 * writes a Blob's bytes away from the page, while a Uint8Array is serialised on the main thread
 * (about 5 ms per MB, which froze the page after a large load).
 */
export async function saveDataFile(bytes: Uint8Array): Promise<string | undefined> {
  const blob = new Blob([bytes as Uint8Array<ArrayBuffer>]);
  const key = await dataFileKey(blob);
  if (key === undefined) return undefined;
  if ((await get(key, db().files)) === undefined) await set(key, blob, db().files);
  return key;
}

/**
 * A kept data file's bytes, by its content key (or, for notebooks saved before files were keyed
 * by content, by its bare name). Bytes whose hash no longer matches their key are not returned.
 */
export async function loadDataFile(source: Pick<StoredSource, 'name' | 'key'>): Promise<Uint8Array | undefined> {
  const stored = await get<Uint8Array | Blob>(source.key ?? source.name, db().files);
  if (stored === undefined) return undefined;
  const blob = stored instanceof Blob ? stored : new Blob([stored as Uint8Array<ArrayBuffer>]);
  if (source.key && (await dataFileKey(blob)) !== source.key) return undefined;
  return new Uint8Array(await blob.arrayBuffer());
}
