import { gzipSync } from 'node:zlib';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { ipcToParquet } from '../../src/engine/parquet.ts';
import '../../src/engine/node.ts';

/** A small log with a known answer: 6 events of 3 users, one row without a user id. */
export const SMALL_LOG = [
  { user_id: 'u1', event: 'signup', ts: '2024-01-01T09:00:00Z', revenue: null, plan: 'free' },
  { user_id: 'u2', event: 'signup', ts: '2024-01-02T10:30:00Z', revenue: null, plan: 'pro' },
  { user_id: 'u1', event: 'purchase', ts: '2024-01-03T12:00:00Z', revenue: 19.5, plan: 'free' },
  { user_id: '', event: 'purchase', ts: '2024-01-03T13:00:00Z', revenue: 5, plan: 'free' },
  { user_id: 'u3', event: 'signup', ts: '2024-01-05T08:15:00Z', revenue: null, plan: 'free' },
  { user_id: 'u3', event: 'purchase', ts: '2024-01-08T23:59:59Z', revenue: 7.25, plan: 'pro' },
];

/** What loading SMALL_LOG must report, counted by hand. */
export const SMALL_LOG_SUMMARY = {
  rows: 5, users: 3, skipped_rows: 1, first_ts: '2024-01-01T09:00:00.000Z', last_ts: '2024-01-08T23:59:59.000Z',
};

function csv(rows: Record<string, unknown>[], delimiter = ','): string {
  const names = Object.keys(rows[0]);
  const cell = (v: unknown) => (v === null || v === undefined ? '' : String(v));
  return [names.join(delimiter), ...rows.map((r) => names.map((n) => cell(r[n])).join(delimiter))].join('\n') + '\n';
}

/** SMALL_LOG written in every format the loader reads, keyed by file name. */
export async function smallLogFiles(): Promise<Record<string, Uint8Array>> {
  const encode = (text: string) => new TextEncoder().encode(text);
  const columns = {
    user_id: SMALL_LOG.map((r) => r.user_id),
    event: SMALL_LOG.map((r) => r.event),
    ts: SMALL_LOG.map((r) => r.ts),
    revenue: SMALL_LOG.map((r) => r.revenue),
    plan: SMALL_LOG.map((r) => r.plan),
  };
  const arrow = tableFromArrays(columns);
  const ipc = tableToIPC(arrow, 'stream');
  const parquet = await ipcToParquet(ipc);
  const files: Record<string, Uint8Array> = {
    'small.csv': encode(csv(SMALL_LOG)),
    'small.tsv': encode(csv(SMALL_LOG, '\t')),
    'small.ndjson': encode(SMALL_LOG.map((r) => JSON.stringify(r)).join('\n') + '\n'),
    'small.json': encode(JSON.stringify(SMALL_LOG)),
    'small.parquet': parquet,
    'small.arrow': tableToIPC(arrow, 'file'),
  };
  files['small.csv.gz'] = gzipSync(files['small.csv']);
  files['small.ndjson.gz'] = gzipSync(files['small.ndjson']);
  files['small.parquet.gz'] = gzipSync(parquet);
  return files;
}
