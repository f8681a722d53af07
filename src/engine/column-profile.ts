import type { Engine, QueryOptions } from './engine.ts';
import { quoteIdent } from './sql.ts';

/** How a column's values are summarised: a histogram for numbers and times, top values for the rest. */
export type ProfileKind = 'number' | 'time' | 'text';

/**
 * A column at a glance: how many values, nulls and distinct values it has, and its distribution:
 * `bins` (equal-width, over `min`..`max`; times in epoch milliseconds) for numbers and times,
 * `top` values with their counts for text, booleans and anything else.
 */
export interface ColumnProfile {
  column: string;
  type: string;
  kind: ProfileKind;
  rows: number;
  nulls: number;
  distinct: number;
  min?: number;
  max?: number;
  bins?: { x0: number; x1: number; count: number }[];
  top?: { value: string; count: number }[];
}

/** Which summary a DuckDB type gets. */
export function profileKind(type: string): ProfileKind {
  const t = type.toUpperCase();
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|REAL|DECIMAL|NUMERIC|INT\d*)/.test(t)) return 'number';
  if (/^(TIMESTAMP|DATE)/.test(t)) return 'time';
  return 'text';
}

export interface ProfileOptions extends QueryOptions {
  /** Bars in a histogram (default 20). */
  bins?: number;
  /** Values listed for text (default 10). */
  top?: number;
}

/**
 * Profiles one column of a table in DuckDB: counts in one scan, then the histogram (numbers,
 * times) or the most frequent values (text) in a second. Both queries take the signal, so a
 * profile of a large log can be cancelled.
 *
 * @example
 * const profile = await profileColumn(engine, 'events', 'country', 'VARCHAR');
 * profile.distinct; // 6
 * profile.top?.[0]; // { value: 'GB', count: 6650 }
 */
export async function profileColumn(engine: Engine, table: string, column: string, type: string, options: ProfileOptions = {}): Promise<ColumnProfile> {
  const kind = profileKind(type);
  const c = quoteIdent(column);
  const from = quoteIdent(table);
  const measure = kind === 'time' ? `epoch_ms(CAST(${c} AS TIMESTAMP))` : kind === 'number' ? `CAST(${c} AS DOUBLE)` : null;
  const stats = (await engine.query(
    `SELECT count(*) AS rows, count(*) - count(${c}) AS nulls, count(DISTINCT ${c}) AS distinct_values${measure ? `, min(${measure}) AS lo, max(${measure}) AS hi` : ''} FROM ${from}`,
    [], options,
  )).get(0)!.toJSON() as { rows: number; nulls: number; distinct_values: number; lo?: number | null; hi?: number | null };
  const profile: ColumnProfile = { column, type, kind, rows: Number(stats.rows), nulls: Number(stats.nulls), distinct: Number(stats.distinct_values) };
  if (measure) {
    if (stats.lo === null || stats.lo === undefined || stats.hi === null || stats.hi === undefined) return { ...profile, bins: [] };
    const lo = Number(stats.lo);
    const hi = Number(stats.hi);
    const count = hi === lo ? 1 : Math.min(options.bins ?? 20, profile.distinct);
    const width = hi === lo ? 1 : (hi - lo) / count;
    const result = await engine.query(
      `SELECT least(CAST(floor((v - ?) / ?) AS INTEGER), ?) AS bin, count(*) AS n FROM (SELECT ${measure} AS v FROM ${from} WHERE ${c} IS NOT NULL) GROUP BY 1 ORDER BY 1`,
      [lo, width, count - 1], options,
    );
    const counts = new Map(result.toArray().map((row) => [Number(row.bin), Number(row.n)]));
    const bins = Array.from({ length: count }, (_, i) => ({ x0: lo + i * width, x1: i === count - 1 ? hi : lo + (i + 1) * width, count: counts.get(i) ?? 0 }));
    return { ...profile, min: lo, max: hi, bins };
  }
  const top = await engine.query(
    `SELECT CAST(${c} AS VARCHAR) AS value, count(*) AS n FROM ${from} WHERE ${c} IS NOT NULL GROUP BY 1 ORDER BY n DESC, value LIMIT ${Math.max(1, Math.floor(options.top ?? 10))}`,
    [], options,
  );
  return { ...profile, top: top.toArray().map((row) => ({ value: String(row.value), count: Number(row.n) })) };
}
