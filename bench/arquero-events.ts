import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tableFromIPC } from '@uwdata/flechette';
import * as aq from 'arquero';
import initParquetWasm, { readParquet } from 'parquet-wasm/esm';

const require = createRequire(import.meta.url);

/** Reuses one string object per distinct value, as a JS program holding a log would. */
function interned(values: ArrayLike<string>): string[] {
  const seen = new Map<string, string>();
  const out = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    let kept = seen.get(value);
    if (kept === undefined) seen.set(value, (kept = value));
    out[i] = kept;
  }
  return out;
}

/**
 * Reads a benchmark Parquet file into an Arquero table with plain JS columns (`user_id` and
 * `event` strings, `ts` epoch milliseconds, `revenue` number or null, `country` string): Arquero at its fastest,
 * without Arrow-backed columns decoding values on every access.
 *
 * @example
 * const events = await arqueroEvents(readFileSync('bench/data/events-1m.parquet'));
 * events.numRows(); // 1000000
 */
export async function arqueroEvents(parquet: Uint8Array): Promise<aq.ColumnTable> {
  await initParquetWasm({ module_or_path: readFileSync(require.resolve('parquet-wasm/esm/parquet_wasm_bg.wasm')) });
  const arrow = tableFromIPC(readParquet(parquet).intoIPCStream(), { useDate: false });
  const column = (name: string) => {
    const child = arrow.getChild(name);
    if (!child) throw new Error(`bench Parquet file: no column "${name}"`);
    return child.toArray();
  };
  return aq.table({
    user_id: interned(column('user_id') as string[]),
    event: interned(column('event') as string[]),
    ts: Float64Array.from(column('ts') as ArrayLike<number>),
    revenue: Array.from(column('revenue') as ArrayLike<number | null>),
    country: interned(column('country') as string[]),
  });
}
