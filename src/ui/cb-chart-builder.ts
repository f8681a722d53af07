import { LitElement, css, html, nothing } from 'lit';
import * as Plot from '@observablehq/plot';
import {
  CHART_AGGREGATES, CHART_MARKS, CHART_SORTS, chartCode, proposeChart,
  type ChartColumn, type ChartConfig,
} from '../plots/index.ts';
import { theme } from './theme.ts';
import { Localized, t } from './i18n.ts';
import type { TableColumn } from './cb-table-view.ts';
import type { TableLike } from './table-data.ts';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}/;

/** The builder's view of a result's columns: numbers, times (ISO date text too) and categories. */
export function chartColumns(table: TableLike, columns: TableColumn[]): ChartColumn[] {
  const sample = table.objects({ limit: 500 });
  return columns.map(({ name, type }) => {
    const values = sample.map((row) => row[name]).filter((v) => v !== null && v !== undefined);
    const distinct = new Set(values.map((v) => (v instanceof Date ? v.getTime() : v))).size;
    if (/^(TIMESTAMP|DATE)/.test(type)) return { name, kind: 'time', distinct };
    if (/INT|DOUBLE|FLOAT|DECIMAL|REAL|NUMERIC/.test(type)) return { name, kind: 'number', distinct };
    if (values.length && values.every((v) => typeof v === 'string' && ISO_DATE.test(v) && !Number.isNaN(Date.parse(v)))) return { name, kind: 'time', isoDates: true, distinct };
    return { name, kind: 'text', distinct };
  });
}

/**
 * A small chart builder over one table output: mark, x, y, colour, facet, aggregation and sort,
 * a chart proposed from the column types, a live preview drawn by the very code it will insert,
 * and that code, readable, which Insert puts in a new JavaScript cell.
 *
 * @fires chart-accept - detail: the `Plot.plot({...})` code
 */
export class CbChartBuilder extends LitElement {
  static override properties = {
    table: { attribute: false },
    name: { type: String },
    columns: { attribute: false },
    config: { state: true },
  };

  declare table: TableLike | null;
  /** The name a JS cell reads the table by. */
  declare name: string;
  declare columns: TableColumn[];
  declare config: ChartConfig;

  constructor() {
    super();
    this.table = null;
    this.name = 'result';
    this.columns = [];
    this.config = { mark: 'bar', aggregate: 'count', sort: 'natural' };
  }

  static override styles = [theme, css`
    dialog { border: 1px solid var(--cb-border); border-radius: 12px; background: var(--cb-surface); color: var(--cb-text); padding: 18px; width: min(980px, 94vw); max-height: 92vh; box-sizing: border-box; }
    dialog::backdrop { background: rgb(0 0 0 / 0.35); }
    h2 { font-size: 16px; margin: 0 0 12px; }
    .layout { display: grid; grid-template-columns: 230px minmax(0, 1fr); gap: 18px; }
    form { display: grid; gap: 8px; align-content: start; }
    label { display: grid; gap: 3px; font-size: 12px; color: var(--cb-muted); }
    .preview { min-height: 260px; overflow: auto; border: 1px solid var(--cb-border); border-radius: 8px; padding: 8px; background: var(--cb-bg); }
    .preview svg { max-width: 100%; height: auto; }
    pre { font-family: var(--cb-mono); font-size: 12px; background: var(--cb-bg); border: 1px solid var(--cb-border); border-radius: 8px; padding: 8px; white-space: pre-wrap; margin: 8px 0 0; max-height: 180px; overflow: auto; }
    .buttons { display: flex; gap: 8px; justify-content: flex-end; margin-top: 12px; }
    .error { margin: 0; }
  `];

  private readonly localized = new Localized(this);
  private chartColumns: ChartColumn[] = [];

  /** Opens the builder with a chart proposed from the table's columns. */
  open(): void {
    if (!this.table) return;
    this.chartColumns = chartColumns(this.table, this.columns);
    this.config = proposeChart(this.chartColumns);
    void this.updateComplete.then(() => this.renderRoot.querySelector('dialog')?.showModal());
  }

  private close(): void {
    this.renderRoot.querySelector('dialog')?.close();
  }

  private code(): string {
    return chartCode(this.config, this.name, this.chartColumns);
  }

  /** Draws the preview by running the code the cell will hold, as the cell will. */
  private preview(): Element | string {
    try {
      const run = new Function('Plot', this.name, `return ${this.code()}`) as (plot: typeof Plot, table: unknown) => Element;
      return run(Plot, this.table);
    } catch (error) {
      return (error as Error).message;
    }
  }

  private set(key: keyof ChartConfig, value: string): void {
    const next = { ...this.config, [key]: value === '' ? undefined : value } as ChartConfig;
    this.config = next;
  }

  /** `named`: the options are the builder's own words (marks, aggregations), shown in the interface's language; otherwise column names. */
  private select(key: keyof ChartConfig, label: string, options: readonly string[], optional: boolean, named = false) {
    const value = (this.config[key] as string | undefined) ?? '';
    return html`<label>${label}<select aria-label=${label} data-field=${key} @change=${(e: Event) => this.set(key, (e.target as HTMLSelectElement).value)}>
      ${optional ? html`<option value="" ?selected=${value === ''}>${t('chart.none')}</option>` : nothing}
      ${options.map((option) => html`<option ?selected=${option === value} value=${option}>${named ? t(`chart.${key}.${option}`, { defaultValue: option }) : option}</option>`)}
    </select></label>`;
  }

  override render() {
    const names = this.columns.map((c) => c.name);
    const preview = this.table ? this.preview() : '';
    return html`<dialog aria-labelledby="chart-title" @close=${() => this.requestUpdate()}>
      <h2 id="chart-title">${t('chart.title', { name: this.name })}</h2>
      <div class="layout">
        <form @submit=${(e: Event) => e.preventDefault()}>
          ${this.select('mark', t('chart.markLabel'), CHART_MARKS, false, true)}
          ${this.select('x', 'X', names, true)}
          ${this.config.mark === 'histogram' ? nothing : this.select('y', 'Y', names, true)}
          ${this.select('color', this.config.mark === 'cell' ? t('chart.colourValue') : t('chart.colour'), names, true)}
          ${this.select('facet', t('chart.facet'), names, true)}
          ${this.config.mark === 'histogram' ? nothing : this.select('aggregate', t('chart.aggregateLabel'), CHART_AGGREGATES, false, true)}
          ${this.config.mark === 'bar' ? this.select('sort', t('chart.sortLabel'), CHART_SORTS, false, true) : nothing}
        </form>
        <div>
          <div class="preview" data-testid="chart-preview">${typeof preview === 'string' ? html`<p class="error" role="alert">${preview}</p>` : preview}</div>
          <pre aria-label=${t('chart.code')} data-testid="chart-code">${this.code()}</pre>
        </div>
      </div>
      <div class="buttons">
        <button @click=${() => this.close()}>${t('chart.cancel')}</button>
        <button class="primary" data-testid="chart-insert" @click=${() => {
          this.dispatchEvent(new CustomEvent('chart-accept', { detail: this.code(), bubbles: true, composed: true }));
          this.close();
        }}>${t('chart.insert')}</button>
      </div>
    </dialog>`;
  }
}

customElements.define('cb-chart-builder', CbChartBuilder);

declare global {
  interface HTMLElementTagNameMap {
    'cb-chart-builder': CbChartBuilder;
  }
}
