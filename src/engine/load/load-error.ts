import { QueryError } from '../engine.ts';

/**
 * A file that cannot be loaded. The message names the file and, where known, the column and the
 * row or line, so a person can find the problem: `file "orders.csv": column "ts": "31/13/2011"
 * (row 18) is not a date or time`.
 */
export class LoadError extends Error {
  readonly file: string;
  /** The message without the file, column and line that lead it. */
  readonly problem: string;
  readonly column?: string;
  readonly line?: number;
  /**
   * The role of the mapping the problem is about (no user column, an unreadable time), when it is
   * one a person can fix by choosing another column: the import step then opens on it, and the
   * command line adds the `--map` that would fix it.
   */
  readonly role?: 'user_id' | 'event' | 'ts' | 'revenue';
  constructor(file: string, problem: string, where: { column?: string; line?: number; cause?: unknown; role?: LoadError['role'] } = {}) {
    const parts = [`file "${file}"`];
    if (where.column !== undefined) parts.push(`column "${where.column}"`);
    if (where.line !== undefined) parts.push(`line ${where.line}`);
    super(`${parts.join(', ')}: ${problem}`, { cause: where.cause });
    this.name = 'LoadError';
    this.file = file;
    this.problem = problem;
    this.column = where.column;
    this.line = where.line;
    this.role = where.role;
  }
}

/**
 * The database's reason for an error, without its `Catalog Error:`-style prefix, its hints and the
 * SQL: for the end of a sentence that says what went wrong in a person's terms.
 *
 * @example
 * databaseReason(new QueryError('Invalid Input Error: CSV Error on Line: 3', sql)); // 'CSV Error on Line: 3'
 */
export function databaseReason(error: unknown): string {
  const reason = error instanceof QueryError ? error.reason : String((error as Error)?.message ?? error);
  return reason.replace(/^[A-Za-z ]+ Error: /, '').split('\n').filter((line) => line.trim() && !/^(Possible fixes|\* |Original Line|  )/.test(line)).slice(0, 2).join(' ');
}
