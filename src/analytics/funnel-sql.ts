import { anyOrderPeopleCtes } from './funnel-any-sql.ts';
import { chainPeopleCtes } from './funnel-chain-sql.ts';
import type { FunnelSpec } from './funnel-spec.ts';
import { funnelPieces, SqlBuilder, type FunnelPieces } from './funnel-sql-parts.ts';
import { quoteIdent } from '../engine/index.ts';
import { peopleSelect as personSelect } from './people.ts';
import type { EventCatalog } from './event-catalog.ts';
import type { BoundSql } from './where.ts';

/**
 * The funnel as one SQL query. Its first part finds each person's best attempt, as the CTE `pp`
 * (one row per person who entered: `u`, the furthest step `lvl`, the breakdown value `b`, the
 * step times `tt` in epoch microseconds, and whether an exclusion removes them): `ordered` and
 * `strict` follow each attempt's greedy chain with one join per step (`funnel-chain-sql.ts`),
 * `any` evaluates the attempts over one list per person (`funnel-any-sql.ts`). The rest counts.
 */

function stepsSelect(spec: FunnelSpec): string {
  const columns = ['count(*) AS users_1'];
  for (let k = 2; k <= spec.steps.length; k++) {
    const diff = `(tt[${k}] - tt[${k - 1}])`;
    columns.push(`count(*) FILTER (WHERE lvl >= ${k}) AS users_${k}`,
      // An exact integer sum, so every engine returns the same mean whatever order it adds in.
      `CAST(sum(${diff}) FILTER (WHERE lvl >= ${k}) AS DOUBLE) AS sum_us_${k}`,
      `median(${diff}) FILTER (WHERE lvl >= ${k}) AS median_us_${k}`);
  }
  const grouped = spec.breakdown !== null;
  return `SELECT ${grouped ? 'b AS breakdown, ' : ''}${columns.join(', ')}
FROM pp WHERE NOT excluded${grouped ? '\nGROUP BY b ORDER BY b NULLS LAST' : ''}`;
}

/** The columns a funnel's people rows carry after each person's first and last seen and events. */
export function funnelPeopleColumns(spec: FunnelSpec): string[] {
  return [...(spec.breakdown ? ['breakdown'] : []), 'furthest_step'];
}

function peopleSelect(spec: FunnelSpec, table: string, pieces: FunnelPieces): string {
  const people = spec.people!;
  const condition = people.kind === 'reached' ? `lvl >= ${people.step}` : `lvl = ${people.step}`;
  const columns = `${spec.breakdown ? 'b AS breakdown, ' : ''}lvl AS furthest_step`;
  const who = !pieces.hashedUsers
    ? `, people AS (SELECT u AS user_id, ${columns} FROM pp WHERE NOT excluded AND ${condition})`
    // People were told apart by the hash of their id: look the ids up again.
    : `, ids AS (SELECT DISTINCT ${pieces.user} AS u, user_id FROM ${quoteIdent(table)}),
people AS (SELECT ids.user_id, ${columns} FROM pp JOIN ids ON ids.u = pp.u WHERE NOT excluded AND ${condition})`;
  return `${who}${personSelect(table, funnelPeopleColumns(spec))}`;
}

function timeToConvertSelect(spec: FunnelSpec): string {
  const { from_step: from, to_step: to, bins } = spec.time_to_convert!;
  const grouped = spec.breakdown !== null;
  return `, conv AS (SELECT b, (tt[${to}] - tt[${from}]) / 1e6 AS seconds FROM pp WHERE NOT excluded AND lvl >= ${to}),
binned AS (
  SELECT b, seconds, greatest(1, ceil(max(seconds) OVER () / ${bins})) AS width FROM conv
)
SELECT ${grouped ? 'b AS breakdown, ' : ''}CAST(least(floor(seconds / width), ${bins - 1}) * width AS DOUBLE) AS bin_start_seconds,
  CAST((least(floor(seconds / width), ${bins - 1}) + 1) * width AS DOUBLE) AS bin_end_seconds,
  count(*) AS users, CAST(sum(seconds) AS DOUBLE) AS sum_seconds
FROM binned GROUP BY ALL ORDER BY ${grouped ? 'breakdown NULLS LAST, ' : ''}bin_start_seconds`;
}

/**
 * The funnel's SQL over `table` (the canonical events view): step rows by default, the people of
 * one step with `people`, or a histogram of conversion times with `time_to_convert`.
 *
 * @example
 * const { sql, params } = funnelSql(validateFunnel({ kind: 'funnel', steps: ['signup', 'purchase'] }, catalog), 'events');
 * const table = await engine.query(sql, params);
 */
export function funnelSql(spec: FunnelSpec, table: string, catalog?: EventCatalog): BoundSql {
  const pieces = funnelPieces(spec, catalog);
  const b = new SqlBuilder();
  const people = spec.order === 'any' ? anyOrderPeopleCtes(spec, table, b, pieces) : chainPeopleCtes(spec, table, b, pieces);
  const head = `WITH ${people}`;
  let sql: string;
  if (spec.people) sql = `${head}${peopleSelect(spec, table, pieces)}`;
  else if (spec.time_to_convert) sql = `${head}${timeToConvertSelect(spec)}`;
  else sql = `${head}\n${stepsSelect(spec)}`;
  return { sql, params: b.params };
}
