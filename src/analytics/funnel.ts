import type { Table } from 'apache-arrow';
import { registerAnalysis, type Analysis } from './analysis.ts';
import { funnelSql } from './funnel-sql.ts';
import { funnelEventNames, validateFunnel, type FunnelSpec } from './funnel-spec.ts';

/**
 * Funnels (DESIGN.md, "Funnel"), PostHog's semantics, with these decisions made precise:
 *
 * - Steps are numbered from 1 in the output (`step: 1` is the entry step), as PostHog shows them;
 *   `exclusions` use 0-based step indexes, as DESIGN.md specifies.
 * - Every step-1 event inside [date_from, date_to] starts an attempt; later steps may fall after
 *   `date_to`, within `window_seconds` of the step-1 event (inclusive, to the microsecond).
 * - A person's events are taken in time order; events at the same instant in the order of the first
 *   step they match (then by the set of steps they match, then by breakdown value). An event fills
 *   at most one step of an attempt: step k+1 must come strictly later in that order than step k.
 * - `ordered`: each step is filled by the first later event that matches it (other events may come
 *   between). `strict`: the same, but the attempt breaks when any other event of the person (after
 *   `where`) happens strictly between the times of two consecutive steps; events at the same instant
 *   as either step do not break it. `any`: step 1 opens the attempt, then steps 2, 3, ... are filled
 *   in step order, each by the earliest not yet used event at or after step 1 (in event order) within
 *   the window; a person reaches step k when steps 1..k are all filled, at the latest of their times.
 * - Each person counts once, at their best attempt: the furthest step, then the earliest to get
 *   there, then the latest start. Their breakdown value is that attempt's step-1 event's value (as
 *   text), and the seconds between steps are that attempt's.
 * - `exclusions` are checked on that best attempt: an exclusion event strictly after its `from_step`
 *   event and strictly before its `to_step` event, or, when it never reached `to_step`, up to the end
 *   of its window, removes the person from every step of the funnel. So an exclusion taints an
 *   attempt that never finishes. An exclusion event must not be one of the steps it spans.
 * - `hold`: every step of an attempt has the step-1 event's value of that column (NULL counts as a
 *   value); exclusion events count only with that value too. `where` applies to all events first.
 */
export interface FunnelStepRow {
  /** 1-based. */
  step: number;
  event: string;
  users: number;
  /** users / users at step 1 (1 at step 1; null when nobody entered). */
  conversion_from_start: number | null;
  /** users / users at the previous step (1 at step 1; null when the previous step has nobody). */
  conversion_from_previous: number | null;
  /** Mean and median seconds from the previous step, over the people at this step (null at step 1). */
  avg_seconds_from_previous: number | null;
  median_seconds_from_previous: number | null;
  breakdown?: string | null;
}

function num(value: unknown): number {
  return value === null || value === undefined ? 0 : Number(value);
}

function ratio(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}

function shapeSteps(table: Table, spec: FunnelSpec): FunnelStepRow[] {
  const rows: FunnelStepRow[] = [];
  for (const record of table.toArray()) {
    const r = record.toJSON() as Record<string, unknown>;
    const start = num(r.users_1);
    let previous = start;
    spec.steps.forEach((step, i) => {
      const k = i + 1;
      const users = num(r[`users_${k}`]);
      const sum = r[`sum_us_${k}`];
      const median = r[`median_us_${k}`];
      rows.push({
        step: k,
        event: step.event,
        users,
        conversion_from_start: ratio(users, start),
        conversion_from_previous: k === 1 ? ratio(users, start) : ratio(users, previous),
        avg_seconds_from_previous: k > 1 && users > 0 && sum != null ? Number(sum) / users / 1e6 : null,
        median_seconds_from_previous: k > 1 && users > 0 && median != null ? Number(median) / 1e6 : null,
        ...(spec.breakdown !== null ? { breakdown: r.breakdown == null ? null : String(r.breakdown) } : {}),
      });
      previous = users;
    });
  }
  return rows;
}

function plainRows(table: Table): Record<string, unknown>[] {
  return table.toArray().map((record) => {
    const row = record.toJSON() as Record<string, unknown>;
    for (const key of Object.keys(row)) if (typeof row[key] === 'bigint') row[key] = Number(row[key]);
    return row;
  });
}

/**
 * The funnel analysis: `runAnalysis(engine, {kind: 'funnel', steps: [...]})` returns one row per
 * step (per breakdown value), or with `people: {step, kind}` the people who reached or dropped off
 * after a step (`{user_id, breakdown?, furthest_step}`), or with `time_to_convert: {from_step,
 * to_step, bins}` a histogram of the seconds between two steps (`{breakdown?, bin_start_seconds,
 * bin_end_seconds, users, sum_seconds}`). See `FunnelStepRow` for the rules.
 *
 * @example
 * const { rows } = await runAnalysis(engine, {
 *   kind: 'funnel', steps: ['view_item', 'add_to_cart', 'purchase'], window_seconds: 7 * 86400,
 *   exclusions: [{ event: 'remove_from_cart', from_step: 1, to_step: 2 }],
 * });
 * rows[2].conversion_from_start; // share of people who bought within 7 days of viewing
 */
export const funnel: Analysis<FunnelSpec> = {
  kind: 'funnel',
  title: 'Funnel: how many people go through the steps in order, and where they drop off',
  formula: 'conversion to step k = people reaching step k within the window / people at step 1',
  breakdownField: 'breakdown',
  validate: validateFunnel,
  events: funnelEventNames,
  sql: funnelSql,
  shape(result, spec) {
    if (!result) return { rows: [] };
    if (spec.people || spec.time_to_convert) return { rows: plainRows(result) };
    return { rows: shapeSteps(result, spec) as unknown as Record<string, unknown>[], meta: { step_numbering: '1-based' } };
  },
};

registerAnalysis(funnel);
