import type { Analysis, SpecEventName } from './analysis.ts';
import type { CohortFilter } from './cohort-sql.ts';
import { cohortEvents, validateCohort, type CohortDefinition, type CohortLookup } from './cohort-spec.ts';
import type { EventCatalog } from './event-catalog.ts';
import { SpecError } from './spec-error.ts';

/** One run of an analysis: the people it keeps, and the label its rows get (null: no breakdown). */
export interface CohortGroup {
  label: string | null;
  filter: CohortFilter | null;
}

/** A spec with its cohort fields taken out and read. */
export interface TakenCohorts {
  /** The spec without `cohort` / `breakdown_cohorts`, for the analysis's own validation. */
  spec: Record<string, unknown>;
  /** The validated cohort fields, for `meta.spec`. */
  fields: { cohort?: CohortDefinition; breakdown_cohorts?: CohortDefinition[] };
  /** The runs: one without a breakdown, one per breakdown value with one. */
  groups: CohortGroup[];
  /** The event names the cohorts' rules ask about. */
  events: SpecEventName[];
}

/**
 * Reads the `cohort` and `breakdown_cohorts` fields every analysis accepts. With one breakdown
 * cohort the groups are its members and everyone else (`"not <name>"`); with several, each
 * cohort's members (a person in two cohorts counts in both).
 *
 * @example
 * takeCohorts(retention, { kind: 'retention', breakdown_cohorts: ['activated'] }, catalog, lookup, true).groups.map((g) => g.label)
 * // ['activated', 'not activated']
 */
export function takeCohorts(
  analysis: Analysis, spec: Record<string, unknown>, catalog: EventCatalog, lookup: CohortLookup | undefined, usesEvents: boolean,
): TakenCohorts {
  if (analysis.takesCohorts === false) {
    // the cohort analysis itself: its `cohort` is the one to list, with the names it reaches looked up
    const resolved = spec.cohort === undefined || spec.cohort === null ? spec
      : { ...spec, cohort: validateCohort(spec.cohort, 'cohort', { kind: analysis.kind, catalog, lookup }) };
    return { spec: resolved, fields: {}, groups: [{ label: null, filter: null }], events: [] };
  }
  const { cohort, breakdown_cohorts: breakdown, ...rest } = spec;
  const kind = analysis.kind;
  const given = (cohort !== undefined && cohort !== null) || (breakdown !== undefined && breakdown !== null);
  if (given && !usesEvents) throw new SpecError(kind, 'cohort and breakdown_cohorts need an event log: this spec gives counts', 'cohort');
  const context = { kind, catalog, lookup };
  const fields: TakenCohorts['fields'] = {};
  const events: SpecEventName[] = [];
  let keep: CohortDefinition[] = [];
  if (cohort !== undefined && cohort !== null) {
    const definition = validateCohort(cohort, 'cohort', context);
    fields.cohort = definition;
    keep = [definition];
    events.push(...cohortEvents(definition, 'cohort'));
  }
  let groups: CohortGroup[] = [{ label: null, filter: keep.length ? { include: keep, exclude: [] } : null }];
  if (breakdown !== undefined && breakdown !== null) {
    if (!Array.isArray(breakdown) || breakdown.length === 0) {
      throw new SpecError(kind, 'breakdown_cohorts must be a non-empty list of cohort names or definitions', 'breakdown_cohorts');
    }
    const definitions = breakdown.map((value, i) => validateCohort(value, `breakdown_cohorts[${i}]`, context));
    const names = definitions.map((d) => d.name);
    const repeated = names.find((name, i) => names.indexOf(name) !== i);
    if (repeated) throw new SpecError(kind, `breakdown_cohorts names "${repeated}" twice`, 'breakdown_cohorts');
    fields.breakdown_cohorts = definitions;
    definitions.forEach((d, i) => events.push(...cohortEvents(d, `breakdown_cohorts[${i}]`)));
    groups = definitions.map((d) => ({ label: d.name, filter: { include: [...keep, d], exclude: [] } }));
    if (definitions.length === 1) groups.push({ label: `not ${definitions[0].name}`, filter: { include: keep, exclude: definitions } });
  }
  return { spec: rest, fields, groups, events };
}
