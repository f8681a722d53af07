import { readableCell } from '../plots/index.ts';

/** One cell of a report, already rendered: prose as sanitised HTML, outputs as markup. */
export interface ReportCell {
  kind: 'markdown' | 'sql' | 'js' | 'analysis' | 'input' | 'exercise';
  /** Markdown cells: sanitised HTML of the prose. */
  html?: string;
  /** Code cells: the code (or the analysis spec) and a label such as `SQL · weekly`. */
  source?: string;
  label?: string;
  /** A chart as SVG or figure markup. */
  chart?: string;
  formula?: string;
  /**
   * A table; `readable` (an analysis's result, whose columns' meaning is known) shows durations
   * and rates as people read them, each such cell keeping its number in `data-value`.
   */
  table?: { columns: string[]; rows: Record<string, unknown>[]; total: number; readable?: boolean };
  text?: string;
  error?: string;
  /** What to know about a result that still ran (an event name that never occurs). */
  warnings?: string[];
  /** Input cells: the name and the value it had when the report was made. */
  input?: { name: string; label: string; value: string };
  /** Exercise cells: the question; the teacher's report adds the check and the answer it computed. */
  exercise?: ReportExercise;
}

/** An exercise as a report shows it; HTML parts are sanitised Markdown. */
export interface ReportExercise {
  name: string;
  questionHtml: string;
  answer: string;
  choices?: string[];
  hintsHtml: string[];
  /** Teacher's report only: the check's code, the expected answer, what the teacher wrote to explain it. */
  check?: { language: string; code: string };
  expected?: string;
  explainHtml?: string;
}

export interface Report {
  title: string;
  cells: ReportCell[];
  /** Where the numbers came from, e.g. `online-retail.csv.gz, 406,829 events`. */
  data: string[];
  generatedAt: Date;
  /** `student`: questions without answers and no outputs (a worksheet); `teacher` (default): everything. */
  audience?: 'student' | 'teacher';
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]);

function cellValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().replace('T', ' ').replace(/(\.000)?Z$/, '');
  if (typeof value === 'number') return Number.isInteger(value) ? value.toLocaleString('en-US') : value.toLocaleString('en-US', { maximumFractionDigits: 4 });
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function tableCell(value: unknown, column: string, row: Record<string, unknown>, numeric: boolean, readable: boolean): string {
  const shown = readable ? readableCell(value, column, row) : null;
  const attributes = `${numeric ? ' class="n"' : ''}${shown !== null ? ` data-value="${escapeHtml(String(value))}"` : ''}`;
  return `<td${attributes}>${escapeHtml(shown ?? cellValue(value))}</td>`;
}

function tableHtml(table: NonNullable<ReportCell['table']>, limit = 200): string {
  const rows = table.rows.slice(0, limit);
  const numeric = table.columns.map((c) => rows.some((r) => typeof r[c] === 'number'));
  return `<table><thead><tr>${table.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr></thead><tbody>${
    rows.map((r) => `<tr>${table.columns.map((c, i) => tableCell(r[c], c, r, numeric[i], table.readable === true)).join('')}</tr>`).join('')
  }</tbody></table><p class="meta">${table.total > rows.length ? `first ${rows.length.toLocaleString('en-US')} of ` : ''}${table.total.toLocaleString('en-US')} ${table.total === 1 ? 'row' : 'rows'}</p>`;
}

const STYLE = `
  body { font: 15px/1.6 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; color: #1d2430; max-width: 1000px; margin: 32px auto; padding: 0 24px; }
  header.report { border-bottom: 1px solid #dfe3ea; margin-bottom: 24px; color: #667085; font-size: 13px; }
  section { margin: 18px 0; }
  details { font-size: 13px; color: #667085; }
  pre { background: #f6f7f9; border: 1px solid #dfe3ea; border-radius: 6px; padding: 10px; overflow: auto; font: 12.5px/1.5 ui-monospace, Menlo, Consolas, monospace; color: #1d2430; }
  table { border-collapse: collapse; font-size: 13px; margin: 8px 0; }
  th, td { border-bottom: 1px solid #dfe3ea; padding: 4px 10px; text-align: left; white-space: nowrap; }
  td.n { text-align: right; font-variant-numeric: tabular-nums; }
  .chart { overflow-x: auto; margin: 8px 0; } .chart svg { max-width: 100%; height: auto; }
  .formula, .meta { color: #667085; font-size: 12px; } .formula { font-family: ui-monospace, Menlo, monospace; }
  .warnings { background: #fffaeb; color: #93370d; border: 1px solid #fedf89; border-radius: 8px; padding: 6px 10px; font-size: 13px; list-style: none; margin: 8px 0; }
  section.input { font-size: 14px; background: #f6f7f9; border: 1px solid #dfe3ea; border-radius: 8px; padding: 6px 10px; display: inline-block; margin: 6px 0; }
  section.input .input-label { color: #667085; }
  section.exercise { border: 1px solid #c7d7fe; background: #f5f8ff; border-radius: 10px; padding: 8px 14px; }
  section.exercise h3 { font-size: 13px; text-transform: uppercase; letter-spacing: 0.05em; color: #3538cd; margin: 4px 0; }
  section.exercise .answer-line { border-bottom: 1px solid #98a2b3; min-height: 1.6em; margin: 10px 0; color: #667085; font-size: 13px; }
  section.exercise .expected { font-weight: 600; }
  .error { background: #fef3f2; color: #b42318; border: 1px solid #fecdca; border-radius: 8px; padding: 8px 10px; font-size: 13px; white-space: pre-wrap; }
`;

