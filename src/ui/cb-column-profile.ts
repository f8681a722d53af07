import { LitElement, css, html, nothing, svg } from 'lit';
import type { ColumnProfile } from '../engine/index.ts';
import { theme } from './theme.ts';
import { Localized, formatNumber, t } from './i18n.ts';

const count = (n: number) => formatNumber(n);

function binLabel(profile: ColumnProfile, bin: { x0: number; x1: number; count: number }): string {
  const show = (x: number) => (profile.kind === 'time' ? new Date(x).toISOString().slice(0, 16).replace('T', ' ') : formatNumber(x, { maximumFractionDigits: 2 }));
  return `${show(bin.x0)} – ${show(bin.x1)}: ${count(bin.count)}`;
}

/**
 * One column's profile, drawn small: nulls and distinct values, then a histogram (numbers and
 * times) or the top values with bars of their counts (text). `compact` is the header strip of a
 * table; otherwise it is the column browser's, where values are buttons.
 *
 * @fires pick-value - detail: a top value the person clicked (full view only)
 */
export class CbColumnProfile extends LitElement {
  static override properties = {
    profile: { attribute: false },
    compact: { type: Boolean, reflect: true },
    limit: { type: Number },
  };

  declare profile: ColumnProfile | null;
  declare compact: boolean;
  /** How many top values to list. */
  declare limit: number;

  private readonly localized = new Localized(this);

  constructor() {
    super();
    this.profile = null;
    this.compact = false;
    this.limit = 5;
  }

  static override styles = [theme, css`
    :host { display: block; font-size: 11px; color: var(--cb-muted); font-weight: 400; }
    .stats { display: flex; gap: 8px; flex-wrap: wrap; font-variant-numeric: tabular-nums; }
    .stats b { color: var(--cb-text); font-weight: 600; }
    svg { display: block; margin-top: 3px; }
    svg rect { fill: var(--cb-accent); }
    svg rect.empty { fill: var(--cb-border); }
    ol { list-style: none; margin: 3px 0 0; padding: 0; display: grid; gap: 1px; }
    li { display: grid; grid-template-columns: minmax(0, 1fr) auto; gap: 6px; align-items: center; position: relative; }
    li .bar { position: absolute; inset: 0 auto 0 0; background: var(--cb-accent-soft); border-radius: 2px; z-index: 0; }
    li > :not(.bar) { position: relative; z-index: 1; }
    li .value { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; color: var(--cb-text); }
    li button.value { all: unset; position: relative; z-index: 1; cursor: pointer; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; color: var(--cb-text); border-radius: 2px; }
    li button.value:hover { text-decoration: underline; }
    li button.value:focus-visible { outline: 2px solid var(--cb-accent); }
    li .n { font-variant-numeric: tabular-nums; color: var(--cb-text); }
    .more { margin-top: 2px; }
  `];

  private histogram(profile: ColumnProfile) {
    const bins = profile.bins ?? [];
    if (bins.length === 0) return nothing;
    const width = this.compact ? 120 : 220;
    const height = this.compact ? 24 : 32;
    const most = Math.max(1, ...bins.map((b) => b.count));
    const step = width / bins.length;
    const range = profile.kind === 'time' ? `${new Date(profile.min!).toISOString().slice(0, 10)} → ${new Date(profile.max!).toISOString().slice(0, 10)}`
      : `${formatNumber(profile.min!, { maximumFractionDigits: 2 })} → ${formatNumber(profile.max!, { maximumFractionDigits: 2 })}`;
    return html`<svg width=${width} height=${height} viewBox="0 0 ${width} ${height}" role="img" aria-label=${t('profile.histogram', { column: profile.column, range })}>
      ${bins.map((bin, i) => {
        const h = bin.count === 0 ? 1 : Math.max(2, (bin.count / most) * height);
        return svg`<rect class=${bin.count === 0 ? 'empty' : ''} x=${i * step + 0.5} y=${height - h} width=${Math.max(1, step - 1)} height=${h}><title>${binLabel(profile, bin)}</title></rect>`;
      })}
    </svg><div>${range}</div>`;
  }

  private topValues(profile: ColumnProfile) {
    const top = (profile.top ?? []).slice(0, this.limit);
    if (top.length === 0) return nothing;
    const most = Math.max(1, ...top.map((v) => v.count));
    const rest = profile.distinct - top.length;
    return html`<ol aria-label=${t('profile.top', { column: profile.column })}>${top.map((v) => html`<li>
        <span class="bar" style="width: ${(v.count / most) * 100}%"></span>
        ${this.compact ? html`<span class="value" title=${v.value}>${v.value}</span>`
          : html`<button class="value" title=${t('browser.insert', { value: `'${v.value}'` })} @click=${() => this.pick(v.value)}>${v.value}</button>`}
        <span class="n">${count(v.count)}</span></li>`)}</ol>
      ${rest > 0 ? html`<div class="more">${t('profile.more', { count: rest, n: count(rest) })}</div>` : nothing}`;
  }

  private pick(value: string): void {
    this.dispatchEvent(new CustomEvent('pick-value', { detail: value, bubbles: true, composed: true }));
  }

  override render() {
    const profile = this.profile;
    if (!profile) return html`<span>…</span>`;
    const nullShare = profile.rows ? profile.nulls / profile.rows : 0;
    return html`<div class="stats">
        <span><b data-testid="profile-distinct">${count(profile.distinct)}</b> ${t('profile.distinct', { count: profile.distinct })}</span>
        <span title=${t('profile.empty', { nulls: count(profile.nulls), rows: count(profile.rows) })}><b data-testid="profile-nulls">${profile.nulls === 0 ? '0' : nullShare < 0.001 ? `<${formatNumber(0.1)} %` : `${formatNumber(nullShare * 100, { minimumFractionDigits: 1, maximumFractionDigits: 1 })} %`}</b> ${t('profile.null')}</span>
      </div>
      ${profile.kind === 'text' ? this.topValues(profile) : this.histogram(profile)}`;
  }
}

customElements.define('cb-column-profile', CbColumnProfile);

declare global {
  interface HTMLElementTagNameMap {
    'cb-column-profile': CbColumnProfile;
  }
}
