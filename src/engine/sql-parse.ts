import type { ScriptTokens } from './bind-variables.ts';

/** One statement of a SQL text, as DuckDB's own tokenizer splits it at `;`. */
export interface SqlStatement {
  /** The statement from its first token to its end, without the `;` (trailing comments kept). */
  text: string;
  /** Where it begins in the whole text (0-based), and as a line and column counted from 1. */
  offset: number;
  line: number;
  column: number;
}

/** What DuckDB's parser says about a SQL text. */
export interface ParsedSql {
  /** Its statements, in order; empty for a text of only whitespace and comments. */
  statements: SqlStatement[];
  /**
   * The tables and views the statements read, as DuckDB's binder names them in its name-extraction
   * mode (FROM, JOIN, comma joins, subqueries; CTE names are not tables), in order, each once, as
   * written. Null when DuckDB could not tell: the text does not parse (yet) or names something
   * the binder cannot place.
   */
  tables: string[] | null;
}

/** The two parser entry points every DuckDB build gives: its tokenizer and its table-name extraction. */
export interface DuckDBParser {
  tokenize(sql: string): ScriptTokens | Promise<ScriptTokens>;
  tableNames(sql: string): readonly string[] | Promise<readonly string[]>;
}

const OPERATOR = 3;

/**
 * Splits SQL text into statements at the `;` tokens of DuckDB's own tokenizer, so a `;` inside a
 * string, a quoted name or a comment never splits. (DuckDB's statement extraction itself is not
 * used for counting: it turns one `PIVOT` into several statements of its own making.)
 *
 * @example
 * splitStatements("SELECT ';' AS s; SELECT 2", db.tokenize("SELECT ';' AS s; SELECT 2")).map((s) => s.text);
 * // ["SELECT ';' AS s", 'SELECT 2']
 */
export function splitStatements(sql: string, tokens: ScriptTokens): SqlStatement[] {
  const statements: SqlStatement[] = [];
  let first = -1;
  const close = (end: number) => {
    if (first < 0) return;
    const before = sql.slice(0, first);
    const line = before.split('\n').length;
    statements.push({ text: sql.slice(first, end).trimEnd(), offset: first, line, column: first - before.lastIndexOf('\n') });
    first = -1;
  };
  tokens.offsets.forEach((offset, i) => {
    if (tokens.types[i] === OPERATOR && sql[offset] === ';') close(offset);
    else if (first < 0) first = offset;
  });
  close(sql.length);
  return statements;
}

/**
 * Parses SQL text with a DuckDB build's parser: its statements (split by DuckDB's tokenizer) and
 * the tables they read (DuckDB's binder, in name-extraction mode, which needs no table to exist).
 *
 * @example
 * await parseWith(parser, 'WITH t AS (SELECT * FROM events) SELECT * FROM t, cohorts');
 * // { statements: [{ text: 'WITH t AS ...', ... }], tables: ['events', 'cohorts'] }
 */
export async function parseWith(parser: DuckDBParser, sql: string): Promise<ParsedSql> {
  const statements = splitStatements(sql, await parser.tokenize(sql));
  const tables = new Map<string, string>();
  try {
    for (const statement of statements) {
      for (const name of await parser.tableNames(statement.text)) if (!tables.has(name.toLowerCase())) tables.set(name.toLowerCase(), name);
    }
  } catch {
    return { statements, tables: null };
  }
  return { statements, tables: [...tables.values()] };
}

/**
 * The SQL that makes every engine behave the same offline and keeps every query inside what
 * cohortbook registered: no extension is installed or loaded, DuckDB reads and writes only the
 * files under `filesDirectory` (where `Engine.registerFile` puts the person's data), and the
 * configuration is then locked so no statement can turn any of this back on.
 */
export function lockdownSql(filesDirectory: string, before: string[] = []): string[] {
  return [
    'SET autoinstall_known_extensions = false',
    'SET autoload_known_extensions = false',
    ...before,
    `SET allowed_directories = ['${filesDirectory.replaceAll("'", "''")}']`,
    'SET enable_external_access = false',
    'SET lock_configuration = true',
  ];
}
