import { parseMappingOverrides, type MappingOverrides } from '../engine/index.ts';

/** An event log a notebook names in its front matter. */
export interface NotebookDataRef {
  /** `samples/shop-events.csv` (served by the app, under public/) or `generated:growth-lies`. */
  file: string;
  mapping: MappingOverrides;
  /** The zone of the file's wall-clock times (`timezone: Europe/London`). */
  timezone?: string;
}

/** One `key: value` from the front matter's top level, unquoted. */
export function frontMatterValue(frontMatter: string | undefined, key: string): string | undefined {
  const match = new RegExp(`^${key}:[ \\t]*(.+?)[ \\t]*$`, 'm').exec(frontMatter ?? '');
  return match ? match[1].replace(/^(['"])(.*)\1$/, '$2') : undefined;
}

/**
 * The data a notebook says it reads, from front matter such as
 * `data: samples/online-retail.csv.gz` with `mapping: event=:purchase`, or a list of
 * `- file: ...` items each with its own `mapping:`.
 *
 * @example
 * notebookData('data: generated:growth-lies\n') // [{ file: 'generated:growth-lies', mapping: {} }]
 */
export function notebookData(frontMatter: string | undefined): NotebookDataRef[] {
  if (!frontMatter) return [];
  const single = frontMatterValue(frontMatter, 'data');
  if (single) {
    return [{ file: single, mapping: parseMappingOverrides(frontMatterValue(frontMatter, 'mapping') ?? ''), timezone: frontMatterValue(frontMatter, 'timezone') }];
  }
  const lines = frontMatter.split(/\r?\n/);
  const start = lines.findIndex((line) => /^data:\s*$/.test(line));
  if (start < 0) return [];
  const refs: NotebookDataRef[] = [];
  for (const line of lines.slice(start + 1)) {
    if (!/^\s/.test(line)) break;
    const item = /^\s*-\s*(?:file:\s*)?(.+?)\s*$/.exec(line);
    const mapping = /^\s+mapping:\s*(.+?)\s*$/.exec(line);
    const zone = /^\s+timezone:\s*(.+?)\s*$/.exec(line);
    if (item) refs.push({ file: item[1].replace(/^(['"])(.*)\1$/, '$2'), mapping: {} });
    else if (mapping && refs.length) refs[refs.length - 1].mapping = parseMappingOverrides(mapping[1]);
    else if (zone && refs.length) refs[refs.length - 1].timezone = zone[1];
  }
  return refs;
}
