import { Type, tableFromIPC, type DataType, type Table } from 'apache-arrow';
import type { Session } from 'chdb';
import {
  QueryCancelledError, QueryError, type Engine, type JsonFieldType, type QueryOptions, type SqlValue,
} from './engine.ts';
import type { ParsedSql } from './sql-parse.ts';
import { arrowFromColumns, arrowToIPC, type ColumnKind } from './arrow-io.ts';
import { quoteIdent, quoteString } from './sql.ts';
import { scratchDirectory, writeScratchFile } from './scratch-directory.ts';
import { bindClickHouse, splitClickHouseStatements } from './clickhouse-params.ts';

/**
 * Settings every chDB session starts with, so the same SQL means what it means in DuckDB.
 * `join_use_nulls`: an outer join's missing side is NULL, not the type's default;
 * `prefer_column_name_to_alias`: in `SELECT p + 1 AS p ... WHERE p > 0` the WHERE reads the
 * column, not the alias (ClickHouse reads the alias by default; lifecycle's dormant rows caught it);
 * `cast_keep_nullable`: `CAST(x AS DOUBLE)` of a column with NULLs keeps them (ClickHouse refuses by
 * default; the trends reference caught it);
 * `group_by_use_nulls`: the total row of `GROUPING SETS ((p), ())` has p NULL, not 0;
 * `session_timezone`: UTC, as every engine counts; Arrow strings as text (not binary).
 * Given at connect: they hold for every query of the session.
 */
const CONNECTION_ARGS = [
  '--join_use_nulls=1', '--prefer_column_name_to_alias=1', '--cast_keep_nullable=1', '--group_by_use_nulls=1', '--session_timezone=UTC', '--output_format_arrow_string_as_string=1',
];

function columnKind(type: DataType): ColumnKind {
  switch (type.typeId) {
    case Type.Int: case Type.Float: case Type.Decimal: return 'DOUBLE';
    case Type.Bool: return 'BOOLEAN';
    case Type.Timestamp: return 'TIMESTAMP';
    case Type.Date: return 'DATE';
    case Type.Dictionary: return columnKind((type as unknown as { dictionary: DataType }).dictionary);
    default: return 'VARCHAR';
  }
}

const decoder = new TextDecoder();

function plainValue(value: unknown, kind: ColumnKind): unknown {
  if (value === null || value === undefined) return null;
  switch (kind) {
    case 'DOUBLE': case 'TIMESTAMP': case 'DATE': return Number(value);
    case 'BOOLEAN': return Boolean(value);
    default: return value instanceof Uint8Array ? decoder.decode(value) : String(value);
  }
}

/**
 * ClickHouse's reasons without the stack and the echo of the query that chDB adds: the first line,
 * from `DB::Exception:` on.
 */
function clickhouseMessage(error: unknown): string {
  const raw = error instanceof Error ? error.message : String(error);
  const m = /DB::Exception: ([^\n]*?)(?: \(([A-Z_]+)\))?(?:\n|$)/.exec(raw);
  return m ? `ClickHouse error${m[2] ? ` ${m[2]}` : ''}: ${m[1].replace(/\. In scope .*$/, '.')}` : raw.split('\n')[0];
}

/**
 * ClickHouse in this process through chDB (`chdb` on npm, ClickHouse 26 embedded): no server, no
 * download. It speaks the ClickHouse dialect (`dialect/clickhouse.ts`); `?` placeholders become
 * typed ClickHouse parameters bound by the engine. Results are converted to the same Arrow shapes
 * the DuckDB engines return (integers as numbers, timestamps as epoch milliseconds).
 *
 * It reads files only through `registerFile` (into its scratch folder) and holds tables in memory.
 */
class ClickHouseEngine implements Engine {
  readonly kind = 'clickhouse' as const;
  private readonly files = new Map<string, string>();
  private running = 0;

  constructor(private readonly session: Session, private readonly dir: string) {}

