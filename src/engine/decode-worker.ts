// The browser's decoding worker: decodes Parquet with parquet-wasm and parses JSON logs away from
// the page's main thread (see ./decode-client.ts, which starts it). Bytes come in and go out as
// transferred buffers.
import { parquetRowGroupCount, parquetRowGroupToIPC, parquetToIPC, setParquetWasmSource } from './parquet.ts';
import { jsonRecordBytes } from './load/json-records.ts';
import { LoadError } from './load/load-error.ts';
import type { DecodeFailure, DecodeReply, DecodeRequest } from './decode-client.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;

/** The Parquet file being decoded a row group at a time (`parquet-open`, then `parquet-group`s). */
let open: Uint8Array | undefined;

function failure(error: unknown): DecodeFailure {
  if (error instanceof LoadError) {
    return { name: 'LoadError', file: error.file, problem: error.problem, column: error.column, line: error.line };
  }
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}

function reply(message: DecodeReply, transfer: Transferable[] = []): void {
  scope.postMessage(message, transfer);
}

scope.onmessage = async (event: MessageEvent<DecodeRequest>) => {
  const request = event.data;
  if (request.kind === 'init') {
    const url = request.parquetWasm;
    setParquetWasmSource(async () => new URL(url));
    return;
  }
  try {
    if (request.kind === 'parquet') {
      const ipc = await parquetToIPC(request.bytes);
      reply({ id: request.id, ok: true, ipc }, [ipc.buffer]);
    } else if (request.kind === 'parquet-open') {
      open = request.bytes;
      reply({ id: request.id, ok: true, groups: await parquetRowGroupCount(open) });
    } else if (request.kind === 'parquet-group') {
      if (!open) throw new Error('no Parquet file is open in the decoding worker');
      const ipc = await parquetRowGroupToIPC(open, request.group);
      reply({ id: request.id, ok: true, ipc }, [ipc.buffer]);
    } else {
      const records = jsonRecordBytes(request.file, request.bytes);
      reply({ id: request.id, ok: true, records }, [records.bytes.buffer]);
    }
  } catch (error) {
    reply({ id: request.id, ok: false, error: failure(error) });
  }
};
