import { Unzlib, strFromU8, strToU8, zlibSync } from 'fflate';

/** Data that travels with a shared notebook: a bundled sample by name, or a small file's bytes. */
export type SharedData = { name: string; sample: string } | { name: string; bytes: Uint8Array };

export interface SharedNotebook {
  /** The notebook file (Markdown with fenced cells). */
  text: string;
  data: SharedData[];
  /** Data the sender had loaded that did not fit in the link: the receiver must open these files. */
  missing: string[];
}

/** Data files larger than this (compressed) stay out of links; the receiver is told to load them. */
export const MAX_LINK_DATA_BYTES = 200 * 1024;

/**
 * No part of a link (the notebook, or one data file in it) may expand to more than this. What a
 * link carries compresses to 200 KB at most, about 10 MB as CSV; a link that expands further was
 * not made by cohortbook, and expanding it whole could take the tab down (a zlib bomb).
 */
export const MAX_LINK_EXPANDED_BYTES = 32 * 1024 * 1024;

class LinkTooLarge extends Error {}
class LinkShapeError extends Error {}

/** zlib-inflates at most `limit` bytes: input goes in 4 KB at a time, so no step expands past about 4 MB. */
function inflateAtMost(packed: Uint8Array, limit: number): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const inflater = new Unzlib((chunk) => {
    total += chunk.length;
    if (total > limit) throw new LinkTooLarge();
    chunks.push(chunk);
  });
  for (let i = 0; i < packed.length; i += 4096) inflater.push(packed.subarray(i, i + 4096), i + 4096 >= packed.length);
  if (packed.length === 0) inflater.push(packed, true);
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) { out.set(chunk, at); at += chunk.length; }
  return out;
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;
/** A file name with no folder in it, as a person's own file would have. */
const FILE_NAME = /^(?!\.{1,2}$)[^/\\\u0000-\u001f]{1,200}$/;

function shapeError(reason: string): never {
  throw new LinkShapeError(`this link does not hold a cohortbook notebook: ${reason}`);
}

/** Checks that a decoded payload has the shape `encodeShareLink` writes, naming the first thing that does not. */
function checkShape(parsed: unknown): { text: string; data: { name: string; sample?: string; bytes?: string }[]; missing: string[] } {
  const payload = parsed as { v?: unknown; text?: unknown; data?: unknown; missing?: unknown } | null;
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload) || (payload.v === 1 && typeof payload.text !== 'string')) shapeError('it holds no notebook text');
  if (payload.v !== 1 || typeof payload.text !== 'string') throw new LinkShapeError('this notebook link was made by a newer cohortbook');
  if (!Array.isArray(payload.data)) shapeError('its data is not a list of files');
  const data = payload.data.map((entry: unknown, i) => {
    const file = entry as { name?: unknown; sample?: unknown; bytes?: unknown } | null;
    if (typeof file !== 'object' || file === null || typeof file.name !== 'string' || !FILE_NAME.test(file.name)) shapeError(`data file ${i + 1} has no usable name`);
    const label = `data file ${i + 1} ${JSON.stringify(file.name)}`;
    if ((file.sample === undefined) === (file.bytes === undefined)) shapeError(`${label} must be either a sample or bytes`);
    if (file.sample !== undefined && typeof file.sample !== 'string') shapeError(`${label} names its sample with something that is not text`);
    if (file.bytes !== undefined && (typeof file.bytes !== 'string' || !BASE64URL.test(file.bytes))) shapeError(`${label} is damaged`);
    return file as { name: string; sample?: string; bytes?: string };
  });
  const missing = payload.missing ?? [];
  if (!Array.isArray(missing) || !missing.every((name) => typeof name === 'string')) shapeError('its list of missing files is not a list of names');
  return { text: payload.text, data, missing };
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/**
 * Packs a notebook (and its data when it is a bundled sample or small) into a URL fragment,
 * compressed with fflate. Nothing is uploaded: the whole notebook lives in the link.
 *
 * @example
 * location.hash = encodeShareLink({ text, data: [{ name: 'shop-events.csv', sample: 'samples/shop-events.csv' }], missing: [] });
 */
export function encodeShareLink(notebook: { text: string; data: { name: string; sample?: string; bytes?: Uint8Array }[] }): { fragment: string; missing: string[] } {
  const data: { name: string; sample?: string; bytes?: string }[] = [];
  const missing: string[] = [];
  for (const file of notebook.data) {
    if (file.sample) data.push({ name: file.name, sample: file.sample });
    else if (file.bytes) {
      const packed = zlibSync(file.bytes, { level: 9 });
      if (packed.length <= MAX_LINK_DATA_BYTES) data.push({ name: file.name, bytes: toBase64Url(packed) });
      else missing.push(file.name);
    }
  }
  const payload = zlibSync(strToU8(JSON.stringify({ v: 1, text: notebook.text, data, missing })), { level: 9 });
  return { fragment: `nb=${toBase64Url(payload)}`, missing };
}

/**
 * Unpacks a fragment made by `encodeShareLink`. A link is input from anyone: no part of it may
 * expand past `MAX_LINK_EXPANDED_BYTES`, and its shape is checked before anything in it is used;
 * what is wrong is said in one sentence. A sample it names is only a name here: the app loads
 * only the samples it ships (see `providedLogProblem`).
 */
export function decodeShareLink(fragment: string): SharedNotebook {
  const match = /(?:^#?|&)nb=([A-Za-z0-9_-]+)/.exec(fragment);
  if (!match) throw new Error('this link holds no notebook');
  const expand = (packed: Uint8Array) => inflateAtMost(packed, MAX_LINK_EXPANDED_BYTES);
  try {
    let parsed: unknown;
    try {
      parsed = JSON.parse(strFromU8(expand(fromBase64Url(match[1]))));
    } catch (error) {
      if (error instanceof LinkTooLarge) throw error;
      throw new Error('this notebook link is damaged or cut short (was it copied whole?)');
    }
    const payload = checkShape(parsed);
    return {
      text: payload.text,
      data: payload.data.map((d, i) => {
        if (d.sample !== undefined) return { name: d.name, sample: d.sample };
        try {
          return { name: d.name, bytes: expand(fromBase64Url(d.bytes!)) };
        } catch (error) {
          if (error instanceof LinkTooLarge) throw error;
          return shapeError(`data file ${i + 1} ${JSON.stringify(d.name)} is damaged`);
        }
      }),
      missing: payload.missing,
    };
  } catch (error) {
    if (error instanceof LinkTooLarge) {
      throw new Error(`this notebook link expands to more than ${MAX_LINK_EXPANDED_BYTES / 1024 / 1024} MB, more than any notebook cohortbook makes: it was not opened`);
    }
    throw error;
  }
}
