// One docs page per analysis (docs/analyses/KIND.md). The page's prose and its worked example's
// inputs (a ```csv events``` log and a ```json spec``` block) are written by hand; what the code
// knows is written between markers by `npm run docs`:
//   <!-- fields --> ... <!-- /fields -->   the spec's fields: type, default, meaning
//   <!-- formula --> ... <!-- /formula --> the formula the analysis shows beside its result
//   <!-- output --> ... <!-- /output -->   the example's result, and its default chart (KIND.svg)
// test/docs/docs.test.ts makes the same page again and fails when it differs from the file.
import { JSDOM } from 'jsdom';
import { getAnalysis, readEventCatalog, runAnalysis, SpecError, type EventCatalog } from '../../src/analytics/index.ts';
import { loadEvents, type Engine } from '../../src/engine/index.ts';
import { defaultChart } from '../../src/plots/index.ts';
import type { SpecField } from './spec-fields.ts';

/** A page made anew: its text, and the SVG of its example's chart (null when the kind draws none). */
export interface MadePage {
  text: string;
  chart: string | null;
  /** Fields with no description anywhere: each needs TSDoc on its spec type. */
  undocumented: string[];
}

/** The example's inputs, as written in the page. */
export interface PageExample {
  log: string | null;
  spec: { kind: string; [field: string]: unknown };
}

const YEAR_MS = 366 * 86_400_000;

/** Reads the ```csv events``` and ```json spec``` blocks of a page. */
export function pageExample(text: string, page: string): PageExample {
  const log = /^```csv events\n([\s\S]*?)^```$/m.exec(text)?.[1] ?? null;
  const spec = /^```json spec\n([\s\S]*?)^```$/m.exec(text)?.[1];
  if (!spec) throw new Error(`${page}: no \`\`\`json spec block (the worked example's spec)`);
  return { log, spec: JSON.parse(spec) };
}

/** Puts `content` between `<!-- name -->` and `<!-- /name -->`. */
export function fillRegion(text: string, name: string, content: string, page: string): string {
  const pattern = new RegExp(`(<!-- ${name}[^>]*-->\\n)[\\s\\S]*?(<!-- /${name} -->)`);
  if (!pattern.test(text)) throw new Error(`${page}: no <!-- ${name} --> ... <!-- /${name} --> region`);
  return text.replace(pattern, (_, open: string, close: string) => `${open}${content}${close}`);
}

/** A cell of a Markdown table: numbers to 4 decimals, null empty, objects as JSON. */
function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Number(value.toFixed(4)));
  if (typeof value === 'object') return `\`${JSON.stringify(value)}\``;
  return String(value).replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** Rows as a Markdown table, the columns in the order the rows have them. */
export function markdownTable(rows: Record<string, unknown>[]): string {
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const numeric = columns.map((c) => rows.every((row) => row[c] === null || row[c] === undefined || typeof row[c] === 'number'));
  return [
    `| ${columns.join(' | ')} |`,
    `|${numeric.map((n) => (n ? ' ---: ' : ' --- ')).join('|')}|`,
    ...rows.map((row) => `| ${columns.map((c) => cell(row[c])).join(' | ')} |`),
  ].join('\n');
}

/**
 * The chart as a file an image tag shows: its main SVG (the widest), with the namespace, a white
 * ground, and a figure's colour swatches (HTML in Plot) drawn as a legend row above it.
 */
function chartSvg(kind: string, rows: Record<string, unknown>[], meta: Record<string, unknown>): string | null {
  const { document } = new JSDOM('<!doctype html><body></body>').window;
  const chart = defaultChart(kind, { rows, meta, document });
  if (!chart) return null;
  const svgs = chart.tagName.toLowerCase() === 'svg' ? [chart] : [...chart.querySelectorAll('svg')];
  const svg = svgs.sort((a, b) => Number(b.getAttribute('width') ?? 0) - Number(a.getAttribute('width') ?? 0))[0];
  if (!svg) return null;
  const swatches = [...chart.querySelectorAll('[class$="-swatch"]')].map((swatch) => ({
    fill: swatch.querySelector('svg')?.getAttribute('fill') ?? 'currentColor', label: swatch.textContent?.trim() ?? '',
  }));
  if (swatches.length) {
    const height = Number(svg.getAttribute('height'));
    const width = Number(svg.getAttribute('width'));
    const legend = document.createElementNS('http://www.w3.org/2000/svg', 'g');
    legend.setAttribute('font-size', '10');
    legend.setAttribute('text-anchor', 'start');
    let x = 0;
    for (const { fill, label } of swatches) {
      legend.insertAdjacentHTML('beforeend', `<rect x="${x}" y="4" width="12" height="12" fill="${fill}"></rect><text x="${x + 16}" y="14">${label}</text>`);
      x += 28 + label.length * 6;
    }
    const body = document.createElementNS('http://www.w3.org/2000/svg', 'g');
    body.setAttribute('transform', 'translate(0,22)');
    body.append(...svg.childNodes);
    svg.append(legend, body);
    svg.setAttribute('height', String(height + 22));
    svg.setAttribute('viewBox', `0 0 ${width} ${height + 22}`);
  }
  svg.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  svg.setAttribute('style', `${svg.getAttribute('style') ?? ''};background:white`.replace(/^;/, ''));
  // numbers to 3 decimals, as Plot's own snapshot tests compare them
  return `${svg.outerHTML.replace(/\d+\.\d{4,}/g, (n) => String(Math.round(Number(n) * 1000) / 1000))}\n`;
}

