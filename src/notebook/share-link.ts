import { strFromU8, strToU8, unzlibSync, zlibSync } from 'fflate';

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

/** Unpacks a fragment made by `encodeShareLink`; throws a readable error for a damaged link. */
export function decodeShareLink(fragment: string): SharedNotebook {
  const match = /(?:^#?|&)nb=([A-Za-z0-9_-]+)/.exec(fragment);
  if (!match) throw new Error('this link holds no notebook');
  let parsed: { v: number; text: string; data: { name: string; sample?: string; bytes?: string }[]; missing?: string[] };
  try {
    parsed = JSON.parse(strFromU8(unzlibSync(fromBase64Url(match[1]))));
  } catch {
    throw new Error('this notebook link is damaged or cut short (was it copied whole?)');
  }
  if (parsed.v !== 1 || typeof parsed.text !== 'string') throw new Error('this notebook link was made by a newer cohortbook');
  return {
    text: parsed.text,
    data: parsed.data.map((d) => (d.sample ? { name: d.name, sample: d.sample } : { name: d.name, bytes: unzlibSync(fromBase64Url(d.bytes ?? '')) })),
    missing: parsed.missing ?? [],
  };
}
