import { createStore, del, entries, get, set, type UseStore } from 'idb-keyval';

/** A notebook as autosaved in the browser: its file text plus what the workspace needs to reopen it. */
export interface StoredNotebook {
  id: string;
  title: string;
  /** The notebook file (Markdown with fenced cells), exactly as it would be downloaded. */
  text: string;
  updatedAt: number;
  /** Data files the notebook had loaded, by name, with the mapping overrides used. */
  sources: { name: string; mapping: Record<string, string>; timezone?: string }[];
  /** Whether its JavaScript may run (false for notebooks that came from a link or a file). */
  trusted: boolean;
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

/**
 * Keeps a loaded data file so a reopened notebook finds its data after a reload or a crash. It is
 * stored as a Blob: IndexedDB writes a Blob's bytes away from the page, while a Uint8Array is
 * serialised on the main thread (about 5 ms per MB, which froze the page after a large load).
 */
export function saveDataFile(name: string, bytes: Uint8Array | Blob): Promise<void> {
  return set(name, bytes instanceof Blob ? bytes : new Blob([bytes as Uint8Array<ArrayBuffer>]), db().files);
}

/** A kept data file's bytes (files kept before they were stored as Blobs come back as they were). */
export async function loadDataFile(name: string): Promise<Uint8Array | undefined> {
  const stored = await get<Uint8Array | Blob>(name, db().files);
  return stored instanceof Blob ? new Uint8Array(await stored.arrayBuffer()) : stored;
}