/**
 * Each field's default: its value when the spec leaves out every field it can (the example's
 * required fields stay); "required" when the example's spec cannot do without it; "from the data"
 * when it follows the log's dates. Fields the spec does not accept (the analysis sets them itself)
 * map to null and are left out of the table.
 */
function fieldDefaults(example: PageExample, catalog: EventCatalog): Map<string, string | null> {
  const analysis = getAnalysis(example.spec.kind)!;
  const shifted: EventCatalog = {
    ...catalog, firstTs: catalog.firstTs === null ? null : catalog.firstTs - YEAR_MS, lastTs: catalog.lastTs === null ? null : catalog.lastTs + YEAR_MS,
  };
  const validates = (spec: Record<string, unknown>) => {
    try {
      analysis.validate(spec, catalog);
      return true;
    } catch {
      return false;
    }
  };
  const without = (spec: Record<string, unknown>, field: string) => Object.fromEntries(Object.entries(spec).filter(([key]) => key !== field));
  const normalised = analysis.validate(example.spec, catalog) as Record<string, unknown>;
  const required = Object.keys(example.spec).filter((field) => field !== 'kind' && !validates(without(example.spec, field)));
  const minimal = Object.fromEntries(Object.entries(example.spec).filter(([field]) => field === 'kind' || required.includes(field)));
  // with every optional field left out when the spec allows it, else leaving out one field at a time
  const base = (field: string) => (validates(minimal) ? minimal : without(example.spec, field));
  const defaults = new Map<string, string | null>();
  for (const field of Object.keys(normalised)) {
    try {
      analysis.validate({ ...example.spec, [field]: normalised[field] }, catalog);
    } catch (error) {
      if (error instanceof SpecError && error.message.includes(`unknown field "${field}"`)) {
        defaults.set(field, null);
        continue;
      }
    }
    if (required.includes(field)) {
      defaults.set(field, 'required');
      continue;
    }
    const here = (analysis.validate(base(field), catalog) as Record<string, unknown>)[field];
    const there = (analysis.validate(base(field), shifted) as Record<string, unknown>)[field];
    if (here !== undefined) defaults.set(field, JSON.stringify(here) === JSON.stringify(there) ? `\`${JSON.stringify(here)}\`` : 'from the data');
  }
  return defaults;
}

/** The fields table. */
function fieldsTable(fields: SpecField[], defaults: Map<string, string | null>): string {
  const escape = (text: string) => text.replace(/\|/g, '\\|');
  const rows = fields.filter((f) => defaults.get(f.name) !== null)
    .map((f) => `| \`${f.name}\` | \`${escape(f.type)}\` | ${defaults.get(f.name) ?? '—'} | ${escape(f.doc)} |`);
  return ['| field | type | default | meaning |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

/**
 * Makes a page's generated parts anew: loads its example log into `engine` (as the `events`
 * view), runs its spec, and fills the fields, formula and output regions.
 */
export async function makeAnalysisPage(engine: Engine, kind: string, text: string, fields: SpecField[]): Promise<MadePage> {
  const page = `docs/analyses/${kind}.md`;
  const analysis = getAnalysis(kind);
  if (!analysis) throw new Error(`${page}: no analysis of kind "${kind}"`);
  const example = pageExample(text, page);
  if (example.spec.kind !== kind) throw new Error(`${page}: the example's spec has kind "${example.spec.kind}", not "${kind}"`);
  if (example.log !== null) await loadEvents(engine, { name: 'example.csv', bytes: new TextEncoder().encode(example.log) });
  const result = await runAnalysis(example.log === null ? null : engine, example.spec);
  const catalog = example.log === null ? { events: [], columns: [], firstTs: null, lastTs: null } : await readEventCatalog(engine, 'events');
  const defaults = fieldDefaults(example, catalog);
  const chart = chartSvg(kind, result.rows, result.meta);
  const warnings = (result.meta.warnings as string[] | undefined) ?? [];
  const output = [
    markdownTable(result.rows),
    ...(warnings.length ? ['', ...warnings.map((w) => `> warning: ${w}`)] : []),
    ...(chart ? ['', `![The ${kind} example's default chart](${kind}.svg)`] : []),
    '',
  ].join('\n');
  let made = fillRegion(text, 'fields', `${fieldsTable(fields, defaults)}\n`, page);
  made = fillRegion(made, 'formula', `${analysis.formula ? `> ${analysis.formula}` : '> (this analysis shows no formula)'}\n`, page);
  made = fillRegion(made, 'output', output, page);
  const undocumented = fields.filter((f) => defaults.get(f.name) !== null && !f.doc).map((f) => `${kind}.${f.name}`);
  return { text: made, chart, undocumented };
}
