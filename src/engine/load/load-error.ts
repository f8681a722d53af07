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
  constructor(file: string, problem: string, where: { column?: string; line?: number; cause?: unknown } = {}) {
    const parts = [`file "${file}"`];
    if (where.column !== undefined) parts.push(`column "${where.column}"`);
    if (where.line !== undefined) parts.push(`line ${where.line}`);
    super(`${parts.join(', ')}: ${problem}`, { cause: where.cause });
    this.name = 'LoadError';
    this.file = file;
    this.problem = problem;
    this.column = where.column;
    this.line = where.line;
  }
}
