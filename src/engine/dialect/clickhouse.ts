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
  // DuckDB's quantile_cont to the last bit: R's type 7 over the sorted values, interpolated as
  // lo * (1 - f) + hi * f (what DuckDB returns, checked on 2,000 random pairs). ClickHouse's
  // `quantile` samples, and `quantileExactInclusive` rounds otherwise (23.599999999999998 for
  // DuckDB's 23.6: the parity test caught it). Identical subexpressions are computed once.
  quantile: (expr, q) => {
    const sorted = `arraySort(groupArray(toFloat64(${expr})))`;
    const rank = `((length(${sorted}) - 1) * ${q})`;
    const lo = `${sorted}[toUInt64(floor(${rank})) + 1]`;
    const hi = `${sorted}[toUInt64(ceil(${rank})) + 1]`;
    const f = `(${rank} - floor(${rank}))`;
    return `if(length(${sorted}) = 0, NULL, ${lo} * (1 - ${f}) + ${hi} * ${f})`;
  },
  median(expr) {
    return this.quantile(expr, 0.5);
  },
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
