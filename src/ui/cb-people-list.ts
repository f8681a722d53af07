import { LitElement, css, html, nothing } from 'lit';
import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import type { NotebookRuntime } from '../notebook/index.ts';
import { theme } from './theme.ts';
import { columnsOf, download, spreadsheetCsv, type TableLike } from './table-data.ts';
import type { PeopleRequest } from './people-request.ts';
import './cb-table-view.ts';

/**
 * The people behind a number a person clicked: who they are (first and last seen, events), as a
 * CSV download, saved as a static cohort cell, or one person's events in order (their timeline).
 *
 * @fires save-cohort - detail: { user_ids: string[] } (the notebook adds a cohort cell)
 * @fires close
 */
export class CbPeopleList extends LitElement {
  static override properties = {
    request: { attribute: false },
    runtime: { attribute: false },
    people: { state: true },
    error: { state: true },
    person: { state: true },
    timeline: { state: true },
  };

  declare request: PeopleRequest | null;
  declare runtime: NotebookRuntime | null;
  declare people: Record<string, unknown>[] | null;
  declare error: string | null;
  declare person: string | null;
  declare timeline: ColumnTable | null;
  private loaded: PeopleRequest | null = null;

  constructor() {
    super();
    this.request = null;
    this.runtime = null;
    this.people = null;
    this.error = null;
    this.person = null;
    this.timeline = null;
  }

  static override styles = [theme, css`
    :host { display: block; margin-top: 8px; border: 1px solid var(--cb-border); border-radius: 8px; padding: 10px; background: var(--cb-surface); font-size: 13px; }
    header { display: flex; gap: 8px; align-items: center; margin-bottom: 6px; }
    header h3 { font-size: 13px; margin: 0; flex: 1; }
    ul { list-style: none; margin: 0; padding: 0; max-height: 260px; overflow: auto; }
    li { display: grid; grid-template-columns: minmax(120px, 1fr) 1fr 1fr 70px; gap: 8px; padding: 2px 0; border-bottom: 1px solid var(--cb-border); }
    li.head { font-weight: 600; color: var(--cb-muted); }
    li button { text-align: left; padding: 0 4px; font-family: var(--cb-mono); }
    .timeline { margin-top: 10px; }
  `];

  protected override willUpdate(): void {
    if (this.request !== this.loaded) {
      this.loaded = this.request;
      this.people = null;
      this.error = null;
      this.person = null;
      this.timeline = null;
      void this.load();
    }
  }

  private async load(): Promise<void> {
    const request = this.request;
    if (!request || !this.runtime) return;
    try {
      const { rows } = await this.runtime.analyzeOnce(request.spec);
      if (this.request === request) this.people = rows;
    } catch (error) {
      if (this.request === request) this.error = (error as Error).message;
    }
  }

  private async open(user: string): Promise<void> {
    this.person = user;
    this.timeline = null;
    const events = await this.runtime!.personEvents(user);
    if (this.person === user) this.timeline = events;
  }

  private emit(name: string, detail?: unknown): void {
    this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
  }

  override render() {
    if (!this.request) return nothing;
    const people = this.people;
    const ids = people?.map((p) => String(p.user_id)) ?? [];
    return html`<section aria-label="People: ${this.request.title}" data-testid="people-list">
      <header>
        <h3>${this.request.title}</h3>
        ${people ? html`<button @click=${() => download('people.csv', spreadsheetCsv(aq.from(people)), 'text/csv')}>CSV</button>
          <button @click=${() => this.emit('save-cohort', { user_ids: ids })} title="A cohort cell listing these people, for other cells to keep or break down by">Save as cohort</button>` : nothing}
        <button @click=${() => this.emit('close')} aria-label="Close the people list">✕</button>
      </header>
      ${this.error ? html`<div role="alert">${this.error}</div>` : !people ? html`<div role="status">Finding the people…</div>` : html`
        <ul data-testid="people">
          <li class="head"><span>person</span><span>first seen</span><span>last seen</span><span>events</span></li>
          ${people.map((p) => html`<li><button @click=${() => this.open(String(p.user_id))} title="Their events in order">${String(p.user_id)}</button>
            <span>${String(p.first_seen ?? '').replace('T', ' ').slice(0, 19)}</span><span>${String(p.last_seen ?? '').replace('T', ' ').slice(0, 19)}</span><span>${p.events ?? ''}</span></li>`)}
        </ul>`}
      ${this.person ? html`<div class="timeline" data-testid="timeline"><h3>${this.person}'s events, in order</h3>
        ${this.timeline ? html`<cb-table-view .columns=${columnsOf(this.timeline as unknown as TableLike, this.timeline.objects({ limit: 20 }) as Record<string, unknown>[])} .source=${this.timeline} page-size="20" label="events of ${this.person}"></cb-table-view>` : html`<div role="status">Loading…</div>`}</div>` : nothing}
    </section>`;
  }
}

customElements.define('cb-people-list', CbPeopleList);

declare global {
  interface HTMLElementTagNameMap {
    'cb-people-list': CbPeopleList;
  }
}
