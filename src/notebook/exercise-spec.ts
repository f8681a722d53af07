import { isMap, isScalar, parseDocument, type Document } from 'yaml';

/*
 * An exercise cell, as written in its fence (YAML). The expected answer is never written down: the
 * teacher writes a check, SQL or JavaScript, that computes it from the notebook's own data, so the
 * exercise stays right when the data changes and the file (and a share link) holds no answer.
 *
 * ````markdown
 * ```exercise id=week_one
 * question: What share of the first cohort came back in week 1?
 * answer: number
 * tolerance: 0.005
 * hints:
 *   - Period 1 is the first week after the cohort's own.
 *   - The rate column is users / cohort_size.
 * close: Look at period 1, not period 0.
 * check:
 *   sql: SELECT rate FROM weekly_retention WHERE period = 1 ORDER BY cohort LIMIT 1
 * ```
 * ````
 */

/** What the student gives: a number, one of the choices, a query's table, or a cell that defines `name`. */
export const ANSWER_KINDS = ['number', 'choice', 'table', 'cell'] as const;
export type AnswerKind = (typeof ANSWER_KINDS)[number];

/** How far a number may be from the expected one: absolute, or relative (`1%`). */
export interface Tolerance {
  absolute?: number;
  relative?: number;
}

/** An exercise cell's spec. */
export interface ExerciseSpec {
  /** The question, in Markdown. */
  question: string;
  answer: AnswerKind;
  /** The choices of a `choice` exercise, as shown. */
  choices?: string[];
  /** For `cell`: the name the student's cell defines (`sql id=NAME`, `const NAME = ...`). */
  name?: string;
  /** For `number`, and numbers inside tables: default 0.5 % of the expected value. */
  tolerance: Tolerance;
  /** For `table` and `cell`: whether the rows must come in the reference's order. */
  ordered: boolean;
  /** Revealed one at a time. */
  hints: string[];
  /** What to look at when the answer is close but not right (Markdown). */
  close?: string;
  /** Shown beside the reference answer, once the student has it right or asked for it (Markdown). */
  explain?: string;
  /** The teacher's reference: SQL (runs in any notebook) or JavaScript (only in a trusted one). */
  check: { language: 'sql' | 'js'; code: string } | null;
}

/** An exercise whose YAML cannot be read, with where. */
export class ExerciseSpecError extends Error {
  constructor(message: string, readonly line?: number) {
    super(message);
    this.name = 'ExerciseSpecError';
  }
}

const FIELDS = ['question', 'answer', 'choices', 'name', 'tolerance', 'ordered', 'hints', 'close', 'explain', 'check'];
/** The default tolerance: students round, and 0.577 for 0.5773 is right. */
export const DEFAULT_TOLERANCE: Tolerance = { relative: 0.005 };

/**
 * Reads an exercise cell's YAML, checking what each answer kind needs; errors name the field and
 * its line. An exercise without a check reads (the notebook still opens) with `check: null`:
 * `cohortbook check` and the cell itself say it cannot be checked.
 *
 * @example
 * parseExerciseSpec('question: How many?\nanswer: number\ncheck:\n  sql: SELECT 42');
 * // { question: 'How many?', answer: 'number', tolerance: { relative: 0.005 }, check: { language: 'sql', code: 'SELECT 42' }, ... }
 */
