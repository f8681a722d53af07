import type { SpecEventName } from './analysis.ts';
import type { EventCatalog } from './event-catalog.ts';
import { SpecError } from './spec-error.ts';
import type { BoundSql } from './where.ts';

/**
 * Validates an event-name field of a spec: a name, or null/absent for "any event" (when
 * `optional`). A name that never occurs in the data is not an error: the analysis counts nobody
 * for it, and `runAnalysis` warns of it (list the field in the analysis's `events`).
 *
 * @example
 * validateEventOption('stickiness', { event: 'purchase' }, 'event', catalog) // 'purchase'
 */
export function validateEventOption(
  kind: string, spec: Record<string, unknown>, field: string, _catalog: EventCatalog, optional = true,
): string | null {
  const value = spec[field];
  if (value === undefined || value === null) {
    if (optional) return null;
    throw new SpecError(kind, `${field} is needed: the name of an event`, field);
  }
  if (typeof value !== 'string' || value === '') throw new SpecError(kind, `${field} must be an event name or null, not ${JSON.stringify(value)}`, field);
  return value;
}

/**
 * The event names in a normalised spec's fields (a dotted path reaches into an object), for
 * an analysis's `events`.
 *
 * @example
 * specEvents({ event: 'open', cancel_event: null }, ['event', 'cancel_event']); // [{ field: 'event', event: 'open' }]
 */
export function specEvents(spec: object, fields: string[]): SpecEventName[] {
  return fields.flatMap((field) => {
    const value = field.split('.').reduce<unknown>((v, key) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined), spec);
    return typeof value === 'string' && value !== '' ? [{ field, event: value }] : [];
  });
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
