import { LitElement, css, html } from 'lit';
import { EditorView, basicSetup } from 'codemirror';
import { keymap } from '@codemirror/view';
import { Compartment, EditorState, Prec } from '@codemirror/state';
import { closeCompletion, completionStatus } from '@codemirror/autocomplete';
import { markdown } from '@codemirror/lang-markdown';
import { json } from '@codemirror/lang-json';
import { oneDark } from '@codemirror/theme-one-dark';
import { HighlightStyle, defaultHighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { EMPTY_SCHEMA, type LiveSchema } from './live-schema.ts';
import { sqlLanguage } from './sql-completion.ts';
import { jsLanguage } from './js-completion.ts';

const isDark = () => document.documentElement.dataset.theme === 'dark';

/** CodeMirror's light colours, with its orange (template strings, regexps: 3.8:1 on white) darkened to pass WCAG AA. */
const lightHighlight = syntaxHighlighting(HighlightStyle.define(defaultHighlightStyle.specs.map((spec) => (spec.color === '#e40' ? { ...spec, color: '#a83500' } : spec))));
const themeFor = () => (isDark() ? oneDark : lightHighlight);

export type EditorLanguage = 'sql' | 'js' | 'markdown' | 'json' | 'yaml';

const languages = {
  sql: (schema: LiveSchema) => sqlLanguage(schema),
  js: (schema: LiveSchema) => jsLanguage(schema),
  markdown: () => markdown(),
  json: () => json(),
  yaml: () => [],
};

/**
 * A CodeMirror 6 editor for one cell. Shift+Enter and Ctrl/Cmd+Enter ask to run the cell; Escape
 * leaves the editor (Jupyter's command mode). SQL and JS complete from the notebook's live
 * `schema` (tables, columns, event names, cell names) and show a column's type on hover.
 *
 * @fires change - detail: the new text
 * @fires run - detail: { advance: boolean } (Shift+Enter advances to the next cell)
 * @fires escape
 */
export class CbCodeEditor extends LitElement {
  static override properties = {
    value: { type: String },
    language: { type: String },
    schema: { attribute: false },
    label: { type: String },
  };

  declare value: string;
  declare language: EditorLanguage;
  /** What the editors complete from; see `liveSchema`. */
  declare schema: LiveSchema;
  /** The editor's accessible name (`SQL code of cell query1`). */
  declare label: string;
  private view: EditorView | null = null;
  private readonly languageSlot = new Compartment();
  private readonly themeSlot = new Compartment();
  /** Follows the page's light/dark switch. */
  private readonly themeWatch = new MutationObserver(() => {
    this.view?.dispatch({ effects: this.themeSlot.reconfigure(themeFor()) });
  });

  constructor() {
    super();
    this.value = '';
    this.language = 'sql';
    this.schema = EMPTY_SCHEMA;
    this.label = 'Code';
  }

  static override styles = css`
    :host { display: block; }
    .cm-editor { font-size: 13px; border-radius: 6px; background: var(--cb-surface); }
    .cm-editor.cm-focused { outline: 1px solid var(--cb-accent); }
    .cm-scroller { font-family: var(--cb-mono); line-height: 1.5; }
    .cm-gutters { background: transparent; border-right: 1px solid var(--cb-border); color: var(--cb-muted) !important; }
    .cm-content { caret-color: var(--cb-text); color: var(--cb-text); }
    .cm-activeLine, .cm-activeLineGutter { background: color-mix(in srgb, var(--cb-accent) 6%, transparent); }
    /* cells grow with their code and lines wrap, so the scroller never scrolls (and need not take focus) */
    .cm-scroller { overflow: visible !important; }
    .cb-hover { padding: 3px 8px; font-family: var(--cb-mono); font-size: 12px; }
    .cm-tooltip-autocomplete ul li[aria-selected] { background: var(--cb-accent); color: var(--cb-on-accent); }
    .cm-completionDetail { color: inherit; opacity: 0.75; }
  `;

  override firstUpdated(): void {
    this.mount();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // a moved cell is disconnected and connected again; its editor must come back
    if (this.hasUpdated && !this.view) this.mount();
  }

  private mount(): void {
    this.themeWatch.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    const emit = (type: string, detail?: unknown) => this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
    this.view = new EditorView({
      parent: this.renderRoot as unknown as Element,
      root: this.renderRoot as unknown as ShadowRoot,
      state: EditorState.create({
        doc: this.value,
        extensions: [
          Prec.highest(keymap.of([
            { key: 'Shift-Enter', run: () => { emit('run', { advance: true }); return true; } },
            { key: 'Mod-Enter', run: () => { emit('run', { advance: false }); return true; } },
            {
              key: 'Escape',
              run: (view) => {
                // the first Escape closes an open completion list, the next leaves the editor
                if (completionStatus(view.state) !== null) return closeCompletion(view);
                view.contentDOM.blur();
                emit('escape');
                return true;
              },
            },
          ])),
          basicSetup,
          this.languageSlot.of(this.languageExtensions()),
          this.themeSlot.of(themeFor()),
          EditorView.lineWrapping,
          EditorView.updateListener.of((update) => {
            if (this.schemaWaiting && completionStatus(update.state) === null) {
              this.schemaWaiting = false;
              queueMicrotask(() => this.reconfigureLanguage());
            }
            if (!update.docChanged) return;
            this.value = update.state.doc.toString();
            emit('change', this.value);
          }),
        ],
      }),
    });
  }

  override updated(changed: Map<string, unknown>): void {
    if (!this.view) return;
    if (changed.has('value') && this.value !== this.view.state.doc.toString()) {
      this.view.dispatch({ changes: { from: 0, to: this.view.state.doc.length, insert: this.value } });
    }
    if (changed.has('language') || changed.has('label')) {
      this.reconfigureLanguage();
    } else if (changed.has('schema')) {
      // a new schema while the completion list is open waits until it closes: reconfiguring
      // restarts the list, and an Enter pressed just then (cells finishing one after another as
      // a notebook opens) typed a new line instead of taking the option the person was looking at
      if (completionStatus(this.view.state) !== null) this.schemaWaiting = true;
      else this.reconfigureLanguage();
    }
  }

  private schemaWaiting = false;

  private reconfigureLanguage(): void {
    this.schemaWaiting = false;
    this.view?.dispatch({ effects: this.languageSlot.reconfigure(this.languageExtensions()) });
  }

  private languageExtensions() {
    return [languages[this.language](this.schema), EditorView.contentAttributes.of({ 'aria-label': this.label })];
  }

  /** Puts text at the caret (or over the selection), as a click in the column browser does. */
  insert(text: string): void {
    if (!this.view) return;
    const { from, to } = this.view.state.selection.main;
    this.view.dispatch({ changes: { from, to, insert: text }, selection: { anchor: from + text.length }, scrollIntoView: true });
    this.view.focus();
  }

  override focus(): void {
    this.view?.focus();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.view?.destroy();
    this.view = null;
    this.themeWatch.disconnect();
  }
}

customElements.define('cb-code-editor', CbCodeEditor);

declare global {
  interface HTMLElementTagNameMap {
    'cb-code-editor': CbCodeEditor;
  }
}
