import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type * as DuckDBNode from '@duckdb/duckdb-wasm/blocking';
import { tableFromIPC, type Table } from 'apache-arrow';
import { realpathSync } from 'node:fs';
import {
  QueryCancelledError, QueryError, databaseMessage,
  type Engine, type JsonFieldType, type QueryOptions, type SqlValue,
} from './engine.ts';
import { lockdownSql, parseWith, type ParsedSql } from './sql-parse.ts';
import { scratchDirectory } from './scratch-directory.ts';
import { arrowToIPC, jsonFieldsToArrow } from './arrow-io.ts';
import { parquetToIPC } from './parquet.ts';
import { bindAsVariables } from './bind-variables.ts';

const require = createRequire(import.meta.url);

/**
 * DuckDB-WASM in Node through its blocking bundle: the same WebAssembly build the browser runs, so
 * tests and the CLI compute exactly what a person sees. Queries without parameters run as pending
 * queries polled between turns of the event loop, which keeps them cancellable.
 */
class WasmNodeEngine implements Engine {
  readonly kind = 'wasm' as const;
  private running = false;
  private cancelRequested = false;

  private readonly paths = new Map<string, string>();

  constructor(
    private readonly db: DuckDBNode.DuckDBBindings,
    private readonly conn: DuckDBNode.DuckDBConnection,
    /** A second connection for the parser, so parsing never waits on a running query. */
    private readonly parser: DuckDBNode.DuckDBConnection,
    /** The only folder DuckDB may read: registered files are named under it (an empty private folder on disk). */
    private readonly files: string,
  ) {}

  private queries = 0;
  private queue: Promise<unknown> = Promise.resolve();

  /**
   * One statement at a time, in order: a connection runs one pending query, and a statement
   * started while another polls (two cells of a notebook at once) would end it with a WebAssembly
   * exception.
   */
  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  query(sql: string, params: readonly SqlValue[] = [], options: QueryOptions = {}): Promise<Table> {
    return this.serial(() => this.queryNow(sql, params, options));
  }

  private async queryNow(sql: string, params: readonly SqlValue[], options: QueryOptions): Promise<Table> {
    if (params.length === 0) return this.queryPending(sql, options.signal);
    const bound = bindAsVariables(sql, this.db.tokenize(sql), params.length, `cb_q${++this.queries}`);
    if (!bound) return this.queryPrepared(sql, params);
    bound.names.forEach((name, i) => this.queryPrepared(`SET VARIABLE ${name} = ?`, [params[i]]));
    try {
      return await this.queryPending(bound.sql, options.signal, sql);
    } finally {
      for (const name of bound.names) this.conn.query(`RESET VARIABLE ${name}`);
    }
  }

  private queryPrepared(sql: string, params: readonly SqlValue[]): Table {
    try {
      // Raw IPC bytes, read with this module's apache-arrow: the bundle's CommonJS copy of
      // apache-arrow makes Tables that fail this copy's instanceof checks (tableToIPC wrote 0 bytes).
      return this.conn.useUnsafe((bindings, conn) => {
        const statement = bindings.createPrepared(conn, sql);
        try {
          return tableFromIPC(bindings.runPrepared(conn, statement, [...params]));
        } finally {
          bindings.closePrepared(conn, statement);
        }
      });
    } catch (error) {
      throw new QueryError(databaseMessage(error), sql, { cause: error });
    }
  }

