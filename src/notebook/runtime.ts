import type { ColumnTable } from 'arquero';
import type { ParsedSql } from '../engine/index.ts';
import type { Cell } from './notebook.ts';
import { buildCellGraph, downstream, type CellError, type CellGraph, type CellNode } from './cell-graph.ts';
import { CellSyntaxError } from './js-references.ts';
import { cellErrorLocation, runJsCell } from './run-js-cell.ts';
import { MultipleStatementsError, isArqueroTable, runSqlCell } from './run-sql-cell.ts';
import { SpecSyntaxError, runAnalysisCell } from './run-analysis-cell.ts';
import { cohortDefinition, inlineCohorts, isCohortCell } from './cohort-cells.ts';
import type { AnalysisRunResult, RuntimeHost } from './runtime-host.ts';
import { bindTemplate, resolveSpecValues, sqlTemplate, TemplateValueError } from './sql-template.ts';
import { InputSpecError, inputValue, optionsQuery, parseInputSpec, type InputSpec } from './input-spec.ts';
import { sqlCellError } from './sql-error.ts';
import { ExerciseSpecError, parseExerciseSpec, type ExerciseSpec } from './exercise-spec.ts';
import { ExerciseCheckError, expectedAnswer, type Expected } from './exercise-check.ts';

export type { RuntimeHost, AnalysisRunResult } from './runtime-host.ts';
export type { CellError } from './cell-graph.ts';

/** What an input cell shows: its spec, the choices its query found, and the value cells read. */
export interface InputDisplay {
  kind: 'input';
  spec: InputSpec;
  options: (string | number)[];
  value: unknown;
  /** The first and last day of the events, for a date range without a value. */
  bounds?: { from: string; to: string };
}

/**
 * What an exercise cell shows: its spec and the expected answer its check computed. The expected
 * answer lives only here, in memory: the file and a share link hold the check, never its result.
 */
export interface ExerciseDisplay {
  kind: 'exercise';
  spec: ExerciseSpec;
  expected: Expected;
}

/** Whether a cell's displayed value is an exercise's. */
export function isExerciseDisplay(value: unknown): value is ExerciseDisplay {
  return !!value && typeof value === 'object' && (value as ExerciseDisplay).kind === 'exercise' && 'expected' in value;
}

/** The message on an exercise whose check is JavaScript, in a notebook that is not trusted yet. */
export const UNTRUSTED_CHECK_MESSAGE = 'this exercise\'s check is JavaScript from someone else: it runs, and answers can be checked, once you trust this notebook';

/** Whether a cell's displayed value is an input's. */
export function isInputDisplay(value: unknown): value is InputDisplay {
  return !!value && typeof value === 'object' && (value as InputDisplay).kind === 'input' && 'spec' in value;
}

/** Where a cell is: `stale` means a run was cancelled and the value shown is from before. */
export type CellStatus = 'idle' | 'queued' | 'running' | 'done' | 'error' | 'stale';

/** What the UI shows for one cell. */
export interface CellState {
  status: CellStatus;
  /** The displayed value: an Arquero table (SQL, analysis, JS), a DOM node from Plot (JS), a string, ... */
  value?: unknown;
  /** An analysis cell's full result. */
  result?: AnalysisRunResult;
  /** Shown on this cell only; line and column count from 1. */
  error?: CellError;
  /**
   * What the person should know about a result that still ran (an event name that never occurs),
   * from the cell's analysis or the analyses a JS cell called.
   */
  warnings?: string[];
  durationMs?: number;
  rowCount?: number;
  /** Names this cell defines. */
  declarations: string[];
  /** Names it reads that other cells define. */
  references: string[];
}

/** The message on a JS cell of a notebook that is not trusted yet. */
export const UNTRUSTED_MESSAGE = 'JavaScript from someone else does not run until you trust this notebook';

const ABORTED = Symbol('aborted');

interface Run {
  id: string;
  controller: AbortController;
  /** Warnings of the analyses a JS cell called in this run. */
  warnings: string[];
}

interface Outcome {
  values: Record<string, unknown>;
  display: unknown;
  result?: AnalysisRunResult;
}

