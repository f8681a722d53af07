import { LoadError } from './load-error.ts';

/**
 * The text encodings a CSV, TSV or JSON file may be written in. Excel on Windows writes CSV in
 * the system's code page (Windows-1251 for Cyrillic, Windows-1252 for Western European
 * languages) or, with "Unicode text", UTF-16 with a byte order mark.
 */
export const TEXT_ENCODINGS = ['utf-8', 'utf-16le', 'utf-16be', 'windows-1251', 'windows-1252'] as const;
export type TextEncoding = typeof TEXT_ENCODINGS[number];

/** How each encoding is named to a person. */
export const ENCODING_NAMES: Record<TextEncoding, string> = {
  'utf-8': 'UTF-8', 'utf-16le': 'UTF-16 (little-endian)', 'utf-16be': 'UTF-16 (big-endian)',
  'windows-1251': 'Windows-1251 (Cyrillic)', 'windows-1252': 'Windows-1252 (Western European)',
};

/** Whether a text names an encoding cohortbook reads (`latin1` and `cp1251` are accepted too). */
export function parseEncoding(text: string): TextEncoding | undefined {
  const name = text.trim().toLowerCase().replace(/_/g, '-');
  const aliases: Record<string, TextEncoding> = {
    utf8: 'utf-8', 'utf-16': 'utf-16le', utf16: 'utf-16le', utf16le: 'utf-16le', utf16be: 'utf-16be',
    cp1251: 'windows-1251', 'win-1251': 'windows-1251', win1251: 'windows-1251',
    cp1252: 'windows-1252', 'win-1252': 'windows-1252', win1252: 'windows-1252', latin1: 'windows-1252', 'iso-8859-1': 'windows-1252',
  };
  return (TEXT_ENCODINGS as readonly string[]).includes(name) ? name as TextEncoding : aliases[name];
}

// how much of a file the detection reads: enough for many lines, little next to a large file
const SAMPLE = 1 << 20;

/**
 * The encoding of a text file's bytes: a byte order mark decides; without one, UTF-16 shows as
 * NUL bytes in every other position, and bytes that are valid UTF-8 are UTF-8. What is left is a
 * single-byte code page: Cyrillic words are runs of bytes from 0xC0 up (А–я in Windows-1251),
 * while Western European text has an accented letter here and there between ASCII ones
 * (Müller, café), so the share of high bytes that stand next to another high byte tells them apart.
 *
 * @example
 * detectEncoding(new Uint8Array([0xcf, 0xf0, 0xe8, 0xe2, 0xe5, 0xf2])); // 'windows-1251' ("Привет")
 */
export function detectEncoding(bytes: Uint8Array): TextEncoding {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  const head = bytes.subarray(0, SAMPLE);
  let evenNul = 0;
  let oddNul = 0;
  const pairs = Math.min(head.length >> 1, 4096);
  for (let i = 0; i < pairs; i++) {
    if (head[2 * i] === 0) evenNul++;
    if (head[2 * i + 1] === 0) oddNul++;
  }
  // ASCII text in UTF-16 has a NUL in every other byte; a binary file has NULs everywhere
  if (pairs > 0 && oddNul > pairs * 0.3 && evenNul < pairs * 0.05) return 'utf-16le';
  if (pairs > 0 && evenNul > pairs * 0.3 && oddNul < pairs * 0.05) return 'utf-16be';
  if (isUtf8(head, head.length < bytes.length)) return 'utf-8';
  let high = 0;
  let paired = 0;
  for (let i = 0; i < head.length; i++) {
    if (head[i] < 0x80) continue;
    high++;
    if ((i > 0 && head[i - 1] >= 0x80) || (i + 1 < head.length && head[i + 1] >= 0x80)) paired++;
  }
  return high > 0 && paired / high >= 0.5 ? 'windows-1251' : 'windows-1252';
}

function isUtf8(bytes: Uint8Array, cut: boolean): boolean {
  try {
    // a sample cut in the middle of a character is still UTF-8: `stream` leaves the tail open
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: cut });
    return true;
  } catch {
    return false;
  }
}

/**
 * A text file's bytes as UTF-8 without a byte order mark (what DuckDB's readers take), decoded
 * with the platform's `TextDecoder`; UTF-8 input is returned as it is (without copying) when it
 * has no mark. A file that is not valid in the encoding it was read as gets a message naming the
 * encoding, so a person can choose another.
 */
export function toUtf8(file: string, bytes: Uint8Array, encoding: TextEncoding): Uint8Array {
  if (encoding === 'utf-8') {
    const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
    if (!isUtf8(body.subarray(0, SAMPLE), body.length > SAMPLE)) {
      throw new LoadError(file, 'is not UTF-8 text: choose the encoding it was saved in (Windows-1251, Windows-1252, UTF-16)');
    }
    return body;
  }
  let text: string;
  try {
    // the single-byte code pages map every byte; UTF-16 can be malformed (an odd length, a lone surrogate)
    text = new TextDecoder(encoding, { fatal: encoding.startsWith('utf-16') }).decode(bytes);
  } catch {
    throw new LoadError(file, `is not ${ENCODING_NAMES[encoding]} text: choose the encoding it was saved in`);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return new TextEncoder().encode(text);
}
