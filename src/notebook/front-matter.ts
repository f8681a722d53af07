import { parseDocument } from 'yaml';
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
  return ref;
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
  if (Array.isArray(data)) return data.map(refOf);
  const file = text(data);
  if (file === undefined) throw new Error('front matter: data must be a file name, or a list of them');
  const ref: NotebookDataRef = { file, mapping: mappingOf(fields.mapping, ''), timezone: text(fields.timezone) };
  return [ref];
}
