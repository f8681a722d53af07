import { LitElement, css, html, nothing } from 'lit';
import type { ColumnProfile } from '../engine/index.ts';
import { theme } from './theme.ts';
import './cb-column-profile.ts';
import { Localized, t } from './i18n.ts';

/** Profiles one column of a table in DuckDB, listing up to `top` values; rejects when the signal aborts. */
export type ProfileColumn = (table: string, column: string, type: string, signal: AbortSignal, top: number) => Promise<ColumnProfile>;

export interface BrowserColumn {
  name: string;
  type: string;
}

/**
 * A table's columns with their profiles (type, nulls, distinct values, a histogram or the top
 * values), computed in DuckDB one column at a time as they scroll into view, and stopped when the
 * person asks, the table changes or the browser closes. Clicking a column inserts its name at
 * the cursor; the event column lists every event name with its count, and a click inserts it quoted.
 *
 * @fires insert-text - detail: the text to put at the cursor of the cell being edited
 */
export class CbColumnBrowser extends LitElement {
  static override properties = {
    table: { type: String },
    columns: { attribute: false },
    profile: { attribute: false },
    eventColumn: { type: String, attribute: 'event-column' },
    profiles: { state: true },
    stopped: { state: true },
  };

  declare table: string;
  declare columns: BrowserColumn[];
  declare profile: ProfileColumn | null;
  /** The column whose values are event names: all of them are listed (up to 100). */
  declare eventColumn: string;
  declare profiles: Map<string, ColumnProfile | Error>;
  declare stopped: boolean;

  private controller = new AbortController();
  private readonly wanted = new Set<string>();
  private working = false;
  private observer: IntersectionObserver | null = null;
  private readonly localized = new Localized(this);

  constructor() {
    super();
    this.table = '';
    this.columns = [];
    this.profile = null;
    this.eventColumn = '';
    this.profiles = new Map();
    this.stopped = false;
  }

  static override styles = [theme, css`
    :host { display: block; font-size: 12px; }
    ul { list-style: none; margin: 0; padding: 0; display: grid; gap: 8px; }
    li { display: grid; gap: 2px; }
    .head { display: flex; gap: 6px; align-items: baseline; }
    .head button { all: unset; cursor: pointer; font-family: var(--cb-mono); font-weight: 600; color: var(--cb-text); overflow-wrap: anywhere; border-radius: 3px; }
    .head button:hover { color: var(--cb-accent); }
    .head button:focus-visible { outline: 2px solid var(--cb-accent); outline-offset: 1px; }
    .type { color: var(--cb-muted); font-family: var(--cb-mono); font-size: 11px; }
    .status { display: flex; gap: 6px; align-items: center; color: var(--cb-muted); margin-bottom: 6px; }
    .status button { font-size: 11px; padding: 1px 6px; }
    .error { font-size: 11px; padding: 3px 6px; }
  `];

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('table') || changed.has('columns') || changed.has('profile')) this.reset();
  }

  override updated(): void {
    this.observer ??= new IntersectionObserver((entries) => {
      for (const entry of entries) if (entry.isIntersecting) this.want((entry.target as HTMLElement).dataset.column!);
    });
    for (const row of this.renderRoot.querySelectorAll<HTMLElement>('li[data-column]')) {
      if (!this.profiles.has(row.dataset.column!)) this.observer.observe(row);
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.controller.abort();
    this.observer?.disconnect();
    this.observer = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated) this.reset();
  }

  private reset(): void {
    this.controller.abort();
    this.controller = new AbortController();
    this.wanted.clear();
    this.profiles = new Map();
    this.stopped = false;
    this.observer?.disconnect();
  }

  /** Stops the profiles still to come (the running query is cancelled). */
  stop(): void {
    this.controller.abort();
    this.wanted.clear();
    this.stopped = true;
  }

  private want(column: string): void {
    if (this.stopped || this.profiles.has(column)) return;
    this.wanted.add(column);
    void this.work();
  }

  private async work(): Promise<void> {
    if (this.working || !this.profile) return;
    this.working = true;
    const { signal } = this.controller;
    try {
      for (const column of this.columns) {
        if (signal.aborted || this.stopped) break;
        if (!this.wanted.has(column.name) || this.profiles.has(column.name)) continue;
        this.wanted.delete(column.name);
        this.requestUpdate();
        try {
          const profile = await this.profile(this.table, column.name, column.type, signal, column.name === this.eventColumn ? 100 : 5);
          if (!signal.aborted) this.profiles = new Map(this.profiles).set(column.name, profile);
        } catch (error) {
          if (!signal.aborted) this.profiles = new Map(this.profiles).set(column.name, error as Error);
        }
      }
    } finally {
      this.working = false;
      if (!signal.aborted && [...this.wanted].some((c) => !this.profiles.has(c))) void this.work();
      else if (signal !== this.controller.signal && this.wanted.size) void this.work();
    }
  }

  private insert(text: string): void {
    this.dispatchEvent(new CustomEvent('insert-text', { detail: text, bubbles: true, composed: true }));
  }

  override render() {
    const pending = this.columns.filter((c) => !this.profiles.has(c.name)).length;
    return html`
      ${this.profile && pending > 0 && !this.stopped && this.working ? html`<div class="status" role="status">
        <span>${t('browser.profiling', { n: this.columns.length - pending + 1, count: this.columns.length })}</span>
        <button @click=${() => this.stop()}>${t('browser.stop')}</button></div>` : nothing}
      ${this.stopped && pending > 0 ? html`<div class="status"><span>${t('browser.stopped')}</span>
        <button @click=${() => { this.stopped = false; this.controller = new AbortController(); this.observer?.disconnect(); this.requestUpdate(); }}>${t('browser.goOn')}</button></div>` : nothing}
      <ul>${this.columns.map((column) => {
        const profile = this.profiles.get(column.name);
        const isEvent = column.name === this.eventColumn;
        return html`<li data-column=${column.name} data-testid="browser-column">
          <div class="head">
            <button title=${t('browser.insert', { value: column.name })} @click=${() => this.insert(quoteName(column.name))}>${column.name}</button>
            <span class="type">${column.type.toLowerCase()}</span>
          </div>
          ${profile instanceof Error ? html`<div class="error">${profile.message.split('\nSQL: ')[0]}</div>`
            : profile ? html`<cb-column-profile .profile=${profile} .limit=${isEvent ? 100 : 5}
                @pick-value=${(e: CustomEvent<string>) => { e.stopPropagation(); this.insert(`'${e.detail.replaceAll("'", "''")}'`); }}></cb-column-profile>`
            : this.stopped ? nothing : html`<cb-column-profile></cb-column-profile>`}
        </li>`;
      })}</ul>`;
  }
}

/** A column name as SQL needs it: bare when it is a plain lower-case word, double-quoted otherwise. */
function quoteName(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replaceAll('"', '""')}"`;
}

customElements.define('cb-column-browser', CbColumnBrowser);

declare global {
  interface HTMLElementTagNameMap {
    'cb-column-browser': CbColumnBrowser;
  }
}
