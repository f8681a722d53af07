import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import {
  Field, Float64, RecordBatch, Schema, Struct, Table, TimestampMillisecond, Utf8, makeData, tableToIPC,
} from 'apache-arrow';
import initParquetWasm, {
  Compression, Table as WasmTable, WriterPropertiesBuilder, writeParquet,
} from 'parquet-wasm/esm';
import { COUNTRIES, EVENT_NAMES, YEAR_START_MS, type EventColumns } from './event-log.ts';
import { UserIds } from './user-ids.ts';

const require = createRequire(import.meta.url);

/** Rows per Arrow record batch and per Parquet row group. */
export const ROW_GROUP_SIZE = 1 << 20;

const SCHEMA = new Schema([
  new Field('user_id', new Utf8(), false),
  new Field('event', new Utf8(), false),
  new Field('ts', new TimestampMillisecond(), false),
  new Field('revenue', new Float64(), true),
  new Field('country', new Utf8(), false),
]);

const EVENT_BYTES = EVENT_NAMES.map((name) => new TextEncoder().encode(name));
// every country code is two ASCII letters
const COUNTRY_BYTES = COUNTRIES.map((name) => new TextEncoder().encode(name));

function utf8Data(length: number, valueOffsets: Int32Array, data: Uint8Array) {
  return makeData({ type: new Utf8(), length, nullCount: 0, valueOffsets, data });
}

/** One record batch of rows [from, to), its columns built straight from typed arrays. */
function recordBatch(log: EventColumns, ids: UserIds, from: number, to: number): RecordBatch {
  const length = to - from;
  const userOffsets = new Int32Array(length + 1);
  const userBytes = new Uint8Array(length * ids.width);
  const eventOffsets = new Int32Array(length + 1);
  let eventLength = 0;
  for (let i = from; i < to; i++) eventLength += EVENT_BYTES[log.event[i]].length;
  const eventBytes = new Uint8Array(eventLength);
  const ts = new BigInt64Array(length);
  const revenue = new Float64Array(length);
  const valid = new Uint8Array((length + 7) >> 3);
  const countryOffsets = new Int32Array(length + 1);
  const countryBytes = new Uint8Array(length * 2);
  let nulls = 0;
  let at = 0;
  for (let r = 0; r < length; r++) {
    const i = from + r;
    ids.write(log.user[i], userBytes, r * ids.width);
    userOffsets[r + 1] = (r + 1) * ids.width;
    const name = EVENT_BYTES[log.event[i]];
    eventBytes.set(name, at);
    eventOffsets[r + 1] = at += name.length;
    ts[r] = BigInt(YEAR_START_MS + log.second[i] * 1000);
    countryBytes.set(COUNTRY_BYTES[log.userCountry[log.user[i]]], r * 2);
    countryOffsets[r + 1] = (r + 1) * 2;
    if (Number.isNaN(log.revenue[i])) {
      nulls++;
    } else {
      revenue[r] = log.revenue[i];
      valid[r >> 3] |= 1 << (r & 7);
    }
  }
  const children = [
    utf8Data(length, userOffsets, userBytes),
    utf8Data(length, eventOffsets, eventBytes),
    makeData({ type: new TimestampMillisecond(), length, nullCount: 0, data: ts }),
    makeData({ type: new Float64(), length, nullCount: nulls, data: revenue, nullBitmap: valid }),
    utf8Data(length, countryOffsets, countryBytes),
  ];
  return new RecordBatch(SCHEMA, makeData({ type: new Struct(SCHEMA.fields), length, nullCount: 0, children }));
}

/**
 * Encodes the log as Parquet with parquet-wasm (the library the app reads Parquet with): Snappy,
 * one row group per `ROW_GROUP_SIZE` rows, `ts` as a UTC timestamp in milliseconds.
 *
 * @example
 * writeFileSync('events.parquet', await eventsToParquet(simulateEventLog({ events: 1000, users: 200 }, 1)));
 */
export async function eventsToParquet(log: EventColumns): Promise<Uint8Array> {
  await initParquetWasm({ module_or_path: readFileSync(require.resolve('parquet-wasm/esm/parquet_wasm_bg.wasm')) });
  const ids = new UserIds(log.users);
  const batches: RecordBatch[] = [];
  for (let from = 0; from < log.length; from += ROW_GROUP_SIZE) {
    batches.push(recordBatch(log, ids, from, Math.min(log.length, from + ROW_GROUP_SIZE)));
  }
  const ipc = tableToIPC(new Table(SCHEMA, batches), 'stream');
  batches.length = 0;
  const properties = new WriterPropertiesBuilder()
    .setCompression(Compression.SNAPPY)
    .setMaxRowGroupSize(ROW_GROUP_SIZE)
    .build();
  return writeParquet(WasmTable.fromIPCStream(ipc), properties);
}
