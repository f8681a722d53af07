import type { SqlValue } from './engine.ts';

/**
 * ClickHouse binds values by name and type (`{p0:String}`), DuckDB by position (`?`). The analytics
 * layer writes `?`; this turns each `?` outside string literals, quoted identifiers and comments
 * into a typed ClickHouse parameter, so the values are still bound by the server, never pasted in.
 */

/** The `?` placeholders and top-level `;` of SQL text, found outside literals, identifiers and comments. */
function scan(sql: string, onMark: (index: number, mark: '?' | ';') => void): void {
  let i = 0;
  while (i < sql.length) {
    const c = sql[i];
    if (c === "'" || c === '"' || c === '`') {
      // ClickHouse reads both a doubled quote and a backslash as an escape inside quotes
      i++;
      for (;;) {
        while (i < sql.length && sql[i] !== c) i += sql[i] === '\\' ? 2 : 1;
        if (sql[i + 1] !== c) break;
        i += 2; // a doubled quote: the literal goes on
      }
      i++;
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? sql.length : end;
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? sql.length : end + 2;
    } else {
      if (c === '?' || c === ';') onMark(i, c);
      i++;
    }
  }
}

function clickhouseType(value: SqlValue): string {
  if (value === null) return 'Nullable(String)';
  if (typeof value === 'boolean') return 'Bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'Int64' : 'Float64';
  return 'String';
}

/**
 * SQL with `?` placeholders as ClickHouse named parameters and the values by name.
 *
 * @example
 * bindClickHouse('SELECT count() FROM events WHERE event = ?', ['signup'])
 * // { sql: 'SELECT count() FROM events WHERE event = {p0:String}', values: { p0: 'signup' } }
 */
export function bindClickHouse(sql: string, params: readonly SqlValue[]): { sql: string; values: Record<string, SqlValue> } {
  const marks: number[] = [];
  scan(sql, (index, mark) => { if (mark === '?') marks.push(index); });
  if (marks.length !== params.length) {
    throw new Error(`the SQL has ${marks.length} placeholder(s) but ${params.length} value(s) were given`);
  }
  const values: Record<string, SqlValue> = {};
  let out = '';
  let last = 0;
  marks.forEach((index, n) => {
    out += `${sql.slice(last, index)}{p${n}:${clickhouseType(params[n])}}`;
    values[`p${n}`] = params[n];
    last = index + 1;
  });
  return { sql: out + sql.slice(last), values };
}

/**
 * Statements separated by `;` (outside literals and comments), without empty ones.
 *
 * @example
 * splitClickHouseStatements("CREATE VIEW a AS SELECT ';'; DROP TABLE b") // ["CREATE VIEW a AS SELECT ';'", 'DROP TABLE b']
 */
export function splitClickHouseStatements(sql: string): string[] {
  const cuts: number[] = [];
  scan(sql, (index, mark) => { if (mark === ';') cuts.push(index); });
  const statements: string[] = [];
  let start = 0;
  for (const cut of [...cuts, sql.length]) {
    const text = sql.slice(start, cut).trim();
    if (text) statements.push(text);
    start = cut + 1;
  }
  return statements;
}
