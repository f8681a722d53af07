import { LitElement, css, html, nothing } from 'lit';
import { ENCODING_NAMES, TEXT_ENCODINGS, type FileInspection, type ImportPreview, type TextEncoding } from '../engine/index.ts';
import { theme } from './theme.ts';
import './cb-table-view.ts';

/** What the import step says; kept together so they can move into a message catalogue. */
const TEXT = {
  title: (file: string) => `Import ${file}`,
  intro: 'Say what the columns are. Nothing replaces the loaded data until you press Load.',
  user: 'User',
  userHelp: 'who did it: a person, customer or device id',
  event: 'Event',
  eventColumn: 'from a column',
  eventConstant: 'one event for every row',
  eventConstantPlaceholder: 'event name, e.g. purchase',
  time: 'Time',
  zone: 'Zone',
  zoneHelp: 'the zone of times written without an offset',
  revenue: 'Revenue',
  none: '(none)',
  encoding: 'Text encoding',
  detected: (name: string) => `${name} (detected)`,
  columns: 'Columns of the file',
  columnHeads: ['Column', 'Type', 'Sample values', 'Used as'],
  summary: 'What would load',
  previewLabel: 'the first rows as they would load',
  checking: 'Checking the whole file…',
  load: (rows: string) => `Load ${rows} events`,
  loadPending: 'Load',
  cancel: 'Cancel',
  files: (n: number) => `${n} files read as one log`,
  rowsOf: (rows: string, users: string) => `${rows} events of ${users} people`,
  range: (from: string, to: string) => `${from} → ${to} (UTC)`,
  leftOut: (n: string, user: string, ts: string) => `${n} rows left out: ${user} without a user id, ${ts} without a readable time`,
  noneLeftOut: 'no row left out',
  readAs: (encoding: string) => `text read as ${encoding}`,
  widened: (columns: string) => `read as text because their type differs between the files: ${columns}`,
  duplicates: (n: string) => `${n} rows also occur, identical, in another file (kept)`,
} as const;

const n = (value: number) => value.toLocaleString('en-US');

/** The choices the import step makes, as the loader takes them (`event` is a column or `:name`; `revenue` '' is none). */
export interface ImportStepChoices {
  mapping: { user_id: string; event: string; ts: string; revenue: string };
  timezone?: string;
  encoding?: TextEncoding;
}

const ROLE_LABELS: Record<string, string> = { user_id: TEXT.user, event: TEXT.event, ts: TEXT.time, revenue: TEXT.revenue };

/**
 * The import step: a file whose user, event or time column could not be guessed (or whose guess
 * looks wrong) opens here instead of being refused. It shows each column with its type and
 * sample values, lets the person choose the user column, the event column or one event name for
 * every row, the time column and its zone, the revenue column and the text encoding, and shows
 * what would load (a preview of the first rows, rows, people, time range, rows left out and why)
 * before anything replaces the loaded data. It only displays and asks; the app previews and loads.
 *
 * @fires import-change - detail: ImportStepChoices, whenever a choice changes
 * @fires import-confirm - detail: ImportStepChoices, on Load
 * @fires import-cancel - Cancel or Escape
 */
export class CbImportStep extends LitElement {
  static override properties = {
    inspection: { attribute: false },
    choices: { attribute: false },
    preview: { attribute: false },
    problem: { attribute: false },
    reason: { attribute: false },
    busy: { type: Boolean },
  };

  declare inspection: FileInspection;
  declare choices: ImportStepChoices;
  declare preview: ImportPreview | null;
  /** What is wrong with the current choices, in the person's terms. */
  declare problem: string | null;
  /** Why the step opened (the guess that failed or looks wrong). */
  declare reason: string | null;
  declare busy: boolean;

  constructor() {
    super();
    this.preview = null;
    this.problem = null;
    this.reason = null;
    this.busy = false;
  }

