// The help text. It names the analysis kinds itself instead of asking the registry, so that
// `cohortbook --help` prints without loading the analyses (test/cli/start.test.ts keeps the list
// equal to `analysisKinds()`).

/** Every analysis `cohortbook analyze` knows, as `spec.kind`. */
export const ANALYSIS_KINDS = [
  'ab_test', 'active_users', 'churn', 'funnel', 'growth', 'lifecycle', 'ltv', 'paths', 'purchases', 'retention', 'rfm',
  'sessions', 'stickiness', 'survey', 'trends',
];

/** The commands, for the unknown-command message. */
export const COMMANDS = ['load', 'analyze', 'run', 'serve', 'open'];

/** What `cohortbook --help` prints. */
export const USAGE = `cohortbook — product analytics on event logs, offline

Usage:
  cohortbook load    --events FILE [--map user_id=COL,event=COL,ts=COL,revenue=COL] [--engine wasm|native]
  cohortbook analyze --events FILE --spec SPEC.json [--map ...] [--engine wasm|native]
  cohortbook run     NOTEBOOK.md [--data name=FILE ...] [--out report.html] [--trust] [--engine wasm|native]
  cohortbook serve   [NOTEBOOK.md] [--data name=FILE ...] [--port N] [--trust]
  cohortbook open    [NOTEBOOK.md] [--data name=FILE ...] [--port N] [--trust]

Options:
  --events FILE     CSV, TSV, JSON, NDJSON, Parquet or Arrow file, optionally .gz
  --map MAPPING     override the guessed columns; event=:purchase names the one event of a file without an event column
  --engine KIND     wasm (DuckDB-WASM, the browser's engine; default) or native (DuckDB, multi-threaded)
  --spec SPEC       a JSON file or inline JSON with a "kind" (${ANALYSIS_KINDS.join(', ')})
  --format FORMAT   read the file as csv, tsv, json, parquet or arrow whatever its name
  --delimiter CHAR  CSV field delimiter (detected when absent)
  --tz ZONE         the IANA zone of the file's times that carry no offset (default UTC), e.g. Europe/London
  --data NAME=FILE  run, serve: load FILE as source NAME (default: the data the notebook's front matter names)
  --out FILE        run: where the static HTML report goes (default: NOTEBOOK.html)
  --port N          serve, open: the local port (default 4410; 0 picks a free one)
  --trust           run: run the notebook's JavaScript cells too (they can use this machine as any program can);
                    without it they are reported as not run and the exit code is 3 (the notebooks
                    cohortbook ships always run whole)
                    serve, open: run the notebook's JavaScript cells without asking first

serve starts the workspace from this package on http://127.0.0.1:PORT/ (no network needed) with the
notebook and data given; open does the same and opens it in the default browser.
JSON goes to stdout; progress and messages to stderr.`;
