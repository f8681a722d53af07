import type { Table } from 'apache-arrow';
import { quoteIdent } from '../engine/index.ts';

/**
 * "Who is behind this number?": the shared end of every analysis's `people` query. An analysis's
 * SQL defines a CTE `people` (one `user_id` per person, the ids themselves, never their hash);
 * this adds each person's first and last event and their event count in the log it read.
 */

/** One person behind a number. */
export interface PersonRow {
  user_id: string;
  /** Their first and last event of any kind, ISO 8601 UTC. */
  first_seen: string;
  last_seen: string;
  /** All their events. */
  events: number;
}

const iso = (column: string) => `strftime(${column}, '%Y-%m-%dT%H:%M:%S.%g') || 'Z'`;

/**
 * The query's tail after its CTEs (the last being `people`): one row per person with their first
 * and last seen and event count, by id.
 *
 * @example
 * `WITH ..., people AS (SELECT user_id FROM per_person WHERE k = 3)${peopleSelect('events')}`
 */
export function peopleSelect(table: string): string {
  return `, person_events AS (
  SELECT user_id, min(ts) AS first_ts, max(ts) AS last_ts, count(*) AS events FROM ${quoteIdent(table)}
  WHERE user_id IN (SELECT user_id FROM people) GROUP BY user_id
)
SELECT user_id, ${iso('first_ts')} AS first_seen, ${iso('last_ts')} AS last_seen, events FROM person_events ORDER BY user_id`;
}

/** The rows of a `peopleSelect` query. */
export function shapePeople(result: Table | null): PersonRow[] {
  return (result?.toArray() ?? []).map((record) => {
    const r = record.toJSON() as Record<string, unknown>;
    return { user_id: String(r.user_id), first_seen: String(r.first_seen), last_seen: String(r.last_seen), events: Number(r.events) };
  });
}
