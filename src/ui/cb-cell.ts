import { LitElement, css, html, nothing } from 'lit';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import { isExerciseDisplay, isInputDisplay, withInputValue, type Cell, type CellState, type ExerciseProgress, type NotebookRuntime } from '../notebook/index.ts';
import { theme } from './theme.ts';
import { Localized, t } from './i18n.ts';
import { renderMarkdown } from './render-markdown.ts';
import { ANALYSIS_FORMS } from './analysis-fields.ts';
import type { CbCodeEditor, EditorLanguage } from './cb-code-editor.ts';
import { EMPTY_SCHEMA, type LiveSchema } from './live-schema.ts';
import './cb-code-editor.ts';
import './cb-cell-output.ts';
import './cb-analysis-form.ts';
import './cb-people-list.ts';
import { chartRowIndex, hasPeople, peopleRequest, type PeopleRequest } from './people-request.ts';
import './cb-input-control.ts';
import './cb-exercise.ts';

const KIND_LABEL: Record<string, string> = { markdown: 'Markdown', sql: 'SQL', js: 'JavaScript', analysis: 'Analysis', input: 'Input', exercise: 'Exercise' };
const kindLabel = (kind: string) => t(`cell.kind.${kind}`, { defaultValue: KIND_LABEL[kind] ?? kind });

function parseSpec(source: string): Record<string, unknown> | null {
  try {
    const spec = JSON.parse(source || '{}');
    return spec && typeof spec === 'object' && !Array.isArray(spec) ? spec : null;
  } catch {
    return null;
  }
}

/**
 * One notebook cell: a header with its kind, name, status and actions; its editor (CodeMirror, a
 * form for analysis cells, rendered prose for Markdown) and its output.
 *
 * @fires cell-edit - detail: { id, source, run? } while typing (not run yet), or with `run` from a form or a chart's spec patch
 * @fires cell-run - detail: { id, advance } (Shift+Enter advances)
 * @fires cell-action - detail: { id, action: 'up' | 'down' | 'duplicate' | 'delete' | 'select' | 'cancel' | 'chart' | 'correlate', code? }
 */
export class CbCell extends LitElement {
  static override properties = {
    cell: { attribute: false },
    state: { attribute: false },
    chart: { attribute: false },
    formula: { attribute: false },
    selected: { type: Boolean, reflect: true },
    presenting: { type: Boolean, reflect: true },
    dirty: { type: Boolean },
    catalog: { attribute: false },
    schema: { attribute: false },
    inputs: { attribute: false },
    runtime: { attribute: false },
    progress: { attribute: false },
    people: { state: true },
    editing: { state: true },
    asCode: { state: true },
  };

  declare cell: Cell;
  declare state: CellState | null;
  declare chart: Element | null;
  declare formula: string | null;
  declare selected: boolean;
  /** In presentation mode only prose and outputs show, in large type. */
  declare presenting: boolean;
  declare dirty: boolean;
  declare catalog: { events: string[]; columns: string[] };
  /** What the code editor completes from. */
  declare schema: LiveSchema;
  /** The notebook's input names, which an analysis form's fields can take their value from. */
  declare inputs: string[];
  /** For exercise cells: the runtime that runs a student's query and finds the cell they wrote. */
  declare runtime: NotebookRuntime | null;
  /** For exercise cells: what the student did with it so far. */
  declare progress: ExerciseProgress | undefined;
  declare people: PeopleRequest | null;
  declare editing: boolean;
  declare asCode: boolean;

  private readonly localized = new Localized(this);

  constructor() {
    super();
    this.state = null;
    this.chart = null;
    this.formula = null;
    this.selected = false;
    this.presenting = false;
    this.dirty = false;
    this.catalog = { events: [], columns: [] };
    this.schema = EMPTY_SCHEMA;
    this.inputs = [];
    this.runtime = null;
    this.progress = undefined;
    this.people = null;
    this.editing = false;
    this.asCode = false;
  }

