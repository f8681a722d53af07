import { LitElement, css, html, nothing } from 'lit';
import { parseNotebook, notebookTitle, type NotebookListing } from '../notebook/index.ts';
import { theme } from './theme.ts';
import { SHIPPED_NOTEBOOKS } from './shipped-notebooks.ts';

/**
 * The start page: notebooks saved in this browser, the shipped ones, and a new one.
 *
 * @fires open-saved - detail: notebook id
 * @fires open-text - detail: { text, name, trusted }
 * @fires new-notebook
 * @fires delete-saved - detail: notebook id
 */
export class CbStartPage extends LitElement {
  static override properties = { saved: { attribute: false } };
  declare saved: NotebookListing[];

  constructor() {
    super();
    this.saved = [];
  }

  static override styles = [theme, css`
    :host { display: block; max-width: 900px; }
    h1 { font-size: 24px; margin: 0 0 6px; }
    h2 { font-size: 13px; text-transform: uppercase; letter-spacing: 0.06em; color: var(--cb-muted); margin: 26px 0 10px; }
    .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(240px, 1fr)); gap: 12px; }
    .card { text-align: left; background: var(--cb-surface); border: 1px solid var(--cb-border); border-radius: 10px; padding: 14px; cursor: pointer; display: grid; gap: 4px; }
    .card:hover { border-color: var(--cb-accent); }
    button.card, .card button.open { font: inherit; color: inherit; }
    .card.saved { cursor: default; grid-template-columns: 1fr auto; align-items: start; }
    .card button.open { all: unset; cursor: pointer; display: grid; gap: 4px; border-radius: 6px; }
    .card button.open:focus-visible { outline: 2px solid var(--cb-accent); outline-offset: 3px; }
    .card .delete { font-size: 12px; padding: 2px 8px; }
    .card b { font-size: 15px; }
    .card span { font-size: 12px; color: var(--cb-muted); }
    .row { display: flex; gap: 6px; }
  `];

  private emit(type: string, detail?: unknown): void {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  override render() {
    return html`
      <h1>Notebooks</h1>
      <p class="muted">Cohorts, funnels and more on your own event logs. Everything runs in this tab; nothing is uploaded.</p>
      <div class="row"><button class="primary" @click=${() => this.emit('new-notebook')}>New notebook</button></div>
      ${this.saved.length ? html`<h2>In this browser</h2><div class="grid">
        ${this.saved.map((n) => html`<div class="card saved" data-testid="saved-notebook">
          <button class="open" @click=${() => this.emit('open-saved', n.id)}><b>${n.title}</b><span>saved ${new Date(n.updatedAt).toLocaleString()}</span></button>
          <button class="delete" @click=${() => this.emit('delete-saved', n.id)} aria-label="Delete ${n.title}">Delete</button></div>`)}
      </div>` : nothing}
      <h2>Shipped with cohortbook</h2>
      <div class="grid">
        ${SHIPPED_NOTEBOOKS.map((n) => html`<button class="card" data-testid="shipped-notebook" @click=${() => this.emit('open-text', { text: n.text, name: n.file, trusted: true })}>
          <b>${notebookTitle(parseNotebook(n.text))}</b><span>${n.file}</span></button>`)}
      </div>`;
  }
}

customElements.define('cb-start-page', CbStartPage);

declare global {
  interface HTMLElementTagNameMap {
    'cb-start-page': CbStartPage;
  }
}