/**
 * Runs a notebook's cells reactively: a changed cell and every cell that reads it re-run, in
 * dependency order, one at a time (the engine has one connection). A run superseded by an edit is
 * cancelled (its host calls get an aborted signal) and whatever it finishes with is ignored.
 * Errors (syntax, cycle, duplicate or unknown name, a failed query) stay on their cell; the cells
 * that read it say so, and every other cell keeps working.
 *
 * @fires cell-state - `CustomEvent<{id, state}>` whenever a cell's state changes
 * @example
 * const runtime = new NotebookRuntime(createEngineHost(engine));
 * runtime.addEventListener('cell-state', (e) => render((e as CustomEvent).detail.id));
 * runtime.setCells(parseNotebook(text).cells);
 * await runtime.idle();
 */
export class NotebookRuntime extends EventTarget {
  private graph: CellGraph = { nodes: new Map(), order: [] };
  private readonly states = new Map<string, CellState>();
  /** The values each cell defines, by cell id then name. */
  private readonly outputs = new Map<string, Record<string, unknown>>();
  /** What each cell looked like when last scheduled, to tell which cells an edit changed. */
  private readonly signatures = new Map<string, string>();
  private readonly pending = new Set<string>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private builtinValues: Record<string, unknown> = {};
  private running: Run | null = null;
  private loop: Promise<void> | null = null;
  private trusted = true;
  /** DuckDB's parse of each SQL text the notebook holds (null: the parser failed outright). */
  private readonly parsed = new Map<string, ParsedSql | null>();
  /** The parses still awaited; no cell runs before they answer, so no cell runs on a guessed graph. */
  private parsing: Promise<void> | null = null;
  private cells: Cell[] = [];

  constructor(private readonly host: RuntimeHost) {
    super();
  }

  /**
   * Takes the notebook's cells; changed cells and everything downstream re-run. The graph is
   * built at once (a SQL text DuckDB has not parsed yet is read by its names in table position)
   * and again when DuckDB's parser has answered, before any cell runs.
   */
  setCells(cells: Cell[]): void {
    this.cells = cells;
    this.applyCells(cells);
    const unparsed = [...new Set(cells.flatMap((c) => parsedTexts(c)).filter((text) => !this.parsed.has(text)))];
    if (unparsed.length === 0) return;
    const parsing = Promise.all(unparsed.map(async (source) => {
      this.parsed.set(source, await this.host.parseSql(source).catch(() => null));
    })).then(() => {
      if (this.cells !== cells) return;
      const current = new Set(cells.flatMap((c) => parsedTexts(c)));
      for (const source of this.parsed.keys()) if (!current.has(source)) this.parsed.delete(source);
      this.applyCells(cells);
    });
    this.parsing = parsing;
    void parsing.finally(() => { if (this.parsing === parsing) this.parsing = null; });
  }

  private applyCells(cells: Cell[]): void {
    const previousDeclarations = new Map([...this.graph.nodes].map(([id, node]) => [id, node.declarations]));
    this.builtinValues = this.host.builtins();
    this.graph = buildCellGraph(cells, {
      builtins: new Set(Object.keys(this.builtinValues)),
      isGlobal: (name) => name in globalThis,
      previousDeclarations,
      sqlTables: (source) => this.parsed.get(source)?.tables,
    });
    for (const id of [...this.signatures.keys()]) {
      if (this.graph.nodes.has(id)) continue;
      if (this.running?.id === id) this.running.controller.abort();
      this.pending.delete(id);
      this.states.delete(id);
      this.outputs.delete(id);
      this.signatures.delete(id);
    }
    const changed = new Set(this.graph.order.filter((id) => this.signatures.get(id) !== this.signature(id)));
    this.schedule(downstream(this.graph, changed));
  }

  /** Re-runs one cell and the cells that read it. */
  run(id: string): Promise<void> {
    if (this.graph.nodes.has(id)) this.schedule(downstream(this.graph, new Set([id])));
    return this.idle();
  }

  /** Re-runs the given cells (in run order), as "run above" and "run below" do; cells they read keep their values. */
  runCells(ids: readonly string[]): Promise<void> {
    const wanted = new Set(ids);
    this.schedule(this.graph.order.filter((id) => wanted.has(id)));
    return this.idle();
  }

  /** Re-runs every cell. */
  runAll(): Promise<void> {
    this.schedule(this.graph.order);
    return this.idle();
  }

