import { userKeySql, type EventCatalog } from './event-catalog.ts';
import { joinRetentionSql } from './retention-join-sql.ts';
import { canUseMasks, maskRetentionSql } from './retention-mask-sql.ts';
import { RetentionQuery } from './retention-scan.ts';
import type { RetentionSpec } from './retention-spec.ts';
import type { BoundSql } from './where.ts';

/**
 * The retention query for a validated spec. Its result has one row per cell that has people:
 * `cohort_index` (the cohort's period index), `breakdown` (VARCHAR or NULL), `k` (periods after the
 * cohort; 0 is the cohort size) and `users`; with `cumulative`, rows of k >= 1 count people whose
 * *last* return is in period k (the shaper sums them from the right).
 *
 * Both forms read only `user_id`, `event`, `ts` (plus breakdown and filter columns) and bucket
 * instants into integer local period indexes: the bitmask form (calendar clock, no breakdown, up to
 * 63 periods) needs one aggregation by person and no join; the join form handles everything else.
 *
 * @example
 * const { sql, params } = retentionSql(spec, 'events');
 * const counts = await engine.query(sql, params);
 */
export function retentionSql(spec: RetentionSpec, table: string, options: { masks?: boolean; catalog?: EventCatalog } = {}): BoundSql {
  // the people behind a cell are listed by their ids, from the general (join) form
  const q = new RetentionQuery(spec, table, spec.people ? 'user_id' : userKeySql(options.catalog));
  const sql = options.masks !== false && !spec.people && canUseMasks(q) ? maskRetentionSql(q) : joinRetentionSql(q);
  return { sql, params: q.params };
}
