/** The tables a SQL cell's text seems to read, when DuckDB's parser cannot say (text being typed). */
export interface SqlReferences {
  /** Names in table position (after FROM or JOIN, or a comma in a FROM clause), CTE names left out, in order. */
  tables: string[];
}

const TOKEN = /'(?:[^']|'')*'?|"((?:[^"]|"")*)"?|\$(\w*)\$[\s\S]*?\$\2\$|--[^\n]*|\/\*[\s\S]*?(?:\*\/|$)|([A-Za-z_][A-Za-z0-9_$]*)|(\S)/g;

interface Token {
  text: string;
  identifier: boolean;
  quoted: boolean;
}

/** Keywords that end a FROM clause at its own depth. */
const CLAUSE_END = new Set(['WHERE', 'GROUP', 'HAVING', 'ORDER', 'LIMIT', 'OFFSET', 'QUALIFY', 'WINDOW', 'UNION', 'EXCEPT', 'INTERSECT', 'SELECT', 'RETURNING', 'FETCH']);
/** Keywords after which a table name follows. */
const TABLE_BEFORE = new Set(['FROM', 'JOIN', 'PIVOT', 'UNPIVOT', 'DESCRIBE', 'SUMMARIZE']);
/** Words before `(` that open a subquery or a list rather than a function call's arguments. */
const NOT_A_CALL = new Set(['IN', 'EXISTS', 'AS', 'FROM', 'JOIN', 'LATERAL', 'ANY', 'ALL', 'SOME', 'ARRAY', 'NOT', 'ON', 'USING', 'VALUES', 'MATERIALIZED', 'SELECT', 'WHERE', 'AND', 'OR', 'THEN', 'ELSE', 'WHEN', 'UNION', 'EXCEPT', 'INTERSECT']);
/** Words that begin the main statement after a WITH list. */
const STATEMENT_START = new Set(['SELECT', 'FROM', 'INSERT', 'UPDATE', 'DELETE', 'VALUES', 'PIVOT', 'UNPIVOT', 'TABLE']);

function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  for (const match of sql.matchAll(TOKEN)) {
    const [whole, quoted, , bare, symbol] = match;
    if (quoted !== undefined) tokens.push({ text: quoted.replace(/""/g, '"'), identifier: true, quoted: true });
    else if (bare !== undefined) tokens.push({ text: bare, identifier: true, quoted: false });
    else if (symbol !== undefined) tokens.push({ text: symbol, identifier: false, quoted: false });
    else if (whole.startsWith("'") || whole.startsWith('$')) tokens.push({ text: '', identifier: false, quoted: false });
  }
  return tokens;
}

/**
 * Finds the tables SQL text seems to read from its tokens alone: the fallback for text DuckDB's
 * parser cannot place (it does not parse yet, or names a macro the binder does not know). Strings
 * and comments are skipped; a name after FROM or JOIN, or after a comma in a FROM clause, is a
 * table (the last part of a dotted name) unless a `(` follows it (a table function); FROM inside a
 * function call (`extract(year FROM ts)`) is not a clause; CTE names are left out.
 *
 * @example
 * sqlReferences('WITH w AS (SELECT * FROM events) SELECT * FROM w, main.cohorts c JOIN "Big Spenders" USING (user_id)').tables;
 * // ['events', 'cohorts', 'Big Spenders']
 */
export function sqlReferences(sql: string): SqlReferences {
  const tokens = tokenize(sql);
  const keyword = (token: Token | undefined, ...words: string[]) =>
    token !== undefined && token.identifier && !token.quoted && words.includes(token.text.toUpperCase());
  const tables: string[] = [];
  const ctes = new Set<string>();
  /** Per open parenthesis: whether it holds a function call's arguments. */
  const parens: boolean[] = [];
  /** The depths at which a FROM clause is open. */
  const clauses: number[] = [];
  let expectTable = false;
  let withDepth = -1;
  let expectCte = false;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    const depth = parens.length;
    const inClause = clauses.at(-1) === depth;
    if (!token.identifier) {
      if (token.text === '(') {
        const before = tokens[i - 1];
        parens.push(!!before?.identifier && (before.quoted || !NOT_A_CALL.has(before.text.toUpperCase())));
        expectTable = false;
        expectCte = false;
      } else if (token.text === ')') {
        while (clauses.at(-1) === depth) clauses.pop();
        parens.pop();
        if (withDepth > parens.length) withDepth = -1;
      } else if (token.text === ',') {
        if (inClause) expectTable = true;
        else if (withDepth === depth) expectCte = true;
      } else if (token.text === ';') {
        clauses.length = 0;
        parens.length = 0;
        withDepth = -1;
        expectTable = expectCte = false;
      }
      continue;
    }
    if (keyword(token, 'WITH')) {
      withDepth = depth;
      expectCte = true;
      continue;
    }
    if (expectCte) {
      if (!keyword(token, 'RECURSIVE')) {
        ctes.add(token.text.toLowerCase());
        expectCte = false;
      }
      continue;
    }
    if (withDepth === depth && keyword(token, ...STATEMENT_START)) withDepth = -1;
    if (keyword(token, ...TABLE_BEFORE)) {
      if (parens.at(-1) === true) continue;
      if (keyword(token, 'FROM', 'JOIN') && !inClause) clauses.push(depth);
      expectTable = true;
      continue;
    }
    if (inClause && keyword(token, ...CLAUSE_END)) {
      clauses.pop();
      expectTable = false;
      continue;
    }
    if (!expectTable) continue;
    expectTable = false;
    if (keyword(token, 'LATERAL', 'ONLY')) {
      expectTable = true;
      continue;
    }
    let last = i;
    while (tokens[last + 1]?.text === '.' && tokens[last + 2]?.identifier) last += 2;
    if (tokens[last + 1]?.text === '(' && !tokens[last + 1].identifier) continue;
    tables.push(tokens[last].text);
    i = last;
  }
  return { tables: [...new Set(tables)].filter((name) => !ctes.has(name.toLowerCase())) };
}

/**
 * Whether a list of tables (as DuckDB's parser or `sqlReferences` names them) holds a name,
 * compared without regard to case as DuckDB compares names, quoted or not.
 *
 * @example
 * readsTable(['Cohorts'], 'cohorts'); // true
 */
export function readsTable(tables: readonly string[], name: string): boolean {
  const lower = name.toLowerCase();
  return tables.some((table) => table.toLowerCase() === lower);
}
