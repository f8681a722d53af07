import { LitElement, css, html, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { createCell, type Cell, type CellKind, type CellState, type NotebookProgress, type NotebookRuntime } from '../notebook/index.ts';
import { theme } from './theme.ts';
import { Localized, t } from './i18n.ts';
import { ANALYSIS_FORMS, ANALYSIS_MENU } from './analysis-fields.ts';
import type { CbCell } from './cb-cell.ts';
import { EMPTY_SCHEMA, type LiveSchema } from './live-schema.ts';
import './cb-cell.ts';

/** A new exercise: a question, hints and a check the teacher fills in. */
const EXERCISE_TEMPLATE = `question: How many people are in the log?
answer: number
hints:
  - Count distinct user_id values, not events.
check:
  sql: SELECT count(DISTINCT user_id) FROM events`;

/** A structural change that Z (or Ctrl+Shift+Z in command mode) can undo. */
interface UndoStep {
  cells: Cell[];
  selected: string | null;
}

/** A chart and formula for an analysis cell's result, from the plots layer. */
export type ChartFor = (cell: Cell, state: CellState) => { chart: Element | null; formula: string | null };

/**
 * The notebook: cells in order, each with its editor and output, and the keyboard of Jupyter and
 * marimo. Edits stay drafts until the cell runs (Shift+Enter / Ctrl+Enter / ▶); analysis forms run
 * on every change. In command mode (Escape): ↑/↓ or K/J select, Enter edits, A/B add above/below,
 * D D deletes, Z undoes the last add/delete/move, M turns the cell into Markdown, Y into SQL.
 *
 * @fires notebook-change - detail: Cell[] after every change (for autosave)
 */
export class CbNotebook extends LitElement {
  static override properties = {
    cells: { attribute: false },
    runtime: { attribute: false },
    catalog: { attribute: false },
    schema: { attribute: false },
    chartFor: { attribute: false },
    progress: { attribute: false },
    selected: { state: true },
    dirty: { state: true },
    presenting: { type: Boolean, reflect: true },
    slide: { state: true },
  };

  declare cells: Cell[];
  declare runtime: NotebookRuntime | null;
  declare catalog: { events: string[]; columns: string[] };
  /** What code editors complete from. */
  declare schema: LiveSchema;
  declare chartFor: ChartFor | null;
  /** The student's progress on this notebook's exercises. */
  declare progress: NotebookProgress | null;
  declare selected: string | null;
  declare dirty: Set<string>;
  /** Presentation mode for teaching: one cell at a time, code hidden, large type. */
  declare presenting: boolean;
  declare slide: number;

  /** The cells as the runtime last saw them; drafts differ until run. */
  private committed: Cell[] = [];
  /** The last cells array this component made itself, to tell its own edits from a newly opened notebook. */
  private own: Cell[] | null = null;
  private undoStack: UndoStep[] = [];
  /** The input cells' names, the same array while they stay the same. */
  private inputNames: string[] = [];
  private pendingD = false;
  private onState = (event: Event) => {
    const { id } = (event as CustomEvent<{ id: string }>).detail;
    this.renderRoot.querySelector<CbCell>(`cb-cell[data-id="${id}"]`)?.requestUpdate();
    this.requestUpdate();
  };

  private readonly localized = new Localized(this);

  constructor() {
    super();
    this.cells = [];
    this.runtime = null;
    this.catalog = { events: [], columns: [] };
    this.schema = EMPTY_SCHEMA;
    this.chartFor = null;
    this.progress = null;
    this.selected = null;
    this.dirty = new Set();
    this.presenting = false;
    this.slide = 0;
  }

  static override styles = [theme, css`
    :host { display: block; outline: none; max-width: 1100px; border-radius: 10px; }
    :host(:focus-visible) { outline: 2px solid var(--cb-accent); outline-offset: 4px; }
    .add { display: flex; gap: 6px; justify-content: center; opacity: 0; transition: opacity 0.15s; padding: 2px 0; }
    .add:hover, .add:focus-within, .add.last { opacity: 1; }
    .add button { font-size: 12px; padding: 2px 9px; border-style: dashed; color: var(--cb-muted); }
    .add select { font-size: 12px; padding: 2px 4px; color: var(--cb-muted); border-style: dashed; }
    :host([presenting]) { max-width: none; }
    .slide { min-height: calc(100vh - 170px); display: flex; flex-direction: column; justify-content: center; font-size: 1.35em; padding: 0 4vw; }
    .slide cb-cell { --cb-present-scale: 1.35; }
    .slides-nav { display: flex; gap: 10px; justify-content: center; align-items: center; color: var(--cb-muted); font-size: 14px; padding: 12px 0; }
  `];

  override connectedCallback(): void {
    super.connectedCallback();
    this.tabIndex = 0;
    this.addEventListener('keydown', this.onKey);
  }

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('runtime')) {
      const previous = changed.get('runtime') as NotebookRuntime | null | undefined;
      previous?.removeEventListener('cell-state', this.onState);
      this.runtime?.addEventListener('cell-state', this.onState);
    }
    if (changed.has('cells') && this.cells !== this.own && this.cells !== this.committed) {
      // a notebook was opened: everything is committed and runs
      this.committed = this.cells;
      this.dirty = new Set();
      this.runtime?.setCells(this.cells);
      this.selected ??= this.cells[0]?.id ?? null;
    }
  }

  private changed(cells: Cell[], run: boolean): void {
    this.own = cells;
    this.cells = cells;
    if (run) this.commit();
    this.dispatchEvent(new CustomEvent('notebook-change', { detail: cells, bubbles: true, composed: true }));
  }

  /** Hands the runtime the cells in their current order, with drafts (dirty cells) at their last-run text. */
  private commit(): void {
    const previous = new Map(this.committed.map((c) => [c.id, c]));
    this.committed = this.cells.map((c) => (this.dirty.has(c.id) ? previous.get(c.id) ?? c : c));
    this.runtime?.setCells(this.committed);
  }

  private remember(): void {
    this.undoStack.push({ cells: this.cells, selected: this.selected });
    if (this.undoStack.length > 100) this.undoStack.shift();
  }

  /** Commits a cell's draft and runs it with everything downstream. */
  runCell(id: string, advance = false): void {
    const draft = this.cells.find((c) => c.id === id);
    if (!draft) return;
    const before = this.committed.find((c) => c.id === id);
    const dirty = new Set(this.dirty);
    dirty.delete(id);
    this.dirty = dirty;
    this.commit();
    // an unchanged cell is not re-run by setCells: run it on request
    if (draft.kind !== 'markdown' && before && before.source === draft.source) void this.runtime?.run(id);
    this.dispatchEvent(new CustomEvent('notebook-change', { detail: this.cells, bubbles: true, composed: true }));
    if (advance) {
      const index = this.cells.findIndex((c) => c.id === id);
      const next = this.cells[index + 1];
      if (next) this.select(next.id, true);
      else this.insert(index + 1, 'sql', true);
    }
  }

  /** Runs the cells above the selected one (not it), or below it (it included). */
  runAround(where: 'above' | 'below'): void {
    const index = this.cells.findIndex((c) => c.id === this.selected);
    if (index < 0) return;
    this.dirty = new Set();
    this.committed = this.cells;
    this.runtime?.setCells(this.cells);
    const ids = (where === 'above' ? this.cells.slice(0, index) : this.cells.slice(index)).map((c) => c.id);
    void this.runtime?.runCells(ids);
  }

  /** Does a cell action (`up`, `down`, `duplicate`, `delete`) on the selected cell, as its buttons do. */
  actOnSelected(action: 'up' | 'down' | 'duplicate' | 'delete'): void {
    if (this.selected) this.act(this.selected, action);
  }

  /** Adds a cell of a kind below the selected one (at the end when none is). */
  addCell(kind: CellKind, analysis?: string): void {
    const index = this.cells.findIndex((c) => c.id === this.selected);
    const at = index < 0 ? this.cells.length : index + 1;
    this.insert(at, kind, kind !== 'analysis' && kind !== 'input', analysis, kind === 'sql');
  }

  /** Whether a cell is selected (the cell actions of the palette need one). */
  get hasSelection(): boolean {
    return this.cells.some((c) => c.id === this.selected);
  }

  /** Selects a cell and puts the caret in its editor. */
  editCell(id: string): void {
    this.select(id, true);
  }

  /** Undoes the last add, delete or move. */
  undoLast(): void {
    this.undo();
  }

  /** Runs every cell from the top. */
  runAll(): void {
    this.dirty = new Set();
    this.committed = this.cells;
    this.runtime?.setCells(this.cells);
    void this.runtime?.runAll();
  }

  private select(id: string, focusEditor = false): void {
    this.selected = id;
    void this.updateComplete.then(() => {
      const cell = this.renderRoot.querySelector<CbCell>(`cb-cell[data-id="${id}"]`);
      cell?.scrollIntoView({ block: 'nearest' });
      if (focusEditor) cell?.edit();
      else this.focus();
    });
  }

  /**
   * Puts text at the caret of the selected cell's editor (a column name clicked in the data panel);
   * when the selected cell has no editor, a new SQL cell holds it.
   */
  insertText(text: string): void {
    const cell = this.renderRoot.querySelector<CbCell>(`cb-cell[data-id="${this.selected}"]`);
    if (cell?.insertText(text)) return;
    this.insert(this.cells.length, 'sql', true);
    void this.updateComplete.then(() => setTimeout(() => this.renderRoot.querySelector<CbCell>(`cb-cell[data-id="${this.selected}"]`)?.insertText(text)));
  }

  insert(index: number, kind: CellKind, edit = true, analysis?: string, example = false): void {
    this.remember();
    const extra = kind === 'analysis' ? { analysis, name: this.freshName(analysis ?? 'result') } : kind === 'sql' ? { name: this.freshName('query') }
      : kind === 'input' ? { name: this.freshName('choice') } : kind === 'exercise' ? { name: this.freshName('exercise') } : {};
    const source = kind === 'analysis' ? JSON.stringify(this.defaultSpec(analysis ?? ''), null, 2)
      : kind === 'input' ? 'type: select\nlabel: Event\noptions: SELECT DISTINCT event FROM events ORDER BY 1'
      : kind === 'exercise' ? EXERCISE_TEMPLATE
      : kind === 'sql' && example ? 'SELECT event, count(*) AS events, count(DISTINCT user_id) AS users\nFROM events\nGROUP BY event\nORDER BY events DESC' : '';
    const cell = createCell(kind, source, extra);
    const cells = [...this.cells.slice(0, index), cell, ...this.cells.slice(index)];
    this.changed(cells, kind === 'analysis' || kind === 'input' || kind === 'exercise');
    this.select(cell.id, edit && kind !== 'analysis' && kind !== 'input' && kind !== 'exercise');
  }

  /** Inserts a JavaScript cell holding `code` (a chart the builder made) and runs it. */
  insertCode(index: number, code: string): void {
    this.remember();
    const cell = createCell('js', code);
    this.changed([...this.cells.slice(0, index), cell, ...this.cells.slice(index)], true);
    this.select(cell.id);
  }

  /** "Save as cohort" in a people list: a cohort cell under the cell, listing those ids. */
  private insertStaticCohort(id: string, userIds: string[]): void {
    const index = this.cells.findIndex((c) => c.id === id);
    this.remember();
    const cell = createCell('analysis', JSON.stringify({ user_ids: userIds }), { analysis: 'cohort', name: this.freshName('picked') });
    this.changed([...this.cells.slice(0, index + 1), cell, ...this.cells.slice(index + 1)], true);
    this.select(cell.id);
  }

  /**
   * "What did converters do?": a correlation cell under a funnel cell, comparing its converters
   * with the rest (the funnel's people, breakdown and time-to-convert options do not apply).
   */
  private insertCorrelation(index: number, funnelCell: Cell): void {
    let funnel: Record<string, unknown> = {};
    try {
      funnel = JSON.parse(funnelCell.source) as Record<string, unknown>;
    } catch { /* a funnel that is not JSON yet: the correlation cell will say so when it runs */ }
    const { people: _p, time_to_convert: _t, breakdown: _b, breakdown_attribution: _a, title: _title, kind: _k, cohort, ...rest } = funnel;
    const spec = { funnel: rest, ...(cohort ? { cohort } : {}), properties: [], exclude_events: [] };
    this.remember();
    const cell = createCell('analysis', JSON.stringify(spec, null, 2), { analysis: 'correlation', name: this.freshName(`${funnelCell.name ?? 'funnel'}_converters`) });
    this.changed([...this.cells.slice(0, index), cell, ...this.cells.slice(index)], true);
    this.select(cell.id);
  }

  /** A new analysis cell's spec: the form's defaults, with funnel steps taken from the data's events. */
  private defaultSpec(analysis: string): Record<string, unknown> {
    const spec = { ...(ANALYSIS_FORMS[analysis]?.defaults ?? {}) };
    if (analysis === 'funnel') {
      const events = this.catalog.events;
      const preferred = ['signup', 'view_item', 'add_to_cart', 'checkout', 'purchase'].filter((e) => events.includes(e));
      spec.steps = preferred.length >= 2 ? preferred : events.slice(0, 2);
    }
    if (analysis === 'cohort' && this.catalog.events.length) {
      spec.rules = [{ did: this.catalog.events[0], at_least: 1, within_days_of_first_seen: 7 }];
    }
    return spec;
  }

  private freshName(base: string): string {
    const taken = new Set(this.cells.map((c) => c.name));
    for (let i = 1; ; i++) {
      const name = i === 1 && base !== 'query' ? base : `${base}${i}`;
      if (!taken.has(name)) return name;
    }
  }

  private act(id: string, action: string, code?: string): void {
    const index = this.cells.findIndex((c) => c.id === id);
    if (index < 0) return;
    if (action === 'chart' && code) { this.insertCode(index + 1, code); return; }
    if (action === 'correlate') { this.insertCorrelation(index + 1, this.cells[index]); return; }
    if (action === 'select') { this.selected = id; return; }
    if (action === 'cancel') { void (this.runtime as unknown as { cancel?: (id: string) => void })?.cancel?.(id); return; }
    this.remember();
    const cells = [...this.cells];
    if (action === 'delete') {
      cells.splice(index, 1);
      this.changed(cells, true);
      const next = cells[Math.min(index, cells.length - 1)];
      if (next) this.select(next.id);
    } else if (action === 'duplicate') {
      const copy = createCell(cells[index].kind, cells[index].source, {
        ...cells[index], id: undefined, name: cells[index].name ? this.freshName(`${cells[index].name}_copy`) : undefined,
      } as Partial<Cell>);
      cells.splice(index + 1, 0, copy);
      this.changed(cells, true);
      this.select(copy.id);
    } else if ((action === 'up' && index > 0) || (action === 'down' && index < cells.length - 1)) {
      const to = action === 'up' ? index - 1 : index + 1;
      [cells[index], cells[to]] = [cells[to], cells[index]];
      this.changed(cells, true);
      this.select(id);
    }
  }

  private convert(id: string, kind: CellKind): void {
    this.remember();
    this.changed(this.cells.map((c) => (c.id === id ? createCell(kind, c.source, { id: c.id, name: kind === 'sql' ? c.name ?? this.freshName('query') : undefined }) : c)), true);
  }

  private undo(): void {
    const step = this.undoStack.pop();
    if (!step) return;
    this.changed(step.cells, true);
    if (step.selected) this.select(step.selected);
  }

  /** Starts or stops presentation mode, at the selected cell. */
  togglePresentation(): void {
    this.presenting = !this.presenting;
    this.slide = Math.max(0, this.cells.findIndex((c) => c.id === this.selected));
    this.dispatchEvent(new CustomEvent('presentation-change', { detail: this.presenting, bubbles: true, composed: true }));
    void this.updateComplete.then(() => this.focus());
  }

  private onKey = (event: KeyboardEvent) => {
    if (this.presenting) {
      const last = this.cells.length - 1;
      if (['ArrowRight', 'PageDown', ' ', 'j'].includes(event.key)) this.slide = Math.min(last, this.slide + 1);
      else if (['ArrowLeft', 'PageUp', 'k'].includes(event.key)) this.slide = Math.max(0, this.slide - 1);
      else if (event.key === 'Escape') this.togglePresentation();
      else return;
      event.preventDefault();
      return;
    }
    const inEditor = event.composedPath().some((el) => el instanceof HTMLElement && (el.classList?.contains('cm-content') || el.tagName === 'INPUT' || el.tagName === 'SELECT' || el.tagName === 'TEXTAREA'));
    if (inEditor) return;
    const index = this.cells.findIndex((c) => c.id === this.selected);
    const current = this.cells[index];
    const key = event.key;
    if (key === 'd' || key === 'D') {
      if (this.pendingD && current) { this.act(current.id, 'delete'); this.pendingD = false; } else { this.pendingD = true; setTimeout(() => { this.pendingD = false; }, 600); }
      event.preventDefault();
      return;
    }
    this.pendingD = false;
    const handled = (() => {
      if ((key === 'ArrowDown' || key === 'ArrowUp') && event.altKey && current) this.act(current.id, key === 'ArrowUp' ? 'up' : 'down');
      else if ((key === 'ArrowDown' || key === 'j') && index < this.cells.length - 1) this.select(this.cells[index + 1].id);
      else if ((key === 'ArrowUp' || key === 'k') && index > 0) this.select(this.cells[index - 1].id);
      else if (key === 'Enter' && event.shiftKey && current) this.runCell(current.id, true);
      else if (key === 'Enter' && current) this.select(current.id, true);
      else if (key === 'a') this.insert(Math.max(index, 0), 'sql');
      else if (key === 'b') this.insert(index + 1, 'sql');
      else if (key === 'z' || (key === 'Z' && event.shiftKey)) this.undo();
      else if (key === 'm' && current) this.convert(current.id, 'markdown');
      else if (key === 'y' && current) this.convert(current.id, 'sql');
      else if (key === 'c' && current) this.act(current.id, 'duplicate');
      else return false;
      return true;
    })();
    if (handled) event.preventDefault();
  };

  private addBar(index: number, last = false) {
    return html`<div class="add ${last ? 'last' : ''}">
      <button @click=${() => this.insert(index, 'markdown')}>+ ${t('notebook.addText')}</button>
      <button @click=${() => this.insert(index, 'sql', true, undefined, true)}>+ SQL</button>
      <button @click=${() => this.insert(index, 'js')}>+ JavaScript</button>
      <button @click=${() => this.insert(index, 'input')} title=${t('notebook.addInputTitle')}>+ ${t('notebook.addInput')}</button>
      <button @click=${() => this.insert(index, 'exercise')} title=${t('notebook.addExerciseTitle')}>+ ${t('notebook.addExercise')}</button>
      <select aria-label=${t('notebook.addAnalysisLabel')} @change=${(e: Event) => { const select = e.target as HTMLSelectElement; if (select.value) this.insert(index, 'analysis', false, select.value); select.value = ''; }}>
        <option value="">+ ${t('notebook.addAnalysis')}</option>
        ${ANALYSIS_MENU.map((kind) => html`<option value=${kind}>${ANALYSIS_FORMS[kind]?.title ?? kind.replace('_', ' ')}</option>`)}
      </select>
    </div>`;
  }

  private renderSlide() {
    const cell = this.cells[this.slide];
    if (!cell) return nothing;
    const state = this.runtime?.state(cell.id) ?? null;
    const extras = state && cell.kind === 'analysis' && this.chartFor ? this.chartFor(cell, state) : { chart: null, formula: null };
    return html`<div class="slide" data-testid="slide">
        <cb-cell presenting .cell=${cell} .state=${state} .chart=${extras.chart} .formula=${extras.formula} .catalog=${this.catalog}></cb-cell>
      </div>
      <div class="slides-nav">
        <button @click=${() => { this.slide = Math.max(0, this.slide - 1); }} ?disabled=${this.slide === 0} aria-label=${t('notebook.previous')}>←</button>
        <span>${this.slide + 1} / ${this.cells.length}</span>
        <button @click=${() => { this.slide = Math.min(this.cells.length - 1, this.slide + 1); }} ?disabled=${this.slide >= this.cells.length - 1} aria-label=${t('notebook.next')}>→</button>
        <button @click=${() => this.togglePresentation()}>${t('notebook.exit')}</button>
      </div>`;
  }

  override render() {
    if (this.presenting) return this.renderSlide();
    const names = this.cells.filter((c) => c.kind === 'input' && c.name).map((c) => c.name!);
    if (names.join('\n') !== this.inputNames.join('\n')) this.inputNames = names;
    const inputs = this.inputNames;
    return html`
      ${repeat(this.cells, (cell) => cell.id, (cell, index) => {
        const state = this.runtime?.state(cell.id) ?? null;
        const extras = state && cell.kind === 'analysis' && this.chartFor ? this.chartFor(cell, state) : { chart: null, formula: null };
        return html`${this.addBar(index)}
          <cb-cell data-id=${cell.id} .cell=${cell} .state=${state} .chart=${extras.chart} .formula=${extras.formula}
            ?selected=${this.selected === cell.id} .dirty=${this.dirty.has(cell.id)} .catalog=${this.catalog} .schema=${this.schema} .inputs=${inputs}
            .runtime=${this.runtime} .progress=${cell.kind === 'exercise' && cell.name ? this.progress?.exercises[cell.name] : undefined}
            @save-cohort=${(e: CustomEvent<{ user_ids: string[] }>) => this.insertStaticCohort(cell.id, e.detail.user_ids)}
            @cell-edit=${(e: CustomEvent<{ id: string; source: string; run?: boolean }>) => this.edit(e.detail.id, e.detail.source, e.detail.run ?? false)}
            @cell-run=${(e: CustomEvent<{ id: string; advance: boolean }>) => this.runCell(e.detail.id, e.detail.advance)}
            @cell-action=${(e: CustomEvent<{ id: string; action: string; code?: string }>) => this.act(e.detail.id, e.detail.action, e.detail.code)}
            @focusin=${() => { this.selected = cell.id; }}
          ></cb-cell>`;
      })}
      ${this.addBar(this.cells.length, true)}
      ${this.cells.length === 0 ? html`<p class="muted">${t('notebook.empty')}</p>` : nothing}
    `;
  }

  private edit(id: string, source: string, run: boolean): void {
    const cells = this.cells.map((c) => (c.id === id ? { ...c, source } : c));
    this.own = cells;
    this.cells = cells;
    if (run) {
      this.runCell(id);
    } else {
      this.dirty = new Set(this.dirty).add(id);
      this.dispatchEvent(new CustomEvent('notebook-change', { detail: cells, bubbles: true, composed: true }));
    }
  }
}

customElements.define('cb-notebook', CbNotebook);

declare global {
  interface HTMLElementTagNameMap {
    'cb-notebook': CbNotebook;
  }
}
