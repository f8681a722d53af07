import type { Table } from 'apache-arrow';
import { periodLabel, type CalendarRange, type Period } from '../calendar.ts';
import { evaluateFormula, parseFormula } from './formula.ts';
import { previousRange, trendsWindow, type TrendsWindow } from './range.ts';
import { isRolling } from './sql.ts';
import { KIND, type TrendsSpec } from './spec.ts';

/** One point of a trends chart. */
export interface TrendsRow {
  /** The series' label (or event name), or `"formula"`. */
  series: string;
  /** The breakdown value as text (null for events without one; `"Other"` for the rest). Only with a breakdown. */
  breakdown?: string | null;
  /** True on the row that sums the values past the top `breakdown_limit`. Only with a breakdown. */
  other?: boolean;
  /** The period's local start, `YYYY-MM-DD` (`YYYY-MM-DD HH:00` for hours). */
  period: string;
  /** The series' value in the period; null where a formula has no finite result. */
  value: number | null;
  /** Which range the row counts: the one asked for, or the one just before it. Only with `compare`. */
  compare?: 'current' | 'previous';
}

/** One line's values by period index, and where it ranks among the series' breakdown values. */
interface Line {
  rank: number;
  key: string | null;
  values: Map<number, number>;
}

const OTHER = 'Other';

function readLines(result: Table | null): Map<string, Line[]> {
  const lines = new Map<string, Map<string, Line>>();
  for (const row of result?.toArray() ?? []) {
    const group = `${row.s}|${row.r}`;
    let byKey = lines.get(group);
    if (!byKey) lines.set(group, (byKey = new Map()));
    const rank = Number(row.rank);
    const key = row.key === null || row.key === undefined ? null : String(row.key);
    const id = `${rank}|${key ?? '\u0000'}`;
    let line = byKey.get(id);
    if (!line) byKey.set(id, (line = { rank, key, values: new Map() }));
    if (row.p === null) continue;
    const p = Number(row.p);
    line.values.set(p, (line.values.get(p) ?? 0) + (row.value === null ? 0 : Number(row.value)));
  }
  return new Map([...lines].map(([group, byKey]) => [group, [...byKey.values()].sort((a, b) => a.rank - b.rank)]));
}

/** A line's value in every period shown: 0 where nothing counted, running sums where asked. */
function lineValues(line: Line, window: TrendsWindow, running: number): number[] {
  // A rolling line holds changes; with `cumulative` every line is summed once more. Sums run over
  // every period index, an hour a DST change skips included, so no change is lost.
  const all = Array.from({ length: window.to - window.from + 1 }, (_, i) => line.values.get(window.from + i) ?? 0);
  for (let pass = 0; pass < running; pass++) for (let i = 1; i < all.length; i++) all[i] += all[i - 1];
  return window.periods.map((p) => all[p - window.from]);
}

/**
 * The rows of a trends result: per series, breakdown value (rank order, "Other" last) and range,
 * every period with a value, then the formula's rows.
 */
export function shapeTrends(result: Table | null, spec: TrendsSpec): TrendsRow[] {
  const lines = readLines(result);
  const ranges: [CalendarRange<Period>, number][] = [[spec, 0]];
  if (spec.compare) ranges.push([previousRange(spec), 1]);
  const hasBreakdown = spec.breakdown !== null;
  const otherRank = spec.breakdown_limit + 1;
  const rows: TrendsRow[] = [];
  const push = (series: string, range: CalendarRange<Period>, r: number, periods: number[], key: { rank: number; key: string | null }, values: (number | null)[]) => {
    periods.forEach((p, i) => rows.push({
      series,
      ...(hasBreakdown ? { breakdown: key.rank === otherRank ? OTHER : key.key, other: key.rank === otherRank } : {}),
      period: periodLabel(range, p),
      value: values[i],
      ...(spec.compare ? { compare: r === 0 ? 'current' as const : 'previous' as const } : {}),
    }));
  };
  const formula = spec.formula === null ? null : parseFormula(KIND, spec.formula, spec.series.length);
  const perRange = ranges.map(([range, r]) => {
    const window = trendsWindow(range);
    const { periods } = window;
    const bySeries = spec.series.map((series, s) => {
      const found = lines.get(`${s}|${r}`) ?? [];
      // A series with no events still draws its line of zeros; in an empty previous range, one per
      // breakdown value of the current range, so that no "(none)" line appears that the data lacks.
      const current = r > 0 && hasBreakdown ? (lines.get(`${s}|0`) ?? []) : [];
      const empty = current.length > 0 ? current.map((line) => ({ rank: line.rank, key: line.key })) : [{ rank: 1, key: null }];
      const shown = found.length > 0 ? found : empty.map((line) => ({ ...line, values: new Map<number, number>() }));
      const running = (isRolling(series, range.period) ? 1 : 0) + (spec.cumulative ? 1 : 0);
      return shown.map((line) => ({ rank: line.rank, key: line.key, values: lineValues(line, window, running) }));
    });
    return { range, r, periods, bySeries };
  });
  spec.series.forEach((series, s) => {
    for (const { range, r, periods, bySeries } of perRange) for (const line of bySeries[s]) push(series.label, range, r, periods, line, line.values);
  });
  if (formula) {
    for (const { range, r, periods, bySeries } of perRange) {
      // every breakdown value any series has, in the order the series list them; "Other" last
      const keys: { rank: number; key: string | null }[] = [];
      const id = (line: { rank: number; key: string | null }) => (line.rank === otherRank ? '\u0001other' : line.key ?? '\u0000');
      for (const lines of bySeries) for (const line of lines) if (!keys.some((k) => id(k) === id(line))) keys.push(line);
      keys.sort((a, b) => Number(a.rank === otherRank) - Number(b.rank === otherRank));
      for (const key of keys) {
        const inputs = bySeries.map((lines) => lines.find((line) => id(line) === id(key))?.values);
        push('formula', range, r, periods, key, periods.map((_, i) => evaluateFormula(formula, inputs.map((values) => values?.[i] ?? 0))));
      }
    }
  }
  return rows;
}
