/** The bad files every loading surface (engine, CLI, page) must refuse with a clear message. */
export interface BadFile {
  problem: string;
  name: string;
  text: string;
  /** What the loader (and the page) says. */
  message: RegExp;
  /** What the command line says, when it adds to that (the `--map` that fixes it). */
  cli?: RegExp;
  /** The page opens the file in its import step instead (the person can fix it there), saying this. */
  importStep?: RegExp;
}

export const BAD_FILES: BadFile[] = [
  { problem: 'an empty file', name: 'empty.csv', text: '', message: /^file "empty\.csv": is empty$/ },
  { problem: 'a file of blank lines', name: 'blank.csv', text: '\n\n  \n', message: /^file "blank\.csv": is empty$/ },
  { problem: 'a header and no rows', name: 'header.csv', text: 'user_id,event,ts\n', message: /^file "header\.csv": has a header \(user_id, event, ts\) but no rows$/ },
  { problem: 'no user column', name: 'nouser.csv', text: 'event,ts\nopen,2024-01-01\n', message: /^file "nouser\.csv": no user column: none of its columns \("event", "ts"\) looks like a user id$/,
    cli: /^file "nouser\.csv": no user column: none of its columns \("event", "ts"\) looks like a user id; name one with --map user_id=COLUMN$/,
    importStep: /^No user column: none of its columns \("event", "ts"\) looks like a user id\. Choose below what the columns are\.$/ },
  {
    problem: 'an unparseable timestamp', name: 'dates.csv', text: 'user_id,event,ts\na,open,2024-01-01\nb,open,2024-01-02\nc,open,yesterday\n',
    message: /^file "dates\.csv", column "ts": "yesterday" \(row 3\) is not a date or time cohortbook can read/,
    importStep: /^Column "ts": "yesterday" \(row 3\) is not a date or time cohortbook can read; .*\. Choose below what the columns are\.$/,
  },
  { problem: 'a binary file with a .csv name', name: 'photo.csv', text: '\x89PNG\r\n\x1a\n\0\0\0\rIHDR', message: /^file "photo\.csv": is not a CSV text file \(byte 8 is binary\): it is not text$/ },
  {
    problem: 'a Parquet file with a .csv name', name: 'events.csv', text: 'PAR1\0\0\0\0\0\0\0\0PAR1',
    message: /^file "events\.csv": is not a CSV text file \(byte 4 is binary\): it looks like a Parquet file; give it a \.parquet name$/,
  },
  {
    problem: 'a truncated NDJSON line', name: 'cut.ndjson',
    text: '{"user_id":"a","event":"x","ts":"2024-01-01"}\n{"user_id":"b","event":"x","ts":"2024-01-01"}\n{"user_id":"c","ev',
    message: /^file "cut\.ndjson", line 3: truncated JSON record: \{"user_id":"c","ev/,
  },
  {
    problem: 'a malformed NDJSON line in the middle', name: 'bad.ndjson',
    text: '{"user_id":"a","event":"x","ts":"2024-01-01"}\n{user_id: b}\n{"user_id":"c","event":"x","ts":"2024-01-01"}\n',
    message: /^file "bad\.ndjson", line 2: malformed JSON record: \{user_id: b\}/,
  },
  { problem: 'an unknown extension', name: 'events.sav', text: 'PK\x03\x04', message: /^file "events\.sav": unknown file type "\.sav"/ },
  {
    problem: 'a corrupt Excel workbook', name: 'broken.xlsx', text: 'PK\x03\x04 not really a workbook',
    message: /^file "broken\.xlsx": cannot be read as an Excel workbook \(.+\); it may be damaged, or saved in another format/,
  },
  { problem: 'a corrupt gzip file', name: 'broken.csv.gz', text: '\x1f\x8b\x08\0garbage', message: /^file "broken\.csv\.gz": is not a readable gzip file/ },
  {
    problem: 'a corrupt Parquet file', name: 'broken.parquet', text: 'PAR1 not really parquet PAR1',
    message: /^file "broken\.parquet": cannot be read as Parquet \(.+\); it may be damaged or cut short: export it again$/,
  },
];

/** The file's bytes: each character of `text` is one byte, so binary content stays binary. */
export function badFileBytes(file: BadFile): Uint8Array {
  return Uint8Array.from(file.text, (c) => c.charCodeAt(0));
}