/**
 * A self-contained static HTML report of a notebook: prose, code folded away, tables and charts
 * inline as SVG. It has no script and its content security policy forbids any request, form or
 * base, so it opens anywhere with no app and no network.
 */
export function renderHtmlReport(report: Report): string {
  const sections = report.cells.map((cell) => {
    if (cell.kind === 'markdown') return `<section class="prose">${cell.html ?? ''}</section>`;
    if (cell.input) {
      const { label, name, value } = cell.input;
      const named = label === name ? '' : ` <code>${escapeHtml(name)}</code>`;
      return `<section class="input"><span class="input-label">${escapeHtml(label)}</span>${named} = <b class="input-value">${escapeHtml(value)}</b></section>`;
    }
    if (cell.exercise) return exerciseHtml(cell.exercise, cell.error);
    const parts: string[] = [];
    if (cell.source !== undefined) parts.push(`<details><summary>${escapeHtml(cell.label ?? cell.kind)}</summary><pre><code>${escapeHtml(cell.source)}</code></pre></details>`);
    if (cell.error) parts.push(`<div class="error">${escapeHtml(cell.error)}</div>`);
    if (cell.warnings?.length) parts.push(`<ul class="warnings">${cell.warnings.map((w) => `<li>⚠ ${escapeHtml(w)}</li>`).join('')}</ul>`);
    if (cell.formula) parts.push(`<p class="formula">${escapeHtml(cell.formula)}</p>`);
    if (cell.chart) parts.push(`<div class="chart">${cell.chart}</div>`);
    if (cell.table) parts.push(tableHtml(cell.table));
    if (cell.text !== undefined) parts.push(`<pre>${escapeHtml(cell.text)}</pre>`);
    return `<section class="cell">${parts.join('\n')}</section>`;
  });
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(report.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header class="report">${escapeHtml(report.title)}${report.audience === 'student' ? ' · student version (questions without answers; open the notebook in cohortbook to run it and check your answers)' : ''} · made with cohortbook on ${report.generatedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC${report.data.length ? ` · data: ${escapeHtml(report.data.join('; '))}` : ''}</header>
${sections.join('\n')}
</body>
</html>
`;
}

const ANSWER_WORDS: Record<string, string> = {
  number: 'Answer with a number', choice: 'Pick one', table: 'Answer with a query whose table is the answer', cell: 'Answer with a cell',
};

function exerciseHtml(exercise: ReportExercise, error: string | undefined): string {
  const parts = [`<h3>Exercise · ${escapeHtml(exercise.name)}</h3>`, exercise.questionHtml];
  if (exercise.choices) parts.push(`<ul class="choices">${exercise.choices.map((c) => `<li>${escapeHtml(c)}</li>`).join('')}</ul>`);
  else parts.push(`<p class="answer-line">${escapeHtml(ANSWER_WORDS[exercise.answer] ?? 'Answer')}</p>`);
  exercise.hintsHtml.forEach((hint, i) => parts.push(`<details class="hint"><summary>Hint ${i + 1}</summary>${hint}</details>`));
  if (exercise.check) parts.push(`<details open><summary>Check (${escapeHtml(exercise.check.language)})</summary><pre><code>${escapeHtml(exercise.check.code)}</code></pre></details>`);
  if (exercise.expected !== undefined) parts.push(`<p>Answer: <span class="expected">${escapeHtml(exercise.expected)}</span></p>`);
  if (error) parts.push(`<div class="error">${escapeHtml(error)}</div>`);
  if (exercise.explainHtml) parts.push(exercise.explainHtml);
  return `<section class="exercise">${parts.join('\n')}</section>`;
}
