// The page's side of the decoding worker (./decode-worker.ts): Parquet decoding with parquet-wasm
// and JSON parsing run there, so loading a large file never freezes the page.
import type { JsonRecordBytes } from './load/json-records.ts';
import { LoadError } from './load/load-error.ts';

/** A message to the decoding worker. `init` comes first and says where parquet-wasm's binary is. */
export type DecodeRequest =
  | { kind: 'init'; parquetWasm: string }
  | { kind: 'parquet'; id: number; bytes: Uint8Array }
  /** Keeps a Parquet file's bytes in the worker and says how many row groups it has. */
  | { kind: 'parquet-open'; id: number; bytes: Uint8Array }
  /** Decodes one row group of the open file (null: the whole file, for a file without row groups). */
  | { kind: 'parquet-group'; id: number; group: number | null }
  | { kind: 'json'; id: number; file: string; bytes: Uint8Array };

/** An error as it crosses from the worker: a `LoadError` keeps its parts, anything else its name and message. */
export type DecodeFailure =
  | { name: 'LoadError'; file: string; problem: string; column?: string; line?: number }
  | { name: string; message: string };

/** The worker's answer to one request. */
export type DecodeReply =
  | { id: number; ok: true; ipc: Uint8Array }
  | { id: number; ok: true; groups: number }
  | { id: number; ok: true; records: JsonRecordBytes }
  | { id: number; ok: false; error: DecodeFailure };

/** Heavy decoding done away from the caller's thread. */
export interface Decoder {
  /** Decodes Parquet bytes into an Arrow IPC stream, as `parquetToIPC` does. The caller's bytes stay usable. */
  parquetToIPC(bytes: Uint8Array): Promise<Uint8Array>;
  /**
   * Decodes a Parquet file one row group at a time, each into an Arrow IPC stream handed to
   * `take` (awaited) in order; the next row group is decoded while `take` runs, so at most two are
   * held at once. The caller's bytes stay usable. The worker is ended afterwards, which gives its
   * memory back (parquet-wasm's never shrinks).
   */
  parquetRowGroups(bytes: Uint8Array, take: (ipc: Uint8Array, group: number) => Promise<void>): Promise<void>;
  /** Reads a JSON or NDJSON log as `jsonRecordBytes` does, with the same `LoadError`s. The caller's bytes stay usable. */
  jsonRecordBytes(file: string, bytes: Uint8Array): Promise<JsonRecordBytes>;
  /** Stops the worker; a later call starts a new one. */
  terminate(): void;
}

/** How long an idle worker is kept: ending it gives back parquet-wasm's memory, which never shrinks. */
const IDLE_MS = 15_000;

interface Pending {
  resolve: (reply: DecodeReply & { ok: true }) => void;
  reject: (error: Error) => void;
}

function rebuild(failure: DecodeFailure): Error {
  if ('problem' in failure) {
    return new LoadError(failure.file, failure.problem, { column: failure.column, line: failure.line });
  }
  const error = new Error(failure.message);
  error.name = failure.name;
  return error;
}

/**
 * Decodes in a dedicated module Web Worker, started on first use. The input is copied once (the
 * caller keeps its bytes, as a loaded source is re-read when its mapping changes) and that copy is
 * transferred to the worker; the results are transferred back, never copied. A worker idle for
 * 15 s is ended (decoding a large file grows parquet-wasm's memory for good); the next file starts
 * another.
 *
 * @example
 * const decoder = new WorkerDecoder(new URL(parquetWasmUrl, location.href).href);
 * const ipc = await decoder.parquetToIPC(bytes);
 */
export class WorkerDecoder implements Decoder {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private requests = 0;
  private idle: ReturnType<typeof setTimeout> | undefined;

  /** @param parquetWasm the absolute URL of parquet-wasm's WebAssembly binary, served by the app */
  constructor(private readonly parquetWasm: string) {}

  async parquetToIPC(bytes: Uint8Array): Promise<Uint8Array> {
    const copy = bytes.slice();
    const reply = await this.request((id) => ({ kind: 'parquet', id, bytes: copy }), [copy.buffer]);
    if (!('ipc' in reply)) throw new Error('the decoding worker answered a Parquet request without Arrow data');
    return reply.ipc;
  }

  async parquetRowGroups(bytes: Uint8Array, take: (ipc: Uint8Array, group: number) => Promise<void>): Promise<void> {
    const copy = bytes.slice();
    const opened = await this.request((id) => ({ kind: 'parquet-open', id, bytes: copy }), [copy.buffer]);
    if (!('groups' in opened)) throw new Error('the decoding worker answered a Parquet request without its row groups');
    const groups: (number | null)[] = opened.groups > 0 ? Array.from({ length: opened.groups }, (_, i) => i) : [null];
    const decode = (group: number | null) => this.request((id) => ({ kind: 'parquet-group', id, group }), []).then((reply) => {
      if (!('ipc' in reply)) throw new Error('the decoding worker answered a Parquet request without Arrow data');
      return reply.ipc;
    });
    try {
      let next = decode(groups[0]);
      for (let i = 0; i < groups.length; i++) {
        const ipc = await next;
        if (i + 1 < groups.length) next = decode(groups[i + 1]);
        // a failure in `take` must not leave the prefetch's rejection unhandled
        await take(ipc, i).catch((error: unknown) => { next.catch(() => undefined); throw error; });
      }
    } finally {
      // nothing else waiting on it: end it now rather than after the idle time
      if (this.pending.size === 0) this.stop(new Error('the decoding worker was stopped after a Parquet file'));
    }
  }

  async jsonRecordBytes(file: string, bytes: Uint8Array): Promise<JsonRecordBytes> {
    const copy = bytes.slice();
    const reply = await this.request((id) => ({ kind: 'json', id, file, bytes: copy }), [copy.buffer]);
    if (!('records' in reply)) throw new Error('the decoding worker answered a JSON request without records');
    return reply.records;
  }

  terminate(): void {
    this.stop(new Error('the decoding worker was stopped'));
  }

  private request(message: (id: number) => DecodeRequest, transfer: Transferable[]): Promise<DecodeReply & { ok: true }> {
    const worker = this.start();
    clearTimeout(this.idle);
    const id = ++this.requests;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage(message(id), transfer);
    });
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL('./decode-worker.js', import.meta.url), { type: 'module', name: 'cohortbook-decode' });
    worker.onmessage = (event: MessageEvent<DecodeReply>) => {
      const reply = event.data;
      const pending = this.pending.get(reply.id);
      if (!pending) return;
      this.pending.delete(reply.id);
      if (reply.ok) pending.resolve(reply);
      else pending.reject(rebuild(reply.error));
      if (this.pending.size > 0) return;
      // a WebAssembly trap (out of memory, ...) can leave parquet-wasm unusable: start afresh next time
      if (!reply.ok && reply.error.name === 'RuntimeError') this.stop(new Error('the decoding worker was restarted'));
      else this.idle = setTimeout(() => this.stop(new Error('the decoding worker was idle')), IDLE_MS);
    };
    worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      this.stop(new Error(`the decoding worker failed${event.message ? `: ${event.message}` : ' to start'}`));
    };
    worker.onmessageerror = () => this.stop(new Error('the decoding worker sent a message that could not be read'));
    worker.postMessage({ kind: 'init', parquetWasm: this.parquetWasm } satisfies DecodeRequest);
    this.worker = worker;
    return worker;
  }

  /** Ends the worker and fails what it still had to do. */
  private stop(reason: Error): void {
    clearTimeout(this.idle);
    this.worker?.terminate();
    this.worker = undefined;
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const { reject } of pending) reject(reason);
  }
}
