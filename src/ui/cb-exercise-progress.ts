import { LitElement, css, html } from 'lit';
import { styleMap } from 'lit/directives/style-map.js';
import { progressSummary, type NotebookProgress } from '../notebook/index.ts';
import { theme } from './theme.ts';
import { Localized, t } from './i18n.ts';

/** A notebook's exercise progress as a bar: how many are right, answered, hints used. */
export class CbExerciseProgress extends LitElement {
  static override properties = {
    progress: { attribute: false },
    names: { attribute: false },
    compact: { type: Boolean },
  };

  declare progress: NotebookProgress | null;
  /** The notebook's exercises. */
  declare names: string[];
  /** On a start-page card: the bar and a count only. */
  declare compact: boolean;

  private readonly localized = new Localized(this);

  constructor() {
    super();
    this.progress = null;
    this.names = [];
    this.compact = false;
  }

  static override styles = [theme, css`
    :host { display: flex; align-items: center; gap: 10px; font-size: 13px; color: var(--cb-muted); margin: 0 0 12px; }
    :host([compact]) { margin: 4px 0 0; font-size: 12px; }
    .bar { flex: 0 0 180px; height: 8px; border-radius: 4px; background: var(--cb-border); overflow: hidden; display: flex; }
    :host([compact]) .bar { flex-basis: 100px; height: 6px; }
    .right { background: var(--cb-ok); } .answered { background: color-mix(in srgb, var(--cb-accent) 45%, transparent); }
  `];

  override render() {
    const s = progressSummary(this.progress ?? { exercises: {}, updatedAt: 0 }, this.names);
    const pct = (n: number) => (s.total ? (100 * n) / s.total : 0);
    const label = t('progress.summary', { right: s.right, count: s.total });
    return html`<div class="bar" role="progressbar" aria-label=${t('progress.label')} aria-valuemin="0" aria-valuemax=${s.total} aria-valuenow=${s.right} aria-valuetext=${label}>
        <span class="right" style=${styleMap({ width: `${pct(s.right)}%` })}></span><span class="answered" style=${styleMap({ width: `${pct(s.answered - s.right)}%` })}></span></div>
      <span data-testid="progress-text">${label}${this.compact ? '' : ` · ${t('progress.answered', { count: s.answered })} · ${t('progress.hints', { count: s.hints })}`}</span>`;
  }
}

customElements.define('cb-exercise-progress', CbExerciseProgress);

declare global {
  interface HTMLElementTagNameMap {
    'cb-exercise-progress': CbExerciseProgress;
  }
}
