import { LitElement, css, html, nothing } from 'lit';
import type { Engine } from '../engine/index.ts';
import { createBrowserEngine } from '../engine/browser.ts';
import { DataSources } from '../notebook/index.ts';
import { theme } from './theme.ts';
import type { TableColumn } from './cb-table-view.ts';
import './cb-data-panel.ts';
import './cb-table-view.ts';

/** The sample event log opened on a first visit, served by the app itself. */
export const SAMPLE_FILE = 'samples/shop-events.csv';

/**
 * The app shell: starts DuckDB-WASM in a worker, opens the sample log on a first visit, and lays
 * out the data panel beside the workspace.
 */
export class CbApp extends LitElement {
  static override properties = {
    status: { state: true },
    busy: { state: true },
    error: { state: true },
    preview: { state: true },
    dragging: { state: true },
  };

  declare status: string;
  declare busy: string | null;
  declare error: string | null;
  declare preview: { columns: TableColumn[]; rows: Record<string, unknown>[] } | null;
  declare dragging: boolean;

  engine: Engine | null = null;
  sources: DataSources | null = null;

  constructor() {
    super();
    this.status = 'Starting DuckDB…';
    this.busy = null;
    this.error = null;
    this.preview = null;
    this.dragging = false;
  }

  static override styles = [theme, css`
    :host { display: grid; grid-template-rows: auto 1fr; height: 100vh; background: var(--cb-bg); }
    header { display: flex; align-items: center; gap: 12px; padding: 10px 18px; border-bottom: 1px solid var(--cb-border); background: var(--cb-surface); }
    .logo { font-weight: 700; font-size: 16px; letter-spacing: -0.01em; }
    .logo span { color: var(--cb-accent); }
    .status { margin-left: auto; font-size: 12px; color: var(--cb-muted); }
    .layout { display: grid; grid-template-columns: 300px 1fr; min-height: 0; }
    aside { border-right: 1px solid var(--cb-border); padding: 16px; overflow: auto; background: var(--cb-bg); }
    main { padding: 20px 28px; overflow: auto; min-width: 0; }
    h1 { font-size: 20px; margin: 0 0 4px; }
    .cards { display: flex; gap: 12px; margin: 14px 0; flex-wrap: wrap; }
    .card { background: var(--cb-surface); border: 1px solid var(--cb-border); border-radius: 10px; padding: 10px 14px; min-width: 120px; }
    .card b { display: block; font-size: 20px; font-variant-numeric: tabular-nums; }
    .card span { font-size: 12px; color: var(--cb-muted); }
    .dropping { position: fixed; inset: 0; background: color-mix(in srgb, var(--cb-accent) 12%, transparent); border: 3px dashed var(--cb-accent);
      display: grid; place-items: center; font-size: 20px; color: var(--cb-accent); pointer-events: none; z-index: 10; }
  `];

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('dragover', this.onDragOver);
    this.addEventListener('dragleave', this.onDragLeave);
    this.addEventListener('drop', this.onDrop);
    void this.start();
  }

  private async start(): Promise<void> {
    try {
      const started = performance.now();
      this.engine = await createBrowserEngine();
      this.sources = new DataSources(this.engine);
      this.sources.addEventListener('change', () => { void this.refresh(); });
      this.status = `DuckDB-WASM ready in ${Math.round(performance.now() - started)} ms · offline`;
      const response = await fetch(SAMPLE_FILE);
      if (!response.ok) throw new Error(`the sample log ${SAMPLE_FILE} could not be read (${response.status})`);
      await this.load(new File([await response.arrayBuffer()], SAMPLE_FILE.split('/').pop()!));
    } catch (error) {
      this.status = 'DuckDB failed to start';
      this.error = (error as Error).message;
    }
  }

  /** Loads a file the person picked or dropped; on failure the earlier data stays loaded. */
  async load(file: File): Promise<void> {
    if (!this.sources) return;
    this.busy = `Loading ${file.name} (${(file.size / 1e6).toFixed(1)} MB)…`;
    this.error = null;
    try {
      await this.sources.add({ name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) });
    } catch (error) {
      this.error = (error as Error).message.split('\nSQL: ')[0];
    } finally {
      this.busy = null;
    }
  }

  private async run(label: string, task: () => Promise<unknown>): Promise<void> {
    this.busy = label;
    this.error = null;
    try {
      await task();
    } catch (error) {
      this.error = (error as Error).message.split('\nSQL: ')[0];
    } finally {
      this.busy = null;
    }
  }

  private async refresh(): Promise<void> {
    if (!this.engine || !this.sources?.active) {
      this.preview = null;
      this.requestUpdate();
      return;
    }
    const table = await this.engine.query('SELECT * FROM events LIMIT 500');
    const columns = this.sources.active.summary.columns;
    this.preview = { columns, rows: table.toArray().map((row) => ({ ...row.toJSON() })) };
  }

  private onDragOver = (event: DragEvent) => {
    event.preventDefault();
    this.dragging = true;
  };

  private onDragLeave = (event: DragEvent) => {
    if (event.relatedTarget === null) this.dragging = false;
  };

  private onDrop = (event: DragEvent) => {
    event.preventDefault();
    this.dragging = false;
    const file = event.dataTransfer?.files?.[0];
    if (file) void this.load(file);
  };

  private toggleTheme(): void {
    const root = document.documentElement;
    root.dataset.theme = root.dataset.theme === 'dark' ? 'light' : 'dark';
    localStorage.setItem('cohortbook-theme', root.dataset.theme);
  }

  override render() {
    const active = this.sources?.active ?? null;
    const s = active?.summary;
    return html`
      <header>
        <div class="logo">cohort<span>book</span></div>
        <span class="status" data-testid="engine-status">${this.status}</span>
        <button @click=${this.toggleTheme} aria-label="Toggle dark theme">◐</button>
      </header>
      <div class="layout">
        <aside>
          <cb-data-panel
            .sources=${this.sources?.list ?? []} .active=${active?.source ?? null} .busy=${this.busy} .error=${this.error}
            @load-file=${(e: CustomEvent<File>) => this.load(e.detail)}
            @remap=${(e: CustomEvent) => this.run('Re-mapping…', () => this.sources!.remap(e.detail.source, e.detail.mapping))}
            @activate=${(e: CustomEvent<string>) => this.run('Switching…', () => this.sources!.activate(e.detail))}
            @remove=${(e: CustomEvent<string>) => this.run('Removing…', () => this.sources!.remove(e.detail))}
          ></cb-data-panel>
        </aside>
        <main>
          ${s ? html`
            <h1>${active!.file.name}</h1>
            <div class="muted">The <code>events</code> view: user <code>${s.mapping.user_id}</code>, event
              <code>${'constant' in s.mapping.event ? `“${s.mapping.event.constant}” for every row` : s.mapping.event.column}</code>,
              time <code>${s.mapping.ts}</code>${s.mapping.revenue ? html`, revenue <code>${s.mapping.revenue}</code>` : nothing}.</div>
            <div class="cards">
              <div class="card"><b data-testid="summary-rows">${s.rows.toLocaleString('en-US')}</b><span>events</span></div>
              <div class="card"><b>${s.users.toLocaleString('en-US')}</b><span>users</span></div>
              <div class="card"><b>${s.skipped_rows.toLocaleString('en-US')}</b><span>rows left out (no user or time)</span></div>
              <div class="card"><b>${s.first_ts?.slice(0, 10)}</b><span>first event (UTC)</span></div>
              <div class="card"><b>${s.last_ts?.slice(0, 10)}</b><span>last event (UTC)</span></div>
            </div>
            ${this.preview ? html`<cb-table-view .columns=${this.preview.columns} .rows=${this.preview.rows}></cb-table-view>` : nothing}
          ` : html`<p class="muted">${this.busy ?? 'No data loaded yet. Open or drop an event log.'}</p>`}
        </main>
      </div>
      ${this.dragging ? html`<div class="dropping">Drop to load this file</div>` : nothing}
    `;
  }
}

customElements.define('cb-app', CbApp);

declare global {
  interface HTMLElementTagNameMap {
    'cb-app': CbApp;
  }
}
