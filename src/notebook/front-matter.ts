import { parseDocument, isMap, isScalar, isSeq } from 'yaml';
import { parseMappingOverrides, type MappingOverrides } from '../engine/index.ts';

/*
 * Front matter is read with the `yaml` package and never written back from what it parsed: the
 * notebook keeps the front matter's text as it was (format.ts), so parsing then writing a notebook
 * stays byte for byte whatever YAML the person wrote (comments, quoting, key order).
 */

/** An event log a notebook names in its front matter. */
export interface NotebookDataRef {
  /** `samples/shop-events.csv` (served by the app, under public/) or `generated:growth-lies`. */
  file: string;
  mapping: MappingOverrides;
  /** The zone of the file's wall-clock times (`timezone: Europe/London`). */
  timezone?: string;
  /** The encoding of the file's text, when the person chose one in the import step. */
  encoding?: string;
  /** Several files read as one log (`files: [a.csv, b.csv]`); `file` is the first. */
  files?: string[];
}

/**
 * The front matter's top level as plain values. Text that is not YAML throws an error naming the
 * line (counted inside the front matter, where line 1 is the one after the opening `---`).
 *
 * @example
 * frontMatterFields('title: Churn\ndata: generated:subscriptions\n') // { title: 'Churn', data: 'generated:subscriptions' }
 */
export function frontMatterFields(frontMatter: string | undefined): Record<string, unknown> {
  if (!frontMatter || frontMatter.trim() === '') return {};
  const document = parseDocument(frontMatter);
  const error = document.errors[0];
  if (error) {
    const line = error.linePos?.[0].line;
    const problem = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    throw new Error(`front matter${line ? `, line ${line}` : ''}: ${problem}`);
  }
  const value: unknown = document.toJS();
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new Error('front matter: expected "key: value" lines');
  return value as Record<string, unknown>;
}

/** A scalar as text (YAML reads `2024` as a number, `yes` stays text); lists and maps are not text. */
function text(value: unknown): string | undefined {
  if (value === null || value === undefined || typeof value === 'object') return undefined;
  return String(value);
}

/**
 * One `key: value` from the front matter's top level, as text; undefined when it is absent, not a
 * single value, or the front matter is not YAML.
 *
 * @example
 * frontMatterValue('title: "Weekly cohorts"\n', 'title') // 'Weekly cohorts'
 */
export function frontMatterValue(frontMatter: string | undefined, key: string): string | undefined {
  try {
    return text(frontMatterFields(frontMatter)[key]);
  } catch {
    return undefined;
  }
}

/** `mapping:` as `--map` text (`event=:purchase`) or as a YAML map (`{event: ":purchase"}`). */
function mappingOf(value: unknown, where: string): MappingOverrides {
  if (value === undefined || value === null) return {};
  const textValue = text(value);
  const overrides = textValue !== undefined
    ? textValue
    : typeof value === 'object' && !Array.isArray(value)
      ? Object.entries(value as Record<string, unknown>).map(([k, v]) => `${k}=${text(v) ?? ''}`).join(',')
      : null;
  if (overrides === null) throw new Error(`front matter: ${where}mapping must be text like "event=:purchase"`);
  try {
    return parseMappingOverrides(overrides);
  } catch (error) {
    throw new Error(`front matter: ${where}${(error as Error).message}`);
  }
}

function refOf(item: unknown, index: number): NotebookDataRef {
  const where = `data[${index}]: `;
  const file = text(item);
  if (file !== undefined) return { file, mapping: {} };
  const fields = (item ?? {}) as Record<string, unknown>;
  const named = typeof item === 'object' && !Array.isArray(item) ? text(fields.file) : undefined;
  if (named === undefined) throw new Error(`front matter: ${where}each item is a file name or {file, mapping, timezone}`);
  const ref: NotebookDataRef = { file: named, mapping: mappingOf(fields.mapping, where) };
  const timezone = text(fields.timezone);
  if (timezone !== undefined) ref.timezone = timezone;
  const encoding = text(fields.encoding);
  if (encoding !== undefined) ref.encoding = encoding;
  return ref;
}

function filesRef(item: Record<string, unknown>, index: number): NotebookDataRef | null {
  if (!Array.isArray(item.files)) return null;
  const names = item.files.map(text);
  if (names.length === 0 || names.some((n) => n === undefined)) throw new Error(`front matter: data[${index}]: files must be a list of file names`);
  return { ...refOf({ ...item, file: names[0] }, index), files: names as string[] };
}

