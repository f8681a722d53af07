/**
 * A brute-force trends written from issue 18's definitions, not from the SQL: every event's local
 * date and hour come from `Intl` (through the retention reference's `wallClock`), periods are
 * labels computed with calendar-date arithmetic, and every number is counted in plain loops over
 * the events of each period.
 */
import { wallClock } from '../retention-reference.ts';

export interface TrendsEvent {
  user_id: string;
  event: string;
  /** Epoch milliseconds (UTC). */
  ts: number;
  [property: string]: unknown;
}

type Filter = { column: string; op: '=' | '!=' | 'in' | 'is_null'; value?: unknown };

export interface ReferenceSeries {
  event: string | null;
  math?: string;
  property?: string;
  where?: Filter[];
  label?: string;
}

export interface ReferenceTrendsSpec {
  series: ReferenceSeries[];
  period: 'hour' | 'day' | 'week' | 'month';
  week_start: 'monday' | 'sunday';
  timezone: string;
  date_from: string;
  date_to: string;
  breakdown?: string;
  breakdown_limit?: number;
  /** The formula's text, and the same arithmetic as a function of the series' values (x / 0 = 0 written in). */
  formula?: [string, (v: number[]) => number];
  compare?: boolean;
  cumulative?: boolean;
  where?: Filter[];
}

export interface ReferenceTrendsRow {
  series: string;
  breakdown?: string | null;
  other?: boolean;
  period: string;
  value: number | null;
  compare?: 'current' | 'previous';
}

const DAY = 86_400_000;
const pad = (n: number) => String(n).padStart(2, '0');

/** `YYYY-MM-DD` plus n days (calendar arithmetic on the date itself). */
function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
}

