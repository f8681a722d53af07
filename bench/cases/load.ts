import type { BenchCase } from '../bench-case.ts';

/**
 * Loading the event log, timed by `bench/run.ts` itself rather than through `runAnalysis`: on
 * DuckDB-WASM and native DuckDB it is `loadEvents` from the Parquet file and from the CSV file,
 * read from disk before the clock starts (as a dropped file is in memory in the browser), up to a
 * queryable `events` view with its summary (rows, users, first and last event). For Arquero it is
 * building a table of plain JS columns from the Parquet file (parquet-wasm, then Arrow).
 *
 * DESIGN.md's target: 10M events from Parquet loaded and queryable in under 10 s in Chromium.
 */
const load: BenchCase = {
  name: 'load events',
  spec: { kind: 'load', formats: ['parquet', 'csv'] },
  timedByHarness: true,
};

export default load;
