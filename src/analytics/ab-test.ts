import type { Table } from 'apache-arrow';
import { quoteIdent } from '../engine/index.ts';
import { registerAnalysis, type Analysis } from './analysis.ts';
import type { EventCatalog } from './event-catalog.ts';
import { specEvents, validateEventOption } from './event-option.ts';
import { SpecError } from './spec-error.ts';
import { specFields } from './spec-fields.ts';
import { normalCdf, normalQuantile } from './stats/normal.ts';
import { validateFilters, whereSql, type BoundSql, type Filter } from './where.ts';

/** A variant's counts: people exposed and people who converted. */
export interface VariantCounts {
  name: string;
  users: number;
  conversions: number;
}

/** An A/B test from counts, or from events (exposure, conversion, the column naming the variant). */
export type AbTestSpec = {
  kind: 'ab_test';
  /** Confidence level of the interval and the test, default 0.95. */
  confidence: number;
  where: Filter[];
} & (
  | { source: 'counts'; variants: VariantCounts[] }
  | { source: 'events'; exposure_event: string; conversion_event: string; variant_column: string; window_seconds: number | null; control: string | null }
);

/** One variant; the first (the control) has no difference, interval or p-value of its own. */
export interface AbTestRow {
  variant: string;
  users: number;
  conversions: number;
  rate: number | null;
  /** This variant's rate minus the control's. */
  difference: number | null;
  ci_low: number | null;
  ci_high: number | null;
  p_value: number | null;
  significant: boolean | null;
  verdict: string;
}

const KIND = 'ab_test';
const FORMULA = 'z = (p_B − p_A) ÷ √(p(1−p)(1/n_A + 1/n_B)) with p the pooled rate; p-value = 2(1 − Φ(|z|)); '
  + 'interval: (p_B − p_A) ± z_(1−α/2) √(p_A(1−p_A)/n_A + p_B(1−p_B)/n_B)';

const percent = (x: number) => `${(x * 100).toFixed(1)} %`;

/**
 * The two-proportion z-test of one variant against the control: pooled standard error for the
 * test, unpooled for the interval of the difference (the usual textbook pairing).
 *
 * @example
 * twoProportionTest({ name: 'A', users: 10, conversions: 2 }, { name: 'B', users: 100, conversions: 10 }, 0.95).significant // false
 */
export function twoProportionTest(control: VariantCounts, variant: VariantCounts, confidence: number): Omit<AbTestRow, 'variant' | 'users' | 'conversions' | 'rate'> {
  const [n1, x1, n2, x2] = [control.users, control.conversions, variant.users, variant.conversions];
  if (n1 === 0 || n2 === 0) {
    return { difference: null, ci_low: null, ci_high: null, p_value: null, significant: null, verdict: 'no people in one of the variants' };
  }
  const p1 = x1 / n1, p2 = x2 / n2;
  const pooled = (x1 + x2) / (n1 + n2);
  const sePooled = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  const seDiff = Math.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2);
  const zCritical = normalQuantile(1 - (1 - confidence) / 2);
  const difference = p2 - p1;
  const pValue = sePooled === 0 ? (difference === 0 ? 1 : 0) : 2 * (1 - normalCdf(Math.abs(difference / sePooled)));
  const significant = pValue < 1 - confidence;
  const level = `${Math.round(confidence * 1000) / 10} %`;
  const verdict = significant
    ? `${variant.name} converts ${difference > 0 ? 'better' : 'worse'} than ${control.name} (${percent(p2)} vs ${percent(p1)}), significant at ${level} (p = ${pValue.toPrecision(2)})`
    : `not significant at ${level}: the difference of ${(difference * 100).toFixed(1)} points (p = ${pValue.toPrecision(2)}) could be chance with ${n1 + n2} people; the interval runs from ${((difference - zCritical * seDiff) * 100).toFixed(1)} to ${((difference + zCritical * seDiff) * 100).toFixed(1)} points`;
  return { difference, ci_low: difference - zCritical * seDiff, ci_high: difference + zCritical * seDiff, p_value: pValue, significant, verdict };
}

function validateCounts(raw: unknown): VariantCounts[] {
  if (!Array.isArray(raw) || raw.length < 2) throw new SpecError(KIND, 'variants must list at least two {name, users, conversions}', 'variants');
  const names = new Set<string>();
  return raw.map((v, i) => {
    const at = `variants[${i}]`;
    const { name, users, conversions } = (v ?? {}) as Record<string, unknown>;
    if (typeof name !== 'string' || name === '') throw new SpecError(KIND, `${at} needs a name`, at);
    if (names.has(name)) throw new SpecError(KIND, `${at}: variant "${name}" is listed twice`, at);
    names.add(name);
    if (!Number.isInteger(users) || (users as number) < 0) throw new SpecError(KIND, `${at}: users must be a whole number ≥ 0`, at);
    if (!Number.isInteger(conversions) || (conversions as number) < 0 || (conversions as number) > (users as number)) {
      throw new SpecError(KIND, `${at}: conversions must be a whole number between 0 and users (${String(users)})`, at);
    }
    return { name, users: users as number, conversions: conversions as number };
  });
}

