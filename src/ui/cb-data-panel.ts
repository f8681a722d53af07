import { LitElement, css, html, nothing } from 'lit';
import type { DataSource } from '../notebook/index.ts';
import { theme } from './theme.ts';
import type { ProfileColumn } from './cb-column-browser.ts';
import type { ImportView } from './import-flow.ts';
import { ENCODING_NAMES } from '../engine/index.ts';
import './cb-column-browser.ts';
import './cb-import-step.ts';

/** What the panel says; kept together so they can move into a message catalogue. */
const TEXT = {
  drop: 'Drop event logs anywhere on the page',
  formats: 'CSV, TSV, JSON, NDJSON, Parquet, Arrow, Excel · .gz too · several files are one log',
  open: 'Open files…',
  addFiles: 'Add files…',
  addFilesHelp: 'Add more files to this log (the same columns, e.g. the next month\'s export)',
  reimport: 'Import step…',
  reimportHelp: 'Choose the columns, zone and encoding again, with a preview',
  files: (n: number) => `${n} files`,
  readAs: (name: string) => `text read as ${name}`,
  widened: (columns: string) => `read as text (type differs between files): ${columns}`,
  duplicates: (n: string) => `${n} rows also in another file (kept)`,
};

const ROLES = [
  { key: 'user_id', label: 'User' },
  { key: 'event', label: 'Event' },
  { key: 'ts', label: 'Time' },
  { key: 'revenue', label: 'Revenue' },
] as const;

/**
 * The data panel: loaded sources with their mapping, row and user counts; add a file (picker or
 * drop), re-map columns, switch the active source, remove one. It only displays and asks: the app
 * does the loading and tells it the outcome through `sources`, `busy` and `error`.
 *
 * @fires load-file - detail: File
 * @fires remap - detail: { source, mapping }
 * @fires activate - detail: source name
 * @fires remove - detail: source name
 */
export class CbDataPanel extends LitElement {
  static override properties = {
    sources: { attribute: false },
    active: { attribute: false },
    busy: { attribute: false },
    error: { attribute: false },
    profile: { attribute: false },
    importing: { attribute: false },
  };

  declare sources: DataSource[];
  declare active: string | null;
  declare busy: string | null;
  declare error: string | null;
  /** Profiles a column for the column browser; none: the browser lists names and types only. */
  declare profile: ProfileColumn | null;
  /** The import step, while a file is being brought in through it. */
  declare importing: ImportView | null;

  constructor() {
    super();
    this.sources = [];
    this.active = null;
    this.busy = null;
    this.error = null;
    this.profile = null;
    this.importing = null;
  }

  static override styles = [theme, css`
    :host { display: flex; flex-direction: column; gap: 12px; font-size: 13px; }
    h2 { font-size: 12px; text-transform: uppercase; letter-spacing: 0.06em; color: var(--cb-muted); margin: 0; }
    .drop { border: 1.5px dashed var(--cb-border); border-radius: 10px; padding: 14px; text-align: center; color: var(--cb-muted); }
    .drop button { margin-top: 6px; }
    .source { border: 1px solid var(--cb-border); border-radius: 10px; padding: 10px; background: var(--cb-surface); display: grid; gap: 6px; }
    .source.active { border-color: var(--cb-accent); box-shadow: 0 0 0 1px var(--cb-accent); }
    .name { font-weight: 600; display: flex; justify-content: space-between; align-items: center; gap: 6px; overflow-wrap: anywhere; }
    .counts { display: flex; gap: 12px; flex-wrap: wrap; }
    .counts b { font-variant-numeric: tabular-nums; }
    .mapping { display: grid; grid-template-columns: auto 1fr; gap: 4px 8px; align-items: center; }
    .mapping select, .mapping input { width: 100%; box-sizing: border-box; }
    .actions { display: flex; gap: 6px; flex-wrap: wrap; }
    .busy { color: var(--cb-accent); display: flex; gap: 8px; align-items: center; }
    .spinner { width: 12px; height: 12px; border: 2px solid var(--cb-accent-soft); border-top-color: var(--cb-accent); border-radius: 50%; animation: spin 0.8s linear infinite; }
    @keyframes spin { to { transform: rotate(360deg); } }
    details.columns summary { cursor: pointer; color: var(--cb-muted); margin-bottom: 6px; }
    .tag { font-size: 11px; background: var(--cb-accent-soft); color: var(--cb-accent); border-radius: 4px; padding: 1px 6px; }
  `];

