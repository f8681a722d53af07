/**
 * A SQL cell's error in a person's terms. DuckDB's own text ("Binder Error: Referenced column
 * "usr" not found in FROM clause! Candidate bindings: ...", a `LINE 1:` echo of the SQL and a
 * caret) is the database talking to its developers; a notebook says what is wrong with the cell
 * and where, and keeps DuckDB's suggestion when it has one. The place comes from the caret: the
 * text under it is looked up in the cell, since DuckDB echoes the SQL it ran, which for a named
 * cell is wrapped in `CREATE OR REPLACE TABLE … AS`.
 */

/** What a SQL cell shows for a database error: a sentence, and where in the cell when known. */
export interface SqlCellProblem {
  message: string;
  /** 1-based line in the cell's text. */
  line?: number;
  /** 1-based column in the cell's text. */
  column?: number;
}

// DuckDB's internal type names, as the types a person writes
const TYPE_NAMES: Record<string, string> = {
  INT8: 'TINYINT', INT16: 'SMALLINT', INT32: 'INTEGER', INT64: 'BIGINT', INT128: 'HUGEINT', UINT8: 'UTINYINT',
  UINT16: 'USMALLINT', UINT32: 'UINTEGER', UINT64: 'UBIGINT', FLOAT: 'REAL', STRING_LITERAL: 'text', INTEGER_LITERAL: 'a number',
};
const typeName = (type: string) => TYPE_NAMES[type.trim()] ?? type.trim();
const argumentTypes = (list: string) => list.split(',').map(typeName).join(', ');

// catalog names a person never made: DuckDB's "did you mean" picks them for a name unlike any table
const SYSTEM_NAME = /^(pg_|duckdb_|information_schema|sqlite_|pragma_)/;

/** "did you mean" from DuckDB's hint lines, unless it names one of DuckDB's own catalog tables. */
function suggestion(detail: string[]): string {
  const guess = detail.map((line) => /^Did you mean "([^"]+)"\?/.exec(line)?.[1]).find((g) => g !== undefined);
  return guess && !SYSTEM_NAME.test(guess) ? ` (did you mean "${guess}"?)` : '';
}

/** The quoted names of a `Candidate bindings: "a", "b"` line. */
function candidates(detail: string[]): string[] {
  const line = detail.find((l) => l.startsWith('Candidate bindings:'));
  return line ? [...line.matchAll(/"([^"]+)"/g)].map((m) => m[1].replace(/^.*\./, '')) : [];
}

const unqualified = (text: string) => text.replace(/\bmemory\.main\./g, '');

