import { EVENTS_CATALOG, dialectFor, dialectNamed, quoteString, type Dialect, type DialectName, type Engine, type SourceColumn } from '../engine/index.ts';

/** What validation needs to know about the data: its event names, columns and time range. */
export interface EventCatalog {
  events: string[];
  columns: SourceColumn[];
  /** Epoch milliseconds (UTC) of the first and last event, or null for an empty log. */
  firstTs: number | null;
  lastTs: number | null;
  /**
   * Whether `hash(user_id)` is a different number for every person (the loader checks it), so that
   * queries may group and join on it instead of the text. False for tables the loader did not make.
   */
  userHashUnique?: boolean;
  /** The SQL dialect of the engine the catalog was read from; absent means DuckDB. */
  dialect?: DialectName;
}

/**
 * The dialect an analysis writes its SQL in: the one of the engine its catalog came from.
 *
 * @example
 * dialectOf(catalog).epochMs('ts') // 'epoch_ms(ts)' on DuckDB, 'toUnixTimestamp64Milli(ts)' on ClickHouse
 */
export function dialectOf(catalog?: Pick<EventCatalog, 'dialect'>): Dialect {
  return dialectNamed(catalog?.dialect);
}

/**
 * The person as SQL for grouping and joining: `hash(user_id)` when the catalog says it tells people
 * apart (a number groups and joins several times faster than text), otherwise `user_id`. Only for
 * queries whose results count people rather than list them.
 */
export function userKeySql(catalog?: EventCatalog): string {
  return catalog?.userHashUnique ? 'hash(user_id)' : 'user_id';
}

/** Reads the catalog of the `events` view (or another table with the same contract). */
export async function readEventCatalog(engine: Engine, table = 'events'): Promise<EventCatalog> {
  const d = dialectFor(engine.kind);
  if (d.name === 'clickhouse') return readClickHouseCatalog(engine, table, d);
  const t = `"${table.replaceAll('"', '""')}"`;
  // the loader counts `events`' names once per load; other tables are scanned
  const counted = table === 'events' && await engine.query(`SELECT 1 FROM ${EVENTS_CATALOG} LIMIT 1`).then(() => true, () => false);
  const from = counted ? EVENTS_CATALOG : t;
  const names = await engine.query(`SELECT DISTINCT event FROM ${from} WHERE event IS NOT NULL ORDER BY event`);
  const columns = (await engine.query(`DESCRIBE ${t}`)).toArray()
    .map((row) => ({ name: String(row.column_name), type: String(row.column_type) }));
  const range = (await engine.query(counted
    ? `SELECT epoch_ms(min(first_ts)) AS first, epoch_ms(max(last_ts)) AS last, bool_and(user_hash_unique) AS hash_unique FROM ${EVENTS_CATALOG}`
    : `SELECT epoch_ms(min(ts)) AS first, epoch_ms(max(ts)) AS last FROM ${t}`)).get(0);
  return {
    events: names.toArray().map((row) => String(row.event)),
    columns,
    firstTs: range?.first == null ? null : Number(range.first),
    lastTs: range?.last == null ? null : Number(range.last),
    userHashUnique: range?.hash_unique === true,
  };
}

// ClickHouse types as the DuckDB names validation knows (the loader's columns are these five kinds).
const CLICKHOUSE_TYPE = `multiIf(type LIKE '%String%', 'VARCHAR', type LIKE '%DateTime%', 'TIMESTAMP', type LIKE '%Date%', 'DATE',
  type LIKE '%Bool%', 'BOOLEAN', type LIKE '%Float%' OR type LIKE '%Decimal%', 'DOUBLE', type LIKE '%Int%', 'BIGINT', type)`;

/**
 * The catalog on ClickHouse: columns from `system.columns` with DuckDB's type names, and no
 * `hash(user_id)` grouping (the loader's check was of DuckDB's hash, not ClickHouse's).
 */
async function readClickHouseCatalog(engine: Engine, table: string, d: Dialect): Promise<EventCatalog> {
  const t = `"${table.replaceAll('"', '""')}"`;
  const counted = table === 'events' && await engine.query(`SELECT 1 FROM ${EVENTS_CATALOG} LIMIT 1`).then(() => true, () => false);
  const from = counted ? EVENTS_CATALOG : t;
  const names = await engine.query(`SELECT DISTINCT event FROM ${from} WHERE event IS NOT NULL ORDER BY event`);
  const columns = (await engine.query(`SELECT name AS column_name, ${CLICKHOUSE_TYPE} AS column_type FROM system.columns
    WHERE database = currentDatabase() AND table = ${quoteString(table)} ORDER BY position`)).toArray()
    .map((row) => ({ name: String(row.column_name), type: String(row.column_type) }));
  const range = (await engine.query(counted
    ? `SELECT ${d.epochMs('min(first_ts)')} AS first, ${d.epochMs('max(last_ts)')} AS last FROM ${EVENTS_CATALOG}`
    : `SELECT ${d.epochMs('min(ts)')} AS first, ${d.epochMs('max(ts)')} AS last, count(*) AS n FROM ${t}`)).get(0);
  const empty = counted ? names.numRows === 0 : Number(range?.n ?? 0) === 0;
  return {
    events: names.toArray().map((row) => String(row.event)),
    columns,
    firstTs: empty || range?.first == null ? null : Number(range.first),
    lastTs: empty || range?.last == null ? null : Number(range.last),
    userHashUnique: false,
    dialect: d.name,
  };
}

/** Suggests the closest known name for a misspelt one (edit distance ≤ 2, or a case difference). */
export function closestName(name: string, known: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of known) {
    const d = candidate.toLowerCase() === name.toLowerCase() ? 0 : editDistance(name, candidate);
    if (d < bestDistance) { best = candidate; bestDistance = d; }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const saved = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = saved;
    }
  }
  return row[b.length];
}