  /** Opens the file picker, as the Open a file… button does. */
  pick(): void {
    this.renderRoot.querySelector<HTMLInputElement>('input[type=file]')?.click();
  }

  private picked(event: Event): void {
    const input = event.target as HTMLInputElement;
    const files = [...(input.files ?? [])];
    if (files.length) this.dispatchEvent(new CustomEvent('load-files', { detail: files, bubbles: true, composed: true }));
    input.value = '';
  }

  private pickedMore(source: string, event: Event): void {
    const input = event.target as HTMLInputElement;
    const files = [...(input.files ?? [])];
    if (files.length) this.emit('add-files', { source, files });
    input.value = '';
  }

  private remap(source: DataSource, form: HTMLFormElement): void {
    const data = new FormData(form);
    const mapping: Record<string, string> = {};
    for (const { key } of ROLES) {
      const value = String(data.get(key) ?? '');
      if (key === 'event' && value === ':') mapping.event = `:${String(data.get('event_constant') ?? '').trim()}`;
      else mapping[key] = value;
    }
    const timezone = String(data.get('timezone') ?? '').trim() || undefined;
    this.dispatchEvent(new CustomEvent('remap', { detail: { source: source.source, mapping, timezone }, bubbles: true, composed: true }));
  }

  private renderMapping(source: DataSource) {
    const { mapping, file_columns: columns } = source.summary;
    const eventConstant = 'constant' in mapping.event ? mapping.event.constant : '';
    const current: Record<string, string> = {
      user_id: mapping.user_id,
      event: 'constant' in mapping.event ? ':' : mapping.event.column,
      ts: mapping.ts,
      revenue: mapping.revenue ?? '',
    };
    return html`
      <form class="mapping" @submit=${(e: Event) => { e.preventDefault(); this.remap(source, e.target as HTMLFormElement); }}>
        ${ROLES.map(({ key, label }) => html`
          <label for="map-${key}">${label}</label>
          <select id="map-${key}" name=${key} aria-label="${label} column">
            ${key === 'revenue' ? html`<option value="" ?selected=${current.revenue === ''}>(none)</option>` : nothing}
            ${key === 'event' ? html`<option value=":" ?selected=${current.event === ':'}>(one event for every row)</option>` : nothing}
            ${columns.map((c) => html`<option value=${c.name} ?selected=${current[key] === c.name}>${c.name}</option>`)}
          </select>
          ${key === 'event' ? html`<span></span><input name="event_constant" placeholder="event name, e.g. purchase" .value=${eventConstant} aria-label="Event name for every row">` : nothing}
        `)}
        <label for="map-timezone" title="The zone of times written without an offset; UTC when empty">Zone</label>
        <input id="map-timezone" name="timezone" placeholder="UTC" .value=${source.timezone ?? ''} aria-label="Time zone of the file's times">
        <span></span><div class="actions"><button type="submit" ?disabled=${!!this.busy}>Apply mapping</button></div>
      </form>`;
  }