  /** Stops a cell's run (or its place in the queue); it and the cells waiting on it become `stale`. */
  cancel(id: string): void {
    const running = this.running?.id === id;
    if (!running && !this.pending.has(id)) return;
    if (running) this.running!.controller.abort();
    this.pending.delete(id);
    this.set(id, { ...this.state(id), status: 'stale', error: { message: 'cancelled' } });
  }

  /** The cell's current state (idle if it is unknown). */
  state(id: string): CellState {
    const node = this.graph.nodes.get(id);
    return this.states.get(id) ?? { status: 'idle', declarations: node?.declarations ?? [], references: [...node?.inputs.keys() ?? []] };
  }

  /** The names every JS cell has in scope (`aq`, `Plot`, `sql`, the analyses). */
  builtinNames(): string[] {
    return Object.keys(this.host.builtins());
  }

  /** The values a cell defines, by name, from its last successful run (undefined before one). */
  outputsOf(id: string): Readonly<Record<string, unknown>> | undefined {
    return this.outputs.get(id);
  }

  /** Resolves when nothing is queued, parsing or running. */
  async idle(): Promise<void> {
    while (this.loop || this.parsing) await (this.loop ?? this.parsing);
  }

  /** Whether JS cells may run; untrusted ones wait, idle, with a message saying why. */
  setTrusted(trusted: boolean): void {
    if (trusted === this.trusted) return;
    this.trusted = trusted;
    const js = this.graph.order.filter((id) => runsJs(this.graph.nodes.get(id)!));
    this.schedule(downstream(this.graph, new Set(js)));
  }

  private signature(id: string): string {
    const { cell, inputs, builtins, error } = this.graph.nodes.get(id)!;
    return JSON.stringify([
      cell.kind, cell.source, cell.name, cell.analysis, [...inputs].sort(), builtins, error, runsJs(this.graph.nodes.get(id)!) && this.trusted,
    ]);
  }

  private schedule(ids: string[]): void {
    for (const id of ids) {
      this.signatures.set(id, this.signature(id));
      if (this.running?.id === id) this.running.controller.abort();
      this.pending.add(id);
      const { error: _, ...previous } = this.state(id);
      const node = this.graph.nodes.get(id)!;
      this.set(id, { ...previous, status: 'queued', declarations: node.declarations, references: [...node.inputs.keys()] });
    }
    if (this.loop || this.pending.size === 0) return;
    this.loop = (async () => {
      await Promise.resolve();
      try {
        for (;;) {
          while (this.parsing) await this.parsing;
          const id = this.nextPending();
          if (id === undefined) break;
          this.pending.delete(id);
          await this.runCell(id);
        }
      } finally {
        this.loop = null;
      }
    })();
  }

  /** The first queued cell in run order whose inputs are not queued; cells with errors of their own first. */
  private nextPending(): string | undefined {
    const queued = this.graph.order.filter((id) => this.pending.has(id));
    const ready = (id: string) => [...this.graph.nodes.get(id)!.inputs.values()].every((input) => !this.pending.has(input));
    return queued.find(ready) ?? queued.find((id) => this.graph.nodes.get(id)!.error) ?? queued[0];
  }

  private set(id: string, state: CellState): void {
    this.states.set(id, state);
    this.dispatchEvent(new CustomEvent('cell-state', { detail: { id, state } }));
  }

