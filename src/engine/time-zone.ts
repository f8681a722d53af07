/**
 * Time zones without DuckDB's ICU extension (which DuckDB-WASM cannot load offline): offsets come
 * from the platform's `Intl` data, in JS, and reach SQL as a small table of offset intervals.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
      hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** Whether `zone` is an IANA time zone name this platform knows (`Europe/London`, `UTC`). */
export function isTimeZone(zone: unknown): zone is string {
  if (typeof zone !== 'string' || zone === '') return false;
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

/** The zone's offset from UTC at an instant, in milliseconds (London in July: 3 600 000). */
export function zoneOffsetMs(zone: string, utcMs: number): number {
  if (zone === 'UTC' || zone === 'Etc/UTC') return 0;
  const parts: Record<string, number> = {};
  for (const part of formatter(zone).formatToParts(new Date(utcMs))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const local = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  return local - Math.floor(utcMs / 1000) * 1000;
}

/**
 * The UTC instant of a local wall-clock time. A time skipped by a DST change maps forward; a time
 * that occurs twice maps to its first occurrence.
 *
 * @example
 * localToUtc('Europe/London', 2024, 7, 1) // Date.UTC(2024, 5, 30, 23)
 */
export function localToUtc(zone: string, year: number, month: number, day: number, hour = 0, minute = 0): number {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  const first = wall - zoneOffsetMs(zone, wall);
  const second = wall - zoneOffsetMs(zone, first);
  if (zoneOffsetMs(zone, second) + second === wall) {
    const earlier = wall - zoneOffsetMs(zone, second - 3600_000 * 3);
    return zoneOffsetMs(zone, earlier) + earlier === wall ? Math.min(earlier, second) : second;
  }
  return Math.max(first, second);
}

/** The local calendar date (`YYYY-MM-DD`) of an instant in a zone. */
export function localDate(zone: string, utcMs: number): string {
  return new Date(utcMs + zoneOffsetMs(zone, utcMs)).toISOString().slice(0, 10);
}

/** Parses `YYYY-MM-DD` into its parts, or returns null. */
export function parseLocalDate(text: unknown): { year: number; month: number; day: number } | null {
  if (typeof text !== 'string') return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const check = new Date(Date.UTC(year, month - 1, day));
  return check.getUTCMonth() === month - 1 && check.getUTCDate() === day ? { year, month, day } : null;
}

/** An interval of constant offset: instants in [startMs, endMs) are `offsetMs` ahead of UTC. */
export interface OffsetInterval {
  startMs: number;
  endMs: number;
  offsetMs: number;
}

/**
 * The zone's offset intervals covering [fromMs, toMs], found by stepping a day at a time and
 * bisecting each change to the second. Small: two intervals a year for a zone with DST.
 */
export function offsetIntervals(zone: string, fromMs: number, toMs: number): OffsetInterval[] {
  const day = 86_400_000;
  const start = fromMs - day;
  const end = toMs + day;
  const intervals: OffsetInterval[] = [];
  let current = { startMs: start, offsetMs: zoneOffsetMs(zone, start) };
  for (let t = start; t < end; t += day) {
    const next = Math.min(t + day, end);
    const offset = zoneOffsetMs(zone, next);
    if (offset === current.offsetMs) continue;
    let lo = t, hi = next;
    while (hi - lo > 1000) {
      const mid = Math.floor((lo + hi) / 2000) * 1000;
      if (mid <= lo) break;
      if (zoneOffsetMs(zone, mid) === current.offsetMs) lo = mid; else hi = mid;
    }
    intervals.push({ startMs: current.startMs, endMs: hi, offsetMs: current.offsetMs });
    current = { startMs: hi, offsetMs: offset };
  }
  intervals.push({ startMs: current.startMs, endMs: end, offsetMs: current.offsetMs });
  intervals[0].startMs = Number.MIN_SAFE_INTEGER;
  intervals[intervals.length - 1].endMs = Number.MAX_SAFE_INTEGER;
  return intervals;
}
