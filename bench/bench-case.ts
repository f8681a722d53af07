import type { ColumnTable } from 'arquero';

/**
 * One analysis the benchmark times. `bench/run.ts` imports every `bench/cases/*.ts` and expects its
 * `export default` to be a `BenchCase`: it runs `spec` through `runAnalysis(engine, spec)` on
 * DuckDB-WASM and on native DuckDB (the same SQL on both), and `arquero` over an Arquero table of
 * the same events, with columns `user_id` (string), `event` (string), `ts` (epoch milliseconds,
 * number), `revenue` (number or null) and `country` (string).
 *
 * @example
 * import * as aq from 'arquero';
 * const activeUsers: BenchCase = {
 *   name: 'distinct users',
 *   spec: { kind: 'active_users', period: 'week' },
 *   arquero: (events) => events.rollup({ users: aq.op.distinct('user_id') }).objects(),
 * };
 * export default activeUsers;
 */
export interface BenchCase {
  /** Shown in the results table, e.g. `'weekly retention'`. */
  name: string;
  /** A spec for `runAnalysis`; the events are in the canonical `events` view. */
  spec: { kind: string; [key: string]: unknown };
  /**
   * The same analysis in plain Arquero. It must do the whole job and return the finished rows
   * (e.g. end with `.objects()`), so the timing covers what `runAnalysis` delivers.
   */
  arquero?: (events: ColumnTable) => unknown;
  /**
   * Leave the case out of the engine runs (`spec` is then only documentation): the `load` case is
   * timed by `run.ts` itself, not through `runAnalysis`.
   */
  timedByHarness?: boolean;
}
