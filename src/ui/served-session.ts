// What `cohortbook serve NOTEBOOK.md --data name=FILE` hands the page it opens: the address
// carries `?serve=TOKEN`, and the local server answers the session (notebook text and data files)
// for that token only. A page hosted anywhere else never asks.
import { parseMappingOverrides } from '../engine/index.ts';

/** A data file given with `--data name=FILE`. */
export interface ServedData {
  /** The source name the notebook reads it by; `events` is the view itself. */
  source: string;
  file: File;
}

/** The notebook and data `cohortbook serve` was started with. */
export interface ServedSession {
  notebook: { name: string; text: string } | null;
  /** In load order: the one that ends up as `events` comes last (it is loaded, so active, last). */
  data: ServedData[];
  mapping: Record<string, string>;
  timezone?: string;
  /** `--trust`: the person said the notebook's JavaScript may run. */
  trusted: boolean;
}

const PATH = 'cohortbook-serve';

/**
 * The session of the page's address, fetched from the server that opened it; null when the
 * address has no `?serve=`. Takes the token out of the address, so a reload restores the
 * autosaved notebook instead of opening the file again.
 */
export async function servedSession(onData: (name: string, size: number) => void): Promise<ServedSession | null> {
  const address = new URL(location.href);
  const token = address.searchParams.get('serve');
  if (!token) return null;
  address.searchParams.delete('serve');
  history.replaceState(null, '', address.pathname + address.search + address.hash);
  const response = await fetch(`${PATH}?token=${encodeURIComponent(token)}`, { cache: 'no-store' });
  if (!response.ok) throw new Error('this address was opened by "cohortbook serve", which has stopped or restarted since: run it again');
  const session = await response.json() as {
    notebook: ServedSession['notebook']; data: { source: string; name: string; size: number; url: string }[];
    mapping: string; timezone?: string; trusted: boolean;
  };
  const mapping = parseMappingOverrides(session.mapping) as Record<string, string>;
  const data: ServedData[] = [];
  for (const item of activeLast(session.data)) {
    onData(item.name, item.size);
    const bytes = await fetch(item.url, { cache: 'no-store' });
    if (!bytes.ok) throw new Error(`${item.name} could not be read from "cohortbook serve" (${bytes.status})`);
    data.push({ source: item.source, file: new File([await bytes.arrayBuffer()], sourceFileName(item.source, item.name)) });
  }
  return { notebook: session.notebook, data, mapping, timezone: session.timezone, trusted: session.trusted };
}

/**
 * The file given as `events` (else the first given) becomes the `events` view, as in
 * `cohortbook run`: the app activates each file it loads, so that one goes last.
 */
function activeLast<T extends { source: string }>(data: T[]): T[] {
  const active = data.findIndex((item) => item.source === 'events');
  const index = active >= 0 ? active : 0;
  return data.length ? [...data.slice(0, index), ...data.slice(index + 1), data[index]] : [];
}

/**
 * The name a given file loads under. The app names each source after its file, so a file given
 * as `orders=2024-q1.csv` loads as `orders.csv`, the table `orders` the notebook's SQL reads;
 * `events=FILE` keeps the file's own name (its source is the `events` view).
 */
function sourceFileName(source: string, name: string): string {
  if (source === 'events') return name;
  const extension = /(\.[a-z0-9]+(\.gz)?)$/i.exec(name)?.[1] ?? '';
  return `${source}${extension}`;
}