  private async runCell(id: string): Promise<void> {
    const node = this.graph.nodes.get(id);
    if (!node) return;
    const base = { declarations: node.declarations, references: [...node.inputs.keys()] };
    const fail = (error: CellError, status: CellStatus = 'error') => {
      this.outputs.delete(id);
      this.set(id, { status, error, ...base });
    };
    if (node.error) return fail(node.error);
    if (node.cell.kind === 'markdown') return this.set(id, { status: 'done', ...base });
    for (const [name, provider] of node.inputs) {
      const status = this.states.get(provider)?.status;
      if (status === 'done') continue;
      if (status === 'stale') return fail({ message: `depends on "${name}", which was cancelled` }, 'stale');
      if (status === 'idle' && !this.trusted) return fail({ message: `depends on "${name}", which does not run until you trust this notebook` }, 'idle');
      return fail({ message: `depends on "${name}", which failed` });
    }
    if (node.cell.kind === 'js' && !this.trusted) return fail({ message: UNTRUSTED_MESSAGE }, 'idle');
    if (node.cell.kind === 'exercise' && node.code && !this.trusted) return fail({ message: UNTRUSTED_CHECK_MESSAGE }, 'idle');

    const run: Run = { id, controller: new AbortController(), warnings: [] };
    const { signal } = run.controller;
    this.running = run;
    this.set(id, { ...this.state(id), status: 'running' });
    const started = performance.now();
    const executing = this.execute(node, run);
    executing.catch(() => {});
    const aborted = new Promise<typeof ABORTED>((resolve) => signal.addEventListener('abort', () => resolve(ABORTED), { once: true }));
    try {
      const outcome = await Promise.race([executing, aborted]);
      if (outcome === ABORTED || signal.aborted) return;
      this.outputs.set(id, outcome.values);
      const state: CellState = { status: 'done', value: outcome.display, durationMs: performance.now() - started, ...base };
      if (outcome.result) state.result = outcome.result;
      const warnings = [...new Set([...(outcome.result?.meta.warnings as string[] | undefined) ?? [], ...run.warnings])];
      if (warnings.length) state.warnings = warnings;
      if (isArqueroTable(outcome.display)) state.rowCount = outcome.display.numRows();
      this.set(id, state);
    } catch (error) {
      if (signal.aborted) return;
      this.outputs.delete(id);
      this.set(id, { status: 'error', error: toCellError(error, node), durationMs: performance.now() - started, ...base });
    } finally {
      if (this.running === run) this.running = null;
      // a cancelled run may still have a query on the engine's single connection: let it end first
      await Promise.allSettled([...this.inFlight]);
    }
  }

