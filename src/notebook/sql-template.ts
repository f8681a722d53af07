import type { SqlValue } from '../engine/index.ts';

/** One `${name}` (or `${range.from}`, `${list[0]}`) in a SQL cell. */
export interface TemplateReference {
  name: string;
  /** Properties and indexes after the name. */
  path: (string | number)[];
  /** The span it replaces in the source, quotes around it included (`'${platform}'` is `${platform}`). */
  start: number;
  end: number;
}

/** A SQL cell's text read for `${...}` values: where they are, and the text with each as a `?`. */
export interface SqlTemplate {
  source: string;
  references: TemplateReference[];
  /** The source with each reference as `?`: what DuckDB's parser reads for the cell's tables. */
  text: string;
}

const REFERENCE = /('?)\$\{\s*([A-Za-z_$][\w$]*)((?:\s*\.\s*[A-Za-z_$][\w$]*|\s*\[\s*\d+\s*\])*)\s*\}('?)/g;

/**
 * Finds the `${name}` values in a SQL cell. A value is bound as a parameter, never pasted into
 * the SQL, so quotes around it are not needed (`'${platform}'` reads as `${platform}`).
 *
 * @example
 * sqlTemplate("SELECT * FROM events WHERE platform = ${platform}").text; // 'SELECT * FROM events WHERE platform = ?'
 */
export function sqlTemplate(source: string): SqlTemplate {
  const references: TemplateReference[] = [];
  let text = '';
  let last = 0;
  for (const match of source.matchAll(REFERENCE)) {
    const [whole, open, name, rest, close] = match;
    const quoted = open === "'" && close === "'";
    const start = match.index + (open && !quoted ? 1 : 0);
    const end = match.index + whole.length - (close && !quoted ? 1 : 0);
    const path = [...rest.matchAll(/\.\s*([A-Za-z_$][\w$]*)|\[\s*(\d+)\s*\]/g)].map((m) => (m[1] !== undefined ? m[1] : Number(m[2])));
    references.push({ name, path, start, end });
    text += `${source.slice(last, start)}?`;
    last = end;
  }
  return { source, references, text: text + source.slice(last) };
}

/** A value that cannot be bound into SQL, with what to write instead. */
export class TemplateValueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateValueError';
  }
}

/**
 * The SQL to run and its parameters: each `${...}` becomes `?` bound to its value; a list (a
 * multi-select) becomes `(?, ?, ...)` for `IN ${list}` (an empty one `(NULL)`, which matches
 * nothing); a date becomes `CAST(? AS DATE)` (a time of day: `TIMESTAMP`).
 *
 * @example
 * bindTemplate(sqlTemplate('SELECT * FROM events WHERE platform IN ${platforms}'), () => ['ios', 'web']);
 * // { sql: 'SELECT * FROM events WHERE platform IN (?, ?)', params: ['ios', 'web'] }
 */
export function bindTemplate(template: SqlTemplate, value: (name: string) => unknown): { sql: string; params: SqlValue[] } {
  const params: SqlValue[] = [];
  let sql = '';
  let last = 0;
  for (const reference of template.references) {
    let current = value(reference.name);
    for (const step of reference.path) current = current === null || current === undefined ? undefined : (current as Record<string | number, unknown>)[step];
    const written = template.source.slice(reference.start, reference.end).replace(/^'|'$/g, '');
    sql += template.source.slice(last, reference.start) + placeholder(current, params, written);
    last = reference.end;
  }
  return { sql: sql + template.source.slice(last), params };
}

function placeholder(value: unknown, params: SqlValue[], written: string): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return '(NULL)';
    return `(${value.map((item) => placeholder(item, params, written)).join(', ')})`;
  }
  if (value instanceof Date) {
    const iso = value.toISOString();
    const midnight = iso.endsWith('T00:00:00.000Z');
    params.push(midnight ? iso.slice(0, 10) : iso.replace('T', ' ').replace('Z', ''));
    return midnight ? 'CAST(? AS DATE)' : 'CAST(? AS TIMESTAMP)';
  }
  if (value === undefined || value === null) { params.push(null); return '?'; }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') { params.push(value); return '?'; }
  if (typeof value === 'bigint') { params.push(Number(value)); return '?'; }
  const keys = value && typeof value === 'object' ? Object.keys(value) : [];
  throw new TemplateValueError(`${written} is ${keys.length ? `an object (${keys.join(', ')})` : 'not a value SQL can take'}: write ${written.replace(/\}$/, `.${keys[0] ?? 'field'}}`)}`);
}

/**
 * The `"${name}"` values of an analysis spec: a field whose whole text is one is replaced by the
 * value (a date as `YYYY-MM-DD`), so a form field can follow an input.
 *
 * @example
 * resolveSpecValues({ start_event: '${first}' }, () => 'signup'); // { start_event: 'signup' }
 */
export function resolveSpecValues(spec: unknown, value: (name: string) => unknown): unknown {
  if (typeof spec === 'string') {
    const match = /^\$\{\s*([A-Za-z_$][\w$]*)((?:\.[A-Za-z_$][\w$]*|\[\d+\])*)\s*\}$/.exec(spec);
    if (!match) return spec;
    let current = value(match[1]);
    for (const m of match[2].matchAll(/\.([A-Za-z_$][\w$]*)|\[(\d+)\]/g)) current = current == null ? undefined : (current as Record<string, unknown>)[m[1] ?? m[2]];
    return specValue(current);
  }
  if (Array.isArray(spec)) return spec.map((item) => resolveSpecValues(item, value));
  if (spec && typeof spec === 'object') return Object.fromEntries(Object.entries(spec).map(([k, v]) => [k, resolveSpecValues(v, value)]));
  return spec;
}

function specValue(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (Array.isArray(value)) return value.map(specValue);
  return value;
}

/**
 * The names a spec's `"${name}"` fields read.
 *
 * @example
 * specReferences('{"start_event": "${first}"}'); // ['first']
 */
export function specReferences(source: string): string[] {
  return [...new Set([...source.matchAll(/"\$\{\s*([A-Za-z_$][\w$]*)[^"}]*\}"/g)].map((m) => m[1]))];
}