function localDate(zone: string, ms: number): string {
  const w = wallClock(zone, ms);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}`;
}

function localHour(zone: string, ms: number): string {
  const w = wallClock(zone, ms);
  return `${w.year}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:00`;
}

/** The label of the period a local date falls in. */
function periodOfDate(spec: Pick<ReferenceTrendsSpec, 'period' | 'week_start'>, date: string): string {
  if (spec.period === 'month') return `${date.slice(0, 7)}-01`;
  if (spec.period === 'week') {
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay(); // 0 = Sunday
    return addDays(date, -(spec.week_start === 'monday' ? (weekday + 6) % 7 : weekday));
  }
  return date;
}

const hourOf = (bound: string, end: boolean) => (bound.length > 10 ? `${bound.slice(0, 13)}:00` : `${bound} ${end ? '23' : '00'}:00`);

/** Every local hour of a range that exists, with the instant it begins, found by walking quarter hours. */
function hoursOf(zone: string, fromLabel: string, toLabel: string): { label: string; start: number; end: number }[] {
  const out: { label: string; start: number; end: number }[] = [];
  const begin = Date.parse(`${fromLabel.slice(0, 10)}T00:00:00Z`) - 16 * 3_600_000;
  const stop = Date.parse(`${toLabel.slice(0, 10)}T00:00:00Z`) + 40 * 3_600_000;
  let last = '';
  for (let t = begin; t <= stop; t += 900_000) {
    const label = localHour(zone, t);
    if (label === last) continue;
    if (out.length > 0 && out[out.length - 1].end === 0) out[out.length - 1].end = t;
    last = label;
    if (label >= fromLabel && label <= toLabel) out.push({ label, start: t, end: 0 });
  }
  return out;
}

interface Bucket {
  label: string;
  /** Which events count in this period's value. */
  holds: (e: TrendsEvent) => boolean;
}

function periodsOf(spec: ReferenceTrendsSpec, dateFrom: string, dateTo: string): Bucket[] {
  const zone = spec.timezone;
  if (spec.period === 'hour') {
    const from = hourOf(dateFrom, false);
    const to = hourOf(dateTo, true);
    return hoursOf(zone, from, to).map(({ label }) => ({ label, holds: (e) => localHour(zone, e.ts) === label }));
  }
  const out: Bucket[] = [];
  const last = periodOfDate(spec, dateTo);
  for (let p = periodOfDate(spec, dateFrom); p <= last;) {
    const label = p;
    out.push({ label, holds: (e) => periodOfDate(spec, localDate(zone, e.ts)) === label });
    if (spec.period === 'month') {
      const d = new Date(`${p}T00:00:00Z`);
      d.setUTCMonth(d.getUTCMonth() + 1);
      p = d.toISOString().slice(0, 10);
    } else p = addDays(p, spec.period === 'week' ? 7 : 1);
  }
  return out;
}

function passes(e: TrendsEvent, filters: Filter[] = []): boolean {
  return filters.every((f) => {
    const v = e[f.column] ?? null;
    switch (f.op) {
      case '=': return v !== null && v === f.value;
      case '!=': return v !== f.value;
      case 'in': return v !== null && (f.value as unknown[]).includes(v);
      case 'is_null': return v === null;
    }
  });
}

function keyOf(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  return String(value);
}

function numberOf(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(value)) return Number(value);
  return null;
}

function quantile(sorted: number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  return lo + 1 < sorted.length ? sorted[lo] + (sorted[lo + 1] - sorted[lo]) * (at - lo) : sorted[lo];
}

/** A math over some events; null when a property math has no number to work on. */
function mathOf(math: string, events: TrendsEvent[], property?: string): number | null {
  if (math === 'total') return events.length;
  if (math === 'dau' || math === 'weekly_active' || math === 'monthly_active') return new Set(events.map((e) => e.user_id)).size;
  const values = events.map((e) => numberOf(e[property!])).filter((v): v is number => v !== null).sort((a, b) => a - b);
  if (values.length === 0) return null;
  const sum = values.reduce((a, b) => a + b, 0);
  switch (math) {
    case 'sum': return sum;
    case 'avg': return sum / values.length;
    case 'min': return values[0];
    case 'max': return values[values.length - 1];
    case 'median': return quantile(values, 0.5);
    default: return quantile(values, Number(math.slice(1)) / 100);
  }
}

/** PostHog's rewrite of the active-people maths on long periods. */
function effective(math: string, period: string): string {
  if (math === 'weekly_active' && (period === 'week' || period === 'month')) return 'dau';
  if (math === 'monthly_active' && period === 'month') return 'dau';
  return math;
}

/** Which events count towards a period's value: its own events, or for active people its window. */
function windowOf(spec: ReferenceTrendsSpec, math: string, bucket: Bucket, hours: Map<string, { start: number; end: number }>): (e: TrendsEvent) => boolean {
  if (math !== 'weekly_active' && math !== 'monthly_active') return bucket.holds;
  const days = math === 'weekly_active' ? 7 : 30;
  if (spec.period === 'hour') {
    const end = hours.get(bucket.label)!.end;
    return (e) => e.ts >= end - days * 24 * 3_600_000 && e.ts < end;
  }
  // the period's day: the day itself, or a week's first day
  const last = bucket.label;
  const first = addDays(last, -(days - 1));
  return (e) => { const d = localDate(spec.timezone, e.ts); return d >= first && d <= last; };
}

function previousDates(spec: ReferenceTrendsSpec): [string, string] {
  if (spec.period === 'hour') {
    // as many hours as the range, ending with the hour before it
    const at = (label: string) => Date.parse(`${label.slice(0, 10)}T${label.slice(11, 13)}:00:00Z`);
    const label = (ms: number) => `${new Date(ms).toISOString().slice(0, 10)} ${new Date(ms).toISOString().slice(11, 13)}:00`;
    const from = at(hourOf(spec.date_from, false));
    const length = at(hourOf(spec.date_to, true)) - from + 3_600_000;
    return [label(from - length), label(from - 3_600_000)];
  }
  const from = spec.date_from.slice(0, 10);
  const length = Math.round((Date.parse(spec.date_to.slice(0, 10)) - Date.parse(from)) / DAY) + 1;
  return [addDays(from, -length), addDays(from, -1)];
}

/** The rows issue 18 defines for a spec, counted one period and one person at a time. */
export function referenceTrends(events: TrendsEvent[], spec: ReferenceTrendsSpec): ReferenceTrendsRow[] {
  const limit = spec.breakdown_limit ?? 25;
  const rows: ReferenceTrendsRow[] = [];
  const ranges: [string, string, 'current' | 'previous'][] = [[spec.date_from, spec.date_to, 'current']];
  if (spec.compare) ranges.push([...previousDates(spec), 'previous']);
  const currentKeys: { key: string | null; other: boolean }[][] = [];
  const perRange = ranges.map(([dateFrom, dateTo, which]) => {
    const buckets = periodsOf(spec, dateFrom, dateTo);
    const hours = new Map(spec.period === 'hour'
      ? hoursOf(spec.timezone, hourOf(dateFrom, false), hourOf(dateTo, true)).map((h) => [h.label, h] as const) : []);
    const zone = spec.timezone;
    // the range's own events, bounded as PostHog bounds it
    const lower = spec.period === 'month' ? `${dateFrom.slice(0, 7)}-01` : dateFrom.slice(0, 10);
    const inRange = (e: TrendsEvent) => {
      if (spec.period === 'hour') { const h = localHour(zone, e.ts); return h >= hourOf(dateFrom, false) && h <= hourOf(dateTo, true); }
      const d = localDate(zone, e.ts);
      return d >= lower && d <= dateTo.slice(0, 10);
    };
    const lines = spec.series.map((series, s) => {
      const math = effective(series.math ?? 'total', spec.period);
      const own = events.filter((e) => passes(e, spec.where) && passes(e, series.where) && (series.event === null || e.event === series.event));
      const counted = own.filter(inRange);
      let keys: { key: string | null; other: boolean; has: (e: TrendsEvent) => boolean }[] = [{ key: null, other: false, has: () => true }];
      if (spec.breakdown) {
        const values = [...new Set(counted.map((e) => keyOf(e[spec.breakdown!])))];
        const rankMath = math === 'dau' ? 'total' : math;
        const score = new Map(values.map((v) => [v, mathOf(rankMath, counted.filter((e) => keyOf(e[spec.breakdown!]) === v), series.property)]));
        values.sort((a, b) => {
          const sa = score.get(a)!; const sb = score.get(b)!;
          if (sa !== sb) {
            if (sa === null) return 1;
            if (sb === null) return -1;
            return math === 'min' ? sa - sb : sb - sa;
          }
          if (a === null) return 1;
          if (b === null) return -1;
          return a < b ? -1 : 1;
        });
        const top = values.slice(0, limit);
        keys = top.map((key) => ({ key, other: false, has: (e: TrendsEvent) => keyOf(e[spec.breakdown!]) === key }));
        if (values.length > limit) keys.push({ key: 'Other', other: true, has: (e) => !top.includes(keyOf(e[spec.breakdown!])) });
        // a range without the series' events counts zeros: in the previous range one line per
        // breakdown value the current range has, else one line without a value
        const fallback = which === 'previous' && currentKeys[s]?.length ? currentKeys[s] : [{ key: null, other: false }];
        if (keys.length === 0) keys = fallback.map(({ key, other }) => ({ key, other, has: () => false }));
        if (which === 'current') currentKeys[s] = keys.map(({ key, other }) => ({ key, other }));
      }
      return keys.map(({ key, other, has }) => {
        const mine = own.filter(has);
        const mineCounted = counted.filter(has);
        let values: number[];
        if (spec.cumulative && math === 'dau') {
          const seen = new Set<string>();
          values = buckets.map((b) => { for (const e of mineCounted) if (b.holds(e)) seen.add(e.user_id); return seen.size; });
        } else {
          values = buckets.map((b) => {
            // active people look back before the range; everything else counts the range's events
            const pool = math === 'weekly_active' || math === 'monthly_active' ? mine : mineCounted;
            return mathOf(math, pool.filter(windowOf(spec, math, b, hours)), series.property) ?? 0;
          });
          if (spec.cumulative) for (let i = 1; i < values.length; i++) values[i] += values[i - 1];
        }
        return { key, other, values };
      });
    });
    return { which, buckets, lines };
  });
  spec.series.forEach((series, s) => {
    for (const { which, buckets, lines } of perRange) {
      for (const line of lines[s]) {
        buckets.forEach((b, i) => rows.push(row(spec, series.label ?? series.event ?? 'all events', line, b.label, line.values[i], which)));
      }
    }
  });
  if (spec.formula) {
    const [, fn] = spec.formula;
    for (const { which, buckets, lines } of perRange) {
      const keys: { key: string | null; other: boolean }[] = [];
      for (const series of lines) for (const line of series) if (!keys.some((k) => k.key === line.key && k.other === line.other)) keys.push(line);
      keys.sort((a, b) => Number(a.other) - Number(b.other));
      for (const key of keys) {
        buckets.forEach((b, i) => {
          const inputs = lines.map((series) => series.find((l) => l.key === key.key && l.other === key.other)?.values[i] ?? 0);
          const value = fn(inputs);
          rows.push(row(spec, 'formula', key, b.label, Number.isFinite(value) ? value : null, which));
        });
      }
    }
  }
  return rows;
}

function row(spec: ReferenceTrendsSpec, series: string, line: { key: string | null; other: boolean }, period: string, value: number | null, which: 'current' | 'previous'): ReferenceTrendsRow {
  return {
    series,
    ...(spec.breakdown ? { breakdown: line.key, other: line.other } : {}),
    period,
    value,
    ...(spec.compare ? { compare: which } : {}),
  };
}
