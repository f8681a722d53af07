import { createHash } from 'node:crypto';

/**
 * A short hash of a case's rows, numbers rounded to 9 significant digits so that engines summing
 * in another order still agree: equal fingerprints on two engines mean the same result.
 *
 * @example
 * fingerprint([{ users: 3, rate: 0.1 + 0.2 }]) === fingerprint([{ users: 3, rate: 0.3 }]); // true
 */
export function fingerprint(rows: unknown): string {
  const text = JSON.stringify(rows, (_key, value: unknown) =>
    typeof value === 'number' ? Number(value.toPrecision(9)) : typeof value === 'bigint' ? String(value) : value);
  return createHash('sha256').update(text ?? '').digest('hex').slice(0, 12);
}
