// The help text. It names the analysis kinds itself instead of asking the registry, so that
// `cohortbook --help` prints without loading the analyses (test/cli/start.test.ts keeps the list
// equal to `analysisKinds()`).

/** Every analysis `cohortbook analyze` knows, as `spec.kind`. */
export const ANALYSIS_KINDS = [
  'ab_test', 'active_users', 'churn', 'cohort', 'correlation', 'funnel', 'growth', 'lifecycle', 'ltv', 'paths', 'purchases', 'retention', 'rfm',
  'sessions', 'stickiness', 'survey', 'trends',
];

/** The commands, for the unknown-command message. */
export const COMMANDS = ['load', 'analyze', 'run', 'check', 'serve', 'open'];

/** What `cohortbook --help` prints. */
export const USAGE = `cohortbook — product analytics on event logs, offline

Usage:
  cohortbook load    --events FILE [--map user_id=COL,event=COL,ts=COL,revenue=COL] [--engine wasm|native]
  cohortbook analyze --events FILE --spec SPEC.json [--map ...] [--engine wasm|native]
  cohortbook run     NOTEBOOK.md [--data name=FILE ...] [--out report.html] [--for student|teacher] [--trust] [--engine wasm|native]
  cohortbook check   NOTEBOOK.md [--data name=FILE ...] [--trust] [--engine wasm|native]
  cohortbook serve   [NOTEBOOK.md] [--data name=FILE ...] [--port N] [--trust]
  cohortbook open    [NOTEBOOK.md] [--data name=FILE ...] [--port N] [--trust]

Options:
  --events FILE     CSV, TSV, JSON, NDJSON, Parquet, Arrow or Excel (.xlsx) file, optionally .gz; also a
                    directory or a quoted glob ('exports/*.csv.gz'); repeat it: several files are one log
  --encoding ENC    the text's encoding: utf-8, utf-16le, utf-16be, windows-1251, windows-1252 (detected when absent)
  --sheet NAME      the sheet of an Excel workbook to read (default: the first)
  --map MAPPING     override the guessed columns; event=:purchase names the one event of a file without an event column
  --engine KIND     wasm (DuckDB-WASM, the browser's engine; default) or native (DuckDB, multi-threaded)
  --spec SPEC       a JSON file or inline JSON with a "kind" (${ANALYSIS_KINDS.join(', ')})
  --format FORMAT   read the file as csv, tsv, json, parquet, arrow or xlsx whatever its name
  --delimiter CHAR  CSV field delimiter (detected when absent)
  --tz ZONE         the IANA zone of the file's times that carry no offset (default UTC), e.g. Europe/London
  --data NAME=FILE  run, check, serve: load FILE as source NAME (default: the data the notebook's front matter names)
  --out FILE        run: where the static HTML report goes (default: NOTEBOOK.html)
  --for WHOM        run: teacher (default: every output, each exercise's check and answer) or student
                    (a worksheet: prose, code and questions; no outputs, checks or answers)
  --port N          serve, open: the local port (default 4410; 0 picks a free one)
  --trust           run: run the notebook's JavaScript cells too (they can use this machine as any program can);
                    without it they are reported as not run and the exit code is 3 (the notebooks
                    cohortbook ships always run whole)
                    check: run exercises' JavaScript checks too
                    serve, open: run the notebook's JavaScript cells without asking first

check runs the notebook and every exercise's check on its data; it fails (exit 1) when an exercise
has no check or its check errs, and prints each expected answer.

serve starts the workspace from this package on http://127.0.0.1:PORT/ (no network needed) with the
notebook and data given; open does the same and opens it in the default browser.
JSON goes to stdout; progress and messages to stderr.`;
