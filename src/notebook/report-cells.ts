import { defaultChart } from '../plots/index.ts';
import type { Report, ReportCell, ReportExercise } from './html-report.ts';
import type { Cell } from './notebook.ts';
import type { CellState } from './runtime.ts';
import { isArqueroTable } from './run-sql-cell.ts';
import { isExerciseDisplay, isInputDisplay } from './runtime.ts';
import { describeInputValue } from './input-spec.ts';
import { parseExerciseSpec } from './exercise-spec.ts';
import { describeExpected } from './exercise-check.ts';

const ROW_LIMIT = 200;

export interface ReportInput {
  title: string;
  cells: Cell[];
  state: (id: string) => CellState;
  /** Prose to sanitised HTML (see `markdownRenderer`). */
  renderMarkdown: (text: string) => string;
  /** The document charts are drawn in: the page's, or jsdom's in Node. */
  document?: Document;
  data: string[];
  /**
   * `student`: a worksheet of prose, code and questions, with no outputs (an output may hold an
   * answer) and no checks or answers; `teacher` (default): every output, and each exercise's
   * check with the answer it computed.
   */
  audience?: 'student' | 'teacher';
}

function isElement(value: unknown): value is Element {
  return !!value && typeof value === 'object' && typeof (value as Element).outerHTML === 'string' && typeof (value as Element).tagName === 'string';
}

function tableOf(value: unknown): ReportCell['table'] | undefined {
  if (!isArqueroTable(value)) return undefined;
  const table = value as unknown as { columnNames(): string[]; numRows(): number; objects(o: { limit: number }): Record<string, unknown>[] };
  return { columns: table.columnNames(), rows: table.objects({ limit: ROW_LIMIT }), total: table.numRows() };
}

/**
 * A notebook's cells with their current outputs, as the static report shows them: the same code
 * makes the browser's "Export HTML" and `cohortbook run --out`.
 */
export function buildReport(input: ReportInput): Report {
  const student = input.audience === 'student';
  const cells = input.cells.filter((cell) => !(cell.attributes && 'hidden' in cell.attributes)).map((cell): ReportCell => {
    if (cell.kind === 'markdown') return { kind: 'markdown', html: input.renderMarkdown(cell.source) };
    const state = input.state(cell.id);
    if (cell.kind === 'exercise') return exerciseCell(cell, state, input);
    if (student) {
      const name = cell.name ?? (state.declarations.length ? state.declarations.join(', ') : undefined);
      if (cell.kind === 'input') return { kind: 'input', source: cell.source, label: `input${name ? ` · ${name}` : ''}` };
      return { kind: cell.kind, source: cell.source, label: `${cell.kind === 'sql' ? 'SQL' : cell.kind === 'js' ? 'JavaScript' : (cell.analysis ?? 'analysis')}${name ? ` · ${name}` : ''}` };
    }
    if (cell.kind === 'input') {
      const shown = isInputDisplay(state.value) ? state.value : null;
      const name = cell.name ?? 'input';
      if (!shown || state.error) return { kind: 'input', error: state.error?.message ?? `input ${name}: not run (${state.status})` };
      return { kind: 'input', input: { name, label: shown.spec.label ?? name, value: describeInputValue(shown.value) } };
    }
    const out: ReportCell = { kind: cell.kind, source: cell.source };
    const name = cell.name ?? (state.declarations.length ? state.declarations.join(', ') : undefined);
    out.label = `${cell.kind === 'sql' ? 'SQL' : cell.kind === 'js' ? 'JavaScript' : (cell.analysis ?? 'analysis')}${name ? ` · ${name}` : ''}`;
    if (state.error) {
      out.error = `${state.error.message}${state.error.line !== undefined ? ` (line ${state.error.line}${state.error.column !== undefined ? `:${state.error.column}` : ''})` : ''}`;
      return out;
    }
    if (state.status !== 'done') {
      out.error = `not run (${state.status})`;
      return out;
    }
    if (state.warnings?.length) out.warnings = state.warnings;
    if (cell.kind === 'analysis' && state.result) {
      const chart = defaultChart(cell.analysis ?? state.result.kind, { rows: state.result.rows, meta: state.result.meta, document: input.document });
      if (chart) out.chart = chart.outerHTML;
      if (typeof state.result.meta.formula === 'string') out.formula = state.result.meta.formula;
    }
    if (isElement(state.value)) out.chart = state.value.outerHTML;
    else if (tableOf(state.value)) out.table = { ...tableOf(state.value)!, readable: cell.kind === 'analysis' };
    else if (state.value !== undefined) out.text = typeof state.value === 'string' ? state.value : JSON.stringify(state.value, null, 2);
    return out;
  });
  return { title: input.title, cells, data: input.data, generatedAt: new Date(), audience: input.audience ?? 'teacher' };
}

/** An exercise in the report: its question and hints; for the teacher also its check and the answer it computed. */
function exerciseCell(cell: Cell, state: CellState, input: ReportInput): ReportCell {
  const name = cell.name ?? 'exercise';
  let spec;
  try {
    spec = parseExerciseSpec(cell.source);
  } catch (error) {
    return { kind: 'exercise', label: `exercise · ${name}`, source: cell.source, error: (error as Error).message };
  }
  const exercise: ReportExercise = {
    name, questionHtml: input.renderMarkdown(spec.question), answer: spec.answer, hintsHtml: spec.hints.map((h) => input.renderMarkdown(h)),
  };
  if (spec.choices) exercise.choices = spec.choices;
  if (spec.answer === 'cell') exercise.questionHtml += input.renderMarkdown(`Write a cell that defines \`${spec.name}\`.`);
  if (input.audience === 'student') return { kind: 'exercise', exercise };
  if (spec.check) exercise.check = spec.check;
  if (spec.explain) exercise.explainHtml = input.renderMarkdown(spec.explain);
  const out: ReportCell = { kind: 'exercise', exercise };
  if (isExerciseDisplay(state.value) && state.status === 'done') exercise.expected = describeExpected(state.value.expected);
  else out.error = state.error?.message ?? `the check did not run (${state.status})`;
  return out;
}
