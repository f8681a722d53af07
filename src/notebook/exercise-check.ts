import { isArqueroTable } from './run-sql-cell.ts';
import type { ExerciseSpec, Tolerance } from './exercise-spec.ts';

/*
 * Judging a student's answer against the expected one that the teacher's check computed. Verdicts
 * carry a reason and its values rather than a sentence, so that the interface says them in the
 * student's language (the UI's catalogue has a message per reason); `verdictText` is the English.
 */

/** The expected answer, as the check computed it: one value, or a table. */
export type Expected =
  | { kind: 'value'; value: number | string | boolean | null }
  | { kind: 'table'; columns: string[]; rows: Record<string, unknown>[] };

/** Why an answer is right, close or wrong. */
export type VerdictReason =
  | 'right' | 'not-a-number' | 'percent-for-share' | 'share-for-percent' | 'near' | 'wrong-number'
  | 'wrong-choice' | 'no-choice' | 'missing-columns' | 'columns-named' | 'row-count' | 'rows-differ' | 'order'
  | 'no-cell' | 'cell-failed' | 'not-a-table' | 'wrong-value' | 'empty' | 'query-failed';

/** What a check of one answer found. */
export interface Verdict {
  verdict: 'right' | 'close' | 'wrong';
  reason: VerdictReason;
  /** Values the message names (`{expected: 12, actual: 11}`): counts, column names, a row. */
  params: Record<string, string | number>;
}

/** A check that cannot give an expected answer of the exercise's kind (too many rows, a choice not offered). */
export class ExerciseCheckError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExerciseCheckError';
  }
}

const verdict = (v: Verdict['verdict'], reason: VerdictReason, params: Verdict['params'] = {}): Verdict => ({ verdict: v, reason, params });

/** A table (Arquero, or rows) as plain columns and rows. */
function asRows(value: unknown): { columns: string[]; rows: Record<string, unknown>[] } | null {
  if (isArqueroTable(value)) {
    const table = value as unknown as { columnNames(): string[]; objects(): Record<string, unknown>[] };
    return { columns: table.columnNames(), rows: table.objects() };
  }
  if (Array.isArray(value) && value.every((row) => row && typeof row === 'object' && !Array.isArray(row))) {
    const rows = value as Record<string, unknown>[];
    return { columns: [...new Set(rows.flatMap((row) => Object.keys(row)))], rows };
  }
  return null;
}

function scalar(value: unknown): number | string | boolean | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return value.toISOString().slice(0, value.getUTCHours() || value.getUTCMinutes() ? 19 : 10);
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  return String(value);
}

/**
 * The expected answer from what the check returned: a number or choice exercise needs one value
 * (a query of one row and one column), a table or cell exercise a table (or, for a cell, a value).
 *
 * @example
 * expectedAnswer(spec, aq.table({ clv: [1200] })); // { kind: 'value', value: 1200 }
 */
export function expectedAnswer(spec: ExerciseSpec, raw: unknown): Expected {
  const table = asRows(raw);
  if (spec.answer === 'table' && !table) throw new ExerciseCheckError('a table exercise\'s check must give a table (a query, or rows)');
  if (table && (spec.answer === 'table' || (spec.answer === 'cell' && !(table.rows.length === 1 && table.columns.length === 1)))) {
    return { kind: 'table', columns: table.columns, rows: table.rows.map((row) => Object.fromEntries(table.columns.map((c) => [c, scalar(row[c])]))) };
  }
  let value: unknown = raw;
  if (table) {
    if (table.rows.length !== 1 || table.columns.length < 1) {
      throw new ExerciseCheckError(`the check gave ${table.rows.length} rows: a ${spec.answer} exercise's check gives one value (one row, one column)`);
    }
    value = table.rows[0][table.columns[0]];
  }
  const single = scalar(value);
  if (spec.answer === 'number' && (typeof single !== 'number' || !Number.isFinite(single))) {
    throw new ExerciseCheckError(`the check gave ${single === null ? 'nothing (NULL)' : `"${String(single)}"`}, not a number`);
  }
  if (spec.answer === 'choice' && !spec.choices!.includes(String(single))) {
    throw new ExerciseCheckError(`the check gave "${String(single)}", which is none of the choices (${spec.choices!.join(', ')})`);
  }
  return { kind: 'value', value: spec.answer === 'choice' ? String(single) : single };
}