  override render() {
    return html`
      <h2>Data</h2>
      <div class="drop">
        ${TEXT.drop}<br><span class="muted">${TEXT.formats}</span><br>
        <button class="primary" @click=${this.pick} ?disabled=${!!this.busy || !!this.importing}>${TEXT.open}</button>
        <input type="file" hidden multiple accept=${ACCEPT} @change=${this.picked} data-testid="file-input">
      </div>
      ${this.importing ? html`<cb-import-step .inspection=${this.importing.inspection} .choices=${this.importing.choices}
        .preview=${this.importing.preview} .problem=${this.importing.problem} .reason=${this.importing.reason} ?busy=${this.importing.busy}></cb-import-step>` : nothing}
      ${this.busy ? html`<div class="busy" role="status"><span class="spinner"></span>${this.busy}</div>` : nothing}
      ${this.error ? html`<div class="error" role="alert" data-testid="load-error">${this.error}</div>` : nothing}
      ${this.sources.map((source) => {
        const s = source.summary;
        const isActive = source.source === this.active;
        return html`
          <section class="source ${isActive ? 'active' : ''}" data-source=${source.source}>
            <div class="name">
              <span>${source.file.name}${source.files.length > 1 ? html` <span class="muted">+ ${source.files.length - 1}</span>` : nothing}</span>
              ${isActive ? html`<span class="tag">events</span>` : html`<button @click=${() => this.emit('activate', source.source)}>Use</button>`}
            </div>
            <div class="counts">
              <span><b data-testid="source-rows">${s.rows.toLocaleString('en-US')}</b> events</span>
              <span><b>${s.users.toLocaleString('en-US')}</b> users</span>
              ${s.skipped_rows ? html`<span class="muted" title="Rows without a user id or a time are left out of every analysis">${s.skipped_rows.toLocaleString('en-US')} ${s.skipped_rows === 1 ? 'row' : 'rows'} left out</span>` : nothing}
            </div>
            <div class="muted">${s.first_ts?.slice(0, 10)} → ${s.last_ts?.slice(0, 10)} (UTC) · ${s.format.toUpperCase()} · table <code>${source.source}</code></div>
            ${details(source).length ? html`<div class="muted" data-testid="source-details">${details(source).join(' · ')}</div>` : nothing}
            ${isActive ? this.renderMapping(source) : nothing}
            <details class="columns" ?open=${isActive}><summary>Columns (${s.columns.length})</summary>
              <cb-column-browser table=${source.source} .columns=${s.columns} .profile=${this.profile} event-column="event"></cb-column-browser>
            </details>
            <div class="actions">
              ${isActive ? html`
                <button @click=${() => this.emit('reimport', source.source)} title=${TEXT.reimportHelp} ?disabled=${!!this.busy || !!this.importing} data-testid="reimport">${TEXT.reimport}</button>
                <button @click=${(e: Event) => ((e.currentTarget as HTMLElement).nextElementSibling as HTMLInputElement).click()} title=${TEXT.addFilesHelp}
                  ?disabled=${!!this.busy || !!this.importing}>${TEXT.addFiles}</button>
                <input type="file" hidden multiple accept=${ACCEPT} @change=${(e: Event) => this.pickedMore(source.source, e)} data-testid="add-files-input">` : nothing}
              <button @click=${() => this.emit('remove', source.source)} aria-label="Remove ${source.file.name}">Remove</button>
            </div>
          </section>`;
      })}
    `;
  }

  private emit(type: string, detail: unknown): void {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }
}

const ACCEPT = '.csv,.tsv,.txt,.json,.ndjson,.jsonl,.parquet,.pq,.arrow,.feather,.xlsx,.xlsm,.gz';

/** What the panel says beyond counts: several files, an encoding other than UTF-8, widened columns, duplicates. */
function details(source: DataSource): string[] {
  const s = source.summary;
  const out: string[] = [];
  if (source.files.length > 1) out.push(TEXT.files(source.files.length));
  if (s.encoding && s.encoding !== 'utf-8') out.push(TEXT.readAs(ENCODING_NAMES[s.encoding]));
  if (s.widened_columns?.length) out.push(TEXT.widened(s.widened_columns.join(', ')));
  if (s.duplicate_rows) out.push(TEXT.duplicates(s.duplicate_rows.toLocaleString('en-US')));
  return out;
}

customElements.define('cb-data-panel', CbDataPanel);

declare global {
  interface HTMLElementTagNameMap {
    'cb-data-panel': CbDataPanel;
  }
}
