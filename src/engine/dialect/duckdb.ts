import type { Dialect } from './dialect.ts';

/**
 * DuckDB's SQL (DuckDB-WASM and native DuckDB). Every fragment is the text the analyses emitted
 * before the dialect seam existed: changing one changes the SQL both DuckDB engines run.
 */
export const duckdb: Dialect = {
  name: 'duckdb',
  epochMs: (ts) => `epoch_ms(${ts})`,
  timestampOfMs: (ms) => `epoch_ms(${ms})`,
  intDiv: (dividend, divisor) => `${dividend} // ${divisor}`,
  monthIndex: (localMs) => `(year(epoch_ms(${localMs})) * 12 + month(epoch_ms(${localMs})) - 1)`,
  text: (expr) => `CAST(${expr} AS VARCHAR)`,
  nullText: 'CAST(NULL AS VARCHAR)',
  contains: (text, part) => `contains(${text}, ${part})`,
  startsWith: (text, prefix) => `starts_with(${text}, ${prefix})`,
  lag: (expr, window) => `lag(${expr}) OVER ${window}`,
  lead: (expr, window) => `lead(${expr}) OVER ${window}`,
  window: (spec) => `(${spec})`,
  namedWindow: (name, spec) => `${name} AS (${spec})`,
  series: (from, to, alias) => `range(${from}, ${to}) AS ${alias}`,
  seriesColumn: (alias) => `${alias}.range`,
  nullDouble: 'CAST(NULL AS DOUBLE)',
  tryDouble: (expr) => `TRY_CAST(${expr} AS DOUBLE)`,
  isFinite: (expr) => `isfinite(${expr})`,
  quantile: (expr, q) => `quantile_cont(${expr}, ${q})`,
  median: (expr) => `median(${expr})`,
  starExcept: (alias, columns) => `${alias}.* EXCLUDE (${columns.join(', ')})`,
  boolOr: (expr) => `bool_or(${expr})`,
  firstBy: (value, time, filter) => `arg_min_null(${value}, (${time}, ${value}))${filter ? ` FILTER (WHERE ${filter})` : ''}`,
  isoText: (ts) => `strftime(${ts}, '%Y-%m-%dT%H:%M:%S.%g') || 'Z'`,
};