  static override styles = [theme, css`
    dialog { width: min(1100px, 94vw); max-height: 92vh; overflow: hidden; border: 1px solid var(--cb-border); border-radius: 12px; padding: 0;
      background: var(--cb-bg); color: var(--cb-text); box-shadow: 0 20px 60px rgb(0 0 0 / 0.3); }
    dialog::backdrop { background: rgb(15 18 23 / 0.45); }
    .body { padding: 16px 20px; display: grid; gap: 14px; overflow: auto; max-height: calc(92vh - 70px); box-sizing: border-box; }
    h2 { margin: 0; font-size: 17px; }
    .cols { display: grid; grid-template-columns: minmax(280px, 340px) minmax(0, 1fr); gap: 16px; align-items: start; }
    .cols > *, .body > * { min-width: 0; }
    .table-scroll { overflow-x: auto; }
    form { display: grid; grid-template-columns: auto 1fr; gap: 8px 10px; align-items: center; background: var(--cb-surface);
      border: 1px solid var(--cb-border); border-radius: 10px; padding: 12px; }
    form select, form input[type=text] { width: 100%; box-sizing: border-box; }
    fieldset { border: none; margin: 0; padding: 0; display: grid; gap: 4px; }
    .radio { display: flex; gap: 6px; align-items: center; }
    .help { grid-column: 2; font-size: 12px; margin-top: -4px; }
    table.columns { border-collapse: collapse; width: 100%; font-size: 12.5px; background: var(--cb-surface); border-radius: 10px; overflow: hidden; }
    table.columns th, table.columns td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--cb-border); vertical-align: top; }
    table.columns td.samples { font-family: var(--cb-mono); font-size: 12px; overflow-wrap: anywhere; }
    .role { font-size: 11px; background: var(--cb-accent-soft); color: var(--cb-accent); border-radius: 4px; padding: 1px 6px; }
    .summary { background: var(--cb-surface); border: 1px solid var(--cb-border); border-radius: 10px; padding: 10px 12px; display: grid; gap: 4px; }
    .summary b { font-variant-numeric: tabular-nums; }
    footer { display: flex; gap: 8px; justify-content: flex-end; padding: 12px 20px; border-top: 1px solid var(--cb-border); background: var(--cb-surface); }
    .reason { background: var(--cb-warning-bg); color: var(--cb-warning); border: 1px solid var(--cb-warning-border); border-radius: 8px; padding: 8px 10px; margin: 0; }
    h3 { font-size: 13px; margin: 0 0 6px; }
  `];

  override firstUpdated(): void {
    this.renderRoot.querySelector('dialog')?.showModal();
  }

  /** The form's choices as the loader takes them. */
  private read(form: HTMLFormElement): ImportStepChoices {
    const data = new FormData(form);
    const value = (key: string) => String(data.get(key) ?? '');
    const event = value('event_kind') === 'constant' ? `:${value('event_constant').trim()}` : value('event_column');
    const encoding = value('encoding');
    return {
      mapping: { user_id: value('user_id'), event, ts: value('ts'), revenue: value('revenue') },
      timezone: value('timezone').trim() || undefined,
      encoding: encoding ? encoding as TextEncoding : undefined,
    };
  }

  private changed(event: Event): void {
    const form = (event.currentTarget as HTMLElement).closest('form') ?? this.renderRoot.querySelector('form')!;
    const choices = this.read(form);
    // a text field fires input while typing and change when it loses focus: one preview for both
    // (a second one would disable Load under the pointer that is pressing it)
    if (JSON.stringify(choices) === JSON.stringify(this.choices)) return;
    this.choices = choices;
    this.emit('import-change', choices);
  }

