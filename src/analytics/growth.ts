import type { Table } from 'apache-arrow';
import { quoteIdent } from '../engine/index.ts';
import { registerAnalysis, type Analysis } from './analysis.ts';
import type { EventCatalog } from './event-catalog.ts';
import { specEvents, validateEventOption } from './event-option.ts';
import { SpecError } from './spec-error.ts';
import { specFields } from './spec-fields.ts';
import { validateFilters, whereSql, type BoundSql, type Filter } from './where.ts';

/** Growth metrics: each part is optional; the rows hold the parts the spec asks for. */
export interface GrowthSpec {
  kind: 'growth';
  /** A monthly series given by hand, first month first. */
  series: number[] | null;
  /** Or a monthly series from the events (UTC calendar months). */
  metric: 'revenue' | 'active_users' | null;
  /** Viral K-factor from figures, or from invitation events. */
  k_factor: { invites_per_user: number; invite_conversion: number } | { invite_event: string; signup_event: string } | null;
  /** Burn rate and runway from cash figures. */
  burn: { cash_start: number; cash_end: number; months: number } | null;
  /** The largest customer's and the top ten's share of revenue. */
  concentration: boolean;
  where: Filter[];
}

export interface GrowthRow {
  metric: string;
  value: number | null;
  formula: string;
  detail: string;
}

const KIND = 'growth';
const FORMULAS = {
  cmgr: 'CMGR = (last month ÷ first month)^(1 ÷ months between them) − 1',
  k_factor: 'K = invites per user × share of invites that sign up',
  burn: 'burn rate = (cash at start − cash at end) ÷ months; runway = cash at end ÷ burn rate',
  concentration: 'concentration = revenue of the largest customer (or top ten) ÷ all revenue',
};

/**
 * Compound monthly growth rate of a series, first to last value.
 *
 * @example
 * cmgr([100, 110, 121]) // 0.1
 */
export function cmgr(series: readonly number[]): number | null {
  if (series.length < 2 || series[0] <= 0 || series[series.length - 1] < 0) return null;
  return (series[series.length - 1] / series[0]) ** (1 / (series.length - 1)) - 1;
}

const positive = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0;

function validate(raw: unknown, catalog: EventCatalog): GrowthSpec {
  const spec = specFields(KIND, raw, ['series', 'metric', 'k_factor', 'burn', 'concentration']);
  let series: number[] | null = null;
  if (spec.series !== undefined) {
    if (!Array.isArray(spec.series) || spec.series.length < 2 || !spec.series.every(positive)) {
      throw new SpecError(KIND, 'series must list at least two monthly values ≥ 0, first month first', 'series');
    }
    series = spec.series as number[];
  }
  const metric = spec.metric ?? null;
  if (metric !== null && metric !== 'revenue' && metric !== 'active_users') throw new SpecError(KIND, `metric must be "revenue" or "active_users", not ${JSON.stringify(metric)}`, 'metric');
  if (series && metric) throw new SpecError(KIND, 'give either series or metric, not both', 'metric');
  let k: GrowthSpec['k_factor'] = null;
  if (spec.k_factor !== undefined) {
    const f = spec.k_factor as Record<string, unknown>;
    if (f && positive(f.invites_per_user) && positive(f.invite_conversion)) k = { invites_per_user: f.invites_per_user as number, invite_conversion: f.invite_conversion as number };
    else if (f && typeof f.invite_event === 'string') {
      k = { invite_event: validateEventOption(KIND, f, 'invite_event', catalog, false)!, signup_event: validateEventOption(KIND, f, 'signup_event', catalog, false)! };
    } else throw new SpecError(KIND, 'k_factor takes {invites_per_user, invite_conversion} or {invite_event, signup_event}', 'k_factor');
  }
  let burn: GrowthSpec['burn'] = null;
  if (spec.burn !== undefined) {
    const b = spec.burn as Record<string, unknown>;
    if (!b || !positive(b.cash_start) || !positive(b.cash_end) || !(typeof b.months === 'number' && b.months > 0)) {
      throw new SpecError(KIND, 'burn takes {cash_start, cash_end, months} with months > 0', 'burn');
    }
    burn = { cash_start: b.cash_start as number, cash_end: b.cash_end as number, months: b.months as number };
  }
  const concentration = spec.concentration === true;
  if (!series && !metric && !k && !burn && !concentration) throw new SpecError(KIND, 'ask for at least one of series, metric, k_factor, burn or concentration');
  return { kind: KIND, series, metric, k_factor: k, burn, concentration, where: validateFilters(KIND, spec.where, catalog) };
}

const usesEvents = (s: Partial<GrowthSpec> & { k_factor?: unknown }) =>
  !!s.metric || s.concentration === true || !!(s.k_factor && typeof (s.k_factor as { invite_event?: unknown }).invite_event === 'string');

