import { registerAnalysis, type Analysis } from './analysis.ts';
import { cohortMembersCtes } from './cohort-sql.ts';
import { cohortEvents, validateCohort, type CohortDefinition, type CohortLookup } from './cohort-spec.ts';
import type { EventCatalog } from './event-catalog.ts';
import { SqlBuilder } from './funnel-sql-parts.ts';
import { specFields } from './spec-fields.ts';
import { SpecError } from './spec-error.ts';

/** A cohort spec after validation. */
export interface CohortSpec {
  kind: 'cohort';
  /** The cohort to list: the name of a cohort cell, or a definition `{name, match, rules}` (or `{name, user_ids}`); see the rules below. */
  cohort: CohortDefinition;
}

/** One member of a cohort. */
export interface CohortMemberRow {
  user_id: string;
  /** Their first and last event of any kind, ISO 8601 UTC. */
  first_seen: string;
  last_seen: string;
  /** All their events in the log. */
  events: number;
  /** The events the cohort's `did` rules counted for them (null when it has none). */
  qualifying_events: number | null;
}

const KIND = 'cohort';
const ISO = "strftime(%s, '%Y-%m-%dT%H:%M:%S.%g') || 'Z'";

/**
 * Validates a cohort spec; `lookup` finds cohorts its rules name (`in_cohort`).
 *
 * @example
 * validateCohortSpec({ kind: 'cohort', cohort: { name: 'buyers', rules: [{ did: 'purchase' }] } }, catalog)
 */
export function validateCohortSpec(input: unknown, catalog: EventCatalog, lookup?: CohortLookup): CohortSpec {
  const spec = specFields(KIND, input, ['cohort']);
  if (spec.where !== undefined) throw new SpecError(KIND, 'a cohort has no where: put it on a did rule ({"did": ..., "where": [...]})', 'where');
  if (spec.cohort === undefined) throw new SpecError(KIND, 'cohort is needed: a name or a definition {"name", "match", "rules"}', 'cohort');
  return { kind: KIND, cohort: validateCohort(spec.cohort, 'cohort', { kind: KIND, catalog, lookup }) };
}

/**
 * The cohort analysis (kind `"cohort"`): the members of a behavioural or static cohort, one row
 * each `{user_id, first_seen, last_seen, events, qualifying_events}`, and `meta.size`. The rules
 * are in `cohort-spec.ts`.
 *
 * @example
 * const { rows, meta } = await runAnalysis(engine, { kind: 'cohort', cohort: {
 *   name: 'activated', rules: [{ did: 'invite_sent', at_least: 2, within_days_of_first_seen: 7 }] } });
 * meta.size; // how many people sent two invites in their first week
 */
export const cohort: Analysis<CohortSpec, CohortMemberRow> = {
  kind: KIND,
  title: 'Cohort: the people who did (or did not do) something, or share a property',
  formula: 'members = people whose events meet all (or any) of the rules',
  takesCohorts: false,
  validate: (input, catalog) => validateCohortSpec(input, catalog),
  events: (spec) => cohortEvents(spec.cohort, 'cohort'),
  sql(spec, table) {
    const b = new SqlBuilder();
    const { ctes, nameOf } = cohortMembersCtes([spec.cohort], table, b);
    const sql = `WITH ${ctes}
SELECT u AS user_id, ${ISO.replace('%s', 'first_seen')} AS first_seen, ${ISO.replace('%s', 'last_seen')} AS last_seen,
  events, qualifying_events
FROM ${nameOf(spec.cohort)} ORDER BY user_id`;
    return { sql, params: b.params };
  },
  shape(result) {
    const rows = (result?.toArray() ?? []).map((record) => {
      const r = record.toJSON() as Record<string, unknown>;
      return {
        user_id: String(r.user_id),
        first_seen: String(r.first_seen),
        last_seen: String(r.last_seen),
        events: Number(r.events),
        qualifying_events: r.qualifying_events == null ? null : Number(r.qualifying_events),
      };
    });
    return { rows, meta: { size: rows.length } };
  },
};

registerAnalysis(cohort);