  private async queryPending(sql: string, signal?: AbortSignal, original = sql): Promise<Table> {
    if (signal?.aborted) throw new QueryCancelledError();
    const onAbort = () => void this.cancel();
    signal?.addEventListener('abort', onAbort);
    this.running = true;
    this.cancelRequested = false;
    try {
      return await this.conn.useUnsafe(async (bindings, conn) => {
        let header = bindings.startPendingQuery(conn, sql, false);
        while (header === null) {
          await yieldToEventLoop();
          if (this.cancelRequested) {
            bindings.cancelPendingQuery(conn);
            throw new QueryCancelledError();
          }
          header = bindings.pollPendingQuery(conn);
        }
        const chunks: Uint8Array[] = [header];
        for (let chunk = bindings.fetchQueryResults(conn); chunk !== null && chunk.length > 0; chunk = bindings.fetchQueryResults(conn)) {
          chunks.push(chunk);
        }
        return tableFromIPC(chunks);
      });
    } catch (error) {
      if (error instanceof QueryCancelledError) throw error;
      throw new QueryError(databaseMessage(error), original, { cause: error });
    } finally {
      this.running = false;
      signal?.removeEventListener('abort', onAbort);
    }
  }

  exec(sql: string): Promise<void> {
    return this.serial(async () => {
      try {
        this.conn.query(sql);
      } catch (error) {
        throw new QueryError(databaseMessage(error), sql, { cause: error });
      }
    });
  }

  async parseSql(sql: string): Promise<ParsedSql> {
    return parseWith({ tokenize: (text) => this.db.tokenize(text), tableNames: (text) => this.parser.getTableNames(text) }, sql);
  }

  async registerFile(name: string, bytes: Uint8Array): Promise<string> {
    const path = `${this.files}${name}`;
    this.db.registerFileBuffer(path, bytes);
    this.paths.set(name, path);
    return path;
  }

  async dropFile(name: string): Promise<void> {
    const path = this.paths.get(name);
    if (path === undefined) return;
    this.paths.delete(name);
    this.db.dropFile(path);
  }

  async insertArrow(name: string, data: Table | Uint8Array): Promise<void> {
    await this.exec(`DROP TABLE IF EXISTS "${name}"`);
    await this.serial(async () => this.conn.insertArrowFromIPCStream(data instanceof Uint8Array ? data : arrowToIPC(data), { name, create: true }));
  }

  async insertJSON(name: string, path: string, fields: Record<string, JsonFieldType>): Promise<void> {
    await this.exec(`DROP TABLE IF EXISTS "${name}"`);
    await this.serial(async () => {
      try {
        this.conn.insertJSONFromPath(path, { name, create: true, columns: jsonFieldsToArrow(fields) });
      } catch (error) {
        throw new QueryError(databaseMessage(error), `insertJSONFromPath(${path})`, { cause: error });
      }
    });
  }

  async insertParquet(name: string, bytes: Uint8Array): Promise<void> {
    await this.insertArrow(name, await parquetToIPC(bytes));
  }

  async cancel(): Promise<boolean> {
    if (!this.running) return false;
    this.cancelRequested = true;
    return true;
  }

  async close(): Promise<void> {
    this.parser.close();
    this.conn.close();
    this.db.reset();
  }
}

/**
 * Starts DuckDB-WASM in this Node process, offline and locked down: no extension is installed or
 * loaded, DuckDB reads only the files registered through the engine (names under a private,
 * empty scratch folder, so an unregistered name there finds nothing on disk either), and the
 * configuration is locked.
 */
export async function createWasmNodeEngine(): Promise<Engine> {
  const duckdb = require('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs') as typeof DuckDBNode;
  const dist = dirname(require.resolve('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs'));
  const bundles = {
    mvp: { mainModule: join(dist, 'duckdb-mvp.wasm'), mainWorker: join(dist, 'duckdb-node-mvp.worker.cjs') },
    eh: { mainModule: join(dist, 'duckdb-eh.wasm'), mainWorker: join(dist, 'duckdb-node-eh.worker.cjs') },
  };
  const db = await duckdb.createDuckDB(bundles, new duckdb.VoidLogger(), duckdb.NODE_RUNTIME);
  await db.instantiate(() => {});
  db.open({ query: { castBigIntToDouble: true, castDecimalToDouble: true } });
  const conn = db.connect();
  const files = `${realpathSync(scratchDirectory('cohortbook-wasm-'))}/`;
  for (const statement of lockdownSql(files)) conn.query(statement);
  return new WasmNodeEngine(db, conn, db.connect(), files);
}