/** The sentence for DuckDB's error kind and message, or null when no rule knows it. */
function sentence(first: string, detail: string[]): string | null {
  let m: RegExpExecArray | null;
  if ((m = /^Table with name (.+?) does not exist!?$/.exec(first))) return `there is no table "${m[1]}"${suggestion(detail)}`;
  if ((m = /^(Scalar|Table|Aggregate|Pragma) Function with name (.+?) does not exist!?$/.exec(first))) return `there is no function ${m[2]}()${suggestion(detail).replace(/"([^"]+)"\?\)$/, '$1()?)')}`;
  if ((m = /^Referenced column "(.+?)" not found in FROM clause!?$/.exec(first))) {
    const names = candidates(detail);
    return `there is no column "${m[1]}" in what this query reads${names.length ? ` (did you mean "${names[0]}"?)` : ''}`;
  }
  if ((m = /^(?:Table|Values list) "(.+?)" does not have a column named "(.+?)"$/.exec(first))) {
    const names = candidates(detail).slice(0, 8);
    return `"${m[1]}" has no column "${m[2]}"${names.length ? `; its columns include ${names.map((n) => `"${n}"`).join(', ')}` : ''}`;
  }
  if ((m = /^column "(.+?)" must appear in the GROUP BY clause/.exec(first))) {
    return `"${m[1]}" is neither grouped nor aggregated: add it to GROUP BY, or wrap it in an aggregate such as any_value(${m[1]})`;
  }
  if ((m = /^syntax error at or near "(.+)"$/.exec(first))) return `the SQL cannot be read at "${m[1]}"`;
  if (/^syntax error at end of input$/.test(first)) return 'the SQL ends too early: something is missing at its end';
  if ((m = /^Could not convert string '(.*)' to (\w+)$/.exec(first))) return `the text '${m[1]}' cannot be read as ${typeName(m[2])}`;
  if ((m = /^No function matches the given name and argument types '(\w+)\((.*)\)'/.exec(first))) {
    const forms = detail.filter((l) => /^\t\w+\(/.test(l)).map((l) => l.trim().replace(/ -> .*$/, '')).slice(0, 4);
    return `${m[1]}() does not take (${argumentTypes(m[2])})${forms.length ? `; it takes ${forms.join(' or ')}` : ''}: cast the arguments to one of those types`;
  }
  if ((m = /^Could not choose a best candidate function for the function call "(.+?)\((.*)\)"/.exec(first))) {
    return `"${m[1]}" has more than one meaning for (${argumentTypes(m[2])}): cast an argument, such as CAST(x AS INTEGER) or x::VARCHAR`;
  }
  if ((m = /^Could not parse string "(.*)" according to format specifier "(.*)"$/.exec(first))) {
    const why = detail.map((l) => /^Error: (.+)$/.exec(l)?.[1]).find((w) => w !== undefined);
    return `the text "${m[1]}" does not match the format "${m[2]}"${why ? ` (${why.charAt(0).toLowerCase()}${why.slice(1)})` : ''}`;
  }
  // external access is off (issue 14): say what a cell may read, not which switch refused it
  if ((m = /^Cannot access file "(.+?)" - file system operations are disabled/.exec(first)) || (m = /^File (\S+) requires the extension \w+ to be loaded/.exec(first))) {
    return `a cell can use only the data loaded into the notebook: "${m[1]}" is outside it`;
  }
  if ((m = /^No files found that match the pattern "(.+?)"/.exec(first))) return `there is no file "${m[1]}" among the data loaded into the notebook`;
  if (/^Loading external extensions is disabled/.test(first)) return 'a cell cannot load database extensions: cohortbook works offline with what it ships';
  if ((m = /^Cannot change configuration option "(.+?)" - the configuration has been locked/.exec(first))) return `a cell cannot change the database's settings ("${m[1]}")`;
  if ((m = /^Ambiguous reference to table "(.+?)"/.exec(first))) return `"${unqualified(m[1])}" is read twice in this query: give one of them a name of its own (… AS other)`;
  return null;
}

/** 1-based line and column of `offset` in `text`. */
function position(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

/** Where the caret of DuckDB's `LINE n:` echo points, found in the cell's own text. */
function caretPlace(lines: string[], cellText: string): { line: number; column: number } | undefined {
  const at = lines.findIndex((l) => /^LINE \d+: /.test(l));
  if (at < 0 || at + 1 >= lines.length) return undefined;
  const echo = lines[at].replace(/^LINE \d+: /, '');
  const caret = lines[at + 1].indexOf('^') - (lines[at].length - echo.length);
  if (caret < 0) return undefined;
  // the text from the caret on, cut where DuckDB elided the rest; shorter pieces until one is found
  const rest = echo.slice(caret).replace(/\.\.\.$/, '');
  for (let length = Math.min(rest.length, 40); length > 0; length--) {
    const piece = rest.slice(0, length);
    const found = cellText.indexOf(piece);
    if (found >= 0 && (length >= 3 || cellText.indexOf(piece, found + 1) < 0)) return position(cellText, found);
  }
  return undefined;
}

/**
 * A SQL cell's error from DuckDB's message (`QueryError.reason`) and the cell's text: a sentence in
 * a person's terms, with the line and column of the cell where DuckDB points.
 *
 * @example
 * sqlCellError('Catalog Error: Table with name evnts does not exist!\nDid you mean "events"?\n\nLINE 1: SELECT * FROM evnts\n                      ^', 'SELECT * FROM evnts');
 * // { message: 'there is no table "evnts" (did you mean "events"?)', line: 1, column: 15 }
 */
export function sqlCellError(reason: string, cellText: string): SqlCellProblem {
  const lines = reason.split('\n');
  const head = /^[A-Za-z ]+? Error: (.*)$/.exec(lines[0]);
  const first = (head?.[1] ?? lines[0]).trim();
  const lineAt = lines.findIndex((l) => /^LINE \d+: /.test(l));
  const detail = lines.slice(1, lineAt < 0 ? undefined : lineAt).filter((l) => l.trim() !== '');
  const known = sentence(first, detail);
  // a message no rule knows keeps DuckDB's sentence, without its error class, echo and hints
  const message = known ?? unqualified(first.replace(/!$/, ''));
  const place = caretPlace(lines, cellText);
  return place ? { message, ...place } : { message };
}