  async query(sql: string, params: readonly SqlValue[] = [], options: QueryOptions = {}): Promise<Table> {
    const { signal } = options;
    if (signal?.aborted) throw new QueryCancelledError();
    const bound = bindClickHouse(sql, params);
    this.running++;
    try {
      const result = await this.session.queryBindAsync(bound.sql, bound.values, { format: 'arrow', signal });
      const bytes = result.bytes();
      if (bytes.length === 0) return arrowFromColumns([]);
      const table = tableFromIPC(bytes);
      return arrowFromColumns(table.schema.fields.map((field, i) => {
        const kind = columnKind(field.type);
        const column = table.getChildAt(i)!;
        const values = Array.from({ length: table.numRows }, (_, row) => plainValue(column.get(row), kind));
        return { name: field.name, kind, values };
      }));
    } catch (error) {
      if (signal?.aborted) throw new QueryCancelledError();
      throw new QueryError(clickhouseMessage(error), sql, { cause: error });
    } finally {
      this.running--;
    }
  }

  async exec(sql: string): Promise<void> {
    for (const statement of splitClickHouseStatements(sql)) {
      try {
        await this.session.queryAsync(statement, { format: 'Null' });
      } catch (error) {
        throw new QueryError(clickhouseMessage(error), statement, { cause: error });
      }
    }
  }

  async parseSql(): Promise<ParsedSql> {
    throw new Error('SQL cells do not run on the ClickHouse engine yet: its statements cannot be parsed with DuckDB\'s parser');
  }

  async registerFile(name: string, bytes: Uint8Array): Promise<string> {
    return writeScratchFile(this.dir, this.files, name, bytes);
  }

  async dropFile(name: string): Promise<void> {
    this.files.delete(name);
  }

  private async createFrom(name: string, path: string, format: string, structure?: string): Promise<void> {
    const source = `file(${quoteString(path)}, ${quoteString(format)}${structure ? `, ${quoteString(structure)}` : ''})`;
    await this.exec(`CREATE OR REPLACE TABLE ${quoteIdent(name)} ENGINE = Memory AS SELECT * FROM ${source}`);
  }

  async insertArrow(name: string, data: Table | Uint8Array): Promise<void> {
    const ipc = data instanceof Uint8Array ? data : arrowToIPC(data);
    await this.createFrom(name, await this.registerFile(`${name}.arrows`, ipc), 'ArrowStream');
  }

  async insertJSON(name: string, path: string, fields: Record<string, JsonFieldType>): Promise<void> {
    const types: Record<JsonFieldType, string> = { VARCHAR: 'Nullable(String)', DOUBLE: 'Nullable(Float64)', BOOLEAN: 'Nullable(Bool)' };
    const structure = Object.entries(fields).map(([field, type]) => `${quoteIdent(field)} ${types[type]}`).join(', ');
    await this.createFrom(name, path, 'JSONEachRow', structure);
  }

  async insertParquet(name: string, bytes: Uint8Array): Promise<void> {
    await this.createFrom(name, await this.registerFile(`${name}.parquet`, bytes), 'Parquet');
  }

  /** A chDB query cannot be interrupted once it runs: an aborted `query` rejects, the work finishes unseen. */
  async cancel(): Promise<boolean> {
    return false;
  }

  async close(): Promise<void> {
    this.session.close();
    const { drainPending } = await import('chdb');
    await drainPending();
  }
}

/**
 * Starts ClickHouse in this process (chDB), in UTC, with tables in memory. `chdb` is an optional
 * peer dependency: without it this says how to install it.
 *
 * @example
 * const engine = await createClickHouseEngine();
 * await engine.insertArrow('events', table);
 */
export async function createClickHouseEngine(): Promise<Engine> {
  const { Session } = await import('chdb').catch((error: unknown) => {
    throw new Error('the ClickHouse engine needs the chdb package (ClickHouse in process, about 550 MB installed, '
      + 'so cohortbook does not install it itself): npm install chdb@3.4.0', { cause: error });
  });
  const dir = scratchDirectory('cohortbook-clickhouse-');
  return new ClickHouseEngine(new Session(undefined, { connectionArgs: CONNECTION_ARGS }), dir);
}
