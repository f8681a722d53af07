import { LitElement, css, html, nothing } from 'lit';
import { theme } from './theme.ts';
import { Localized, formatNumber, t } from './i18n.ts';
import { formatCount } from '../plots/index.ts';
import { columnsOf, download, isTableLike, spreadsheetCsv, svgToPng, type TableLike } from './table-data.ts';
import type { TableColumn } from './cb-table-view.ts';
import './cb-table-view.ts';
import type { CbChartBuilder } from './cb-chart-builder.ts';
import './cb-chart-builder.ts';

/** What a cell's output shows: the runtime's state of that cell, plus an optional chart. */
export interface OutputState {
  status: string;
  value?: unknown;
  error?: { message: string; line?: number; column?: number };
  durationMs?: number;
  rowCount?: number;
  /** Said beside the output: what to know about a result that still ran. */
  warnings?: string[];
  /** An analysis cell's result (its table's columns have known meanings, so read as people read them). */
  result?: unknown;
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
    chartName: { type: String, attribute: 'chart-name' },
    building: { state: true },
  };

  declare state: OutputState | null;
  declare chart: Element | null;
  declare formula: string | null;
  declare name: string;
  /** The name a JS cell reads this output's table by; empty: no chart builder. */
  declare chartName: string;
  declare building: boolean;

  private readonly localized = new Localized(this);

  constructor() {
    super();
    this.state = null;
    this.chart = null;
    this.formula = null;
    this.name = 'result';
    this.chartName = '';
    this.building = false;
  }

  private async openBuilder(): Promise<void> {
    this.building = true;
    await this.updateComplete;
    this.renderRoot.querySelector<CbChartBuilder>('cb-chart-builder')?.open();
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
    .warnings { margin: 0 0 8px; padding: 6px 10px; list-style: none; font-size: 13px; border-radius: 8px;
      background: var(--cb-warning-bg); color: var(--cb-warning); border: 1px solid var(--cb-warning-border); }
    .warnings li::before { content: '⚠ '; }
  `];

  private columnCache = new WeakMap<object, TableColumn[]>();

  /** The same column list for the same table, so the table view keeps its filter and sort across renders. */
  private columnsFor(table: TableLike, sample: Record<string, unknown>[]): TableColumn[] {
    let columns = this.columnCache.get(table);
    if (!columns) this.columnCache.set(table, columns = columnsOf(table, sample));
    return columns;
  }

  /** A click on the chart: the cell works out which number it was (see people-request.ts). */
  private chartClick(e: MouseEvent): void {
    this.dispatchEvent(new CustomEvent('chart-click', { detail: { root: this.renderRoot, x: e.clientX, y: e.clientY }, bubbles: true, composed: true }));
  }

  override updated(): void {
    // Plot names its marks' groups with aria-label, which a <g> without a role may not carry
    for (const group of this.renderRoot.querySelectorAll('.chart g[aria-label]:not([role])')) group.setAttribute('role', 'group');
  }

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
    const busy = state.status === 'running' || state.status === 'queued';
    const progress = busy ? html`<div class="running" role="status"><span>${state.status === 'queued' ? t('output.waiting') : t('output.running')}</span><div class="progress"></div>
        ${state.status === 'running' ? html`<button @click=${() => this.dispatchEvent(new CustomEvent('cancel', { bubbles: true, composed: true }))}>${t('output.cancel')}</button>` : nothing}</div>` : nothing;
    // while a cell re-runs its last output stays, dimmed, so a table keeps its filter and sort
    if (busy && state.value === undefined) return progress;
    if (state.error && !busy) {
      const where = state.error.line !== undefined ? ` (${t('output.line')} ${state.error.line}${state.error.column !== undefined ? `:${state.error.column}` : ''})` : '';
      return html`<div class="error" role="alert" data-testid="cell-error">${state.error.message}${where}</div>`;
    }
    const value = state.value;
    const chart = this.chart ?? (isNode(value) ? value : null);
    const table = isTableLike(value) ? value : null;
    const sample = table ? table.objects({ limit: 200 }) : [];
    const footer = html`<div class="footer">
      ${table ? html`<span data-testid="row-count">${t('output.rows', { count: table.numRows(), n: formatCount(table.numRows()) })}</span>` : nothing}
      ${state.durationMs !== undefined ? html`<span>${state.durationMs < 1000 ? t('output.ms', { ms: Math.round(state.durationMs) }) : t('output.s', { s: formatNumber(state.durationMs / 1000, { minimumFractionDigits: 2, maximumFractionDigits: 2 }) })}</span>` : nothing}
      <span class="spacer"></span>
      ${chart ? html`<button @click=${this.downloadSvg}>SVG</button><button @click=${this.downloadPng}>PNG</button>` : nothing}
      ${table && this.chartName && table.numRows() > 0 ? html`<button @click=${() => this.openBuilder()} title=${t('output.chartTitle')} data-testid="open-chart-builder">${t('output.chart')}</button>` : nothing}
      ${table ? html`<button @click=${() => download(`${this.name}.csv`, spreadsheetCsv(table), 'text/csv')}>CSV</button>` : nothing}
    </div>`;
    const warnings = state.warnings ?? [];
    return html`${progress}<div class=${state.status === 'stale' || busy ? 'stale' : ''} data-testid=${busy ? 'previous-output' : 'output'}>
      ${warnings.length ? html`<ul class="warnings" role="status" data-testid="cell-warnings">${warnings.map((w) => html`<li>${w}</li>`)}</ul>` : nothing}
      ${this.formula ? html`<p class="formula">${this.formula}</p>` : nothing}
      ${chart ? html`<div class="chart" @click=${(e: MouseEvent) => this.chartClick(e)}>${chart}</div>` : nothing}
      ${table ? html`<cb-table-view .columns=${this.columnsFor(table, sample)} .source=${table} page-size="10" searchable ?readable=${state.result !== undefined} label="result of ${this.name}"></cb-table-view>` : nothing}
      ${!table && !chart && value !== undefined ? html`<pre>${typeof value === 'string' ? value : safeJson(value)}</pre>` : nothing}
      ${(table || chart || value !== undefined) && !busy ? footer : nothing}
      ${table && this.building ? html`<cb-chart-builder .table=${table} name=${this.chartName} .columns=${this.columnsFor(table, sample)}></cb-chart-builder>` : nothing}
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