  static override styles = [theme, css`
    :host { display: block; border-radius: 10px; border: 1px solid transparent; padding: 6px 10px 10px; position: relative; }
    :host([presenting]) header, :host([presenting]) cb-code-editor, :host([presenting]) cb-analysis-form { display: none; }
    :host([presenting]) .prose { font-size: 26px; }
    :host([presenting]) { border: none; background: none; box-shadow: none; }
    :host([presenting])::before { display: none; }
    :host([selected]) { border-color: var(--cb-border); background: var(--cb-surface); box-shadow: 0 1px 3px rgb(0 0 0 / 0.04); }
    :host([selected])::before { content: ''; position: absolute; left: -8px; top: 8px; bottom: 8px; width: 3px; border-radius: 2px; background: var(--cb-accent); }
    header { display: flex; align-items: center; gap: 8px; font-size: 12px; color: var(--cb-muted); min-height: 26px; }
    .kind { font-weight: 600; text-transform: uppercase; letter-spacing: 0.05em; font-size: 11px; }
    .name { font-family: var(--cb-mono); color: var(--cb-text); }
    .dirty { color: #b54708; }
    .actions { margin-left: auto; display: flex; gap: 4px; opacity: 0; transition: opacity 0.1s; }
    :host([selected]) .actions, :host(:hover) .actions, .actions:focus-within { opacity: 1; }
    .actions button { padding: 2px 7px; font-size: 12px; }
    .prose { font-size: 15px; line-height: 1.6; cursor: text; padding: 2px 4px; }
    .prose :first-child { margin-top: 0; }
    .prose :last-child { margin-bottom: 0; }
    .prose code { font-family: var(--cb-mono); font-size: 13px; background: var(--cb-accent-soft); padding: 1px 4px; border-radius: 4px; }
    .prose pre code { display: block; padding: 8px; }
    .prose table { border-collapse: collapse; } .prose td, .prose th { border: 1px solid var(--cb-border); padding: 3px 8px; }
    .prose.empty { color: var(--cb-muted); font-style: italic; }
    cb-cell-output { margin-top: 8px; }
    .status-dot { width: 8px; height: 8px; border-radius: 50%; display: inline-block; }
    .status-done { background: var(--cb-ok); } .status-error { background: var(--cb-error); } .status-running, .status-queued { background: var(--cb-accent); }
    .status-idle, .status-stale { background: var(--cb-border); }
  `];

  private emit(type: string, detail: Record<string, unknown>): void {
    this.dispatchEvent(new CustomEvent(type, { detail: { id: this.cell.id, ...detail }, bubbles: true, composed: true }));
  }

  /** Inserts text at the caret of this cell's editor; false when the cell has no code editor open. */
  insertText(text: string): boolean {
    const editor = this.renderRoot.querySelector<CbCodeEditor>('cb-code-editor');
    if (!editor) return false;
    editor.insert(text);
    return true;
  }

  /** Puts the caret in this cell's editor (Enter in command mode). */
  edit(): void {
    if (this.cell.kind === 'markdown') this.editing = true;
    void this.updateComplete.then(() => this.renderRoot.querySelector('cb-code-editor')?.focus());
  }

  private editor(language: EditorLanguage) {
    const label = `${KIND_LABEL[this.cell.kind] ?? this.cell.analysis ?? 'Cell'} ${language === 'markdown' ? 'text' : 'code'}${this.cell.name ? ` of ${this.cell.name}` : ''}`;
    return html`<cb-code-editor .value=${this.cell.source} language=${language} .schema=${this.schema} label=${label}
      @change=${(e: CustomEvent<string>) => { e.stopPropagation(); this.emit('cell-edit', { source: e.detail }); }}
      @run=${(e: CustomEvent<{ advance: boolean }>) => { e.stopPropagation(); if (this.cell.kind === 'markdown') this.editing = false; this.emit('cell-run', { advance: e.detail.advance }); }}
      @escape=${() => { if (this.cell.kind === 'markdown') { this.editing = false; this.emit('cell-run', { advance: false }); } }}
    ></cb-code-editor>`;
  }

  private body() {
    const { cell } = this;
    if (cell.kind === 'markdown') {
      if (this.editing || !cell.source.trim()) return this.editor('markdown');
      return html`<div class="prose" @dblclick=${() => this.edit()}>${unsafeHTML(renderMarkdown(cell.source))}</div>`;
    }
    if (cell.kind === 'analysis') {
      const spec = parseSpec(cell.source);
      if (this.asCode || !spec || !ANALYSIS_FORMS[cell.analysis ?? '']?.fields.length) return this.editor('json');
      return html`<cb-analysis-form kind=${cell.analysis ?? ''} .spec=${spec} .events=${this.catalog.events} .columns=${this.catalog.columns} .inputs=${this.inputs}
        @change=${(e: CustomEvent<Record<string, unknown>>) => { e.stopPropagation(); this.emit('cell-edit', { source: JSON.stringify(e.detail, null, 2), run: true }); }}
      ></cb-analysis-form>`;
    }
    if (cell.kind === 'input') {
      const display = isInputDisplay(this.state?.value) ? this.state!.value : null;
      // YAML that does not read shows as code, with its error below
      if (this.asCode || (this.state?.error && !display)) return this.editor('yaml');
      return html`<cb-input-control .display=${display} name=${cell.name ?? 'input'}
        @input-change=${(e: CustomEvent<unknown>) => { e.stopPropagation(); this.emit('cell-edit', { source: withInputValue(cell.source, e.detail), run: true }); }}></cb-input-control>`;
    }
    if (cell.kind === 'exercise') {
      if (this.asCode) return this.editor('yaml');
      const display = isExerciseDisplay(this.state?.value) ? this.state!.value : null;
      return html`<cb-exercise .source=${cell.source} name=${cell.name ?? 'exercise'} .display=${display} .progress=${this.progress} .runtime=${this.runtime}
        waiting=${display ? '' : this.state?.error?.message ?? ''}></cb-exercise>`;
    }
    return this.editor(cell.kind === 'sql' ? 'sql' : 'js');
  }