/**
 * A number as a person types it: `0.577`, `57.7 %`, `57,7 %` (a decimal comma), `1,200` or `1 200`
 * (thousands), `-3`. In a language that writes a decimal comma (`ru`), `1,5` is one and a half;
 * elsewhere a comma before three digits groups thousands. Null when it is no number.
 *
 * @example
 * parseNumberAnswer('57,7 %', 'ru'); // { value: 0.577, percent: true }
 */
export function parseNumberAnswer(text: string, locale = 'en'): { value: number; percent: boolean } | null {
  let t = text.trim().replace(/[\s\u00a0\u202f']/g, '').replace(/^\+/, '').replace(/[−–]/g, '-');
  const percent = t.endsWith('%');
  if (percent) t = t.slice(0, -1);
  if (t === '') return null;
  const decimalComma = /^(ru|de|fr|es|it|pt|uk|pl|nl|cs|sv|fi|tr)\b/i.test(locale);
  if (t.includes('.') && t.includes(',')) {
    // both: the last one is the decimal mark
    t = t.lastIndexOf(',') > t.lastIndexOf('.') ? t.replace(/\./g, '').replace(',', '.') : t.replace(/,/g, '');
  } else if (t.includes(',')) {
    t = !decimalComma && /^-?\d{1,3}(,\d{3})+$/.test(t) ? t.replace(/,/g, '') : t.replace(',', '.');
  }
  if (!/^-?(\d+\.?\d*|\.\d+)(e-?\d+)?$/i.test(t)) return null;
  const value = Number(t);
  return Number.isFinite(value) ? { value: percent ? Number((value / 100).toPrecision(12)) : value, percent } : null;
}

function allowed(expected: number, tolerance: Tolerance): number {
  return Math.max(tolerance.absolute ?? 0, Math.abs(expected) * (tolerance.relative ?? 0), 1e-9 * Math.max(1, Math.abs(expected)));
}

// the bound is widened by rounding error, so 0.31 is within 0.01 of 0.3
const within = (actual: number, expected: number, tolerance: Tolerance) => Math.abs(actual - expected) <= allowed(expected, tolerance) * (1 + 1e-9) + 1e-12;

/**
 * Judges a typed number: right within the tolerance; close when it is within 10 % (or ten times the
 * tolerance), or when it is the answer written as a percentage where a share was asked (57.7 for
 * 0.577) or the other way round; wrong otherwise.
 *
 * @example
 * judgeNumber('57.7', 0.5773, spec); // { verdict: 'close', reason: 'percent-for-share', ... }
 */
export function judgeNumber(text: string, expected: number, spec: Pick<ExerciseSpec, 'tolerance'>, locale = 'en'): Verdict {
  if (text.trim() === '') return verdict('wrong', 'empty');
  const parsed = parseNumberAnswer(text, locale);
  if (!parsed) return verdict('wrong', 'not-a-number', { answer: text.trim() });
  const { value, percent } = parsed;
  if (within(value, expected, spec.tolerance)) return verdict('right', 'right');
  if (!percent && Math.abs(expected) <= 1 && expected !== 0 && within(value / 100, expected, spec.tolerance)) return verdict('close', 'percent-for-share', { answer: value });
  if (percent && Math.abs(expected) > 1 && within(value * 100, expected, spec.tolerance)) return verdict('close', 'share-for-percent', { answer: value * 100 });
  const near = Math.max(10 * allowed(expected, spec.tolerance), Math.abs(expected) * 0.1);
  if (Math.abs(value - expected) <= near) return verdict('close', 'near', { direction: value > expected ? 'high' : 'low' });
  return verdict('wrong', 'wrong-number', { direction: value > expected ? 'high' : 'low' });
}

/** Judges a picked choice. */
export function judgeChoice(choice: string | null | undefined, expected: string): Verdict {
  if (choice === null || choice === undefined || choice === '') return verdict('wrong', 'no-choice');
  return choice === expected ? verdict('right', 'right') : verdict('wrong', 'wrong-choice');
}

function same(a: unknown, b: unknown, tolerance: Tolerance): boolean {
  const x = scalar(a);
  const y = scalar(b);
  if (typeof x === 'number' && typeof y === 'number') return within(x, y, tolerance);
  if (x === null || y === null) return x === y;
  return String(x).trim() === String(y).trim();
}

/** A row's values for sorting: numbers rounded, so rows that match within a tolerance sort alike. */
function sortKey(row: unknown[]): string {
  return JSON.stringify(row.map((v) => {
    const s = scalar(v);
    return typeof s === 'number' ? Number(s.toPrecision(4)) : s;
  }));
}

function rowsMatch(actual: unknown[][], expected: unknown[][], tolerance: Tolerance): number {
  let differ = 0;
  expected.forEach((row, i) => {
    if (!row.every((value, j) => same(actual[i]?.[j], value, tolerance))) differ++;
  });
  return differ;
}

function describeRow(row: Record<string, unknown>, columns: string[]): string {
  return columns.map((c) => `${c} = ${String(scalar(row[c]))}`).join(', ');
}

/**
 * Judges a table (a query's result, a cell's table) against the expected one. Columns are found by
 * name, case aside, and extra columns are allowed; rows in any order unless the exercise says
 * `ordered`; numbers within the tolerance. Close: the right values under other column names,
 * the right rows in another order, or a few rows (a fifth at most) that differ.
 */
export function judgeTable(actualValue: unknown, expected: Extract<Expected, { kind: 'table' }>, spec: Pick<ExerciseSpec, 'tolerance' | 'ordered'>): Verdict {
  const actual = asRows(actualValue);
  if (!actual) return verdict('wrong', 'not-a-table');
  const lower = new Map(actual.columns.map((c) => [c.toLowerCase(), c]));
  const missing = expected.columns.filter((c) => !lower.has(c.toLowerCase()));
  const values = (rows: Record<string, unknown>[], columns: string[]) => rows.map((row) => columns.map((c) => row[c]));
  const expectedValues = values(expected.rows, expected.columns);
  const sorted = (rows: unknown[][]) => [...rows].sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0));
  if (missing.length) {
    // the same values under other names
    if (actual.columns.length === expected.columns.length && actual.rows.length === expected.rows.length
      && rowsMatch(sorted(values(actual.rows, actual.columns)), sorted(expectedValues), spec.tolerance) === 0) {
      return verdict('close', 'columns-named', { columns: expected.columns.join(', ') });
    }
    return verdict('wrong', 'missing-columns', { columns: missing.join(', ') });
  }
  const actualValues = values(actual.rows, expected.columns.map((c) => lower.get(c.toLowerCase())!));
  if (actualValues.length !== expectedValues.length) return verdict('wrong', 'row-count', { expected: expectedValues.length, actual: actualValues.length });
  if (spec.ordered) {
    const differ = rowsMatch(actualValues, expectedValues, spec.tolerance);
    if (differ === 0) return verdict('right', 'right');
    if (rowsMatch(sorted(actualValues), sorted(expectedValues), spec.tolerance) === 0) return verdict('close', 'order');
  }
  const a = sorted(actualValues);
  const e = sorted(expectedValues);
  const differ = rowsMatch(a, e, spec.tolerance);
  if (differ === 0) return verdict('right', 'right');
  const first = e.findIndex((row, i) => !row.every((value, j) => same(a[i]?.[j], value, spec.tolerance)));
  const firstRow = Object.fromEntries(expected.columns.map((c, j) => [c, a[first][j]]));
  const params = { count: differ, total: e.length, row: describeRow(firstRow, expected.columns) };
  return differ * 5 <= e.length ? verdict('close', 'rows-differ', params) : verdict('wrong', 'rows-differ', params);
}

