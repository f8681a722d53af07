import { LitElement, css, html } from 'lit';
import { theme } from './theme.ts';
import { formatValue } from './format-value.ts';

export interface TableColumn {
  name: string;
  type: string;
}

/**
 * A result table: column types under the names, click a header to sort, pages of `pageSize` rows.
 *
 * @example
 * html`<cb-table-view .columns=${[{ name: 'user_id', type: 'VARCHAR' }]} .rows=${rows}></cb-table-view>`
 */
export class CbTableView extends LitElement {
  static override properties = {
    columns: { attribute: false },
    rows: { attribute: false },
    pageSize: { type: Number, attribute: 'page-size' },
    readable: { type: Boolean },
    page: { state: true },
    sortColumn: { state: true },
    sortDescending: { state: true },
  };

  declare columns: TableColumn[];
  declare rows: Record<string, unknown>[];
  declare pageSize: number;
  /** An analysis's result: durations and rates shown as people read them (see `formatValue`). */
  declare readable: boolean;
  declare page: number;
  declare sortColumn: string | null;
  declare sortDescending: boolean;

  constructor() {
    super();
    this.columns = [];
    this.rows = [];
    this.pageSize = 25;
    this.readable = false;
    this.page = 0;
    this.sortColumn = null;
    this.sortDescending = false;
  }

  static override styles = [theme, css`
    :host { display: block; font-size: 13px; }
    .scroll { overflow: auto; border: 1px solid var(--cb-border); border-radius: 8px; background: var(--cb-surface); }
    table { border-collapse: collapse; width: 100%; }
    th, td { padding: 5px 10px; border-bottom: 1px solid var(--cb-border); text-align: left; white-space: nowrap; }
    th { position: sticky; top: 0; background: var(--cb-surface); cursor: pointer; user-select: none; font-weight: 600; }
    th .type { display: block; font-weight: 400; font-size: 11px; color: var(--cb-muted); font-family: var(--cb-mono); }
    td.number { text-align: right; font-variant-numeric: tabular-nums; }
    tr:last-child td { border-bottom: none; }
    .pager { display: flex; gap: 8px; align-items: center; justify-content: flex-end; padding: 6px 0; color: var(--cb-muted); }
    .empty { padding: 16px; color: var(--cb-muted); }
  `];

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('rows')) this.page = 0;
  }

  private sorted(): Record<string, unknown>[] {
    const column = this.sortColumn;
    if (!column) return this.rows;
    const direction = this.sortDescending ? -1 : 1;
    return [...this.rows].sort((a, b) => {
      const x = a[column], y = b[column];
      if (x === y) return 0;
      if (x === null || x === undefined) return 1;
      if (y === null || y === undefined) return -1;
      return (x < y ? -1 : 1) * direction;
    });
  }

  private sortBy(name: string): void {
    this.sortDescending = this.sortColumn === name ? !this.sortDescending : false;
    this.sortColumn = name;
  }

  override render() {
    if (this.columns.length === 0) return html`<div class="empty">No columns.</div>`;
    const pages = Math.max(1, Math.ceil(this.rows.length / this.pageSize));
    const page = Math.min(this.page, pages - 1);
    const visible = this.sorted().slice(page * this.pageSize, (page + 1) * this.pageSize);
    const numeric = (type: string) => /INT|DOUBLE|FLOAT|DECIMAL|HUGEINT/.test(type);
    return html`
      <div class="scroll">
        <table>
          <thead><tr>${this.columns.map((c) => html`
            <th @click=${() => this.sortBy(c.name)} title="Sort by ${c.name}">
              ${c.name}${this.sortColumn === c.name ? (this.sortDescending ? ' ↓' : ' ↑') : ''}
              <span class="type">${c.type.toLowerCase()}</span>
            </th>`)}</tr></thead>
          <tbody>${visible.map((row) => html`<tr>${this.columns.map((c) => html`
            <td class=${numeric(c.type) ? 'number' : ''}>${formatValue(row[c.name], c.type, c.name, row, this.readable)}</td>`)}</tr>`)}
          </tbody>
        </table>
        ${this.rows.length === 0 ? html`<div class="empty">No rows.</div>` : ''}
      </div>
      ${pages > 1 ? html`<div class="pager">
        <span>${(page * this.pageSize + 1).toLocaleString('en-US')}–${Math.min(this.rows.length, (page + 1) * this.pageSize).toLocaleString('en-US')} of ${this.rows.length.toLocaleString('en-US')}</span>
        <button ?disabled=${page === 0} @click=${() => { this.page = page - 1; }} aria-label="Previous page">‹</button>
        <button ?disabled=${page >= pages - 1} @click=${() => { this.page = page + 1; }} aria-label="Next page">›</button>
      </div>` : ''}
    `;
  }
}

customElements.define('cb-table-view', CbTableView);

declare global {
  interface HTMLElementTagNameMap {
    'cb-table-view': CbTableView;
  }
}