export function parseExerciseSpec(source: string): ExerciseSpec {
  const doc = parseDocument(source, { uniqueKeys: true });
  if (doc.errors.length) {
    const error = doc.errors[0];
    // the mistake teachers make: a question or hint whose text holds ": "
    const colon = /Nested mappings|Implicit map keys|BLOCK_AS_IMPLICIT_KEY/.test(`${error.code} ${error.message}`)
      ? ' (a text that holds ": " needs quotes: question: \'Look at this: the first row\')' : '';
    throw new ExerciseSpecError(`the exercise is not valid YAML: ${error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}${colon}`, error.linePos?.[0].line);
  }
  const raw = doc.toJS({ maxAliasCount: 10 }) as unknown;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ExerciseSpecError('an exercise is written as fields, one a line: question, answer, hints, check');
  }
  const spec = raw as Record<string, unknown>;
  const unknown = Object.keys(spec).find((key) => !FIELDS.includes(key));
  if (unknown) throw new ExerciseSpecError(`unknown field "${unknown}" in the exercise (fields: ${FIELDS.join(', ')})`, lineOf(doc, unknown));
  const text = (key: string, required = false): string | undefined => {
    const value = spec[key];
    if (value === undefined || value === null) {
      if (required) throw new ExerciseSpecError(`an exercise needs a ${key}`);
      return undefined;
    }
    if (typeof value !== 'string' && typeof value !== 'number') throw new ExerciseSpecError(`the exercise's ${key} must be text`, lineOf(doc, key));
    return String(value);
  };
  const question = text('question', true)!;
  const answer = spec.answer ?? 'number';
  if (!ANSWER_KINDS.includes(answer as AnswerKind)) {
    throw new ExerciseSpecError(`the exercise's answer must be one of ${ANSWER_KINDS.join(', ')}, not "${String(answer)}"`, lineOf(doc, 'answer'));
  }
  const list = (key: string): string[] | undefined => {
    const value = spec[key];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' || typeof v === 'number')) {
      throw new ExerciseSpecError(`the exercise's ${key} must be a list, one "- item" a line`, lineOf(doc, key));
    }
    return value.map(String);
  };
  const choices = list('choices');
  if (answer === 'choice' && (!choices || choices.length < 2)) throw new ExerciseSpecError('a choice exercise needs at least two choices', lineOf(doc, 'choices'));
  if (answer !== 'choice' && choices) throw new ExerciseSpecError(`a ${String(answer)} exercise takes no choices`, lineOf(doc, 'choices'));
  const name = text('name');
  if (answer === 'cell' && !name) throw new ExerciseSpecError('a cell exercise names what the student\'s cell defines: name: cohort_sizes');
  if (name !== undefined && !/^[A-Za-z_$][\w$]*$/.test(name)) throw new ExerciseSpecError(`"${name}" cannot be a cell's name (letters, digits and _)`, lineOf(doc, 'name'));
  if (spec.ordered !== undefined && typeof spec.ordered !== 'boolean') throw new ExerciseSpecError('the exercise\'s ordered is true or false', lineOf(doc, 'ordered'));
  const result: ExerciseSpec = {
    question,
    answer: answer as AnswerKind,
    tolerance: tolerance(spec.tolerance, lineOf(doc, 'tolerance')),
    ordered: spec.ordered === true,
    hints: list('hints') ?? [],
    check: check(spec.check, lineOf(doc, 'check')),
  };
  if (choices) result.choices = choices;
  if (name) result.name = name;
  const close = text('close');
  if (close) result.close = close;
  const explain = text('explain');
  if (explain) result.explain = explain;
  return result;
}

function tolerance(value: unknown, line: number | undefined): Tolerance {
  if (value === undefined || value === null) return DEFAULT_TOLERANCE;
  if (typeof value === 'number' && value >= 0) return { absolute: value };
  const percent = typeof value === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(value) : null;
  if (percent) return { relative: Number(percent[1]) / 100 };
  throw new ExerciseSpecError('the exercise\'s tolerance is a number (0.01) or a percentage of the answer ("1%")', line);
}

function check(value: unknown, line: number | undefined): ExerciseSpec['check'] {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return { language: 'sql', code: value.trim() };
  if (typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1 && (entries[0][0] === 'sql' || entries[0][0] === 'js') && typeof entries[0][1] === 'string') {
      return { language: entries[0][0] as 'sql' | 'js', code: (entries[0][1] as string).trim() };
    }
  }
  throw new ExerciseSpecError('the exercise\'s check is "sql: SELECT ..." or "js: ..." (the code that computes the expected answer)', line);
}

function lineOf(doc: Document, key: string): number | undefined {
  if (!isMap(doc.contents)) return undefined;
  const pair = doc.contents.items.find((item) => isScalar(item.key) && item.key.value === key);
  const offset = (pair?.key as { range?: [number, number] } | undefined)?.range?.[0];
  return offset === undefined ? undefined : doc.toString().slice(0, offset).split('\n').length;
}
