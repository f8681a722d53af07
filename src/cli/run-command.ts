import { readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { JSDOM } from 'jsdom';
import { loadEvents, parseMappingOverrides, type Engine, type EngineKind } from '../engine/index.ts';
import { createNodeEngine } from '../engine/node.ts';
import {
  NO_EVENTS_MESSAGE, NotebookRuntime, TEACHING_DATA, UNTRUSTED_MESSAGE, buildReport, createEngineHost, markdownRenderer, notebookData, notebookTitle,
  parseNotebook, renderHtmlReport,
} from '../notebook/index.ts';
import { UsageError } from './cli-error.ts';
import { readEventFile } from './read-input.ts';
import { frontMatterDataPath, isShippedNotebook } from './notebook-data-path.ts';
import type { Say } from './commands.ts';

export interface RunOptions {
  data?: string[];
  out?: string;
  engine?: string;
  map?: string;
  tz?: string;
  /** Run JavaScript cells too: they run with Node's powers (files, network, environment). */
  trust?: boolean;
  /** Whose report: `teacher` (default: every output, each exercise's answer) or `student` (questions only). */
  for?: string;
}

/** Loads the notebook's data: `--data name=FILE` when given, else what its front matter names. */
export async function loadNotebookData(engine: Engine, frontMatter: string | undefined, notebookPath: string, options: RunOptions, say: Say): Promise<string[]> {
  const loaded: string[] = [];
  const given = (options.data ?? []).map((spec) => {
    const eq = spec.indexOf('=');
    if (eq <= 0) throw new UsageError(`--data takes name=FILE, not "${spec}"`);
    return { source: spec.slice(0, eq), file: spec.slice(eq + 1) };
  });
  const refs = given.length
    ? given.map((g) => ({ source: g.source, file: g.file, mapping: parseMappingOverrides(options.map ?? ''), timezone: options.tz }))
    : notebookData(frontMatter).map((ref) => ({ source: undefined, file: ref.file, mapping: ref.mapping, timezone: ref.timezone }));
  for (const [i, ref] of refs.entries()) {
    let file;
    if (ref.file.startsWith('generated:')) {
      const generator = TEACHING_DATA[ref.file.slice('generated:'.length)];
      if (!generator) throw new Error(`notebook data "${ref.file}": no such generated log (known: ${Object.keys(TEACHING_DATA).join(', ')})`);
      file = { name: generator.file, bytes: new TextEncoder().encode(generator.generate()) };
    } else {
      file = await readEventFile(given.length ? ref.file : frontMatterDataPath(ref.file, notebookPath));
    }
    const activate = given.length ? ref.source === 'events' || (i === 0 && !given.some((g) => g.source === 'events')) : i === 0;
    // 'events' names the view itself: that source keeps a table name of its own and becomes the view
    const summary = await loadEvents(engine, file, { source: ref.source === 'events' ? undefined : ref.source, mapping: ref.mapping, activate, timezone: ref.timezone });
    say(`loaded ${file.name}: ${summary.rows.toLocaleString('en-US')} events of ${summary.users.toLocaleString('en-US')} users`);
    loaded.push(`${file.name} (${summary.rows.toLocaleString('en-US')} events, ${summary.first_ts?.slice(0, 10)} to ${summary.last_ts?.slice(0, 10)})`);
  }
  return loaded;
}

/** A jsdom document as the global one: JS cells call Plot as in the browser, and Plot draws into it. */
export function installDom(): JSDOM {
  const dom = new JSDOM('<!doctype html><body></body>');
  Object.assign(globalThis, { document: dom.window.document, window: dom.window, navigator: dom.window.navigator });
  return dom;
}

/**
 * `cohortbook run NOTEBOOK.md [--data name=FILE] [--trust] --out report.html`: runs every cell
 * headless, in the same runtime the browser uses, and writes the static HTML report. JavaScript
 * cells run only with `--trust` or in the notebooks cohortbook ships (in Node they could read
 * files and the environment); otherwise they and the cells that read them are reported as not
 * run. `failed` is true when a cell failed, `notRun` when a cell did not run for want of
 * `--trust` (the report still shows every cell).
 */
export async function runCommand(notebookPath: string | undefined, options: RunOptions, say: Say): Promise<{ output: unknown; failed: boolean; notRun: boolean }> {
  if (!notebookPath) throw new UsageError('run needs a notebook file: cohortbook run NOTEBOOK.md --out report.html');
  let text: string;
  try {
    text = await readFile(notebookPath, 'utf8');
  } catch (error) {
    throw new Error(`notebook "${notebookPath}": ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : 'cannot be read'}`);
  }
  if (options.for !== undefined && options.for !== 'student' && options.for !== 'teacher') throw new UsageError(`--for must be student or teacher, not "${options.for}"`);
  const notebook = parseNotebook(text);
  const dom = installDom();
  const kind = (options.engine ?? 'wasm') as EngineKind;
  if (kind !== 'wasm' && kind !== 'native') throw new UsageError(`--engine must be wasm or native, not "${kind}"`);
  const engine = await createNodeEngine(kind);
  // native DuckDB parses cells with DuckDB-WASM, started on first use: start it while the data loads
  void engine.parseSql('').catch(() => undefined);
  try {
    const data = await loadNotebookData(engine, notebook.frontMatter, notebookPath, options, say);
    const runtime = new NotebookRuntime(createEngineHost(engine));
    runtime.setTrusted(options.trust === true || isShippedNotebook(notebookPath));
    const started = performance.now();
    runtime.setCells(notebook.cells);
    await runtime.idle();
    const title = notebookTitle(notebook);
    const report = buildReport({
      title, cells: notebook.cells, state: (id) => runtime.state(id), renderMarkdown: markdownRenderer(dom.window as unknown as Window),
      document: dom.window.document, data, audience: options.for === 'student' ? 'student' : 'teacher',
    });
    const failures = notebook.cells
      .map((cell, index) => ({ cell, index, state: runtime.state(cell.id) }))
      .filter(({ cell, state }) => cell.kind !== 'markdown' && state.status === 'error')
      .map(({ cell, index, state }) => ({ cell: index + 1, name: cell.name ?? null, error: state.error?.message ?? 'failed' }));
    const notRun = notebook.cells
      .map((cell, index) => ({ cell, index, state: runtime.state(cell.id) }))
      .filter(({ cell, state }) => cell.kind !== 'markdown' && state.status === 'idle' && state.error)
      .map(({ cell, index, state }) => ({ cell: index + 1, name: cell.name ?? null, reason: state.error!.message }));
    const out = options.out ?? `${basename(notebookPath).replace(/\.md$/i, '')}.html`;
    await writeFile(out, renderHtmlReport(report));
    say(`ran ${notebook.cells.length} cells in ${((performance.now() - started) / 1000).toFixed(1)} s; wrote ${out}`);
    const warned = notebook.cells.flatMap((cell, index) => (runtime.state(cell.id).warnings ?? [])
      .map((warning) => ({ cell: index + 1, name: cell.name ?? null, warning })));
    for (const w of warned) say(`cell ${w.cell}${w.name ? ` "${w.name}"` : ''}: warning: ${w.warning}`);
    // Nothing loaded fails every cell that reads events: one sentence says why, not one per cell.
    const noEvents = failures.filter((f) => f.error === NO_EVENTS_MESSAGE);
    if (noEvents.length) {
      say(`nothing is loaded, and ${noEvents.length === 1 ? 'a cell reads' : `${noEvents.length} cells read`} the event log: name the notebook's data in its front matter (data: FILE), or run it with --data events=FILE`);
    }
    for (const f of failures) if (f.error !== NO_EVENTS_MESSAGE) say(`cell ${f.cell}${f.name ? ` "${f.name}"` : ''}: ${f.error}`);
    if (notRun.length) {
      const js = notRun.filter((n) => n.reason === UNTRUSTED_MESSAGE).length;
      say(`${notRun.length} ${notRun.length === 1 ? 'cell' : 'cells'} did not run (${js} JavaScript, the rest reading them): JavaScript cells run only with --trust, which lets them use this machine as any program can; give it only to notebooks you trust`);
    }
    return {
      output: { notebook: notebookPath, title, out, cells: notebook.cells.length, failed: failures, not_run: notRun, warnings: warned, data },
      failed: failures.length > 0, notRun: notRun.length > 0,
    };
  } finally {
    await engine.close();
  }
}
