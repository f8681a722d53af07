import type { JsCellCode } from './js-references.ts';
import type { CellError } from './cell-graph.ts';

/** What a JS cell produced: the values of its declarations and the value it shows. */
export interface JsCellOutput {
  values: Record<string, unknown>;
  display: unknown;
}

type AsyncFunctionConstructor = new (...args: string[]) => (...args: unknown[]) => Promise<unknown>;
const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as AsyncFunctionConstructor;

const DISPLAY = '__cohortbook_display__';
let runs = 0;

/**
 * Runs a JS cell as an async function whose parameters are the names it reads. Its displayed value
 * is its final expression statement's value, else that of its last declaration.
 *
 * @example
 * const output = await runJsCell(parseJsCell('const n = rows.length;\nn * 2'), 'cell', { rows: [1, 2] });
 * output.display; // 4
 */
export async function runJsCell(code: JsCellCode, source: string, inputs: Record<string, unknown>): Promise<JsCellOutput> {
  let body = source;
  let shift: Shift | null = null;
  if (code.display) {
    const { start, end } = code.display;
    const prefix = `(${DISPLAY} = (`;
    body = `${source.slice(0, start)}${prefix}${source.slice(start, end)}))${source.slice(end)}`;
    const before = source.slice(0, start).split('\n');
    shift = { line: before.length, column: before[before.length - 1].length + 1, by: prefix.length };
  }
  const returned = code.declarations.map((name) => `${JSON.stringify(name)}: ${name}`).join(', ');
  const file = `cohortbook-cell-${++runs}.js`;
  const names = Object.keys(inputs);
  const run = new AsyncFunction(...names, wrap(`${body}\n;return [{${returned}}, ${DISPLAY}];\nvar ${DISPLAY};`, file));
  try {
    const [values, shown] = await run(...names.map((name) => inputs[name])) as [Record<string, unknown>, unknown];
    const last = code.declarations[code.declarations.length - 1];
    return { values, display: code.display ? shown : last === undefined ? undefined : values[last] };
  } catch (error) {
    const location = await locate(error, file, shift);
    throw Object.assign(error instanceof Error ? error : new Error(String(error)), { cellLocation: location });
  }
}

/** Cells run in strict mode, so a stray assignment cannot create a global of the page. */
function wrap(body: string, file: string): string {
  return `'use strict';${body}\n//# sourceURL=${file}`;
}

interface Shift {
  line: number;
  column: number;
  by: number;
}

/**
 * Where in its cell a JS error was thrown, as found by `runJsCell` (line and column from 1), or `{}`.
 *
 * @example
 * try { await runJsCell(code, source, {}); } catch (error) { cellErrorLocation(error); } // { line: 3, column: 9 }
 */
export function cellErrorLocation(error: unknown): Pick<CellError, 'line' | 'column'> {
  return (error as { cellLocation?: Pick<CellError, 'line' | 'column'> } | null)?.cellLocation ?? {};
}

function stackPosition(error: unknown, file: string): { line: number; column: number } | null {
  const stack = error instanceof Error ? error.stack ?? '' : '';
  const match = new RegExp(`${file.replace(/[.-]/g, '\\$&')}:(\\d+):(\\d+)`).exec(stack);
  return match ? { line: Number(match[1]), column: Number(match[2]) } : null;
}

let header: Promise<{ line: number; column: number } | null> | undefined;

/** How the engine numbers a function body's first line and column, measured on a probe that throws at 1:1. */
function headerOffset() {
  const file = 'cohortbook-probe.js';
  header ??= new AsyncFunction(wrap('throw new Error();', file))().then(() => null, (error: unknown) => {
    const at = stackPosition(error, file);
    return at ? { line: at.line - 1, column: at.column - 7 } : null;
  });
  return header;
}

async function locate(error: unknown, file: string, shift: Shift | null): Promise<Pick<CellError, 'line' | 'column'>> {
  const at = stackPosition(error, file);
  const offset = await headerOffset();
  if (!at || !offset) return {};
  const line = at.line - offset.line;
  let column = line === 1 ? at.column - offset.column : at.column;
  if (shift && line === shift.line && column > shift.column) column -= shift.by;
  return line >= 1 ? { line, column } : {};
}
