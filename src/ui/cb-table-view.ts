import { LitElement, css, html, nothing } from 'lit';
import type { ColumnProfile } from '../engine/index.ts';
import { theme } from './theme.ts';
import { profileValues } from './table-profile.ts';
import './cb-column-profile.ts';
import { formatValue } from './format-value.ts';
import { filterRows, parseTableFilter, searchText, sortRows, type CellReader, type TableFilter } from './table-filter.ts';

export interface TableColumn {
  name: string;
  type: string;
}

/** A table by column: what `cb-table-view` reads from an Arquero table (`table.get(name, row)`). */
export interface ColumnSource {
  numRows(): number;
  get(name: string, row: number): unknown;
  /** A column's values in row order (Arquero's `table.array`): read once, far faster than `get` per value. */
  array?(name: string): ArrayLike<unknown>;
}

/** Text longer than this may not fit its column (cut by CSS with an ellipsis): its title holds all of it. */
const LONG_TEXT = 40;
const PAGE_SIZES = [10, 25, 100];

const numeric = (type: string) => /INT|DOUBLE|FLOAT|DECIMAL|HUGEINT|REAL|NUMERIC/.test(type);

/**
 * A result table: column types under the names; a filter box (text found in any column, or
 * `column op value` conditions joined by `and`); click a header to sort (kept while the filter or
 * the rows change); total and filtered row counts; pages; long text cut with the full value on
 * hover; a cell selected by click or arrow keys is copied with Ctrl/Cmd+C or the Copy buttons,
 * which also copy its column. Rows come either as objects (`rows`) or by column (`source`, an
 * Arquero table): a 100,000-row result is filtered, sorted and paged without making row objects.
 *
 * @fires table-copy - detail: the text put on the clipboard
 * @example
 * html`<cb-table-view .columns=${[{ name: 'user_id', type: 'VARCHAR' }]} .rows=${rows}></cb-table-view>`
 */
export class CbTableView extends LitElement {
  static override properties = {
    columns: { attribute: false },
    rows: { attribute: false },
    source: { attribute: false },
    pageSize: { type: Number, attribute: 'page-size' },
    readable: { type: Boolean },
    searchable: { type: Boolean },
    label: { type: String },
    page: { state: true },
    sortColumn: { state: true },
    sortDescending: { state: true },
    filterText: { state: true },
    active: { state: true },
    showProfile: { type: Boolean, attribute: 'show-profile' },
  };

  declare columns: TableColumn[];
  declare rows: Record<string, unknown>[];
  /** The rows by column; when set, `rows` is not read. */
  declare source: ColumnSource | null;
  declare pageSize: number;
  /** An analysis's result: durations and rates shown as people read them (see `formatValue`). */
  declare readable: boolean;
  /** Whether the filter box shows. */
  declare searchable: boolean;
  /** What the table holds, for its accessible name (`result of query1`). */
  declare label: string;
  declare page: number;
  declare sortColumn: string | null;
  declare sortDescending: boolean;
  declare filterText: string;
  /** The selected cell: its position among the shown rows of the page, and its column index. */
  declare active: { row: number; column: number } | null;
  /** Whether a strip under the column names profiles each column (nulls, distinct, distribution). */
  declare showProfile: boolean;

  /** The shown rows (indexes into the data) after filter and sort, and what they were made from. */
  private view: { key: unknown[]; rows: number[]; filter: TableFilter } | null = null;
  /** Each column's shown text, lower-cased, made once per data for text filters. */
  private textCache = new Map<string, string[]>();
  private filterTimer: ReturnType<typeof setTimeout> | undefined;
  /** How long the last filter and sort took, in ms (shown in the counts' title). */
  lastFilterMs = 0;

  constructor() {
    super();
    this.columns = [];
    this.rows = [];
    this.source = null;
    this.pageSize = 25;
    this.readable = false;
    this.searchable = false;
    this.label = 'Table';
    this.page = 0;
    this.sortColumn = null;
    this.sortDescending = false;
    this.filterText = '';
    this.active = null;
    this.showProfile = false;
  }

  private profiles: { data: unknown; columns: TableColumn[]; profiles: ColumnProfile[] } | null = null;

