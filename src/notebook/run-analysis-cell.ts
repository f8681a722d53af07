import type { ColumnTable } from 'arquero';
import type { AnalysisRunResult, RuntimeHost } from './runtime-host.ts';
import type { CellError } from './cell-graph.ts';
import { jsonErrorPosition } from './json-error-position.ts';
import { resultTable } from './result-table.ts';

/** A spec that is not valid JSON, with where it went wrong. */
export class SpecSyntaxError extends SyntaxError {
  constructor(message: string, readonly line?: number, readonly column?: number) {
    super(message);
    this.name = 'SpecSyntaxError';
  }
}

/**
 * Reads an analysis cell's JSON spec and adds its kind (the fence language, which wins over a
 * `kind` in the body).
 *
 * @example
 * analysisSpec('retention', '{"period": "week"}'); // { period: 'week', kind: 'retention' }
 */
export function analysisSpec(kind: string, source: string): { kind: string; [key: string]: unknown } {
  let spec: unknown;
  try {
    spec = source.trim() === '' ? {} : JSON.parse(source);
  } catch (error) {
    const message = (error as Error).message;
    const position = jsonErrorPosition(source);
    const where: Pick<CellError, 'line' | 'column'> = {};
    if (position >= 0) {
      const before = source.slice(0, position).split('\n');
      Object.assign(where, { line: before.length, column: before[before.length - 1].length + 1 });
    }
    throw new SpecSyntaxError(`the ${kind} spec is not valid JSON: ${message.replace(/ in JSON at position \d+.*$/, '').replace(/, (?:\.\.\.)?"[\s\S]*" is not valid JSON$/, '')}`, where.line, where.column);
  }
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
    throw new SpecSyntaxError(`the ${kind} spec must be a JSON object, like {"period": "week"}`);
  }
  return { ...(spec as Record<string, unknown>), kind };
}

/**
 * Runs an analysis cell on the host; the cell shows (and names) the Arquero table of the rows.
 * `resolve` fills the spec's `"${name}"` fields with the values of the inputs they name.
 *
 * @example
 * const { table, result } = await runAnalysisCell(host, 'retention', '{"period": "week"}', { signal });
 */
export async function runAnalysisCell(
  host: RuntimeHost, kind: string, source: string,
  options: { signal?: AbortSignal; resolve?: (spec: ReturnType<typeof analysisSpec>) => ReturnType<typeof analysisSpec> },
): Promise<{ table: ColumnTable; result: AnalysisRunResult }> {
  const spec = analysisSpec(kind, source);
  const result = await host.analyze(options.resolve ? { ...options.resolve(spec), kind } : spec, { signal: options.signal });
  return { table: resultTable(kind, result.rows, result.meta.spec), result };
}
