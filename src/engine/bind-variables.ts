import { quoteString } from './sql.ts';

/** DuckDB's tokenizer output, as both DuckDB-WASM bindings return it. */
export interface ScriptTokens {
  offsets: number[];
  types: number[];
}

const OPERATOR = 3;

/**
 * Rewrites a query's `?` placeholders as `getvariable('name')` reads of session variables, so
 * that a parameterised query can run as a pending query, which DuckDB-WASM can cancel (its
 * prepared statements run to the end). The values are still bound, through prepared
 * `SET VARIABLE name = ?` statements: user text never enters the SQL. Placeholders are found with
 * DuckDB's own tokenizer, so a `?` inside a string or a comment is left alone. Returns null when
 * the placeholders and values do not pair up (the caller then prepares the statement instead).
 */
export function bindAsVariables(sql: string, tokens: ScriptTokens, count: number, prefix: string): { sql: string; names: string[] } | null {
  const offsets = tokens.offsets.filter((offset, i) => tokens.types[i] === OPERATOR && sql[offset] === '?' && !/[?|&]/.test(sql[offset + 1] ?? ''));
  if (offsets.length !== count) return null;
  const names = offsets.map((_, i) => `${prefix}_${i}`);
  let out = '';
  let last = 0;
  offsets.forEach((offset, i) => {
    out += `${sql.slice(last, offset)}getvariable(${quoteString(names[i])})`;
    last = offset + 1;
  });
  return { sql: out + sql.slice(last), names };
}
