/**
 * The seam between the analytics layer and the database it runs on: every fragment of SQL that
 * differs between engine families (time arithmetic, integer division, casts, window functions,
 * table functions, catalog queries) is asked of a `Dialect`, so an analysis is written once.
 * `duckdb.ts` returns exactly the text the analyses always emitted (DuckDB-WASM and native DuckDB
 * see the same SQL as before); `clickhouse.ts` the ClickHouse form of the same computation.
 *
 * Analyses find the dialect through their `EventCatalog` (`dialectOf(catalog)` in the analytics
 * layer), which `readEventCatalog` fills from the engine's kind.
 */

/** The engine families whose SQL differs. */
export type DialectName = 'duckdb' | 'clickhouse';

export interface Dialect {
  readonly name: DialectName;
  /** Epoch milliseconds (a 64-bit integer) of a timestamp expression. */
  epochMs(ts: string): string;
  /** The timestamp of an epoch-milliseconds number or expression, to compare `ts` with. */
  timestampOfMs(ms: string | number): string;
  /** Integer division of non-negative integers (DuckDB `//`). */
  intDiv(dividend: string, divisor: string | number): string;
  /** `year * 12 + month - 1` of local milliseconds (a wall-clock time read as UTC). */
  monthIndex(localMs: string): string;
  /** A text copy of any value. */
  text(expr: string): string;
  /** A typed NULL text value (a column of no breakdown). */
  readonly nullText: string;
  /** Whether text contains a bound `?` substring / starts with it (the text expression comes first). */
  contains(text: string, part: string): string;
  startsWith(text: string, prefix: string): string;
  /**
   * The previous / next value of `expr` over `window` (a window's name, or `window(spec)`): NULL
   * where there is none, as SQL's `lag`/`lead`.
   */
  lag(expr: string, window: string): string;
  lead(expr: string, window: string): string;
  /** A window for `lag`/`lead` in parentheses; `spec` is `PARTITION BY ... ORDER BY ...`. */
  window(spec: string): string;
  /** `name AS (PARTITION BY ... ORDER BY ...)`: a named window for `lag`/`lead`. */
  namedWindow(name: string, spec: string): string;
  /** A table of the integers `from` (included) to `to` (excluded) in one column `column`, as a FROM item with `alias`. */
  series(from: number, to: number, alias: string, column: string): string;
  /** The column name of the integers `series` gives (DuckDB's `range` calls it `range`). */
  seriesColumn(alias: string, column: string): string;
  /** A typed NULL number (a series without a property). */
  readonly nullDouble: string;
  /** Text as a DOUBLE, NULL where it does not read as a number. */
  tryDouble(expr: string): string;
  /** Whether a DOUBLE is finite (not an infinity or NaN). */
  isFinite(expr: string): string;
  /** The continuous (linearly interpolated) quantile `q` of a group's values. */
  quantile(expr: string, q: number): string;
  /** The median of a group's values (DuckDB's `median`: the 0.5 continuous quantile). */
  median(expr: string): string;
  /** Every column of `alias` but `columns`. */
  starExcept(alias: string, columns: string[]): string;
  /** Whether any of a group's booleans is true. */
  boolOr(expr: string): string;
  /**
   * The `value` of the group's first row by `time`, then by `value` itself (NULLs last; a NULL
   * `value` is kept: DuckDB's `arg_min_null(value, (time, value))`), over the rows where `filter`
   * holds when one is given.
   */
  firstBy(value: string, time: string, filter?: string): string;
  /** A timestamp as ISO text with milliseconds and `Z` (`2024-01-01T08:00:00.000Z`). */
  isoText(ts: string): string;
}
