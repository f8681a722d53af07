import { duckdb, quoteIdent, type Dialect, type SqlValue } from '../engine/index.ts';
import { periodSql } from './calendar.ts';
import { retentionRange, type RetentionRange, type RetentionSpec } from './retention-spec.ts';
import { whereSql } from './where.ts';

const DAY_MS = 86_400_000;

/**
 * What every retention query is built from: the range, the period expression, the scan of the
 * events it reads, and the bound values, collected in the order their `?` appear in the text.
 * Build the query's parts in the order they appear in the text.
 *
 * @example
 * const q = new RetentionQuery(spec, 'events');
 * const sql = `SELECT count(*) FROM (${q.scan('both', true)})`; // q.params holds the values
 */
export class RetentionQuery {
  readonly params: SqlValue[] = [];
  readonly range: RetentionRange;
  /** The first cohort period begins at `S` and the last ends at `E` (epoch ms, UTC). */
  readonly S: number;
  readonly E: number;
  /** Whether start and return events are the same set of events. */
  readonly sameEvents: boolean;

  /** `user`: the person as SQL (see `userKeySql`); `d`: the engine's dialect. */
  constructor(readonly spec: RetentionSpec, readonly table: string, readonly user = 'user_id', readonly d: Dialect = duckdb) {
    this.range = retentionRange(spec);
    this.S = this.range.startMs;
    this.E = this.range.endMs;
    this.sameEvents = spec.start_event === spec.return_event;
  }

  /** SQL for the local period index of an epoch-ms expression, exact within the range. */
  period(msExpr: string): string {
    return periodSql(this.spec, msExpr, this.S - DAY_MS, this.E + DAY_MS, this.d);
  }

  /** `event = ?` (bound) for an event name, `TRUE` for any event. */
  eventIs(event: string | null): string {
    if (event === null) return 'TRUE';
    this.params.push(event);
    return 'event = ?';
  }

  /** The columns `s` (a start event) and `r` (a return event) over a scan's rows. */
  flags(): string {
    return this.sameEvents ? 'TRUE AS s, TRUE AS r' : `${this.eventIs(this.spec.start_event)} AS s, ${this.eventIs(this.spec.return_event)} AS r`;
  }

  /**
   * The rows of the log a query reads: `user_id`, `ms` (epoch ms), `event` when start and return
   * events differ, and `b` (the breakdown as text) when asked; only start and/or return events,
   * filtered by `where`, before the range's end and, with `sinceStart`, not before its start.
   */
  scan(events: 'start' | 'return' | 'both', sinceStart: boolean, withBreakdown = false): string {
    const { spec } = this;
    const { d } = this;
    const where = whereSql(spec.where, d);
    this.params.push(...where.params);
    let filter: string;
    if (events === 'start') filter = this.eventIs(spec.start_event);
    else if (events === 'return') filter = this.eventIs(spec.return_event);
    else if (spec.start_event === null || spec.return_event === null) filter = 'TRUE';
    else if (this.sameEvents) filter = this.eventIs(spec.start_event);
    else filter = `(${this.eventIs(spec.start_event)} OR ${this.eventIs(spec.return_event)})`;
    const since = sinceStart ? `ts >= ${d.timestampOfMs(this.S)} AND ` : '';
    const event = events === 'both' && !this.sameEvents ? ', event' : '';
    const breakdown = withBreakdown && spec.breakdown !== null ? `, ${d.text(quoteIdent(spec.breakdown))} AS b` : '';
    return `SELECT ${this.user} AS user_id, ${d.epochMs('ts')} AS ms${event}${breakdown} FROM ${quoteIdent(this.table)}
  WHERE ${since}ts < ${d.timestampOfMs(this.E)} AND (${where.sql}) AND ${filter}`;
  }
}