function validate(raw: unknown, catalog: EventCatalog): AbTestSpec {
  const spec = specFields(KIND, raw, ['variants', 'confidence', 'exposure_event', 'conversion_event', 'variant_column', 'window_seconds', 'control']);
  const confidence = spec.confidence === undefined ? 0.95 : spec.confidence;
  if (typeof confidence !== 'number' || !(confidence > 0.5 && confidence < 1)) throw new SpecError(KIND, `confidence must be a number between 0.5 and 1, such as 0.95, not ${JSON.stringify(confidence)}`, 'confidence');
  if (spec.variants !== undefined) {
    for (const field of ['exposure_event', 'conversion_event', 'variant_column']) {
      if (spec[field] !== undefined) throw new SpecError(KIND, `give either variants (counts) or ${field} and the other event fields, not both`, field);
    }
    return { kind: KIND, source: 'counts', variants: validateCounts(spec.variants), confidence, where: [] };
  }
  if (spec.exposure_event === undefined) throw new SpecError(KIND, 'give variants (counts), or exposure_event, conversion_event and variant_column to count from the events', 'variants');
  const exposure = validateEventOption(KIND, spec, 'exposure_event', catalog, false)!;
  const conversion = validateEventOption(KIND, spec, 'conversion_event', catalog, false)!;
  const column = spec.variant_column;
  if (typeof column !== 'string' || !catalog.columns.some((c) => c.name === column)) {
    throw new SpecError(KIND, `variant_column must name a column of the events (columns: ${catalog.columns.map((c) => c.name).join(', ')})`, 'variant_column');
  }
  const window = spec.window_seconds ?? null;
  if (window !== null && (typeof window !== 'number' || !(window > 0))) throw new SpecError(KIND, 'window_seconds must be a positive number of seconds', 'window_seconds');
  const control = spec.control ?? null;
  if (control !== null && typeof control !== 'string') throw new SpecError(KIND, 'control must be the name of a variant', 'control');
  return {
    kind: KIND, source: 'events', exposure_event: exposure, conversion_event: conversion, variant_column: column,
    window_seconds: window as number | null, control: control as string | null, confidence, where: validateFilters(KIND, spec.where, catalog),
  };
}

/**
 * People exposed, by the variant of their first exposure; a conversion counts when it follows that
 * exposure (within `window_seconds` when given). Each person counts once.
 */
function abTestSql(spec: AbTestSpec, table: string): BoundSql {
  if (spec.source !== 'events') throw new Error('ab_test from counts has no SQL');
  const t = quoteIdent(table);
  const where = whereSql(spec.where);
  const window = spec.window_seconds === null ? '' : ' AND e.ts <= x.first_ts + to_milliseconds(CAST(? AS DOUBLE) * 1000)';
  const sql = `WITH base AS (SELECT * FROM ${t} WHERE ${where.sql}), exposed AS (
  SELECT user_id, arg_min(CAST(${quoteIdent(spec.variant_column)} AS VARCHAR), ts) AS variant, min(ts) AS first_ts
  FROM base WHERE event = ? GROUP BY user_id
), converted AS (
  SELECT DISTINCT x.user_id FROM exposed x JOIN base e ON e.user_id = x.user_id AND e.event = ? AND e.ts >= x.first_ts${window}
)
SELECT coalesce(variant, '(none)') AS variant, count(*)::DOUBLE AS users, count(c.user_id)::DOUBLE AS conversions
FROM exposed LEFT JOIN converted c USING (user_id) GROUP BY 1 ORDER BY 1`;
  const params = [...where.params, spec.exposure_event, spec.conversion_event, ...(spec.window_seconds === null ? [] : [spec.window_seconds])];
  return { sql, params };
}

function shape(result: Table | null, spec: AbTestSpec): { rows: AbTestRow[]; meta: Record<string, unknown> } {
  let variants: VariantCounts[];
  if (spec.source === 'counts') variants = spec.variants;
  else {
    variants = (result?.toArray() ?? []).map((r) => ({ name: String(r.variant), users: Number(r.users), conversions: Number(r.conversions) }));
    if (spec.control !== null) {
      const i = variants.findIndex((v) => v.name === spec.control);
      if (i < 0) throw new SpecError(KIND, `control "${spec.control}" is not a variant in the data (variants: ${variants.map((v) => v.name).join(', ')})`, 'control');
      variants.unshift(...variants.splice(i, 1));
    }
    if (variants.length < 2) throw new SpecError(KIND, `the exposed people fall into ${variants.length} variant${variants.length === 1 ? '' : 's'}; a test needs two`, 'variant_column');
  }
  const [control] = variants;
  const rows = variants.map((v, i): AbTestRow => ({
    variant: v.name, users: v.users, conversions: v.conversions, rate: v.users ? v.conversions / v.users : null,
    ...(i === 0
      ? { difference: null, ci_low: null, ci_high: null, p_value: null, significant: null, verdict: 'control' }
      : twoProportionTest(control, v, spec.confidence)),
  }));
  return { rows, meta: { formula: FORMULA, control: control.name, confidence: spec.confidence } };
}

/**
 * A/B significance: each variant against the first (the control), with a two-proportion z-test,
 * a confidence interval for the difference in conversion rate, and a verdict in plain words.
 *
 * @example
 * await runAnalysis(null, { kind: 'ab_test', variants: [{ name: 'A', users: 10, conversions: 2 }, { name: 'B', users: 100, conversions: 10 }] })
 * // rows[1]: { p_value: 0.333, significant: false, ... }
 */
export const abTest: Analysis<AbTestSpec, AbTestRow> = {
  kind: KIND,
  title: 'A/B test significance',
  formula: FORMULA,
  needsEvents: (spec) => !(spec as { variants?: unknown }).variants,
  events: (spec) => specEvents(spec, ['exposure_event', 'conversion_event']),
  validate,
  sql: abTestSql,
  shape,
};

registerAnalysis(abTest);