/** One query, one row per figure: `(part, key, value)`. */
function growthSql(spec: GrowthSpec, table: string): BoundSql {
  const t = quoteIdent(table);
  const where = whereSql(spec.where);
  const parts: string[] = [];
  const params: unknown[] = [...where.params];
  if (spec.metric) {
    const value = spec.metric === 'revenue' ? 'coalesce(sum(revenue), 0)' : 'count(DISTINCT user_id)';
    parts.push(`SELECT 'month' AS part, strftime(date_trunc('month', ts), '%Y-%m') AS key, ${value}::DOUBLE AS value FROM base GROUP BY 2`);
    parts.push(`SELECT 'range', 'first_day', day(min(ts))::DOUBLE FROM base UNION ALL SELECT 'range', 'last_day_left', (day(last_day(max(ts))) - day(max(ts)))::DOUBLE FROM base`);
  }
  if (spec.concentration) {
    parts.push(`SELECT 'concentration' AS part, key, value FROM (
      WITH per AS (SELECT user_id, sum(revenue) AS r FROM base WHERE revenue IS NOT NULL GROUP BY 1),
      ranked AS (SELECT r, row_number() OVER (ORDER BY r DESC) AS n FROM per)
      SELECT 'total' AS key, sum(r)::DOUBLE AS value FROM ranked UNION ALL SELECT 'top1', sum(r) FILTER (WHERE n = 1)::DOUBLE FROM ranked
      UNION ALL SELECT 'top10', sum(r) FILTER (WHERE n <= 10)::DOUBLE FROM ranked UNION ALL SELECT 'customers', count(*)::DOUBLE FROM ranked)`);
  }
  const k = spec.k_factor;
  if (k && 'invite_event' in k) {
    parts.push(`SELECT 'k' AS part, 'invites' AS key, count(*) FILTER (WHERE event = ?)::DOUBLE AS value FROM base UNION ALL
      SELECT 'k', 'signups', count(*) FILTER (WHERE event = ?)::DOUBLE FROM base UNION ALL
      SELECT 'k', 'users', count(DISTINCT user_id)::DOUBLE FROM base`);
    params.push(k.invite_event, k.signup_event);
  }
  return { sql: `WITH base AS (SELECT * FROM ${t} WHERE ${where.sql}) ${parts.join(' UNION ALL ')} ORDER BY 1, 2`, params: params as BoundSql['params'] };
}

function shape(result: Table | null, spec: GrowthSpec): { rows: GrowthRow[]; meta: Record<string, unknown> } {
  const figures = (result?.toArray() ?? []).map((r) => ({ part: String(r.part), key: String(r.key), value: r.value === null ? null : Number(r.value) }));
  const get = (part: string, key: string) => figures.find((f) => f.part === part && f.key === key)?.value ?? null;
  const rows: GrowthRow[] = [];
  let monthly: { month: string; value: number }[] = [];
  if (spec.series) {
    rows.push({ metric: 'cmgr', value: cmgr(spec.series), formula: FORMULAS.cmgr, detail: `${spec.series[0]} → ${spec.series[spec.series.length - 1]} over ${spec.series.length - 1} months` });
  }
  if (spec.metric) {
    monthly = figures.filter((f) => f.part === 'month').map((f) => ({ month: f.key, value: f.value ?? 0 }));
    // a month the log covers only in part would bend the rate: leave out partial first and last months
    let used = monthly;
    if ((get('range', 'first_day') ?? 1) > 1 && used.length > 2) used = used.slice(1);
    if ((get('range', 'last_day_left') ?? 0) > 0 && used.length > 2) used = used.slice(0, -1);
    rows.push({
      metric: `cmgr_${spec.metric}`, value: cmgr(used.map((m) => m.value)), formula: FORMULAS.cmgr,
      detail: used.length >= 2 ? `${used[0].month}: ${readable(used[0].value)} → ${used[used.length - 1].month}: ${readable(used[used.length - 1].value)}` : 'fewer than two whole months',
    });
  }
  const k = spec.k_factor;
  if (k) {
    const [perUser, conversion] = 'invite_event' in k
      ? [(get('k', 'invites') ?? 0) / (get('k', 'users') || 1), (get('k', 'signups') ?? 0) / (get('k', 'invites') || 1)]
      : [k.invites_per_user, k.invite_conversion];
    rows.push({ metric: 'k_factor', value: perUser * conversion, formula: FORMULAS.k_factor, detail: `${perUser.toFixed(3)} invites per user × ${(conversion * 100).toFixed(1)} % sign up` });
  }
  if (spec.burn) {
    const rate = (spec.burn.cash_start - spec.burn.cash_end) / spec.burn.months;
    rows.push({ metric: 'burn_rate', value: rate, formula: FORMULAS.burn, detail: `${spec.burn.cash_start} → ${spec.burn.cash_end} in ${spec.burn.months} months` });
    rows.push({ metric: 'runway_months', value: rate > 0 ? spec.burn.cash_end / rate : null, formula: FORMULAS.burn, detail: rate > 0 ? '' : 'not burning cash' });
  }
  if (spec.concentration) {
    const total = get('concentration', 'total');
    rows.push({ metric: 'largest_customer_share', value: total ? (get('concentration', 'top1') ?? 0) / total : null, formula: FORMULAS.concentration, detail: `of ${get('concentration', 'customers') ?? 0} customers with revenue` });
    rows.push({ metric: 'top10_share', value: total ? (get('concentration', 'top10') ?? 0) / total : null, formula: FORMULAS.concentration, detail: '' });
  }
  return { rows, meta: { formula: rows.map((r) => r.formula).filter((f, i, all) => all.indexOf(f) === i).join('; '), monthly } };
}

/**
 * Growth figures: CMGR of a monthly series (given, or revenue / active users from the events),
 * viral K-factor, burn rate and runway, customer concentration.
 *
 * @example
 * await runAnalysis(null, { kind: 'growth', series: [100, 110, 121] }) // rows[0].value = 0.1
 */
export const growth: Analysis<GrowthSpec, GrowthRow> = {
  kind: KIND,
  title: 'Growth: CMGR, K-factor, burn, concentration',
  formula: FORMULAS.cmgr,
  needsEvents: (spec) => usesEvents(spec),
  events: (spec) => specEvents(spec, ['k_factor.invite_event', 'k_factor.signup_event']),
  validate,
  sql: growthSql,
  shape,
};

registerAnalysis(growth);

/**
 * A month's total as a sentence shows it: 12 significant digits, so a sum of money reads 34313.49,
 * not 34313.489999999976, and the same on every engine (a threaded engine adds in another order).
 */
function readable(value: number): number {
  return Number(value.toPrecision(12));
}
