import type { Engine } from '../engine.ts';

/**
 * The names of loaded sources. A loaded file becomes a table named after the whole file name
 * (`events.csv` → `events_csv`), and the loader keeps tables of its own beside it whose names
 * always hold `__` (`events_csv__catalog`, staging tables), while a source's name never does. So
 * every file name loads: none can become `events` (the view every analysis reads), a loader
 * table, or a table already there (a notebook cell's result), which would otherwise be replaced.
 */

/** The view of the active source's per-event counts and time range. */
export const EVENTS_CATALOG = 'events__catalog';

/** Names that always belong to cohortbook: the `events` view and its catalog. */
const RESERVED = new Set(['events', EVENTS_CATALOG]);

/**
 * A readable table name for a file: the whole name (extensions too) in lower case, every run of
 * other characters as one `_`, never `__`, never a leading digit, never a reserved name.
 *
 * @example
 * sourceSlug('Events.csv.gz'); // 'events_csv_gz'
 * sourceSlug('2024 "log".csv'); // 't_2024_log_csv'
 * sourceSlug('events'); // 'events_file'
 */
export function sourceSlug(fileName: string): string {
  let base = fileName.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '') || 'data';
  if (/^[0-9]/.test(base)) base = `t_${base}`;
  return RESERVED.has(base) ? `${base}_file` : base;
}

/**
 * Why `name` cannot name a loaded source, or null: it is reserved, or has `__`, which the
 * loader's own tables use.
 *
 * @example
 * sourceNameProblem('events__catalog'); // 'the name "events__catalog" is cohortbook's own ...'
 */
export function sourceNameProblem(name: string): string | null {
  if (name === '') return 'a loaded file needs a table name';
  if (RESERVED.has(name.toLowerCase()) || name.includes('__')) {
    return `the name "${name}" is cohortbook's own (the events view and the tables kept beside each loaded file); give the data another name`;
  }
  return null;
}

/** Whether a table or view of this name exists (DuckDB matches names without regard to case). */
async function exists(engine: Engine, name: string): Promise<boolean> {
  const found = await engine.query(
    `SELECT 1 FROM duckdb_tables() WHERE lower(table_name) = lower(?) UNION ALL SELECT 1 FROM duckdb_views() WHERE lower(view_name) = lower(?) LIMIT 1`,
    [name, name]);
  return found.numRows > 0;
}

/**
 * A table name for a newly loaded file: its slug, or with `_2`, `_3`, ... when a table or view of
 * that name is already there (a cell's result) or `taken` says the name is used. A source loaded
 * before under the slug is replaced, as loading a file again should.
 *
 * @example
 * await freeSourceName(engine, 'events.csv'); // 'events_csv' (or 'events_csv_2' when a cell made that)
 */
export async function freeSourceName(engine: Engine, fileName: string, taken: (name: string) => boolean = () => false): Promise<string> {
  const slug = sourceSlug(fileName);
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? slug : `${slug}_${n}`;
    if (taken(candidate)) continue;
    if (!(await exists(engine, candidate)) || await exists(engine, `${candidate}__catalog`)) return candidate;
  }
}

/**
 * Why a notebook cell may not make a table of this name, or null: the name is the `events` view,
 * a loader table, or a loaded file's table (a cell would replace its events).
 *
 * @example
 * await cellTableProblem(engine, 'events'); // '"events" is the loaded event log ...'
 */
export async function cellTableProblem(engine: Engine, name: string): Promise<string | null> {
  const lower = name.toLowerCase();
  if (RESERVED.has(lower)) return `"${name}" is the loaded event log's own name; give the cell another name`;
  if (name.includes('__')) return `"${name}" has "__", which cohortbook keeps for the tables beside each loaded file; give the cell another name`;
  if (await exists(engine, `${name}__catalog`)) return `"${name}" is the table of a loaded file; give the cell another name, or the file's events would be replaced`;
  return null;
}
