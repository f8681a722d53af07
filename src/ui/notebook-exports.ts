import {
  buildReport, encodeShareLink, renderHtmlReport, type Cell, type DataSource, type NotebookRuntime,
} from '../notebook/index.ts';
import { renderMarkdown } from './render-markdown.ts';

/**
 * A file name made from a notebook's title: lower case, words joined by hyphens.
 *
 * @example
 * fileSlug('Why growth metrics lie'); // 'why-growth-metrics-lie'
 */
export function fileSlug(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'notebook';
}

/**
 * A static HTML report of the notebook with every output as the runtime has it (charts as SVG):
 * it opens with no app and no network. For `student`, a worksheet: prose, code and questions,
 * without outputs, checks or answers.
 */
export function notebookReportHtml(title: string, cells: Cell[], runtime: NotebookRuntime, sources: DataSource[], audience: 'student' | 'teacher' = 'teacher'): string {
  return renderHtmlReport(buildReport({
    title, cells, state: (id) => runtime.state(id), renderMarkdown, document, audience,
    data: sources.map((s) => `${s.file.name} (${s.summary.rows.toLocaleString('en-US')} events)`),
  }));
}

/**
 * A link that carries the notebook, and its data: a sample the app provides travels as its path
 * (`provided` maps file names to those paths), other files as bytes when they are small enough.
 * `missing` names the files too large to travel.
 */
export function notebookLink(text: string, sources: DataSource[], provided: Map<string, string>): { link: string; missing: string[] } {
  const data = sources.map((s) => {
    const sample = provided.get(s.file.name);
    return sample ? { name: s.file.name, sample } : { name: s.file.name, bytes: s.file.bytes };
  });
  const { fragment, missing } = encodeShareLink({ text, data });
  return { link: `${location.origin}${location.pathname}#${fragment}`, missing };
}
