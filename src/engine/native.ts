import { realpathSync } from 'node:fs';
import { DuckDBInstance, DuckDBTypeId, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import type { Table } from 'apache-arrow';
import {
  QueryCancelledError, QueryError, databaseMessage,
  type Engine, type JsonFieldType, type QueryOptions, type SqlValue,
} from './engine.ts';
import { lockdownSql, type ParsedSql } from './sql-parse.ts';
import { arrowFromColumns, arrowToIPC, type ColumnKind } from './arrow-io.ts';
import { ipcToParquet } from './parquet.ts';
import { quoteIdent, quoteString } from './sql.ts';
import { scratchDirectory, writeScratchFile } from './scratch-directory.ts';

function columnKind(typeId: DuckDBTypeId): ColumnKind {
  switch (typeId) {
    case DuckDBTypeId.BOOLEAN: return 'BOOLEAN';
    case DuckDBTypeId.TINYINT: case DuckDBTypeId.SMALLINT: case DuckDBTypeId.INTEGER: case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UTINYINT: case DuckDBTypeId.USMALLINT: case DuckDBTypeId.UINTEGER: case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT: case DuckDBTypeId.UHUGEINT: case DuckDBTypeId.FLOAT: case DuckDBTypeId.DOUBLE:
    case DuckDBTypeId.DECIMAL:
      return 'DOUBLE';
    case DuckDBTypeId.TIMESTAMP: case DuckDBTypeId.TIMESTAMP_S: case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_NS: case DuckDBTypeId.TIMESTAMP_TZ:
      return 'TIMESTAMP';
    case DuckDBTypeId.DATE: return 'DATE';
    default: return 'VARCHAR';
  }
}

function plainValue(value: unknown, kind: ColumnKind): unknown {
  if (value === null || value === undefined) return null;
  switch (kind) {
    case 'DOUBLE': return Number(value);
    case 'BOOLEAN': return Boolean(value);
    case 'TIMESTAMP': case 'DATE': return value instanceof Date ? value.getTime() : Number(value);
    default: return typeof value === 'string' ? value : String(value);
  }
}

/**
 * Native DuckDB through `@duckdb/node-api`: multi-threaded and able to spill to disk, for logs larger
 * than a browser tab holds. Results are converted to the same Arrow shapes DuckDB-WASM returns.
 */
class NativeEngine implements Engine {
  readonly kind = 'native' as const;
  private readonly files = new Map<string, string>();
  private running = 0;
  /**
   * DuckDB-WASM's parser, started on first use: native DuckDB's statement extraction counts one
   * PIVOT as several statements and its table-name extraction answers an empty list for text it
   * cannot bind, so every engine parses with the same build the browser runs.
   */
  private parser: Promise<Engine> | null = null;

  constructor(
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
    private readonly dir: string,
  ) {}

  async query(sql: string, params: readonly SqlValue[] = [], options: QueryOptions = {}): Promise<Table> {
    const { signal } = options;
    if (signal?.aborted) throw new QueryCancelledError();
    let cancelled = false;
    const onAbort = () => { cancelled = true; this.conn.interrupt(); };
    signal?.addEventListener('abort', onAbort);
    this.running++;
    try {
      const reader = await this.conn.runAndReadAll(sql, params.length ? (params as DuckDBValue[]) : undefined);
      const names = reader.columnNames();
      const kinds = reader.columnTypes().map((type) => columnKind(type.typeId));
      const columns = reader.getColumnsJS();
      return arrowFromColumns(names.map((name, i) => ({
        name, kind: kinds[i], values: (columns[i] ?? []).map((value) => plainValue(value, kinds[i])),
      })));
    } catch (error) {
      if (cancelled || /interrupt/i.test(databaseMessage(error))) throw new QueryCancelledError();
      throw new QueryError(databaseMessage(error), sql, { cause: error });
    } finally {
      this.running--;
      signal?.removeEventListener('abort', onAbort);
    }
  }

  async exec(sql: string): Promise<void> {
    try {
      await this.conn.run(sql);
    } catch (error) {
      throw new QueryError(databaseMessage(error), sql, { cause: error });
    }
  }

  async parseSql(sql: string): Promise<ParsedSql> {
    this.parser ??= import('./wasm-node.ts').then((m) => m.createWasmNodeEngine());
    return (await this.parser).parseSql(sql);
  }

  async registerFile(name: string, bytes: Uint8Array): Promise<string> {
    return writeScratchFile(this.dir, this.files, name, bytes);
  }

  async dropFile(name: string): Promise<void> {
    this.files.delete(name);
  }

  async insertArrow(name: string, data: Table | Uint8Array): Promise<void> {
    const ipc = data instanceof Uint8Array ? data : arrowToIPC(data);
    await this.insertParquet(name, await ipcToParquet(ipc));
  }

  async insertJSON(name: string, path: string, fields: Record<string, JsonFieldType>): Promise<void> {
    const columns = Object.entries(fields).map(([field, type]) => `${quoteString(field)}: '${type}'`).join(', ');
    await this.exec(`CREATE OR REPLACE TABLE ${quoteIdent(name)} AS SELECT * FROM read_json(${quoteString(path)}, format = 'array', columns = {${columns}})`);
  }

  async insertParquet(name: string, bytes: Uint8Array): Promise<void> {
    const path = await this.registerFile(`${name}.parquet`, bytes);
    await this.exec(`CREATE OR REPLACE TABLE ${quoteIdent(name)} AS SELECT * FROM read_parquet(${quoteString(path)})`);
  }

  async cancel(): Promise<boolean> {
    if (this.running === 0) return false;
    this.conn.interrupt();
    return true;
  }

  async close(): Promise<void> {
    if (this.parser) await (await this.parser).close();
    this.conn.closeSync();
    this.instance.closeSync();
  }
}

/**
 * Starts native DuckDB with the same offline, locked-down settings as the WASM engines (it reads
 * only the files it registered, in its scratch folder), in UTC.
 */
export async function createNativeEngine(): Promise<Engine> {
  const instance = await DuckDBInstance.create(':memory:', {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  });
  const conn = await instance.connect();
  const dir = realpathSync(scratchDirectory('cohortbook-native-'));
  for (const statement of lockdownSql(`${dir}/`, ["SET TimeZone = 'UTC'"])) await conn.run(statement);
  return new NativeEngine(instance, conn, dir);
}
