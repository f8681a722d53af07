import type { EngineKind } from '../engine.ts';
import { clickhouse } from './clickhouse.ts';
import type { Dialect, DialectName } from './dialect.ts';
import { duckdb } from './duckdb.ts';

export type { Dialect, DialectName } from './dialect.ts';
export { duckdb } from './duckdb.ts';
export { clickhouse } from './clickhouse.ts';

/**
 * The dialect an engine speaks.
 *
 * @example
 * dialectFor(engine.kind).epochMs('ts') // 'epoch_ms(ts)' on DuckDB
 */
export function dialectFor(kind: EngineKind): Dialect {
  return kind === 'clickhouse' ? clickhouse : duckdb;
}

/** The dialect of a name (`duckdb` when absent, as every engine before ClickHouse spoke it). */
export function dialectNamed(name: DialectName | undefined): Dialect {
  return name === 'clickhouse' ? clickhouse : duckdb;
}
