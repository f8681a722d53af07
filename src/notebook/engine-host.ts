import * as aq from 'arquero';
import * as Plot from '@observablehq/plot';
import type { ColumnTable } from 'arquero';
import { float64, utf8 } from '@uwdata/flechette';
import { tableToIPC, type Table as ArrowTable } from 'apache-arrow';
import { cellTableProblem, quoteIdent, type Engine, type SqlValue } from '../engine/index.ts';
import { cellStatement } from './run-sql-cell.ts';
import { declaredColumns, resultTable } from './result-table.ts';
import { analysisKinds, runAnalysis, type AnalysisResult } from '../analytics/index.ts';

type Signal = { signal?: AbortSignal; params?: SqlValue[] };

/** What a cell that reads `events` says when no event log is loaded. */
export const NO_EVENTS_MESSAGE = 'no event log is loaded: this cell reads "events", the table every loaded file becomes';

/** Whether a query failed only because no event log is loaded (DuckDB's "Table with name events does not exist"). */
function isNoEvents(error: unknown): boolean {
  return /Table with name "?events"? does not exist/i.test(String((error as Error)?.message ?? ''));
}

/** The same call, with "no event log" said in a person's terms instead of DuckDB's. */
async function clearly<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    throw isNoEvents(error) ? new Error(NO_EVENTS_MESSAGE, { cause: error }) : error;
  }
}

/** The warnings of the tables the analysis builtins returned (see `RuntimeHost.warningsOf`). */
const tableWarnings = new WeakMap<object, string[]>();

/**
 * Results cross into cells as Arquero tables. They go through Arrow IPC bytes so that Arquero's own
 * Arrow reader (flechette) owns the columns: handing it apache-arrow vectors directly loses nulls
 * when the table is later written back to Arrow (a null revenue came back as 0).
 */
function toArquero(table: ArrowTable): ColumnTable {
  return aq.fromArrow(tableToIPC(table, 'stream'));
}

/**
 * What a notebook's cells can do with an engine: SQL to Arquero tables, named tables, Arquero tables
 * registered back into DuckDB, and every analysis as a function. The same host serves the browser
 * (worker engine) and Node (tests, `cohortbook run`), so a cell computes the same numbers in both.
 *
 * @example
 * const host = createEngineHost(engine);
 * const top = await host.sql('SELECT event, count(*) AS n FROM events GROUP BY 1 ORDER BY 2 DESC');
 */
export function createEngineHost(engine: Engine) {
  const sql = async (query: string, options: Signal = {}) => toArquero(await clearly(engine.query(query, options.params ?? [], { signal: options.signal })));
  const analyze = (spec: { kind: string; [key: string]: unknown }, options: Signal = {}): Promise<AnalysisResult> =>
    clearly(runAnalysis(engine, spec, options));

  const host = {
    engine,
    sql,
    analyze,
    parseSql: (text: string) => engine.parseSql(text),
    async createTable(name: string, query: string, options: Signal = {}): Promise<ColumnTable> {
      // a cell's table must not replace the events view or a loaded file's table
      const problem = await cellTableProblem(engine, name);
      if (problem) throw new Error(problem);
      // the wrapped text is parsed again: whatever the query holds, exactly one statement runs
      const statement = cellStatement(await engine.parseSql(`CREATE OR REPLACE TABLE ${quoteIdent(name)} AS ${query}`))!;
      // through query, not exec: a slow cell stays cancellable and does not block Node's event loop
      await clearly(engine.query(statement, options.params ?? [], { signal: options.signal }));
      return sql(`SELECT * FROM ${quoteIdent(name)}`, { signal: options.signal });
    },
    async registerTable(name: string, table: ColumnTable): Promise<void> {
      // DuckDB has no table without columns (and DuckDB-WASM's Arrow reader fails on its schema)
      if (table.numCols() === 0) throw new Error(`"${name}" has no columns (an empty result whose columns are not known), so SQL cannot read it`);
      await engine.insertArrow(name, aq.toArrowIPC(table, { format: 'stream', types: numberTypes(table) }) as Uint8Array);
    },
    builtins(): Record<string, unknown> {
      const analyses = Object.fromEntries(analysisKinds().map((kind) => [
        camelCase(kind),
        async (spec: Record<string, unknown> = {}) => {
          const result = await analyze({ ...spec, kind });
          const table = resultTable(kind, result.rows, result.meta.spec);
          if (result.meta.warnings.length) tableWarnings.set(table, result.meta.warnings);
          return table;
        },
      ]));
      /** `sql\`SELECT ... WHERE event = ${name}\`` binds interpolated values as parameters. */
      const sqlTag = async (strings: TemplateStringsArray | string, ...values: unknown[]) => {
        if (typeof strings === 'string') return sql(strings);
        const text = strings.reduce((out, part, i) => out + part + (i < values.length ? '?' : ''), '');
        return toArquero(await clearly(engine.query(text, values as never[])));
      };
      return { aq, op: aq.op, Plot, sql: sqlTag, ...analyses };
    },
    warningsOf(value: unknown): string[] {
      return value && typeof value === 'object' ? tableWarnings.get(value) ?? [] : [];
    },
  };
  return host;
}

/** The host a notebook runtime talks to. */
export type EngineHost = ReturnType<typeof createEngineHost>;

/**
 * Number columns go to DuckDB as DOUBLE (and an empty result's declared columns as their types): left to itself Arrow picks the narrowest integer type
 * (INT8 for small counts), and `SELECT events * 100` then overflows.
 */
function numberTypes(table: ColumnTable): Record<string, ReturnType<typeof float64 | typeof utf8>> {
  const types: Record<string, ReturnType<typeof float64 | typeof utf8>> = {};
  // an empty analysis result: the types its analysis declares (no value to tell them)
  for (const column of declaredColumns(table)) types[column.name] = column.type === 'number' ? float64() : utf8();
  for (const name of table.columnNames()) {
    const column = table.column(name);
    for (let row = 0; row < table.numRows(); row++) {
      const value = column?.at(row);
      if (value === null || value === undefined) continue;
      if (typeof value === 'number') types[name] = float64();
      break;
    }
  }
  return types;
}

function camelCase(kind: string): string {
  return kind.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}
