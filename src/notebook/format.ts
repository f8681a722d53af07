import { analysisKinds } from '../analytics/index.ts';
import { closesFence, fenceOpening, formatFenceInfo, parseFenceInfo, type FenceInfo } from './fence-info.ts';
import { frontMatterValue } from './front-matter.ts';
import { createCell, type Cell, type Notebook } from './notebook.ts';

/**
 * Analysis kinds read as analysis fences even before their module exists, so that a notebook using
 * one keeps its cell (and says "unknown analysis kind" when run) instead of turning into prose.
 */
const PLANNED_ANALYSES = [
  'retention', 'funnel', 'lifecycle', 'stickiness', 'active_users', 'churn', 'ltv', 'purchases', 'rfm',
  'sessions', 'ab_test', 'survey', 'growth',
];

function isAnalysisKind(language: string): boolean {
  return PLANNED_ANALYSES.includes(language) || analysisKinds().includes(language);
}

const isBlank = (line: string) => /^[ \t]*$/.test(line);

/**
 * Reads a notebook file: Markdown whose ```` ```sql ````, ```` ```js ````, ```` ```input id=name ````, ```` ```exercise id=name ````
 * and analysis fences (```` ```retention id=cohorts ````) are cells; every run of prose between them is one Markdown cell.
 * Only fences at the start of a line count as cells (an indented fence belongs to a list or quote).
 *
 * @example
 * const { cells } = parseNotebook('# Orders\n\n```sql id=daily\nSELECT 1\n```\n');
 * cells.map((c) => c.kind); // ['markdown', 'sql']
 */
export function parseNotebook(text: string): Notebook {
  // CRLF is normalised only when every line ending is CRLF, so mixed files still round-trip.
  const crlf = text.includes('\r\n') && !/(^|[^\r])\n/.test(text);
  const lines = (crlf ? text.replace(/\r\n/g, '\n') : text).split('\n');
  const finalNewline = lines[lines.length - 1] === '';
  if (finalNewline) lines.pop();

  let start = 0;
  let frontMatter: string | undefined;
  if (lines[0] === '---') {
    const end = lines.indexOf('---', 1);
    if (end > 0) {
      frontMatter = lines.slice(1, end).map((line) => `${line}\n`).join('');
      start = end + 1;
    }
  }

  const cells: Cell[] = [];
  let prose: string[] = [];
  let gap = '';
  const flushProse = () => {
    let first = 0;
    while (first < prose.length && isBlank(prose[first])) gap += `${prose[first++]}\n`;
    let last = prose.length;
    while (last > first && isBlank(prose[last - 1])) last--;
    if (last > first) {
      const source = prose.slice(first, last).join('\n');
      cells.push(createCell('markdown', source, { format: { gap, source } }));
      gap = prose.slice(last).map((line) => `${line}\n`).join('');
    }
    prose = [];
  };

  for (let i = start; i < lines.length; i++) {
    const opening = fenceOpening(lines[i]);
    if (!opening) {
      prose.push(lines[i]);
      continue;
    }
    let end = i + 1;
    while (end < lines.length && !closesFence(lines[end], opening.marker)) end++;
    const info = parseFenceInfo(opening.info);
    const kind = opening.indent === '' ? cellKind(info.language) : null;
    if (!kind) {
      // a fence of another language is prose, its content included
      prose.push(...lines.slice(i, end + 1));
      i = end;
      continue;
    }
    flushProse();
    const body = lines.slice(i + 1, end);
    const source = body.join('\n');
    const close = end < lines.length ? lines[end] : null;
    const extra: Partial<Cell> = { format: { gap, source, open: lines[i], body, close } };
    if (info.id !== undefined) extra.name = info.id;
    if (kind === 'analysis') extra.analysis = info.language;
    if (Object.keys(info.attributes).length > 0) extra.attributes = info.attributes;
    cells.push(createCell(kind, source, extra));
    gap = '';
    i = end;
  }
  flushProse();
  const tail = gap + prose.map((line) => `${line}\n`).join('');

  const notebook: Notebook = { cells, format: { eol: crlf ? '\r\n' : '\n', finalNewline, tail } };
  if (frontMatter !== undefined) notebook.frontMatter = frontMatter;
  return notebook;
}

