import { closestName } from './event-catalog.ts';
import { SpecError } from './spec-error.ts';

/**
 * Checks that a spec is an object with only known fields, so a misspelt option (`gap_minute`)
 * fails loudly instead of silently taking its default.
 *
 * @example
 * specFields('sessions', { kind: 'sessions', gap_minutes: 20 }, ['gap_minutes']) // the spec as a record
 */
export function specFields(kind: string, spec: unknown, known: readonly string[]): Record<string, unknown> {
  if (!spec || typeof spec !== 'object' || Array.isArray(spec)) throw new SpecError(kind, 'a spec must be a JSON object');
  const allowed = ['kind', 'where', ...known];
  for (const field of Object.keys(spec)) {
    if (!allowed.includes(field)) {
      const guess = closestName(field, allowed);
      throw new SpecError(kind, `unknown field "${field}"${guess ? ` (did you mean "${guess}"?)` : ''} (fields: ${allowed.join(', ')})`, field);
    }
  }
  return spec as Record<string, unknown>;
}
