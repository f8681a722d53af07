import type { SqlValue } from '../engine/index.ts';
import { funnelRangeMs, type FunnelSpec } from './funnel-spec.ts';
import type { BoundSql } from './where.ts';
import { userKeySql, type EventCatalog } from './event-catalog.ts';

/**
 * SQL text under construction with its bound values, kept in step: text must be generated in the
 * order it appears in the query, since `?` placeholders are positional.
 *
 * @example
 * const b = new SqlBuilder();
 * const sql = `SELECT * FROM events WHERE event = ${b.value('signup')}`; // b.params: ['signup']
 */
export class SqlBuilder {
  readonly params: SqlValue[] = [];
  bind(part: BoundSql): string {
    this.params.push(...part.params);
    return part.sql;
  }
  value(value: SqlValue): string {
    this.params.push(value);
    return '?';
  }
}

/**
 * Numbers and conditions the funnel's SQL pieces share. Only numbers the program computed are
 * pasted into SQL, never user text.
 */
export interface FunnelPieces {
  /**
   * The person as SQL: `hash(user_id)` when the loader found it tells people apart (joins and
   * groupings on a number are several times faster than on text), otherwise `user_id`.
   */
  user: string;
  /** Whether `user` is the hash, so that people's ids must be looked up again for output. */
  hashedUsers: boolean;
  /** The window in microseconds, as SQL text. */
  windowUs: string;
  /** SQL condition on a microsecond time for a step-1 event to start an attempt (inside [date_from, date_to]). */
  startsInRange: (t: string) => string;
  /** SQL conditions on `ts` of the events that can matter at all (from date_from to date_to + window). */
  tsInRange: string[];
}

/** Epoch microseconds as SQL text. */
function micros(ms: number): string {
  return String(BigInt(Math.round(ms)) * 1000n);
}

/**
 * The shared numbers of a funnel query.
 *
 * @example
 * funnelPieces(spec).startsInRange('t'); // 't >= 1709251200000000 AND t < 1711929600000000'
 */
export function funnelPieces(spec: FunnelSpec, catalog?: EventCatalog): FunnelPieces {
  const { fromMs, toMs } = funnelRangeMs(spec);
  const windowUs = String(Math.round(spec.window_seconds * 1e6));
  const tsInRange: string[] = [];
  if (fromMs !== null) tsInRange.push(`epoch_us(ts) >= ${micros(fromMs)}`);
  if (toMs !== null) tsInRange.push(`epoch_us(ts) < ${micros(toMs)} + ${windowUs}`);
  return {
    user: userKeySql(catalog),
    hashedUsers: catalog?.userHashUnique === true,
    windowUs,
    tsInRange,
    startsInRange: (t) => [fromMs !== null ? `${t} >= ${micros(fromMs)}` : '', toMs !== null ? `${t} < ${micros(toMs)}` : '']
      .filter(Boolean).join(' AND ') || 'true',
  };
}