function cellKind(language: string): Cell['kind'] | null {
  if (language === 'sql' || language === 'js' || language === 'input' || language === 'exercise') return language;
  return isAnalysisKind(language) ? 'analysis' : null;
}

/**
 * Writes a notebook file. Cells read from a file and not changed since are written exactly as they
 * were, so `writeNotebook(parseNotebook(text)) === text`; new or edited cells get the canonical layout
 * (one blank line between cells, a fence longer than any fence inside the code).
 *
 * @example
 * writeNotebook({ cells: [createCell('sql', 'SELECT 1', { name: 'one' })] }); // '```sql id=one\nSELECT 1\n```\n'
 */
export function writeNotebook(notebook: Notebook): string {
  const format = notebook.format ?? { eol: '\n', finalNewline: true, tail: '' };
  const out: string[] = [];
  if (notebook.frontMatter !== undefined) {
    const yaml = notebook.frontMatter === '' ? [] : notebook.frontMatter.replace(/\n$/, '').split('\n');
    out.push('---', ...yaml, '---');
  }
  notebook.cells.forEach((cell, index) => {
    const gap = cell.format?.gap ?? (out.length === 0 ? '' : '\n');
    out.push(...gapLines(gap));
    if (cell.kind === 'markdown') {
      if (cell.source !== '') out.push(...cell.source.split('\n'));
    } else {
      out.push(...codeLines(cell, index === notebook.cells.length - 1 && format.tail === ''));
    }
  });
  out.push(...gapLines(format.tail));
  // Without front matter, a first Markdown cell that opens with a rule and has another `---` line
  // would read back as front matter: an empty front matter in front keeps it a cell.
  if (notebook.frontMatter === undefined && out[0] === '---' && out.indexOf('---', 1) > 0) out.unshift('---', '---');
  const text = out.join('\n') + (format.finalNewline && out.length > 0 ? '\n' : '');
  return format.eol === '\r\n' ? text.replace(/\n/g, '\r\n') : text;
}

function gapLines(gap: string): string[] {
  return gap === '' ? [] : gap.replace(/\n$/, '').split('\n');
}

function codeLines(cell: Cell, last: boolean): string[] {
  const info = cellInfo(cell);
  const f = cell.format;
  const body = f?.body && f.source === cell.source ? f.body : cell.source === '' ? [] : cell.source.split('\n');
  const raw = f?.open !== undefined ? fenceOpening(f.open) : null;
  const keepRaw = raw !== null && raw.indent === '' && sameInfo(parseFenceInfo(raw.info), info)
    && !body.some((line) => closesFence(line, raw.marker));
  if (keepRaw) {
    // an unclosed fence stays unclosed only at the very end of the file
    const close = f!.close ?? (last ? null : raw.marker);
    return close === null ? [f!.open!, ...body] : [f!.open!, ...body, close];
  }
  const text = formatFenceInfo(info);
  const char = text.includes('`') ? '~' : '`';
  const longest = Math.max(2, ...body.map((line) => new RegExp(`^ {0,3}(\\${char}+)`).exec(line)?.[1].length ?? 0));
  const marker = char.repeat(longest + 1);
  return [`${marker}${text}`, ...body, marker];
}

function cellInfo(cell: Cell): FenceInfo {
  const language = cell.kind === 'analysis' ? cell.analysis ?? 'analysis' : cell.kind;
  const info: FenceInfo = { language, attributes: { ...cell.attributes } };
  if (cell.name !== undefined) info.id = cell.name;
  return info;
}

function sameInfo(a: FenceInfo, b: FenceInfo): boolean {
  return a.language === b.language && a.id === b.id && JSON.stringify(a.attributes) === JSON.stringify(b.attributes);
}

/**
 * A notebook's title: the front matter's `title:`, else its first `# heading`, else `Untitled`.
 *
 * @example
 * notebookTitle(parseNotebook('# Weekly retention\n')); // 'Weekly retention'
 */
export function notebookTitle(notebook: Notebook): string {
  const fromYaml = frontMatterValue(notebook.frontMatter, 'title')?.trim();
  if (fromYaml) return fromYaml;
  for (const cell of notebook.cells) {
    if (cell.kind !== 'markdown') continue;
    const heading = /^#[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$/m.exec(cell.source)?.[1];
    if (heading) return heading;
  }
  return 'Untitled';
}