/**
 * Judges the value of the student's cell that defines the exercise's `name`: a table against a
 * table, a value (or a one-cell table) against a value.
 */
export function judgeValue(actual: unknown, expected: Expected, spec: Pick<ExerciseSpec, 'tolerance' | 'ordered'>): Verdict {
  if (expected.kind === 'table') return judgeTable(actual, expected, spec);
  const table = asRows(actual);
  const value = table && table.rows.length === 1 && table.columns.length === 1 ? table.rows[0][table.columns[0]] : actual;
  const single = scalar(value);
  if (typeof expected.value === 'number' && typeof single === 'number') return judgeNumber(String(single), expected.value, spec);
  return same(single, expected.value, spec.tolerance) ? verdict('right', 'right') : verdict('wrong', 'wrong-value');
}

/**
 * The verdict in English (the interface translates the same reasons from its catalogue).
 *
 * @example
 * verdictText({ verdict: 'wrong', reason: 'row-count', params: { expected: 8, actual: 7 } }); // 'Not yet: your table has 7 rows; the answer has 8.'
 */
export function verdictText(v: Verdict): string {
  const p = v.params;
  switch (v.reason) {
    case 'right': return 'Right.';
    case 'empty': return 'Type an answer first.';
    case 'not-a-number': return `"${p.answer}" is not a number: write it like 0.58, 57.7 % or 1,200.`;
    case 'percent-for-share': return `Close: ${p.answer} looks like a percentage. Write it with a % sign, or as a share (0.577 for 57.7 %).`;
    case 'share-for-percent': return 'Close: that looks like a share written as a percentage. The answer is a number such as 12.5, not 12.5 %.';
    case 'near': return `Close, but a little too ${p.direction}.`;
    case 'wrong-number': return `Not yet: that is too ${p.direction}.`;
    case 'no-choice': return 'Pick one of the choices first.';
    case 'wrong-choice': return 'Not this one.';
    case 'missing-columns': return `Not yet: the answer has the column(s) ${p.columns}, which your table lacks.`;
    case 'columns-named': return `Close: the values are right; name the columns ${p.columns}.`;
    case 'row-count': return `Not yet: your table has ${p.actual} rows; the answer has ${p.expected}.`;
    case 'rows-differ': return `${v.verdict === 'close' ? 'Close' : 'Not yet'}: ${p.count} of ${p.total} rows differ, the first being ${p.row}.`;
    case 'order': return 'Close: the right rows, in another order. Sort them as the question asks.';
    case 'no-cell': return `No cell defines "${p.name}" yet: write a SQL cell with id=${p.name}, or a JavaScript cell with const ${p.name} = ….`;
    case 'cell-failed': return `The cell that defines "${p.name}" did not run: ${p.error}`;
    case 'not-a-table': return 'Not yet: the answer is a table, and this is a single value.';
    case 'wrong-value': return 'Not yet.';
    case 'query-failed': return `Your query did not run: ${p.error}`;
  }
}

/** The expected answer as a person reads it (the teacher's export, "show the answer"). */
export function describeExpected(expected: Expected, locale = 'en'): string {
  if (expected.kind === 'table') return `${expected.rows.length} rows: ${expected.columns.join(', ')}`;
  const { value } = expected;
  if (typeof value === 'number') return value.toLocaleString(locale, { maximumFractionDigits: 6 });
  return value === null ? '(nothing)' : String(value);
}