  private async execute(node: CellNode, run: Run): Promise<Outcome> {
    const { cell } = node;
    const { signal } = run.controller;
    const inputs: Record<string, unknown> = {};
    for (const [name, provider] of node.inputs) inputs[name] = this.outputs.get(provider)?.[name];
    const host = this.trackedHost();
    const valueOf = (name: string) => inputs[name];
    if (cell.kind === 'sql') {
      const tables = Object.fromEntries(Object.entries(inputs).filter(([name]) => {
        const provider = this.graph.nodes.get(node.inputs.get(name)!)!.cell;
        return provider.kind !== 'sql' && provider.kind !== 'input';
      }));
      const template = sqlTemplate(cell.source);
      if (template.references.length === 0) {
        const parsed = this.parsed.get(template.text) ?? await this.host.parseSql(template.text);
        const table = await runSqlCell(host, parsed, cell.name, tables, { signal });
        return { values: cell.name ? { [cell.name]: table } : {}, display: table };
      }
      // values are bound as parameters: the text DuckDB parses holds a ? for each
      const { sql, params } = bindTemplate(template, valueOf);
      const table = await runSqlCell(host, await this.host.parseSql(sql), cell.name, tables, { signal, params });
      return { values: cell.name ? { [cell.name]: table } : {}, display: table };
    }
    if (cell.kind === 'analysis') {
      const definitionOf = (name: string) => this.cohortDefinitionOf(name);
      const resolve = (spec: Record<string, unknown> & { kind: string }) => {
        const own = isCohortCell(cell) && !('cohort' in spec) ? { kind: 'cohort', cohort: cohortDefinition(cell) ?? {} } : spec;
        return inlineCohorts(resolveSpecValues(own, valueOf) as typeof spec, definitionOf);
      };
      const { table, result } = await runAnalysisCell(host, cell.analysis ?? '', cell.source, { signal, resolve });
      return { values: cell.name ? { [cell.name]: table } : {}, display: table, result };
    }
    if (cell.kind === 'input') {
      const spec = parseInputSpec(cell.source);
      const query = optionsQuery(spec);
      let options = Array.isArray(spec.options) ? spec.options : [];
      if (query) {
        const parsed = this.parsed.get(query) ?? await this.host.parseSql(query);
        const found = await runSqlCell(host, parsed, undefined, {}, { signal });
        const first = found?.columnNames()[0];
        options = first === undefined ? [] : [...new Set(Array.from(found!.array(first) as ArrayLike<unknown>))].filter((v) => v !== null && v !== undefined)
          .map((v) => (typeof v === 'number' ? v : v instanceof Date ? v.toISOString().slice(0, 10) : String(v)));
      }
      const bounds = spec.type === 'date-range' ? await this.eventBounds(host, signal) : undefined;
      const value = inputValue(spec, options, bounds);
      const display: InputDisplay = { kind: 'input', spec, options, value, ...(bounds ? { bounds } : {}) };
      return { values: { [cell.name!]: value }, display };
    }
    if (cell.kind === 'exercise') return this.executeExercise(node, run, inputs);
    for (const name of node.builtins) inputs[name] = this.guard(this.builtinValues[name], run);
    const output = await runJsCell(node.code!, cell.source, inputs);
    // like Observable, a cell's promises are awaited before other cells see them
    const values: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(output.values)) values[name] = await value;
    return { values, display: await output.display };
  }

  /** Runs an exercise's check (SQL, or JavaScript in a trusted notebook) for the expected answer. */
  private async executeExercise(node: CellNode, run: Run, inputs: Record<string, unknown>): Promise<Outcome> {
    const spec = parseExerciseSpec(node.cell.source);
    if (!spec.check) throw new ExerciseCheckError('this exercise has no check: add "check:" with the SQL (or "js:") that computes the expected answer');
    let raw: unknown;
    if (spec.check.language === 'sql') {
      const host = this.trackedHost();
      const tables = Object.fromEntries(Object.entries(inputs).filter(([name]) => {
        const provider = this.graph.nodes.get(node.inputs.get(name)!)!.cell;
        return provider.kind !== 'sql' && provider.kind !== 'input';
      }));
      const parsed = this.parsed.get(spec.check.code) ?? await this.host.parseSql(spec.check.code);
      raw = await runSqlCell(host, parsed, undefined, tables, { signal: run.controller.signal });
      if (raw === undefined) throw new ExerciseCheckError('the check holds no query');
    } else {
      for (const name of node.builtins) inputs[name] = this.guard(this.builtinValues[name], run);
      const output = await runJsCell(node.code!, spec.check.code, inputs);
      raw = await output.display;
    }
    const display: ExerciseDisplay = { kind: 'exercise', spec, expected: expectedAnswer(spec, raw) };
    return { values: {}, display };
  }

  /**
   * The value a cell defines under `name`, for an exercise that asks the student to write that
   * cell: `found: false` when no cell defines it, else its cell's status, value and error.
   */
  definedValue(name: string): { found: false } | { found: true; status: CellStatus; value: unknown; error?: string } {
    for (const [id, node] of this.graph.nodes) {
      if (!node.declarations.includes(name)) continue;
      const state = this.state(id);
      return { found: true, status: state.status, value: this.outputs.get(id)?.[name], ...(state.error ? { error: state.error.message } : {}) };
    }
    return { found: false };
  }

  /**
   * Runs one SQL statement as a student's answer (an exercise that asks for a table): on the same
   * locked-down engine as SQL cells, reading the notebook's tables, defining nothing.
   */
  async query(sql: string): Promise<unknown> {
    const parsed = await this.host.parseSql(sql);
    const table = await runSqlCell(this.trackedHost(), parsed, undefined, {}, {});
    if (table === undefined) throw new Error('the answer holds no query');
    return table;
  }

  /** The definition of the cohort cell named `name`, if there is one. */
  private cohortDefinitionOf(name: string): Record<string, unknown> | undefined {
    const provider = [...this.graph.nodes.values()].find((n) => isCohortCell(n.cell) && n.cell.name === name);
    return provider ? cohortDefinition(provider.cell) : undefined;
  }

  /**
   * Runs a spec outside any cell (the people behind a number a person clicked), with the
   * notebook's cohort cells resolved as a cell's spec would have them.
   *
   * @example
   * const { rows } = await runtime.analyzeOnce({ kind: 'stickiness', period: 'day', people: { periods_active: 3 } });
   */
  analyzeOnce(spec: Record<string, unknown> & { kind: string }): Promise<AnalysisRunResult> {
    return this.track(this.host.analyze(inlineCohorts(spec, (name) => this.cohortDefinitionOf(name))));
  }

  /** One person's events in time order, every column (the person's timeline). */
  personEvents(userId: string): Promise<ColumnTable> {
    return this.track(this.host.sql('SELECT * FROM events WHERE user_id = ? ORDER BY ts, event', { params: [userId] }));
  }

  /** The first and last day of the events (UTC), the span a date range starts with. */
  private async eventBounds(host: RuntimeHost, signal: AbortSignal): Promise<{ from: string; to: string } | undefined> {
    try {
      const span = await host.sql("SELECT strftime(min(ts), '%Y-%m-%d') AS first_day, strftime(max(ts), '%Y-%m-%d') AS last_day FROM events", { signal });
      const from = span.get('first_day', 0) as string | null;
      const to = span.get('last_day', 0) as string | null;
      return from && to ? { from, to } : undefined;
    } catch {
      return undefined;
    }
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.inFlight.add(promise);
    promise.finally(() => this.inFlight.delete(promise)).catch(() => {});
    return promise;
  }

  private trackedHost(): RuntimeHost {
    const { host } = this;
    return {
      sql: (query, options) => this.track(host.sql(query, options)),
      registerTable: (name, table) => this.track(host.registerTable(name, table)),
      createTable: (name, query, options) => this.track(host.createTable(name, query, options)),
      parseSql: (sql) => host.parseSql(sql),
      analyze: (spec, options) => this.track(host.analyze(spec, options)),
      builtins: () => host.builtins(),
      warningsOf: (value) => host.warningsOf?.(value) ?? [],
    };
  }

  /**
   * A builtin function as one run sees it: its promises tracked, refused once the run is superseded,
   * and the warnings of what it returns kept for the cell.
   */
  private guard(value: unknown, run: Run): unknown {
    if (typeof value !== 'function') return value;
    const { signal } = run.controller;
    const keep = (returned: unknown) => {
      run.warnings.push(...this.host.warningsOf?.(returned) ?? []);
      return returned;
    };
    return new Proxy(value, {
      apply: (target, self, args) => {
        if (signal.aborted) throw new Error('this run of the cell was superseded by a newer one');
        const result: unknown = Reflect.apply(target, self, args);
        return result instanceof Promise ? this.track(result.then(keep)) : result;
      },
    });
  }
}

