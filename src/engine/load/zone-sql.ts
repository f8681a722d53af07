import { offsetIntervals } from '../time-zone.ts';

/**
 * SQL that reads a wall-clock `TIMESTAMP` expression as local time in `zone` and gives the UTC
 * instant, DST-correct without ICU: one CASE branch per constant-offset interval of the data's
 * range. A time that occurs twice (clocks back) takes its first occurrence; a time skipped
 * (clocks forward) takes the offset from before the change.
 */
export function localToUtcSql(expression: string, zone: string, fromMs: number, toMs: number): string {
  const intervals = offsetIntervals(zone, fromMs, toMs);
  if (intervals.length === 1) return `(${expression} - to_milliseconds(${intervals[0].offsetMs}))`;
  const branches = intervals.map((interval, i) => {
    const localStart = interval.startMs + interval.offsetMs;
    const localEnd = interval.endMs + interval.offsetMs;
    const lower = i === 0 ? '' : `${expression} >= epoch_ms(${localStart})`;
    const upper = i === intervals.length - 1 ? '' : `${expression} < epoch_ms(${localEnd})`;
    const condition = [lower, upper].filter(Boolean).join(' AND ') || 'TRUE';
    return `WHEN ${condition} THEN ${expression} - to_milliseconds(${interval.offsetMs})`;
  });
  // skipped local times fall between two intervals: read them with the earlier offset
  const gaps = intervals.slice(1).map((interval, i) => `WHEN ${expression} < epoch_ms(${interval.startMs + interval.offsetMs}) THEN ${expression} - to_milliseconds(${intervals[i].offsetMs})`);
  return `(CASE ${branches.join(' ')} ${gaps.join(' ')} END)`;
}
