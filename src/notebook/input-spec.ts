import { isMap, isScalar, parseDocument, stringify, type Document } from 'yaml';

/** The kinds of input a notebook can hold. */
export const INPUT_TYPES = ['select', 'multi-select', 'slider', 'number', 'text', 'date-range', 'toggle'] as const;
export type InputType = (typeof INPUT_TYPES)[number];

/**
 * An input cell, as written in its fence (YAML):
 *
 * ````markdown
 * ```input id=platform
 * type: select
 * label: Platform
 * options: SELECT DISTINCT platform FROM events ORDER BY 1
 * value: ios
 * ```
 * ````
 */
export interface InputSpec {
  type: InputType;
  label?: string;
  /** The choices of a select: a list, or a query whose first column gives them. */
  options?: (string | number)[] | string;
  /** The value the person chose (kept in the file, so the notebook opens as it was left). */
  value?: unknown;
  min?: number;
  max?: number;
  step?: number;
  placeholder?: string;
}

/** A date range's value: the first and the last day, each a `YYYY-MM-DD` date in UTC. */
export interface DateRange {
  from: Date;
  to: Date;
}

/** An input cell whose YAML cannot be read, with where. */
export class InputSpecError extends Error {
  constructor(message: string, readonly line?: number) {
    super(message);
    this.name = 'InputSpecError';
  }
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Reads an input cell's YAML, checking what each type needs; errors name the field.
 *
 * @example
 * parseInputSpec('type: slider\nmin: 1\nmax: 12\nvalue: 8'); // { type: 'slider', min: 1, max: 12, value: 8 }
 */
export function parseInputSpec(source: string): InputSpec {
  const doc = parseDocument(source, { uniqueKeys: true });
  if (doc.errors.length) {
    const error = doc.errors[0];
    throw new InputSpecError(`the input is not valid YAML: ${error.message.split('\n')[0]}`, error.linePos?.[0].line);
  }
  const raw = doc.toJS({ maxAliasCount: 10 }) as unknown;
  if (raw === null || raw === undefined) throw new InputSpecError(`an input needs a type: ${INPUT_TYPES.join(', ')}`);
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new InputSpecError('an input is written as fields, one a line, like "type: select"');
  const spec = raw as Record<string, unknown>;
  const known = new Set(['type', 'label', 'options', 'value', 'min', 'max', 'step', 'placeholder']);
  const unknown = Object.keys(spec).filter((key) => !known.has(key));
  if (unknown.length) throw new InputSpecError(`unknown field "${unknown[0]}" in the input (fields: ${[...known].join(', ')})`, lineOf(doc, unknown[0]));
  if (!INPUT_TYPES.includes(spec.type as InputType)) {
    throw new InputSpecError(`the input's type must be one of ${INPUT_TYPES.join(', ')}${spec.type === undefined ? '' : `, not "${String(spec.type)}"`}`, lineOf(doc, 'type'));
  }
  const type = spec.type as InputType;
  for (const key of ['min', 'max', 'step'] as const) {
    if (spec[key] !== undefined && typeof spec[key] !== 'number') throw new InputSpecError(`the input's ${key} must be a number`, lineOf(doc, key));
  }
  if (spec.label !== undefined && typeof spec.label !== 'string') throw new InputSpecError('the input\'s label must be text', lineOf(doc, 'label'));
  const options = spec.options;
  if (type === 'select' || type === 'multi-select') {
    if (options === undefined) throw new InputSpecError(`a ${type} needs options: a list like [ios, android] or a query like SELECT DISTINCT platform FROM events`);
    const list = Array.isArray(options) && options.every((o) => typeof o === 'string' || typeof o === 'number');
    if (!list && typeof options !== 'string') throw new InputSpecError('the options must be a list of values or a query', lineOf(doc, 'options'));
  } else if (options !== undefined) {
    throw new InputSpecError(`a ${type} input takes no options`, lineOf(doc, 'options'));
  }
  if (type === 'slider' && (typeof spec.min !== 'number' || typeof spec.max !== 'number')) throw new InputSpecError('a slider needs min and max');
  return spec as unknown as InputSpec;
}

function lineOf(doc: Document, key: string): number | undefined {
  if (!isMap(doc.contents)) return undefined;
  const pair = doc.contents.items.find((item) => isScalar(item.key) && item.key.value === key);
  const offset = (pair?.key as { range?: [number, number] } | undefined)?.range?.[0];
  return offset === undefined ? undefined : doc.toString().slice(0, offset).split('\n').length;
}

/** Whether the options are a query to run (text) rather than a list. */
export function optionsQuery(spec: InputSpec): string | null {
  return typeof spec.options === 'string' ? spec.options : null;
}

/**
 * The value other cells read: the one kept in the file when it is still allowed, else the input's
 * default (the first option; none for a multi-select; the slider's middle; empty text; the whole
 * span of `bounds` for a date range; off). Dates arrive as UTC midnights.
 *
 * @example
 * inputValue({ type: 'select', options: ['ios', 'web'], value: 'android' }, ['ios', 'web']); // 'ios'
 */
export function inputValue(spec: InputSpec, options: readonly (string | number)[], bounds?: { from: string; to: string }): unknown {
  const value = spec.value;
  switch (spec.type) {
    case 'select':
      return options.find((o) => o === value) ?? options.find((o) => String(o) === String(value)) ?? options[0] ?? null;
    case 'multi-select': {
      const chosen = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
      return options.filter((o) => chosen.some((c) => String(c) === String(o)));
    }
    case 'slider':
    case 'number': {
      const fallback = spec.type === 'slider' ? (spec.min! + spec.max!) / 2 : spec.min ?? 0;
      const number = typeof value === 'number' && Number.isFinite(value) ? value : fallback;
      return Math.min(spec.max ?? Infinity, Math.max(spec.min ?? -Infinity, number));
    }
    case 'text':
      return value === undefined || value === null ? '' : String(value);
    case 'toggle':
      return value === true;
    case 'date-range': {
      const [from, to] = Array.isArray(value) ? value.map((v) => dateText(v)) : [undefined, undefined];
      const range = { from: from ?? bounds?.from, to: to ?? bounds?.to };
      if (!range.from || !range.to) return null;
      return { from: new Date(`${range.from}T00:00:00Z`), to: new Date(`${range.to}T00:00:00Z`) } satisfies DateRange;
    }
  }
}

function dateText(value: unknown): string | undefined {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString().slice(0, 10);
  return typeof value === 'string' && DATE.test(value) ? value : undefined;
}

/**
 * An input's value as the file keeps it: dates as `YYYY-MM-DD`, a date range as a list of two.
 *
 * @example
 * fileValue({ from: new Date('2024-01-01'), to: new Date('2024-01-31') }); // ['2024-01-01', '2024-01-31']
 */
export function fileValue(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (value && typeof value === 'object' && 'from' in value && 'to' in value) return [fileValue((value as DateRange).from), fileValue((value as DateRange).to)];
  return value;
}

/**
 * The input cell's YAML with a new `value:`, everything else (comments, order, quoting) kept.
 *
 * @example
 * withInputValue('type: select  # which one\noptions: [ios, web]\nvalue: ios', 'web'); // '…\nvalue: web'
 */
export function withInputValue(source: string, value: unknown): string {
  const doc = parseDocument(source);
  const text = stringify(fileValue(value), { collectionStyle: 'flow', lineWidth: 0 }).trim();
  const pair = isMap(doc.contents) ? doc.contents.items.find((item) => isScalar(item.key) && item.key.value === 'value') : undefined;
  const range = (pair?.value as { range?: [number, number, number] } | null | undefined)?.range;
  // only the value's own text changes, so the file's comments and spacing stay as written
  if (range) return source.slice(0, range[0]) + (source[range[0] - 1] === ':' ? ' ' : '') + text + source.slice(range[1]);
  const key = (pair?.key as { range?: [number, number, number] } | undefined)?.range;
  if (key) return `${source.slice(0, key[1])}: ${text}${source.slice(key[1]).replace(/^\s*:/, '')}`;
  return `${source}${source === '' || source.endsWith('\n') ? '' : '\n'}value: ${text}`;
}

/**
 * A value as a person reads it, for the report and the cell's header: `ios`, `ios, web`,
 * `2024-01-01 → 2024-01-31`, `on`.
 */
export function describeInputValue(value: unknown): string {
  if (value === null || value === undefined) return '(none)';
  if (Array.isArray(value)) return value.length ? value.map(describeInputValue).join(', ') : '(none)';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object' && 'from' in value) return `${describeInputValue((value as DateRange).from)} → ${describeInputValue((value as DateRange).to)}`;
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  return String(value);
}