/** Whether a cell runs JavaScript: a JS cell, or an exercise whose check is JavaScript. */
function runsJs(node: CellNode): boolean {
  return node.cell.kind === 'js' || (node.cell.kind === 'exercise' && node.code !== undefined);
}

function toCellError(error: unknown, node: CellNode): CellError {
  if (error instanceof InputSpecError || error instanceof ExerciseSpecError) return withLocation({ message: error.message }, error.line);
  if (error instanceof ExerciseCheckError) return { message: error.message };
  if (error instanceof TemplateValueError) return { message: error.message };
  if (error instanceof CellSyntaxError || error instanceof SpecSyntaxError || error instanceof MultipleStatementsError) {
    return withLocation({ message: error.message }, error.line, error.column);
  }
  const reason = (error as { reason?: unknown }).reason;
  if (node.cell.kind === 'sql' && typeof reason === 'string') {
    const { message, line, column } = sqlCellError(reason, node.cell.source);
    return withLocation({ message }, line, column);
  }
  if (error instanceof Error) {
    const message = error.name && error.name !== 'Error' && node.cell.kind === 'js' ? `${error.name}: ${error.message}` : error.message;
    const { line, column } = cellErrorLocation(error);
    return withLocation({ message }, line, column);
  }
  return { message: String(error) };
}

/** The SQL texts of a cell that DuckDB's parser reads for its tables: a SQL cell's (values as ?), an input's options query. */
function parsedTexts(cell: Cell): string[] {
  if (cell.kind === 'sql') return [sqlTemplate(cell.source).text];
  if (cell.kind === 'exercise') {
    try {
      const check = parseExerciseSpec(cell.source).check;
      return check?.language === 'sql' ? [check.code] : [];
    } catch {
      return [];
    }
  }
  if (cell.kind !== 'input') return [];
  try {
    const query = optionsQuery(parseInputSpec(cell.source));
    return query ? [query] : [];
  } catch {
    return [];
  }
}

function withLocation(error: CellError, line?: number, column?: number): CellError {
  if (line !== undefined) error.line = line;
  if (column !== undefined) error.column = column;
  return error;
}
