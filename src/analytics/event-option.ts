import { closestName, type EventCatalog } from './event-catalog.ts';
import { SpecError } from './spec-error.ts';
import type { BoundSql } from './where.ts';

/**
 * Validates an event-name field of a spec: a name that occurs in the data, or null/absent for
 * "any event" (when `optional`). A misspelt name gets a "did you mean".
 *
 * @example
 * validateEventOption('stickiness', { event: 'purchase' }, 'event', catalog) // 'purchase'
 */
export function validateEventOption(
  kind: string, spec: Record<string, unknown>, field: string, catalog: EventCatalog, optional = true,
): string | null {
  const value = spec[field];
  if (value === undefined || value === null) {
    if (optional) return null;
    throw new SpecError(kind, `${field} is needed: the name of an event`, field);
  }
  if (typeof value !== 'string' || value === '') throw new SpecError(kind, `${field} must be an event name or null, not ${JSON.stringify(value)}`, field);
  if (!catalog.events.includes(value)) {
    const guess = closestName(value, catalog.events);
    throw new SpecError(kind, `${field} "${value}" does not occur in the data${guess ? ` (did you mean "${guess}"?)` : ''}`, field);
  }
  return value;
}

/**
 * The condition "this row is the event" (bound), or `TRUE` for any event.
 *
 * @example
 * eventSql('purchase') // { sql: 'event = ?', params: ['purchase'] }
 */
export function eventSql(event: string | null): BoundSql {
  return event === null ? { sql: 'TRUE', params: [] } : { sql: 'event = ?', params: [event] };
}
