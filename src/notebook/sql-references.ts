/** The names a SQL cell may read, found in its text with strings and comments left out. */
export interface SqlReferences {
  /** Names right after FROM or JOIN (the last part of a dotted name), in order. */
  tables: string[];
  /**
   * Every identifier token that could name a table, keywords included: all except function names
   * (followed by `(`), members (after `.`, unless right after FROM/JOIN) and aliases (after `AS`).
   */
  identifiers: string[];
}

const TOKEN = /'(?:[^']|'')*'?|"((?:[^"]|"")*)"?|\$(\w*)\$[\s\S]*?\$\2\$|--[^\n]*|\/\*[\s\S]*?(?:\*\/|$)|([A-Za-z_][A-Za-z0-9_$]*)|(\S)/g;

/**
 * Lists the names a SQL cell reads, for the notebook's dependency graph: a cell's name counts when
 * any identifier token equals it, compared without regard to case as DuckDB does.
 *
 * @example
 * sqlReferences("SELECT c.week FROM main.cohorts c JOIN \"Big Spenders\" b USING (user_id) -- from x");
 * // { tables: ['cohorts', 'Big Spenders'],
 * //   identifiers: ['SELECT', 'c', 'FROM', 'main', 'JOIN', 'Big Spenders', 'b', 'user_id', 'cohorts'] }
 */
export function sqlReferences(sql: string): SqlReferences {
  const tokens: { text: string; identifier: boolean; quoted: boolean }[] = [];
  for (const match of sql.matchAll(TOKEN)) {
    const [whole, quoted, , bare, symbol] = match;
    if (quoted !== undefined) tokens.push({ text: quoted.replace(/""/g, '"'), identifier: true, quoted: true });
    else if (bare !== undefined) tokens.push({ text: bare, identifier: true, quoted: false });
    else if (symbol !== undefined) tokens.push({ text: symbol, identifier: false, quoted: false });
    else if (whole.startsWith("'") || whole.startsWith('$')) tokens.push({ text: '', identifier: false, quoted: false });
  }
  const keyword = (i: number, word: string) => {
    const token = tokens[i];
    return token !== undefined && token.identifier && !token.quoted && token.text.toUpperCase() === word;
  };
  const tables: string[] = [];
  const identifiers: string[] = [];
  tokens.forEach((token, i) => {
    if (!token.identifier) return;
    const next = tokens[i + 1];
    if (next && !next.identifier && next.text === '(') return;
    if (i > 0 && !tokens[i - 1].identifier && tokens[i - 1].text === '.') return;
    if (keyword(i - 1, 'AS')) return;
    identifiers.push(token.text);
  });
  tokens.forEach((token, i) => {
    if (!keyword(i, 'FROM') && !keyword(i, 'JOIN')) return;
    let j = i + 1;
    while (tokens[j + 1]?.text === '.' && tokens[j + 2]?.identifier) j += 2;
    if (tokens[j]?.identifier) tables.push(tokens[j].text);
  });
  return { tables, identifiers: [...new Set([...identifiers, ...tables])] };
}

/**
 * Whether SQL text mentions a name (a cell's), compared without regard to case as DuckDB does.
 *
 * @example
 * sqlMentions(sqlReferences('select * from Cohorts'), 'cohorts'); // true
 */
export function sqlMentions(references: SqlReferences, name: string): boolean {
  const lower = name.toLowerCase();
  return references.identifiers.some((identifier) => identifier.toLowerCase() === lower);
}
