import type { Dialect } from './dialect.ts';

/**
 * ClickHouse's SQL (chDB in process, a ClickHouse server). Differences from DuckDB that matter to
 * the rows: `//` is not integer division; NULL cannot be cast to a plain `String`; `lag`/`lead`
 * answer the column's default instead of NULL at the window's edge and see only the frame, so they
 * become `lagInFrame`/`leadInFrame` of a Nullable value over the whole partition. The engine runs
 * with `join_use_nulls = 1`, so outer joins give NULLs as in DuckDB.
 */
export const clickhouse: Dialect = {
  name: 'clickhouse',
  epochMs: (ts) => `toUnixTimestamp64Milli(${ts})`,
  timestampOfMs: (ms) => `fromUnixTimestamp64Milli(toInt64(${ms}), 'UTC')`,
  intDiv: (dividend, divisor) => `intDiv(${dividend}, ${divisor})`,
  monthIndex: (localMs) => {
    const stamp = `fromUnixTimestamp64Milli(toInt64(${localMs}), 'UTC')`;
    return `(toYear(${stamp}) * 12 + toMonth(${stamp}) - 1)`;
  },
  text: (expr) => `toString(${expr})`,
  nullText: 'CAST(NULL AS Nullable(String))',
  contains: (text, part) => `(position(${text}, ${part}) > 0)`,
  startsWith: (text, prefix) => `startsWith(${text}, ${prefix})`,
  lag: (expr, window) => `lagInFrame(toNullable(${expr})) OVER ${window}`,
  lead: (expr, window) => `leadInFrame(toNullable(${expr})) OVER ${window}`,
  window: (spec) => `(${spec} ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)`,
  namedWindow: (name, spec) => `${name} AS (${spec} ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)`,
  series: (from, to, alias, column) => `(SELECT toInt64(number) + ${from} AS ${column} FROM numbers(${Math.max(0, to - from)})) AS ${alias}`,
  seriesColumn: (alias, column) => `${alias}.${column}`,
  nullDouble: 'CAST(NULL AS Nullable(Float64))',
  tryDouble: (expr) => `toFloat64OrNull(toString(${expr}))`,
  isFinite: (expr) => `isFinite(${expr})`,
  // R's type 7, DuckDB's quantile_cont; ClickHouse's plain `quantile` samples
  quantile: (expr, q) => `quantileExactInclusive(${q})(${expr})`,
  starExcept: (alias, columns) => `${alias}.* EXCEPT (${columns.join(', ')})`,
  boolOr: (expr) => `max(${expr})`,
  // argMin skips a NULL value, not one wrapped in a tuple; a NULL in the order tuple may sort
  // first, so `isNull` puts it last explicitly (the retention reference caught a tie of 'x' and NULL)
  firstBy: (value, time, filter) => {
    const order = `(${time}, isNull(${value}), ${value})`;
    return filter
      ? `tupleElement(argMinIf(tuple(${value}), ${order}, ${filter}), 1)`
      : `tupleElement(argMin(tuple(${value}), ${order}), 1)`;
  },
  // `%f` prints six digits whatever the scale: the milliseconds are written out instead.
  isoText: (ts) => `concat(formatDateTime(${ts}, '%Y-%m-%dT%H:%i:%S'), '.', leftPad(toString(toUnixTimestamp64Milli(${ts}) % 1000), 3, '0'), 'Z')`,
};
