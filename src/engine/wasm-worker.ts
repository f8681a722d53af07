import * as duckdb from '@duckdb/duckdb-wasm';
import { Table, type Table as ArrowTable } from 'apache-arrow';
import {
  QueryCancelledError, QueryError, databaseMessage,
  type Engine, type JsonFieldType, type QueryOptions, type SqlValue,
} from './engine.ts';
import { lockdownSql, parseWith, type ParsedSql } from './sql-parse.ts';
import { arrowToIPC, jsonFieldsToArrow } from './arrow-io.ts';
import { bindAsVariables } from './bind-variables.ts';
import type { Decoder } from './decode-client.ts';
import type { JsonRecordBytes } from './load/json-records.ts';

/**
 * DuckDB-WASM in a Web Worker: the page never freezes while DuckDB scans. Queries on the one
 * connection run one at a time, in order; `cancel` stops the one running. Parquet files and JSON
 * logs are decoded in another worker (`decoder`), so loading them does not freeze the page either.
 */
class WasmWorkerEngine implements Engine {
  readonly kind = 'wasm' as const;
  private queue: Promise<unknown> = Promise.resolve();
  private sending = false;
  private queries = 0;
  /** Buffers the decoder made for this engine: nobody else holds them, so they move to DuckDB uncopied. */
  private readonly decoded = new WeakSet<ArrayBufferLike>();

  private readonly paths = new Map<string, string>();

  constructor(
    private readonly db: duckdb.AsyncDuckDB,
    private readonly conn: duckdb.AsyncDuckDBConnection,
    /** A second connection for the parser: parsing a cell never queues behind a running query. */
    private readonly parser: duckdb.AsyncDuckDBConnection,
    private readonly worker: Worker,
    private readonly decoder: Decoder,
    /** Whether this is the threaded build (its memory is shared with its pthread workers). */
    private readonly threaded: boolean,
  ) {}

