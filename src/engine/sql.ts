/**
 * The SQL dialect in one place: identifier and literal quoting for DuckDB. Analytics modules build
 * SQL text only through these helpers, so another engine's dialect can be added here.
 */

/** Quotes an identifier: `quoteIdent('Customer ID')` → `"Customer ID"`. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * Quotes a string literal. Only for values the program itself chose (file paths it registered,
 * format strings); values a person typed are bound as parameters instead.
 */
export function quoteString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
