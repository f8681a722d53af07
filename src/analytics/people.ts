import type { Table } from 'apache-arrow';
import { duckdb, quoteIdent, type Dialect } from '../engine/index.ts';

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


/**
 * The query's tail after its CTEs (the last being `people`): one row per person with their first
 * and last seen and event count, by id; then `extra` columns of `people` itself (one row per
 * person there), such as the funnel's furthest step.
 *
 * @example
 * `WITH ..., people AS (SELECT user_id FROM per_person WHERE k = 3)${peopleSelect('events')}`
 */
export function peopleSelect(table: string, extra: string[] = [], d: Dialect = duckdb): string {
  const iso = (column: string) => d.isoText(column);
  const events = `, person_events AS (
  SELECT user_id, min(ts) AS first_ts, max(ts) AS last_ts, count(*) AS events FROM ${quoteIdent(table)}
  WHERE user_id IN (SELECT user_id FROM people) GROUP BY user_id
)`;
  const columns = `${iso('first_ts')} AS first_seen, ${iso('last_ts')} AS last_seen, events`;
  if (extra.length === 0) return `${events}\nSELECT user_id, ${columns} FROM person_events ORDER BY user_id`;
  return `${events}
SELECT people.user_id, ${columns}, ${extra.map((c) => `people.${quoteIdent(c)}`).join(', ')}
FROM people JOIN person_events ON person_events.user_id = people.user_id ORDER BY people.user_id`;
}

/** The rows of a `peopleSelect` query, with its `extra` columns as they came. */
export function shapePeople(result: Table | null, extra: string[] = []): PersonRow[] {
  return (result?.toArray() ?? []).map((record) => {
    const r = record.toJSON() as Record<string, unknown>;
    const more = Object.fromEntries(extra.map((c) => [c, typeof r[c] === 'bigint' ? Number(r[c]) : r[c] ?? null]));
    return { user_id: String(r.user_id), first_seen: String(r.first_seen), last_seen: String(r.last_seen), events: Number(r.events), ...more };
  });
}