  /**
   * The threaded build copies a buffer into its memory through the worker's cached view of it,
   * which is stale when one of its pthreads grew the memory during an earlier query: the copy then
   * fails with "RangeError: offset is out of bounds" (duckdb-wasm issue 2256, open for 1.32). Any
   * call that reads a string back refreshes the view; `getVersion` is the cheapest.
   */
  private async freshMemoryView(): Promise<void> {
    if (this.threaded) await this.db.getVersion();
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  query(sql: string, params: readonly SqlValue[] = [], options: QueryOptions = {}): Promise<ArrowTable> {
    const { signal } = options;
    return this.serial(async () => {
      if (signal?.aborted) throw new QueryCancelledError();
      let text = sql;
      let variables: string[] = [];
      try {
        if (params.length > 0) {
          const bound = bindAsVariables(sql, await this.db.tokenize(sql), params.length, `cb_q${++this.queries}`);
          if (!bound) return await this.prepared(sql, params);
          for (const [i, name] of bound.names.entries()) await this.prepared(`SET VARIABLE ${name} = ?`, [params[i]]);
          text = bound.sql;
          variables = bound.names;
        }
        let cancelled = false;
        const onAbort = () => { cancelled = true; void this.conn.cancelSent(); };
        signal?.addEventListener('abort', onAbort);
        this.sending = true;
        try {
          const reader = await this.conn.send(text, false);
          const batches = await reader.readAll();
          if (cancelled) throw new QueryCancelledError();
          return batches.length ? new Table(batches) : new Table(reader.schema);
        } catch (error) {
          if (cancelled || /cancel|interrupt/i.test(databaseMessage(error))) throw new QueryCancelledError();
          throw error;
        } finally {
          this.sending = false;
          signal?.removeEventListener('abort', onAbort);
        }
      } catch (error) {
        if (error instanceof QueryCancelledError) throw error;
        throw new QueryError(databaseMessage(error), sql, { cause: error });
      } finally {
        for (const name of variables) await this.conn.query(`RESET VARIABLE ${name}`).catch(() => undefined);
      }
    });
  }

  private async prepared(sql: string, params: readonly SqlValue[]): Promise<ArrowTable> {
    const statement = await this.conn.prepare(sql);
    try {
      return await statement.query(...params);
    } finally {
      await statement.close();
    }
  }

  exec(sql: string): Promise<void> {
    return this.serial(async () => {
      try {
        await this.conn.query(sql);
      } catch (error) {
        throw new QueryError(databaseMessage(error), sql, { cause: error });
      }
    });
  }

  parseSql(sql: string): Promise<ParsedSql> {
    return parseWith({ tokenize: (text) => this.db.tokenize(text), tableNames: (text) => this.parser.getTableNames(text) }, sql);
  }

  async registerFile(name: string, bytes: Uint8Array): Promise<string> {
    const path = `${REGISTERED_FILES}${name}`;
    // DuckDB-WASM transfers the buffer to its worker, which empties ours: keep the caller's bytes
    // usable (re-mapping a source reads them again), unless they are the decoder's output
    const buffer = this.decoded.has(bytes.buffer) ? bytes : bytes.slice();
    await this.serial(async () => {
      await this.freshMemoryView();
      await this.db.registerFileBuffer(path, buffer);
    });
    this.paths.set(name, path);
    return path;
  }

  async dropFile(name: string): Promise<void> {
    const path = this.paths.get(name);
    if (path === undefined) return;
    this.paths.delete(name);
    await this.db.dropFile(path);
  }

  async insertArrow(name: string, data: ArrowTable | Uint8Array): Promise<void> {
    await this.exec(`DROP TABLE IF EXISTS "${name}"`);
    const ipc = data instanceof Uint8Array ? data.slice() : arrowToIPC(data);
    await this.serial(async () => {
      await this.freshMemoryView();
      await this.conn.insertArrowFromIPCStream(ipc, { name, create: true });
    });
  }

  async insertJSON(name: string, path: string, fields: Record<string, JsonFieldType>): Promise<void> {
    await this.exec(`DROP TABLE IF EXISTS "${name}"`);
    await this.serial(async () => {
      try {
        await this.conn.insertJSONFromPath(path, { name, create: true, columns: jsonFieldsToArrow(fields) });
      } catch (error) {
        throw new QueryError(databaseMessage(error), `insertJSONFromPath(${path})`, { cause: error });
      }
    });
  }

  /**
   * Parquet goes into DuckDB a row group at a time (decoded in the decoding worker, the next one
   * while DuckDB appends this one), so neither worker ever holds the whole file as Arrow: the
   * memory peak of a load is about the table DuckDB builds, not that plus two whole-file copies.
   */
  async insertParquet(name: string, bytes: Uint8Array): Promise<void> {
    await this.exec(`DROP TABLE IF EXISTS "${name}"`);
    await this.decoder.parquetRowGroups(bytes, (ipc, group) => this.serial(async () => {
      await this.freshMemoryView();
      // the decoded stream is ours alone: DuckDB-WASM takes its buffer without a copy
      await this.conn.insertArrowFromIPCStream(ipc, { name, create: group === 0 });
    }));
  }

  async readJSONRecords(file: string, bytes: Uint8Array): Promise<JsonRecordBytes> {
    const records = await this.decoder.jsonRecordBytes(file, bytes);
    this.decoded.add(records.bytes.buffer);
    return records;
  }

  async cancel(): Promise<boolean> {
    if (!this.sending) return false;
    return this.conn.cancelSent();
  }

  async close(): Promise<void> {
    await this.parser.close();
    await this.conn.close();
    await this.db.terminate();
    this.worker.terminate();
    this.decoder.terminate();
  }
}

/** The folder registered files are named under: the only one DuckDB may read in the page. */
const REGISTERED_FILES = '/cohortbook-files/';

/** Where the DuckDB-WASM builds and their workers are served from (the app itself, never a CDN). */
export type WasmBundles = duckdb.DuckDBBundles;

/**
 * How many threads the threaded build may use: the machine's cores, at most the 4 pthread workers
 * the build pre-starts (`PTHREAD_POOL_SIZE=4`). More threads than cores only adds switching.
 */
function wasmThreads(cores: number | undefined): number {
  return Math.max(1, Math.min(4, cores ?? 1));
}

async function startDuckDB(bundle: duckdb.DuckDBBundle): Promise<{ db: duckdb.AsyncDuckDB; worker: Worker; threaded: boolean }> {
  const worker = new Worker(bundle.mainWorker!);
  const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
  try {
    await db.instantiate(bundle.mainModule, bundle.pthreadWorker);
    const threaded = bundle.pthreadWorker != null;
    await db.open({
      query: { castBigIntToDouble: true, castDecimalToDouble: true },
      ...(threaded ? { maximumThreads: wasmThreads(globalThis.navigator?.hardwareConcurrency) } : {}),
    });
    return { db, worker, threaded };
  } catch (error) {
    await db.terminate().catch(() => undefined);
    worker.terminate();
    throw error;
  }
}

/**
 * Starts DuckDB-WASM in a Web Worker, locked down: no extension is installed or loaded, external
 * access is off (DuckDB reads only the files registered through the engine, never a URL) and the
 * configuration is locked. `decoder` reads Parquet and JSON files for it off the page's main thread.
 * A cross-origin isolated page gets the threaded build (`bundles.coi`, one thread per core, up to
 * 4); when it cannot start there (a pthread worker that does not load), the single-threaded one.
 */
export async function createWasmWorkerEngine(bundles: WasmBundles, decoder: Decoder): Promise<Engine> {
  const bundle = await duckdb.selectBundle(bundles);
  let started: { db: duckdb.AsyncDuckDB; worker: Worker; threaded: boolean };
  try {
    started = await startDuckDB(bundle);
  } catch (error) {
    if (bundle.pthreadWorker == null) throw error;
    const { coi: _threaded, ...single } = bundles;
    started = await startDuckDB(await duckdb.selectBundle(single));
  }
  const { db, worker, threaded } = started;
  const conn = await db.connect();
  for (const statement of lockdownSql(REGISTERED_FILES)) await conn.query(statement);
  return new WasmWorkerEngine(db, conn, await db.connect(), worker, decoder, threaded);
}