/**
 * The data a notebook says it reads, from front matter such as
 * `data: samples/online-retail.csv.gz` with `mapping: event=:purchase` and `timezone:`, or a list
 * under `data:` whose items are file names or `{file, mapping, timezone}`. A front matter that is
 * not YAML, or a `data:` of another shape, throws an error that says where.
 *
 * @example
 * notebookData('data: generated:growth-lies\n') // [{ file: 'generated:growth-lies', mapping: {} }]
 * notebookData('data:\n  - file: samples/a.csv\n    mapping: event=:purchase\n') // [{ file: 'samples/a.csv', mapping: { event: ':purchase' } }]
 */
export function notebookData(frontMatter: string | undefined): NotebookDataRef[] {
  const fields = frontMatterFields(frontMatter);
  const data = fields.data;
  if (data === undefined || data === null) return [];
  if (Array.isArray(data)) {
    return data.map((item, i) => (item && typeof item === 'object' && !Array.isArray(item) && filesRef(item as Record<string, unknown>, i)) || refOf(item, i));
  }
  const file = text(data);
  if (file === undefined) throw new Error('front matter: data must be a file name, or a list of them');
  const ref: NotebookDataRef = { file, mapping: mappingOf(fields.mapping, ''), timezone: text(fields.timezone) };
  return [ref];
}

/**
 * Whether a data item names a file of the person's own (a bare file name such as `orders.csv`):
 * such a file is never fetched; it is the file the person opens, and the item keeps the choices
 * the import step made for it, so opening that file again does not ask again.
 */
export function isOwnFile(file: string): boolean {
  return file !== '' && !/[/\\:]/.test(file);
}

/**
 * The choices saved for a file of the person's own, by its name (any of a several-file item's
 * names), or undefined. A front matter that is not YAML has none.
 */
export function savedImport(frontMatter: string | undefined, fileName: string): NotebookDataRef | undefined {
  let refs: NotebookDataRef[];
  try {
    refs = notebookData(frontMatter);
  } catch {
    return undefined;
  }
  return refs.find((ref) => isOwnFile(ref.file) && (ref.files ?? [ref.file]).includes(fileName));
}

/**
 * The front matter with the import step's choices for a file of the person's own kept under
 * `data:` (the item for that file replaced, or added): its mapping in full, its zone and
 * encoding when chosen. An earlier `data: NAME` with a top-level `mapping:` becomes a list of
 * items, with the same meaning. Text that is not YAML is left alone (returned as it was).
 *
 * @example
 * rememberImport(undefined, { file: 'orders.csv', mapping: { user_id: 'CustomerID', event: ':purchase', ts: 'InvoiceDate', revenue: '' } })
 * // 'data:\n  - file: orders.csv\n    mapping:\n      user_id: CustomerID\n      event: ":purchase"\n ...'
 */
export function rememberImport(frontMatter: string | undefined, ref: NotebookDataRef): string | undefined {
  const document = parseDocument(frontMatter ?? '');
  if (document.errors.length) return frontMatter;
  if (!isMap(document.contents)) {
    if (document.contents !== null && !(isScalar(document.contents) && (document.contents.value === null || document.contents.value === ''))) return frontMatter;
    document.contents = document.createNode({}) as never;
  }
  const item: Record<string, unknown> = ref.files && ref.files.length > 1 ? { files: ref.files } : { file: ref.file };
  item.mapping = { ...ref.mapping };
  if (ref.timezone) item.timezone = ref.timezone;
  if (ref.encoding) item.encoding = ref.encoding;
  const names = new Set(ref.files ?? [ref.file]);
  const data = document.get('data', true);
  const items: unknown[] = [];
  if (isSeq(data)) {
    for (const node of data.items) items.push(node);
  } else if (data !== undefined && data !== null) {
    // `data: NAME` with top-level mapping/timezone: the same as one item holding them
    const single: Record<string, unknown> = { file: (data as { toJSON(): unknown }).toJSON() };
    for (const key of ['mapping', 'timezone']) {
      if (document.has(key)) { single[key] = document.get(key); document.delete(key); }
    }
    items.push(document.createNode(single));
  }
  const kept = items.filter((node) => {
    const value = (node as { toJSON?(): unknown }).toJSON?.() ?? node;
    const named = typeof value === 'string' ? [value] : value && typeof value === 'object'
      ? [(value as { file?: unknown }).file, ...((value as { files?: unknown[] }).files ?? [])] : [];
    return !named.some((n) => typeof n === 'string' && names.has(n));
  });
  document.set('data', document.createNode([...kept, item]));
  return document.toString();
}
