/** What a cell holds: prose, a query, code, an analysis spec, an input or an exercise (their YAML). */
export type CellKind = 'markdown' | 'sql' | 'js' | 'analysis' | 'input' | 'exercise';

/**
 * How a cell was written in its file, kept so that parsing then writing gives back the same text.
 * Cells made in the notebook have none and are written in the canonical layout.
 */
export interface CellFormat {
  /** The blank lines before the cell, each followed by `\n` (`''`: none, `'\n'`: one). */
  gap: string;
  /** The source as parsed; the raw lines below are used only while `source` still equals it. */
  source: string;
  /** A code cell's opening fence line, verbatim. */
  open?: string;
  /** A code cell's body lines, verbatim (tells an empty body from one blank line). */
  body?: string[];
  /** A code cell's closing fence line, verbatim; null when the file ended inside the fence. */
  close?: string | null;
}

/**
 * One cell of a notebook.
 *
 * @example
 * const cell: Cell = { id: crypto.randomUUID(), kind: 'analysis', analysis: 'retention', name: 'cohorts', source: '{"period": "week"}' };
 */
export interface Cell {
  /** Stable in-memory identity for the UI; not written to the file. */
  id: string;
  kind: CellKind;
  /** Markdown text, SQL, JS code, the analysis spec as JSON text, or an input's or exercise's YAML. */
  source: string;
  /** `id=name` on the fence: the name of a SQL cell's table, an analysis cell's result, an input's value or an exercise (its progress is kept under it). */
  name?: string;
  /** For kind `analysis`: the analysis kind (`retention`, `funnel`, ...), written as the fence language. */
  analysis?: string;
  /** Any other fence attributes (`hidden`, `chart=curves`), kept for the round trip; a bare flag has value `''`. */
  attributes?: Record<string, string>;
  /** The cell's layout in the file it was read from. */
  format?: CellFormat;
}

/** How a notebook file was laid out as a whole: line endings and what follows the last cell. */
export interface NotebookFormat {
  eol: '\n' | '\r\n';
  /** Whether the file ended with a line ending. */
  finalNewline: boolean;
  /** Blank lines after the last cell, each followed by `\n`. */
  tail: string;
}

/**
 * A notebook: its cells in order and the file's front matter.
 *
 * @example
 * const notebook: Notebook = { cells: [createCell('markdown', '# Churn')], frontMatter: 'title: Churn\n' };
 */
export interface Notebook {
  cells: Cell[];
  /** The raw YAML between the `---` lines, verbatim (each line followed by `\n`). */
  frontMatter?: string;
  format?: NotebookFormat;
}

/**
 * Makes a new cell with a fresh id.
 *
 * @example
 * const cell = createCell('sql', 'SELECT event, count(*) AS n FROM events GROUP BY 1', { name: 'counts' });
 */
export function createCell(kind: CellKind, source = '', extra: Partial<Cell> = {}): Cell {
  const cell: Cell = { ...extra, id: extra.id ?? newCellId(), kind, source };
  for (const key of ['name', 'analysis', 'attributes', 'format'] as const) {
    if (cell[key] === undefined) delete cell[key];
  }
  return cell;
}

let counter = 0;

function newCellId(): string {
  const crypto = globalThis.crypto as Crypto | undefined;
  return crypto?.randomUUID ? crypto.randomUUID() : `cell-${Date.now().toString(36)}-${(counter++).toString(36)}`;
}