  /** Each column's profile over every row, made once per data. */
  private columnProfiles(): ColumnProfile[] {
    const data = this.source ?? this.rows;
    if (this.profiles?.data !== data || this.profiles.columns !== this.columns) {
      this.profiles = { data, columns: this.columns, profiles: this.columns.map((c) => profileValues(c.name, c.type, this.rowCount, this.read)) };
    }
    return this.profiles.profiles;
  }

  static override styles = [theme, css`
    :host { display: block; font-size: 13px; }
    .toolbar { display: flex; gap: 8px; align-items: center; margin-bottom: 6px; flex-wrap: wrap; }
    .toolbar input[type=search] { flex: 1 1 220px; max-width: 360px; }
    .toolbar .counts { color: var(--cb-muted); font-size: 12px; font-variant-numeric: tabular-nums; }
    .toolbar .spacer { flex: 1; }
    .toolbar button { font-size: 12px; padding: 2px 8px; }
    .scroll { overflow: auto; border: 1px solid var(--cb-border); border-radius: 8px; background: var(--cb-surface); max-width: 100%; }
    table { border-collapse: collapse; width: 100%; }
    th, td { padding: 5px 10px; border-bottom: 1px solid var(--cb-border); text-align: left; white-space: nowrap; }
    th { position: sticky; top: 0; background: var(--cb-surface); font-weight: 600; padding: 0; }
    th button { all: unset; box-sizing: border-box; display: block; width: 100%; padding: 5px 10px; cursor: pointer; }
    th button:focus-visible { outline: 2px solid var(--cb-accent); outline-offset: -2px; }
    tr.profile th { padding: 4px 10px 6px; vertical-align: top; position: static; border-bottom: 1px solid var(--cb-border); }
    th .type { display: block; font-weight: 400; font-size: 11px; color: var(--cb-muted); font-family: var(--cb-mono); }
    td { max-width: 32em; overflow: hidden; text-overflow: ellipsis; }
    td.number { text-align: right; font-variant-numeric: tabular-nums; }
    td.active { outline: 2px solid var(--cb-accent); outline-offset: -2px; background: var(--cb-accent-soft); }
    td:focus { outline: 2px solid var(--cb-accent); outline-offset: -2px; }
    tr:last-child td { border-bottom: none; }
    .pager { display: flex; gap: 8px; align-items: center; justify-content: flex-end; padding: 6px 0; color: var(--cb-muted); }
    .pager select { font-size: 12px; padding: 1px 4px; }
    .empty { padding: 16px; color: var(--cb-muted); }
    .hint { font-size: 12px; color: var(--cb-muted); }
  `];

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('rows') || changed.has('source')) {
      this.textCache = new Map();
      this.arrays = new Map();
      this.active = null;
      // a re-run keeps the person's sort and filter; the page goes back to the first
      this.page = 0;
    }
  }

  private get rowCount(): number {
    return this.source ? this.source.numRows() : this.rows.length;
  }

  /** Each column's values as one array, when the source gives them. */
  private arrays = new Map<string, ArrayLike<unknown>>();

  private readonly read: CellReader = (column, row) => {
    const source = this.source;
    if (!source) return this.rows[row]?.[column];
    if (!source.array) return source.get(column, row);
    let values = this.arrays.get(column);
    if (!values) this.arrays.set(column, values = source.array(column));
    return values[row];
  };

  /** A cell as shown: in an analysis's result, durations and rates as people read them. */
  private shown(column: string, row: number): string {
    // a metrics result names each row's metric; other results with a `value` column (trends) have none
    const metric = this.readable && column === 'value' && this.columns.some((c) => c.name === 'metric') ? { metric: this.read('metric', row) } : undefined;
    return formatValue(this.read(column, row), this.typeOf(column), column, metric, this.readable);
  }

  private typeOf(name: string): string {
    return this.columns.find((c) => c.name === name)?.type ?? '';
  }

  private shownText(column: string, row: number): string {
    let texts = this.textCache.get(column);
    if (!texts) {
      const type = this.typeOf(column);
      texts = Array.from({ length: this.rowCount }, (_, i) => searchText(this.read(column, i), type));
      this.textCache.set(column, texts);
    }
    return texts[row];
  }

  /**
   * Makes the text filter's lower-cased column texts in slices of 10,000 values between tasks, from
   * the moment the filter box gets focus, so the first text filter of a large table does not hold
   * the page (it took ~0.2 s at once for 100,000 rows of 4 columns).
   */
  private async warmTexts(): Promise<void> {
    const data = this.source ?? this.rows;
    for (const { name, type } of this.columns) {
      if (this.textCache.has(name)) continue;
      const texts: string[] = new Array(this.rowCount);
      for (let start = 0; start < texts.length; start += 10_000) {
        for (let i = start; i < Math.min(texts.length, start + 10_000); i++) texts[i] = searchText(this.read(name, i), type);
        await new Promise((resolve) => setTimeout(resolve));
        if ((this.source ?? this.rows) !== data) return;
      }
      if (!this.textCache.has(name)) this.textCache.set(name, texts);
    }
  }

  /** The row indexes shown, filtered then sorted; recomputed only when what they depend on changes. */
  private shownRows(): { rows: number[]; filter: TableFilter } {
    const key = [this.source ?? this.rows, this.columns, this.filterText, this.sortColumn, this.sortDescending];
    if (this.view && key.every((part, i) => part === this.view!.key[i])) return this.view;
    const started = performance.now();
    const names = this.columns.map((c) => c.name);
    const filter = parseTableFilter(this.filterText, names);
    const types = Object.fromEntries(this.columns.map((c) => [c.name, c.type]));
    let rows = filterRows(filter, this.rowCount, this.read, names, types, (column, row) => this.shownText(column, row));
    if (this.sortColumn && names.includes(this.sortColumn)) rows = sortRows(rows, this.read, this.sortColumn, this.sortDescending);
    this.lastFilterMs = performance.now() - started;
    this.view = { key, rows, filter };
    return this.view;
  }

  private sortBy(name: string): void {
    this.sortDescending = this.sortColumn === name ? !this.sortDescending : false;
    this.sortColumn = name;
    this.page = 0;
  }

  private onFilterInput(event: Event): void {
    const value = (event.target as HTMLInputElement).value;
    clearTimeout(this.filterTimer);
    // a short pause while typing: each keystroke of a long filter does not refilter 100,000 rows
    this.filterTimer = setTimeout(() => { this.filterText = value; this.page = 0; this.active = null; }, this.rowCount > 20_000 ? 150 : 0);
  }

  private async copy(text: string): Promise<void> {
    await navigator.clipboard?.writeText(text).catch(() => undefined);
    this.dispatchEvent(new CustomEvent('table-copy', { detail: text, bubbles: true, composed: true }));
  }

  private copyCell(): void {
    const cell = this.activeCell();
    if (cell) void this.copy(this.shown(cell.column, cell.row));
  }

  /** The selected cell's column, every value of the filtered and sorted rows, one a line, under its name. */
  private copyColumn(): void {
    const cell = this.activeCell();
    if (!cell) return;
    void this.copy([cell.column, ...this.shownRows().rows.map((row) => this.shown(cell.column, row))].join('\n'));
  }

  private activeCell(): { row: number; column: string } | null {
    if (!this.active) return null;
    const { rows } = this.shownRows();
    const row = rows[this.pageStart() + this.active.row];
    const column = this.columns[this.active.column]?.name;
    return row === undefined || column === undefined ? null : { row, column };
  }

  private pageStart(): number {
    return this.currentPage() * this.pageSize;
  }

  private currentPage(): number {
    const pages = Math.max(1, Math.ceil(this.shownRows().rows.length / this.pageSize));
    return Math.min(this.page, pages - 1);
  }

  private onCellKey(event: KeyboardEvent): void {
    if (!this.active) return;
    const visible = Math.min(this.pageSize, this.shownRows().rows.length - this.pageStart());
    const { row, column } = this.active;
    const moves: Record<string, [number, number]> = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'c') {
      event.preventDefault();
      this.copyCell();
      return;
    }
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    event.stopPropagation();
    this.active = { row: Math.max(0, Math.min(visible - 1, row + move[0])), column: Math.max(0, Math.min(this.columns.length - 1, column + move[1])) };
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('td.active')?.focus());
  }

  override render() {
    if (this.columns.length === 0) return html`<div class="empty">No columns.</div>`;
    const { rows, filter } = this.shownRows();
    const total = this.rowCount;
    const pages = Math.max(1, Math.ceil(rows.length / this.pageSize));
    const page = this.currentPage();
    const start = page * this.pageSize;
    const visible = rows.slice(start, start + this.pageSize);
    const count = (n: number) => n.toLocaleString('en-US');
    const filtered = filter.kind !== 'none';
    return html`
      ${this.searchable ? html`<div class="toolbar">
        <input type="search" placeholder="Filter: text, or column = value" aria-label="Filter ${this.label}" .value=${this.filterText}
          @input=${this.onFilterInput} @focus=${() => { if (this.rowCount > 20_000) void this.warmTexts(); }} @keydown=${(e: KeyboardEvent) => e.stopPropagation()} data-testid="table-filter">
        <span class="counts" data-testid="table-counts" title=${`filtered in ${Math.round(this.lastFilterMs)} ms`}>${filtered
          ? `${count(rows.length)} of ${count(total)} ${total === 1 ? 'row' : 'rows'}` : `${count(total)} ${total === 1 ? 'row' : 'rows'}`}</span>
        ${filter.kind === 'conditions' ? html`<span class="hint">${filter.conditions.map((c) => `${c.column} ${c.op} ${c.value}`).join(' and ')}</span>` : nothing}
        <span class="spacer"></span>
        <button aria-pressed=${this.showProfile ? 'true' : 'false'} @click=${() => { this.showProfile = !this.showProfile; }}
          title="Show each column's nulls, distinct values and distribution" data-testid="toggle-profile">Profile</button>
        <button ?disabled=${!this.active} @click=${this.copyCell} title="Copy the selected cell (Ctrl+C)">Copy cell</button>
        <button ?disabled=${!this.active} @click=${this.copyColumn} title="Copy the selected cell's column, filtered and sorted">Copy column</button>
      </div>` : nothing}
      <div class="scroll">
        <table aria-label=${this.label} aria-rowcount=${rows.length + 1}>
          <thead><tr>${this.columns.map((c) => html`
            <th aria-sort=${this.sortColumn === c.name ? (this.sortDescending ? 'descending' : 'ascending') : 'none'}>
              <button @click=${() => this.sortBy(c.name)} title="Sort by ${c.name}">
                ${c.name}${this.sortColumn === c.name ? (this.sortDescending ? ' ↓' : ' ↑') : ''}
                <span class="type">${c.type.toLowerCase()}</span>
              </button>
            </th>`)}</tr>
            ${this.showProfile ? html`<tr class="profile" data-testid="profile-strip">${this.columnProfiles().map((profile) => html`<th><cb-column-profile compact .profile=${profile}></cb-column-profile></th>`)}</tr>` : nothing}</thead>
          <tbody @keydown=${this.onCellKey}>${visible.map((row, r) => html`<tr>${this.columns.map((c, i) => {
            const text = this.shown(c.name, row);
            const isActive = this.active?.row === r && this.active.column === i;
            const focusable = isActive || (!this.active && r === 0 && i === 0);
            return html`<td class="${numeric(c.type) ? 'number' : ''} ${isActive ? 'active' : ''}" tabindex=${focusable ? 0 : -1}
              title=${text.length > LONG_TEXT ? text : nothing}
              @click=${() => { this.active = { row: r, column: i }; }}
              @focus=${() => { if (!isActive) this.active = { row: r, column: i }; }}>${text}</td>`;
          })}</tr>`)}
          </tbody>
        </table>
        ${total === 0 ? html`<div class="empty">No rows.</div>` : rows.length === 0 ? html`<div class="empty">No row matches the filter.</div>` : nothing}
      </div>
      ${pages > 1 || (this.searchable && rows.length > PAGE_SIZES[0]) ? html`<div class="pager">
        ${this.searchable ? html`<label>Rows per page <select @change=${(e: Event) => { this.pageSize = Number((e.target as HTMLSelectElement).value); this.page = 0; }}>
          ${[...new Set([this.pageSize, ...PAGE_SIZES])].sort((a, b) => a - b).map((n) => html`<option ?selected=${n === this.pageSize}>${n}</option>`)}</select></label>` : nothing}
        <span>${count(start + 1)}–${count(Math.min(rows.length, start + this.pageSize))} of ${count(rows.length)}</span>
        <button ?disabled=${page === 0} @click=${() => { this.page = page - 1; this.active = null; }} aria-label="Previous page">‹</button>
        <button ?disabled=${page >= pages - 1} @click=${() => { this.page = page + 1; this.active = null; }} aria-label="Next page">›</button>
      </div>` : nothing}
    `;
  }
}

customElements.define('cb-table-view', CbTableView);

declare global {
  interface HTMLElementTagNameMap {
    'cb-table-view': CbTableView;
  }
}