  /** A chart asks to rewrite the spec (a paths node's "start here"): the cell takes it and runs. */
  private patchSpec(e: CustomEvent<Record<string, unknown>>): void {
    e.stopPropagation();
    const spec = this.cell.kind === 'analysis' ? parseSpec(this.cell.source) : null;
    if (!spec) return;
    this.emit('cell-edit', { source: JSON.stringify({ ...spec, ...e.detail }, null, 2), run: true });
  }

  /** The name a chart cell reads this cell's table by; none for a cell without a name (no chart builder). */
  private chartName(): string {
    const { cell, state } = this;
    if (cell.kind === 'sql' || cell.kind === 'analysis') return cell.name ?? '';
    return state?.declarations.at(-1) ?? '';
  }

  /** A click on an analysis chart opens the people behind the number under it. */
  private chartClick({ root, x, y }: { root: ShadowRoot; x: number; y: number }): void {
    const kind = this.cell.analysis ?? '';
    const result = this.state?.result;
    if (!result || !hasPeople(kind)) return;
    const index = chartRowIndex(kind, root, x, y);
    const row = index === null ? undefined : result.rows[index];
    const request = row ? peopleRequest(kind, row, (result.meta.spec ?? {}) as Record<string, unknown>) : null;
    if (request) this.people = request;
  }

  override render() {
    const { cell, state } = this;
    const status = state?.status ?? 'idle';
    const label = cell.kind === 'analysis' ? ANALYSIS_FORMS[cell.analysis ?? '']?.title ?? cell.analysis : kindLabel(cell.kind);
    const name = cell.name ?? (cell.kind === 'js' ? state?.declarations?.join(', ') : undefined);
    return html`
      <header @click=${() => this.emit('cell-action', { action: 'select' })}>
        ${cell.kind !== 'markdown' ? html`<span class="status-dot status-${status}" title=${status}></span>` : nothing}
        <span class="kind">${label}</span>
        ${name ? html`<span class="name">${name}</span>` : nothing}
        ${this.dirty ? html`<span class="dirty" title=${t('cell.editedTitle')}>${t('cell.edited')}</span>` : nothing}
        <span class="actions">
          ${cell.kind === 'analysis' || cell.kind === 'input' || cell.kind === 'exercise' ? html`<button @click=${() => { this.asCode = !this.asCode; }} title=${t(`cell.toggleTitle.${cell.kind}`)}>${this.asCode ? t(`cell.back.${cell.kind}`) : t('cell.code')}</button>` : nothing}
          ${cell.kind === 'analysis' && cell.analysis === 'funnel' ? html`<button @click=${() => this.emit('cell-action', { action: 'correlate' })}
            title=${t('cell.correlateTitle')}>${t('cell.correlate')}</button>` : nothing}
          ${cell.kind !== 'markdown' ? html`<button @click=${() => this.emit('cell-run', { advance: false })} title=${t('cell.runTitle')} aria-label=${t('cell.run')}>▶</button>` : html`<button @click=${() => this.edit()} title=${t('cell.editTitle')}>${t('cell.edit')}</button>`}
          <button @click=${() => this.emit('cell-action', { action: 'up' })} title=${t('cell.upTitle')} aria-label=${t('cell.up')}>↑</button>
          <button @click=${() => this.emit('cell-action', { action: 'down' })} title=${t('cell.downTitle')} aria-label=${t('cell.down')}>↓</button>
          <button @click=${() => this.emit('cell-action', { action: 'duplicate' })} title=${t('cell.duplicateTitle')}>${t('cell.duplicate')}</button>
          <button @click=${() => this.emit('cell-action', { action: 'delete' })} title=${t('cell.deleteTitle')} aria-label=${t('cell.delete')}>✕</button>
        </span>
      </header>
      ${this.body()}
      ${(cell.kind !== 'markdown' && cell.kind !== 'input' && cell.kind !== 'exercise' && state && status !== 'idle') || (state?.error && (cell.kind !== 'exercise' || status === 'error')) ? html`<cb-cell-output .state=${state} .chart=${this.chart} .formula=${this.formula} name=${name ?? 'result'}
        chart-name=${this.chartName()}
        @chart-accept=${(e: CustomEvent<string>) => { e.stopPropagation(); this.emit('cell-action', { action: 'chart', code: e.detail }); }}
        @cancel=${() => this.emit('cell-action', { action: 'cancel' })}
        @cb-spec-patch=${(e: CustomEvent<Record<string, unknown>>) => this.patchSpec(e)}
        @chart-click=${(e: CustomEvent<{ root: ShadowRoot; x: number; y: number }>) => this.chartClick(e.detail)}></cb-cell-output>` : nothing}
      ${this.people && state?.result ? html`<cb-people-list .request=${this.people} .runtime=${this.runtime} @close=${() => { this.people = null; }}></cb-people-list>` : nothing}
    `;
  }
}

customElements.define('cb-cell', CbCell);

declare global {
  interface HTMLElementTagNameMap {
    'cb-cell': CbCell;
  }
}
