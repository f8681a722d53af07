import type { EventCatalog } from '../event-catalog.ts';
import { validateEventOption } from '../event-option.ts';
import { validateDateRange, validateTimeZone } from '../calendar.ts';
import { checkNumber } from '../number-option.ts';
import { specFields } from '../spec-fields.ts';
import { validateFilters, type Filter } from '../where.ts';

export const KIND = 'paths';

/** A paths spec after validation: every option present, dates resolved. */
export interface PathsSpec {
  kind: 'paths';
  /** Items a path keeps (with both points, an over-long path keeps steps/2 at each end around "..."). */
  steps: number;
  /** The path begins at the session's first occurrence of this event; null for the session's start. */
  start_event: string | null;
  /** The path ends at the first occurrence of this event (after `start_event`); null for the session's end. */
  end_event: string | null;
  /** Edges taken by fewer person-sessions than this are cut (summed into "other"). */
  min_sessions: number;
  /** The most edges shown, the largest first; the rest are cut (summed into "other"). */
  max_edges: number;
  /** IANA time zone the dates are local to. */
  timezone: string;
  /** First local date of the range, `YYYY-MM-DD`. */
  date_from: string;
  /** Last local date of the range, inclusive of its whole day. */
  date_to: string;
  where: Filter[];
}

const FIELDS = ['steps', 'start_event', 'end_event', 'min_sessions', 'max_edges', 'timezone', 'date_from', 'date_to'];
/** A new session begins after this long without an event (PostHog's SESSION_TIME_THRESHOLD_DEFAULT_SECONDS). */
export const SESSION_GAP_MS = 30 * 60_000;

/**
 * Validates a paths spec against the data and fills in every default.
 *
 * @example
 * validatePaths({ kind: 'paths', start_event: 'add_to_cart' }, catalog)
 * // { kind: 'paths', steps: 5, start_event: 'add_to_cart', end_event: null, min_sessions: 1, max_edges: 50,
 * //   timezone: 'UTC', date_from: '2024-01-01', date_to: '2024-03-31', where: [] }
 */
export function validatePaths(input: unknown, catalog: EventCatalog): PathsSpec {
  const spec = specFields(KIND, input, FIELDS);
  const timezone = validateTimeZone(KIND, spec);
  return {
    kind: KIND,
    steps: checkNumber(KIND, spec.steps ?? 5, 'steps', { min: 2, max: 20, integer: true }),
    start_event: validateEventOption(KIND, spec, 'start_event', catalog),
    end_event: validateEventOption(KIND, spec, 'end_event', catalog),
    min_sessions: checkNumber(KIND, spec.min_sessions ?? 1, 'min_sessions', { min: 1, integer: true }),
    max_edges: checkNumber(KIND, spec.max_edges ?? 50, 'max_edges', { min: 1, max: 1000, integer: true }),
    timezone,
    ...validateDateRange(KIND, spec, { timezone }, catalog),
    where: validateFilters(KIND, spec.where, catalog),
  };
}