  private emit(type: string, detail?: unknown): void {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  private columnOptions(selected: string, allowNone: boolean) {
    return html`
      ${allowNone ? html`<option value="" ?selected=${selected === ''}>${TEXT.none}</option>` : nothing}
      ${selected === '' && !allowNone ? html`<option value="" selected disabled>—</option>` : nothing}
      ${this.inspection.columns.map((c) => html`<option value=${c.name} ?selected=${c.name === selected}>${c.name}</option>`)}`;
  }

  private renderForm() {
    const { mapping } = this.choices;
    const constant = mapping.event.startsWith(':');
    const text = this.inspection.encoding !== null;
    return html`
      <form @change=${this.changed} @input=${(e: Event) => { if ((e.target as HTMLElement).matches('input[type=text]')) this.changed(e); }}
        @submit=${(e: Event) => { e.preventDefault(); if (this.preview && !this.busy) this.emit('import-confirm', this.choices); }}>
        <label for="import-user">${TEXT.user}</label>
        <select id="import-user" name="user_id" data-testid="import-user">${this.columnOptions(mapping.user_id, false)}</select>
        <span class="help muted">${TEXT.userHelp}</span>
        <span>${TEXT.event}</span>
        <fieldset aria-label=${TEXT.event}>
          <label class="radio"><input type="radio" name="event_kind" value="column" ?checked=${!constant} data-testid="import-event-column-kind">${TEXT.eventColumn}</label>
          <select name="event_column" aria-label="${TEXT.event}: ${TEXT.eventColumn}" ?disabled=${constant} data-testid="import-event-column">
            ${this.columnOptions(constant ? '' : mapping.event, false)}</select>
          <label class="radio"><input type="radio" name="event_kind" value="constant" ?checked=${constant} data-testid="import-event-constant-kind">${TEXT.eventConstant}</label>
          <input type="text" name="event_constant" aria-label="${TEXT.event}: ${TEXT.eventConstant}" placeholder=${TEXT.eventConstantPlaceholder}
            .value=${constant ? mapping.event.slice(1) : ''} ?disabled=${!constant} data-testid="import-event-constant">
        </fieldset>
        <label for="import-ts">${TEXT.time}</label>
        <select id="import-ts" name="ts" data-testid="import-ts">${this.columnOptions(mapping.ts, false)}</select>
        <label for="import-zone">${TEXT.zone}</label>
        <input type="text" id="import-zone" name="timezone" list="import-zones" placeholder="UTC" .value=${this.choices.timezone ?? ''} data-testid="import-zone">
        <span class="help muted">${TEXT.zoneHelp}</span>
        <datalist id="import-zones">${zones().map((z) => html`<option value=${z}></option>`)}</datalist>
        <label for="import-revenue">${TEXT.revenue}</label>
        <select id="import-revenue" name="revenue" data-testid="import-revenue">${this.columnOptions(mapping.revenue, true)}</select>
        ${text ? html`
          <label for="import-encoding">${TEXT.encoding}</label>
          <select id="import-encoding" name="encoding" data-testid="import-encoding">
            ${TEXT_ENCODINGS.map((e) => html`<option value=${e} ?selected=${(this.choices.encoding ?? this.inspection.encoding) === e}>
              ${e === this.inspection.encoding && !this.choices.encoding ? TEXT.detected(ENCODING_NAMES[e]) : ENCODING_NAMES[e]}</option>`)}
          </select>` : nothing}
      </form>`;
  }

  private roleOf(column: string): string[] {
    const { mapping } = this.choices;
    return (Object.entries(mapping) as [string, string][]).filter(([, value]) => value === column).map(([role]) => ROLE_LABELS[role]);
  }

  private renderColumns() {
    return html`
      <div>
        <h3>${TEXT.columns}</h3>
        <div class="table-scroll"><table class="columns" data-testid="import-columns">
          <thead><tr>${TEXT.columnHeads.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead>
          <tbody>${this.inspection.columns.map((c) => html`<tr>
            <th scope="row">${c.name}</th><td class="muted">${c.type}</td>
            <td class="samples">${c.samples.join(' · ')}</td>
            <td>${this.roleOf(c.name).map((r) => html`<span class="role">${r}</span> `)}</td></tr>`)}</tbody>
        </table></div>
      </div>`;
  }

  private renderSummary() {
    const preview = this.preview;
    if (this.busy) return html`<div class="summary" role="status" data-testid="import-summary">${TEXT.checking}</div>`;
    if (!preview) return nothing;
    const s = preview.summary;
    const files = s.files ?? [s.file];
    return html`
      <div class="summary" role="status" data-testid="import-summary">
        <h3>${TEXT.summary}</h3>
        <span><b data-testid="import-rows">${n(s.rows)}</b> events of <b data-testid="import-users">${n(s.users)}</b> people${files.length > 1 ? html` · ${TEXT.files(files.length)}` : nothing}</span>
        <span data-testid="import-range">${TEXT.range(s.first_ts?.slice(0, 16).replace('T', ' ') ?? '', s.last_ts?.slice(0, 16).replace('T', ' ') ?? '')}</span>
        <span data-testid="import-left-out">${s.skipped_rows ? TEXT.leftOut(n(s.skipped_rows), n(s.skipped.no_user_id), n(s.skipped.no_ts)) : TEXT.noneLeftOut}</span>
        ${s.encoding ? html`<span data-testid="import-encoding-read">${TEXT.readAs(ENCODING_NAMES[s.encoding])}</span>` : nothing}
        ${s.widened_columns?.length ? html`<span>${TEXT.widened(s.widened_columns.join(', '))}</span>` : nothing}
        ${s.duplicate_rows ? html`<span>${TEXT.duplicates(n(s.duplicate_rows))}</span>` : nothing}
      </div>
      <cb-table-view .columns=${s.columns.filter((c) => c.name !== '__file')} .rows=${preview.rows} page-size="8" label=${TEXT.previewLabel} data-testid="import-preview"></cb-table-view>`;
  }

  override render() {
    const files = this.inspection.files;
    const title = files.length === 1 ? files[0] : `${files[0]} + ${files.length - 1}`;
    return html`
      <dialog aria-labelledby="import-title" data-testid="import-step" @cancel=${(e: Event) => { e.preventDefault(); this.emit('import-cancel'); }}>
        <div class="body">
          <h2 id="import-title">${TEXT.title(title)}</h2>
          ${this.reason ? html`<p class="reason" data-testid="import-reason">${this.reason}</p>` : html`<p class="muted">${TEXT.intro}</p>`}
          <div class="cols">${this.renderForm()}${this.renderColumns()}</div>
          ${this.problem ? html`<div class="error" role="alert" data-testid="import-problem">${this.problem}</div>` : nothing}
          ${this.renderSummary()}
        </div>
        <footer>
          <button @click=${() => this.emit('import-cancel')} data-testid="import-cancel">${TEXT.cancel}</button>
          <button class="primary" ?disabled=${!this.preview || this.busy || !!this.problem} data-testid="import-load"
            @click=${() => this.emit('import-confirm', this.choices)}>${this.preview && !this.busy ? TEXT.load(n(this.preview.summary.rows)) : TEXT.loadPending}</button>
        </footer>
      </dialog>`;
  }
}

let zoneList: string[] | undefined;
/** The platform's IANA zones, for the zone field's suggestions. */
function zones(): string[] {
  zoneList ??= ['UTC', ...((Intl as unknown as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf?.('timeZone') ?? [])];
  return zoneList;
}

customElements.define('cb-import-step', CbImportStep);

declare global {
  interface HTMLElementTagNameMap {
    'cb-import-step': CbImportStep;
  }
}
