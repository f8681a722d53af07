import { LitElement, css, html, nothing } from 'lit';
import { theme } from './theme.ts';
import { columnsOf, download, isTableLike, spreadsheetCsv, svgToPng } from './table-data.ts';
import './cb-table-view.ts';

/** What a cell's output shows: the runtime's state of that cell, plus an optional chart. */
export interface OutputState {
  status: string;
  value?: unknown;
  error?: { message: string; line?: number; column?: number };
  durationMs?: number;
  rowCount?: number;
}

function isNode(value: unknown): value is Element {
  return typeof Element !== 'undefined' && value instanceof Element;
}

/**
 * A cell's output: a table (sortable, paged, CSV download), a chart (SVG and PNG download), a
 * value, or the cell's error; with run time and row count underneath and a progress bar while it runs.
 *
 * @fires cancel - the person asks to stop the running cell
 */
export class CbCellOutput extends LitElement {
  static override properties = {
    state: { attribute: false },
    chart: { attribute: false },
    formula: { attribute: false },
    name: { type: String },
  };

  declare state: OutputState | null;
  declare chart: Element | null;
  declare formula: string | null;
  declare name: string;

  constructor() {
    super();
    this.state = null;
    this.chart = null;
    this.formula = null;
    this.name = 'result';
  }

  static override styles = [theme, css`
    :host { display: block; }
    .progress { height: 3px; background: var(--cb-accent-soft); overflow: hidden; border-radius: 2px; margin: 6px 0; }
    .progress::after { content: ''; display: block; height: 100%; width: 30%; background: var(--cb-accent); animation: slide 1.1s ease-in-out infinite; }
    @keyframes slide { from { transform: translateX(-100%); } to { transform: translateX(350%); } }
    .running { display: flex; align-items: center; gap: 10px; font-size: 12px; color: var(--cb-muted); }
    .running .progress { flex: 1; }
    .footer { display: flex; gap: 10px; align-items: center; font-size: 12px; color: var(--cb-muted); margin-top: 6px; flex-wrap: wrap; }
    .footer .spacer { flex: 1; }
    .footer button { font-size: 12px; padding: 2px 8px; }
    .chart { background: var(--cb-surface); border: 1px solid var(--cb-border); border-radius: 8px; padding: 10px; margin-bottom: 8px; overflow-x: auto; }
    .chart svg { max-width: 100%; height: auto; }
    .formula { font-size: 12px; color: var(--cb-muted); font-family: var(--cb-mono); margin: 0 0 8px; }
    pre { margin: 0; font-family: var(--cb-mono); font-size: 13px; white-space: pre-wrap; }
    .stale { opacity: 0.55; }
  `];

  private svg(): SVGSVGElement | null {
    const chart = this.chart ?? (isNode(this.state?.value) ? this.state!.value : null);
    if (!chart) return null;
    return chart instanceof SVGSVGElement ? chart : chart.querySelector('svg');
  }

  private downloadSvg(): void {
    const svg = this.svg();
    if (svg) download(`${this.name}.svg`, new XMLSerializer().serializeToString(svg), 'image/svg+xml');
  }

  private async downloadPng(): Promise<void> {
    const svg = this.svg();
    if (svg) download(`${this.name}.png`, await svgToPng(svg), 'image/png');
  }

  override render() {
    const state = this.state;
    if (!state) return nothing;
    if (state.status === 'running' || state.status === 'queued') {
      return html`<div class="running" role="status"><span>${state.status === 'queued' ? 'Waiting…' : 'Running…'}</span><div class="progress"></div>
        ${state.status === 'running' ? html`<button @click=${() => this.dispatchEvent(new CustomEvent('cancel', { bubbles: true, composed: true }))}>Cancel</button>` : nothing}</div>`;
    }
    if (state.error) {
      const where = state.error.line !== undefined ? ` (line ${state.error.line}${state.error.column !== undefined ? `:${state.error.column}` : ''})` : '';
      return html`<div class="error" role="alert" data-testid="cell-error">${state.error.message}${where}</div>`;
    }
    const value = state.value;
    const chart = this.chart ?? (isNode(value) ? value : null);
    const table = isTableLike(value) ? value : null;
    const rows = table ? table.objects({ limit: 10_000 }) : [];
    const footer = html`<div class="footer">
      ${table ? html`<span data-testid="row-count">${table.numRows().toLocaleString('en-US')} ${table.numRows() === 1 ? 'row' : 'rows'}</span>` : nothing}
      ${state.durationMs !== undefined ? html`<span>${state.durationMs < 1000 ? `${Math.round(state.durationMs)} ms` : `${(state.durationMs / 1000).toFixed(2)} s`}</span>` : nothing}
      <span class="spacer"></span>
      ${chart ? html`<button @click=${this.downloadSvg}>SVG</button><button @click=${this.downloadPng}>PNG</button>` : nothing}
      ${table ? html`<button @click=${() => download(`${this.name}.csv`, spreadsheetCsv(table), 'text/csv')}>CSV</button>` : nothing}
    </div>`;
    return html`<div class=${state.status === 'stale' ? 'stale' : ''}>
      ${this.formula ? html`<p class="formula">${this.formula}</p>` : nothing}
      ${chart ? html`<div class="chart">${chart}</div>` : nothing}
      ${table ? html`<cb-table-view .columns=${columnsOf(table, rows)} .rows=${rows} page-size="10"></cb-table-view>` : nothing}
      ${!table && !chart && value !== undefined ? html`<pre>${typeof value === 'string' ? value : safeJson(value)}</pre>` : nothing}
      ${table || chart || value !== undefined ? footer : nothing}
    </div>`;
  }
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}

customElements.define('cb-cell-output', CbCellOutput);

declare global {
  interface HTMLElementTagNameMap {
    'cb-cell-output': CbCellOutput;
  }
}
