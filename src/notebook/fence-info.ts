/** A fence's info string, read: `retention id=cohorts chart=curves hidden`. */
export interface FenceInfo {
  /** The first word: `sql`, `js`, an analysis kind, or any other language. */
  language: string;
  /** The value of `id=`, if any. */
  id?: string;
  /** Every other attribute in order; a bare flag (`hidden`) has value `''`. */
  attributes: Record<string, string>;
}

/** An opening fence line, split into its marker and info string. */
export interface FenceOpening {
  indent: string;
  /** The run of backticks or tildes. */
  marker: string;
  info: string;
}

const OPENING = /^( {0,3})(`{3,}|~{3,})(.*)$/;
const ATTRIBUTE = /([^\s=]+)(?:=("(?:[^"\\]|\\.)*"|'[^']*'|\S*))?/g;

/**
 * Reads a line as an opening code fence (CommonMark: up to 3 spaces, 3+ backticks or tildes; a
 * backtick fence's info has no backtick), or returns null.
 *
 * @example
 * fenceOpening('```sql id=top'); // { indent: '', marker: '```', info: 'sql id=top' }
 */
export function fenceOpening(line: string): FenceOpening | null {
  const match = OPENING.exec(line);
  if (!match) return null;
  const [, indent, marker, info] = match;
  if (marker[0] === '`' && info.includes('`')) return null;
  return { indent, marker, info };
}

/**
 * Whether a line closes a fence opened with `marker`: the same character, at least as many, nothing
 * after but spaces.
 *
 * @example
 * closesFence('````', '```'); // true
 */
export function closesFence(line: string, marker: string): boolean {
  const match = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(line);
  return match !== null && match[1][0] === marker[0] && match[1].length >= marker.length;
}

/**
 * Reads a fence's info string: the language, then `key=value`, `key="quoted value"` or bare flags.
 *
 * @example
 * parseFenceInfo('retention id=cohorts chart=curves hidden');
 * // { language: 'retention', id: 'cohorts', attributes: { chart: 'curves', hidden: '' } }
 */
export function parseFenceInfo(info: string): FenceInfo {
  const text = info.trim();
  const language = /^\S*/.exec(text)![0];
  const attributes: Record<string, string> = {};
  let id: string | undefined;
  for (const match of text.slice(language.length).matchAll(ATTRIBUTE)) {
    const [, key, raw] = match;
    const value = raw === undefined ? '' : unquote(raw);
    if (key === 'id' && id === undefined) id = value;
    else attributes[key] = value;
  }
  return id === undefined ? { language, attributes } : { language, id, attributes };
}

/**
 * Writes an info string back: language, `id=`, then the attributes, quoting values with spaces.
 *
 * @example
 * formatFenceInfo({ language: 'sql', id: 'top', attributes: { hidden: '' } }); // 'sql id=top hidden'
 */
export function formatFenceInfo(info: FenceInfo): string {
  const parts = [info.language];
  if (info.id !== undefined) parts.push(`id=${quote(info.id)}`);
  for (const [key, value] of Object.entries(info.attributes)) parts.push(value === '' ? key : `${key}=${quote(value)}`);
  return parts.join(' ');
}

function unquote(raw: string): string {
  if (raw.startsWith('"')) {
    try {
      return JSON.parse(raw) as string;
    } catch {
      return raw.slice(1, -1);
    }
  }
  return raw.startsWith("'") ? raw.slice(1, -1) : raw;
}

function quote(value: string): string {
  return value === '' || /[\s"'`=]/.test(value) ? JSON.stringify(value) : value;
}
