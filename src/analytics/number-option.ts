import { SpecError } from './spec-error.ts';

/** Bounds a numeric spec field must keep. */
export interface NumberBounds {
  /** Inclusive lower bound unless `above` is set. */
  min?: number;
  /** The value must be strictly greater than this. */
  above?: number;
  max?: number;
  integer?: boolean;
}

/**
 * Reads an optional numeric field of a spec: undefined/null give null, anything that is not a
 * finite number within the bounds is a `SpecError` naming the field.
 *
 * @example
 * numberOption('ltv', { arpu: 50 }, 'arpu', { min: 0 }) // 50
 */
export function numberOption(kind: string, spec: Record<string, unknown>, field: string, bounds: NumberBounds = {}): number | null {
  const value = spec[field];
  if (value === undefined || value === null) return null;
  return checkNumber(kind, value, field, bounds);
}

/**
 * Checks one number of a spec (a field, or an item of a list field named by `at`).
 *
 * @example
 * checkNumber('growth', 121, 'series[2]', { min: 0 }) // 121
 */
export function checkNumber(kind: string, value: unknown, at: string, bounds: NumberBounds = {}): number {
  const { min, above, max, integer } = bounds;
  const fail = (what: string) => new SpecError(kind, `${at} must be ${what}, not ${JSON.stringify(value)}`, at);
  if (typeof value !== 'number' || !Number.isFinite(value)) throw fail('a number');
  if (integer && !Number.isInteger(value)) throw fail('a whole number');
  if (min !== undefined && value < min) throw fail(`≥ ${min}`);
  if (above !== undefined && value <= above) throw fail(`> ${above}`);
  if (max !== undefined && value > max) throw fail(`≤ ${max}`);
  return value;
}
