import { SpecError } from './spec-error.ts';

const CLV_FIELDS = ['arpu', 'churn_rate', 'lifetime_periods', 'gross_margin', 'cac'] as const;

/**
 * Reads the nested form of the CLV mode, `{"kind": "ltv", "clv": {"arpu": 50, "lifetime_periods": 24}}`,
 * as the flat one (`"mode": "clv"` with the numbers beside it), so both spellings run the same code.
 * A spec without `clv` comes back unchanged.
 *
 * @example
 * flattenClvObject({ kind: 'ltv', clv: { arpu: 50, churn_rate: 0.05 } })
 * // { kind: 'ltv', mode: 'clv', arpu: 50, churn_rate: 0.05 }
 */
export function flattenClvObject(kind: string, input: unknown): unknown {
  if (!input || typeof input !== 'object' || Array.isArray(input) || !('clv' in input)) return input;
  const { clv, ...rest } = input as Record<string, unknown>;
  if (!clv || typeof clv !== 'object' || Array.isArray(clv)) {
    throw new SpecError(kind, `clv must be an object like {"arpu": 50, "lifetime_periods": 24}, not ${JSON.stringify(clv)}`, 'clv');
  }
  for (const field of Object.keys(clv)) {
    if (!(CLV_FIELDS as readonly string[]).includes(field)) {
      throw new SpecError(kind, `clv.${field} is not a CLV input (inputs: ${CLV_FIELDS.join(', ')})`, 'clv');
    }
    if (rest[field] !== undefined) throw new SpecError(kind, `${field} is given both inside clv and beside it`, field);
  }
  if (rest.mode !== undefined && rest.mode !== 'clv') throw new SpecError(kind, `clv is the "clv" mode; it cannot go with mode ${JSON.stringify(rest.mode)}`, 'mode');
  return { ...rest, mode: 'clv', ...clv };
}
