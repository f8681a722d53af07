import { LitElement, css, html, nothing } from 'lit';
import type { NotebookListing, NotebookProgress } from '../notebook/index.ts';
import { theme } from './theme.ts';
import { courseNotebooks } from './course.ts';
import { Localized, formatDateTime, language, t } from './i18n.ts';
import './cb-exercise-progress.ts';

/**
 * The start page: notebooks saved in this browser, the course (the shipped notebooks in order, each
 * with what it teaches and the student's progress), and a new notebook.
 *
 * @fires open-saved - detail: notebook id
 * @fires open-text - detail: { text, name, trusted, shipped }
 * @fires new-notebook
 * @fires delete-saved - detail: notebook id
 */
export class CbStartPage extends LitElement {
  static override properties = { saved: { attribute: false }, progress: { attribute: false } };
  declare saved: NotebookListing[];
  /** Each shipped notebook's progress, by file. */
  declare progress: Record<string, NotebookProgress>;

  private readonly localized = new Localized(this);

  constructor() {
    super();
    this.saved = [];
    this.progress = {};
  }

  static override styles = [theme, css`
    :host { display: block; max-width: 900px; }
    h1 { font-size: 24px; margin: 0 0 6px; }
    h2 { font-size: 13px; text-transform: uppercase; letter-spacing: 0.06em; color: var(--cb-muted); margin: 26px 0 10px; }
    .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(240px, 1fr)); gap: 12px; }
    .card { text-align: left; background: var(--cb-surface); border: 1px solid var(--cb-border); border-radius: 10px; padding: 14px; cursor: pointer; display: grid; gap: 4px; align-content: start; }
    .card:hover { border-color: var(--cb-accent); }
    button.card, .card button.open { font: inherit; color: inherit; }
    .card.saved { cursor: default; grid-template-columns: 1fr auto; align-items: start; }
    .card button.open { all: unset; cursor: pointer; display: grid; gap: 4px; border-radius: 6px; }
    .card button.open:focus-visible { outline: 2px solid var(--cb-accent); outline-offset: 3px; }
    .card .delete { font-size: 12px; padding: 2px 8px; }
    .card b { font-size: 15px; }
    .card span { font-size: 12px; color: var(--cb-muted); }
    .card .learn { font-size: 13px; color: var(--cb-text); }
    .card .step { font-size: 11px; text-transform: uppercase; letter-spacing: 0.05em; color: var(--cb-accent); font-weight: 600; }
    .row { display: flex; gap: 6px; }
  `];

  private emit(type: string, detail?: unknown): void {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  override render() {
    const course = courseNotebooks(language());
    const steps = course.filter((n) => n.step !== undefined);
    return html`
      <h1>${t('start.title')}</h1>
      <p class="muted">${t('start.intro')}</p>
      <div class="row"><button class="primary" @click=${() => this.emit('new-notebook')}>${t('start.new')}</button></div>
      ${this.saved.length ? html`<h2>${t('start.saved')}</h2><div class="grid">
        ${this.saved.map((n) => html`<div class="card saved" data-testid="saved-notebook">
          <button class="open" @click=${() => this.emit('open-saved', n.id)}><b>${n.title}</b><span>${t('start.savedAt', { when: formatDateTime(n.updatedAt) })}</span></button>
          <button class="delete" @click=${() => this.emit('delete-saved', n.id)} aria-label=${t('start.deleteNamed', { title: n.title })}>${t('start.delete')}</button></div>`)}
      </div>` : nothing}
      <h2>${t('start.course')}</h2>
      <div class="grid">
        ${course.map((n) => html`<button class="card" data-testid="shipped-notebook" data-file=${n.file}
            @click=${() => this.emit('open-text', { text: n.text, name: n.file, trusted: true, shipped: n.file })}>
          ${n.step !== undefined ? html`<span class="step">${t('start.step', { step: steps.indexOf(n) + 1, total: steps.length })}</span>` : nothing}
          <b>${n.title}</b>
          ${n.learn ? html`<span class="learn" data-testid="learn">${t('start.learn', { what: n.learn })}</span>` : nothing}
          ${n.exercises.length ? html`<cb-exercise-progress compact .names=${n.exercises} .progress=${this.progress[n.file] ?? null}></cb-exercise-progress>` : nothing}
          <span>${n.file}</span></button>`)}
      </div>`;
  }
}

customElements.define('cb-start-page', CbStartPage);

declare global {
  interface HTMLElementTagNameMap {
    'cb-start-page': CbStartPage;
  }
}
