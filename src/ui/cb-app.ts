import { LitElement, html, nothing } from 'lit';
import { profileColumn, type Engine } from '../engine/index.ts';
import type { ProfileColumn } from './cb-column-browser.ts';
import { createBrowserEngine } from '../engine/browser.ts';
import { viteAssets } from '../engine/vite-assets.ts';
import {
  DataSources, NotebookRuntime, createEngineHost, decodeShareLink, deleteNotebook,
  listNotebooks, loadDataFile, loadNotebook, notebookData, notebookTitle, parseNotebook,
  saveDataFile, saveNotebook, writeNotebook,
  type Cell, type Notebook, type NotebookListing, type NotebookDataRef, type StoredSource,
} from '../notebook/index.ts';
import { fileSlug, notebookLink, notebookReportHtml } from './notebook-exports.ts';
import { SAMPLE_FILE, providedFile, providedFileName } from './provided-data.ts';
import { servedSession, type ServedSession } from './served-session.ts';
import { theme } from './theme.ts';
import { appStyles } from './cb-app-styles.ts';
import { download } from './table-data.ts';
import { SHIPPED_NOTEBOOKS } from './shipped-notebooks.ts';
import { chartForCell } from './chart-for-cell.ts';
import { EMPTY_SCHEMA, liveSchema, type LiveSchema } from './live-schema.ts';
import type { CbNotebook } from './cb-notebook.ts';
import './cb-data-panel.ts';
import './cb-notebook.ts';
import './cb-start-page.ts';
import './cb-table-view.ts';
import './cb-command-palette.ts';
import type { CbCommandPalette, Command } from './cb-command-palette.ts';
import { appCommands } from './app-commands.ts';

const LAST_NOTEBOOK = 'cohortbook-last-notebook';

interface OpenNotebook {
  id: string;
  cells: Cell[];
  frontMatter?: string;
  format?: Notebook['format'];
  trusted: boolean;
  origin: string | null;
}

/**
 * The workspace: starts DuckDB-WASM in a worker, reopens the last notebook with its data (or the
 * sample notebook and log on a first visit), autosaves every change, and lays out the data panel
 * beside the notebook.
 */
export class CbApp extends LitElement {
  static override properties = {
    status: { state: true },
    busy: { state: true },
    error: { state: true },
    dragging: { state: true },
    view: { state: true },
    notebook: { state: true },
    saved: { state: true },
    catalog: { state: true },
    preview: { state: true },
    presenting: { state: true },
    notice: { state: true },
    schema: { state: true },
    panelOpen: { state: true },
    narrow: { state: true },
    menuOpen: { state: true },
  };

  declare status: string;
  declare busy: string | null;
  declare error: string | null;
  declare dragging: boolean;
  declare view: 'start' | 'notebook';
  declare notebook: OpenNotebook | null;
  declare saved: NotebookListing[];
  declare catalog: { events: string[]; columns: string[] };
  declare preview: Record<string, unknown>[];
  declare presenting: boolean;
  /** A passing message in the header (link copied, report exported). */
  declare notice: string | null;
  /** What the code editors complete from: tables, columns, event names, cell names, DuckDB's words. */
  declare schema: LiveSchema;
  /** Whether the data panel shows; on narrow screens it folds to a rail. */
  declare panelOpen: boolean;
  /** Below 1280 px the panel is a rail that opens over the notebook. */
  declare narrow: boolean;
  /** Whether the header's folded actions are showing (when they do not fit). */
  declare menuOpen: boolean;

  private get panelShown(): boolean {
    return this.panelOpen && !this.presenting;
  }

  private readonly narrowQuery = matchMedia('(max-width: 1279px)');
  private readonly onNarrow = () => {
    this.narrow = this.narrowQuery.matches;
    this.panelOpen = !this.narrow;
  };

  engine: Engine | null = null;
  sources: DataSources | null = null;
  runtime: NotebookRuntime | null = null;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    this.status = 'Starting DuckDB…';
    this.busy = null;
    this.error = null;
    this.dragging = false;
    this.view = 'notebook';
    this.notebook = null;
    this.saved = [];
    this.catalog = { events: [], columns: [] };
    this.preview = [];
    this.presenting = false;
    this.notice = null;
    this.schema = EMPTY_SCHEMA;
    this.narrow = this.narrowQuery.matches;
    this.panelOpen = !this.narrow;
    this.menuOpen = false;
  }

  /** Where each loaded file came from when the app itself provided it, for share links. */
  private readonly provided = new Map<string, string>();
  /** The content key each loaded file's bytes are stored under, by file name. */
  private readonly storedKeys = new Map<string, string>();

  static override styles = [theme, appStyles];

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('dragover', this.onDragOver);
    this.addEventListener('dragleave', this.onDragLeave);
    this.addEventListener('drop', this.onDrop);
    window.addEventListener('keydown', this.onGlobalKey);
    this.narrowQuery.addEventListener('change', this.onNarrow);
    void this.start();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('keydown', this.onGlobalKey);
    this.narrowQuery.removeEventListener('change', this.onNarrow);
  }

  private async start(): Promise<void> {
    try {
      const started = performance.now();
      this.engine = await createBrowserEngine(viteAssets);
      this.sources = new DataSources(this.engine);
      this.sources.addEventListener('change', () => { void this.dataChanged(); });
      this.runtime = new NotebookRuntime(createEngineHost(this.engine));
      this.runtime.addEventListener('cell-state', (event) => {
        const { status } = (event as CustomEvent<{ state: { status: string } }>).detail.state;
        if (status === 'done' || status === 'error') this.scheduleSchema();
      });
      void this.loadSqlWords();
      const ready = Math.round(performance.now() - started);
      // the threaded build runs when the page is cross-origin isolated (one thread per core)
      const threads = Number((await this.engine.query("SELECT current_setting('threads') AS n")).get(0)?.n ?? 1);
      this.status = `DuckDB-WASM ready in ${ready} ms · ${threads === 1 ? '1 thread' : `${threads} threads`} · offline`;
      this.saved = await listNotebooks().catch(() => []);
      const served = await servedSession((name, size) => { this.busy = `Reading ${name} (${(size / 1e6).toFixed(1)} MB)…`; })
        .catch((error) => { this.busy = null; this.error = (error as Error).message; return null; });
      if (served && await this.openServed(served)) return;
      if (location.hash.includes('nb=')) {
        await this.openShared(location.hash);
        return;
      }
      const lastId = localStorage.getItem(LAST_NOTEBOOK);
      const last = lastId ? await loadNotebook(lastId).catch(() => undefined) : undefined;
      if (last) {
        await this.restoreData(last.sources);
        this.open(last.text, last.id, last.trusted, null);
      } else {
        await this.loadSample();
        const first = SHIPPED_NOTEBOOKS.find((n) => n.file === 'getting-started.md') ?? SHIPPED_NOTEBOOKS[0];
        if (first) this.open(first.text, crypto.randomUUID(), true, null);
        else this.newNotebook();
      }
    } catch (error) {
      this.status = 'DuckDB failed to start';
      this.error = (error as Error).message;
    }
  }

  private async loadSample(): Promise<void> {
    await this.loadProvided({ file: SAMPLE_FILE, mapping: {} });
  }

  /** Loads a log the app provides: a sample it serves, or a teaching log generated from its seed. */
  private async loadProvided(ref: NotebookDataRef): Promise<void> {
    const file = await providedFile(ref, (name) => { this.busy = `Generating ${name}…`; });
    this.provided.set(file.name, ref.file);
    await this.load(file, ref.mapping as Record<string, string>, ref.timezone);
  }

  /** Loads the data a notebook's front matter names, unless a file of that name is loaded already. */
  private async loadNotebookData(notebook: Notebook): Promise<void> {
    const refs = notebookData(notebook.frontMatter);
    const loadedNames = new Set((this.sources?.list ?? []).map((s) => s.file.name));
    for (const ref of refs) {
      const name = providedFileName(ref);
      if (name && loadedNames.has(name)) {
        const source = this.sources!.list.find((s) => s.file.name === name)!;
        if (this.sources!.active?.source !== source.source) await this.sources!.activate(source.source);
        continue;
      }
      await this.loadProvided(ref).catch((error) => { this.error = (error as Error).message; });
    }
  }

  /**
   * Opens what `cohortbook serve` was given: its data files, then its notebook, which reads them
   * instead of its front matter's. False when it was given neither.
   */
  private async openServed(served: ServedSession): Promise<boolean> {
    for (const { file } of served.data) await this.load(file, served.mapping, served.timezone);
    if (served.notebook) {
      const names = notebookData(parseNotebook(served.notebook.text).frontMatter);
      if (!served.data.length && !names.length) await this.loadSample();
      this.open(served.notebook.text, crypto.randomUUID(), served.trusted, served.notebook.name, served.data.length === 0);
    } else if (served.data.length) {
      this.newNotebook();
    }
    return served.notebook !== null || served.data.length > 0;
  }

  /**
   * Opens a notebook that arrived in a link: its JavaScript waits until the person trusts it, and
   * of the data it names only the app's own samples and generated logs are loaded.
   */
  private async openShared(hash: string): Promise<void> {
    try {
      const shared = decodeShareLink(hash);
      const problems: string[] = [];
      for (const data of shared.data) {
        if ('sample' in data) await this.loadProvided({ file: data.sample, mapping: {} }).catch((error) => { problems.push((error as Error).message); });
        else await this.load(new File([data.bytes as Uint8Array<ArrayBuffer>], data.name));
      }
      if ((this.sources?.list.length ?? 0) === 0) await this.loadSample();
      this.open(shared.text, crypto.randomUUID(), false, 'a link');
      if (shared.missing.length) problems.push(`The sender also had ${shared.missing.join(', ')} loaded, too large for a link: open ${shared.missing.length === 1 ? 'that file' : 'those files'} to see the same numbers.`);
      if (problems.length) this.error = problems.map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join(' ');
      history.replaceState(null, '', location.pathname + location.search);
    } catch (error) {
      const message = `This link could not be opened: ${(error as Error).message}`;
      await this.loadSample();
      this.newNotebook();
      // after the sample: loading a file clears the message shown before it
      this.error = message;
    }
  }

  /** Loads the data files a saved notebook had, from IndexedDB; missing ones are named. */
  private async restoreData(sources: StoredSource[]): Promise<void> {
    const missing: string[] = [];
    for (const source of sources) {
      const { name, mapping, timezone } = source;
      const bytes = await loadDataFile(source).catch(() => undefined);
      if (!bytes) { missing.push(name); continue; }
      // files kept under their bare name (before content keys) move to their content key
      const key = source.key ?? await saveDataFile(bytes).catch(() => undefined);
      if (key) this.storedKeys.set(name, key);
      await this.sources!.add({ name, bytes }, { mapping, timezone }).catch((error) => { this.error = (error as Error).message; });
    }
    if (sources.length === 0 || missing.length === sources.length) await this.loadSample();
    if (missing.length) this.error = `This notebook used ${missing.join(', ')}, which this browser no longer has: open the file again.`;
  }

  /** Loads a data file the person picked or dropped; on failure the earlier data stays loaded. */
  async load(file: File, mapping: Record<string, string> = {}, timezone?: string): Promise<void> {
    if (!this.sources) return;
    if (/\.md$/i.test(file.name)) {
      this.open(await file.text(), crypto.randomUUID(), false, file.name);
      return;
    }
    this.busy = `Loading ${file.name} (${(file.size / 1e6).toFixed(1)} MB)…`;
    this.error = null;
    try {
      const bytes = new Uint8Array(await file.arrayBuffer());
      await this.sources.add({ name: file.name, bytes }, { mapping, timezone });
      const key = await saveDataFile(bytes).catch(() => undefined);
      if (key) this.storedKeys.set(file.name, key);
      else this.storedKeys.delete(file.name);
      this.scheduleSave();
    } catch (error) {
      this.error = (error as Error).message.split('\nSQL: ')[0];
    } finally {
      this.busy = null;
    }
  }

  /** The column browser's profiles, in DuckDB. */
  private readonly profileColumn: ProfileColumn = (table, column, type, signal, top) =>
    profileColumn(this.engine!, table, column, type, { signal, top });

  private sqlWords = { functions: [] as string[], keywords: [] as string[] };
  private schemaTimer: ReturnType<typeof setTimeout> | undefined;

  /** DuckDB's own function names and keywords, for SQL completion. */
  private async loadSqlWords(): Promise<void> {
    try {
      const functions = await this.engine!.query("SELECT DISTINCT function_name AS name FROM duckdb_functions() WHERE function_type IN ('scalar', 'aggregate', 'macro') ORDER BY 1");
      const keywords = await this.engine!.query('SELECT keyword_name AS name FROM duckdb_keywords() ORDER BY 1');
      this.sqlWords = { functions: functions.toArray().map((r) => String(r.name)), keywords: keywords.toArray().map((r) => String(r.name)) };
      this.scheduleSchema();
    } catch {
      // completion then offers StandardSQL's keywords only
    }
  }

  /** Rebuilds the live schema soon (once for a burst of cell results). */
  private scheduleSchema(): void {
    clearTimeout(this.schemaTimer);
    this.schemaTimer = setTimeout(() => this.updateSchema(), 30);
  }

  private updateSchema(): void {
    const runtime = this.runtime;
    if (!runtime) return;
    const next = liveSchema({
      sources: this.sources?.list ?? [], active: this.sources?.active ?? null, events: this.catalog.events,
      cells: this.notebook?.cells ?? [], state: (id) => runtime.state(id), outputs: (id) => runtime.outputsOf(id),
      builtins: runtime.builtinNames(), ...this.sqlWords,
    });
    if (JSON.stringify(next) !== JSON.stringify(this.schema)) this.schema = next;
  }

  private async dataChanged(): Promise<void> {
    this.requestUpdate();
    if (!this.engine || !this.sources?.active) {
      this.catalog = { events: [], columns: [] };
      return;
    }
    const events = await this.engine.query('SELECT DISTINCT event FROM events WHERE event IS NOT NULL ORDER BY event');
    this.preview = (await this.engine.query('SELECT * FROM events LIMIT 1000')).toArray().map((row) => ({ ...row.toJSON() }));
    this.catalog = {
      events: events.toArray().map((row) => String(row.event)),
      columns: this.sources.active.summary.columns.map((c) => c.name).filter((c) => c !== 'user_id' && c !== 'ts'),
    };
    this.scheduleSchema();
    if (this.notebook) void this.runtime?.runAll();
  }

  private open(text: string, id: string, trusted: boolean, origin: string | null, loadData = true): void {
    const parsed = parseNotebook(text);
    this.runtime?.setTrusted(trusted);
    this.notebook = { id, cells: parsed.cells, frontMatter: parsed.frontMatter, format: parsed.format, trusted, origin };
    if (loadData) void this.loadNotebookData(parsed).catch((error) => { this.error = (error as Error).message; });
    this.view = 'notebook';
    localStorage.setItem(LAST_NOTEBOOK, id);
    this.scheduleSave();
  }

  private newNotebook(): void {
    this.open('# Untitled analysis\n\nWrite prose here; add SQL, JavaScript and analysis cells below.\n', crypto.randomUUID(), true, null);
  }

  private trust(): void {
    if (!this.notebook) return;
    this.notebook = { ...this.notebook, trusted: true };
    this.runtime?.setTrusted(true);
    void this.runtime?.runAll();
    this.scheduleSave();
  }

  private notebookText(): string {
    return writeNotebook({ cells: this.notebook!.cells, frontMatter: this.notebook!.frontMatter, format: this.notebook!.format });
  }

  private scheduleSave(): void {
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => { void this.saveNow(); }, 300);
  }

  private async saveNow(): Promise<void> {
    if (!this.notebook) return;
    const { id, cells, trusted } = this.notebook;
    await saveNotebook({
      id, title: notebookTitle({ cells, frontMatter: this.notebook.frontMatter }), text: this.notebookText(), updatedAt: Date.now(), trusted,
      sources: (this.sources?.list ?? []).map((s) => ({
        name: s.file.name, key: this.storedKeys.get(s.file.name), mapping: s.overrides as Record<string, string>, timezone: s.timezone,
      })),
    }).catch((error) => { this.error = `Autosave failed: ${(error as Error).message}`; });
    this.saved = await listNotebooks().catch(() => this.saved);
  }

  private downloadNotebook(): void {
    if (!this.notebook) return;
    download(`${fileSlug(notebookTitle({ cells: this.notebook.cells }))}.md`, this.notebookText(), 'text/markdown');
  }

  /** A static HTML report with every output rendered (charts as SVG): opens with no app and no network. */
  private exportHtml(): void {
    if (!this.notebook || !this.runtime) return;
    const title = notebookTitle({ cells: this.notebook.cells, frontMatter: this.notebook.frontMatter });
    download(`${fileSlug(title)}.html`, notebookReportHtml(title, this.notebook.cells, this.runtime, this.sources?.list ?? []), 'text/html');
    this.flash('Report downloaded');
  }

  /** Copies a link that carries the notebook (and its data when it is a sample or small). */
  private async copyLink(): Promise<void> {
    if (!this.notebook) return;
    const { link, missing } = notebookLink(this.notebookText(), this.sources?.list ?? [], this.provided);
    await navigator.clipboard?.writeText(link).catch(() => undefined);
    this.lastLink = link;
    this.flash(missing.length ? `Link copied; ${missing.join(', ')} is too large to travel in it: whoever opens it must load that file` : 'Link copied: it carries the notebook and its data');
  }

  /** The last share link made (also on the clipboard). */
  lastLink: string | null = null;

  private flash(message: string): void {
    this.notice = message;
    setTimeout(() => { if (this.notice === message) this.notice = null; }, 6000);
  }

  private pickNotebook(): void {
    const input = Object.assign(document.createElement('input'), { type: 'file', accept: '.md,text/markdown' });
    input.addEventListener('change', () => { const file = input.files?.[0]; if (file) void this.load(file); });
    input.click();
  }

  private async run(label: string, task: () => Promise<unknown>): Promise<void> {
    this.busy = label;
    this.error = null;
    try {
      await task();
      this.scheduleSave();
    } catch (error) {
      this.error = (error as Error).message.split('\nSQL: ')[0];
    } finally {
      this.busy = null;
    }
  }

  private onGlobalKey = (event: KeyboardEvent) => {
    const mod = event.ctrlKey || event.metaKey;
    if (mod && event.key === 's') {
      event.preventDefault();
      this.downloadNotebook();
    } else if (mod && event.key.toLowerCase() === 'k') {
      event.preventDefault();
      this.openPalette('commands');
    } else if (event.key === '?' && !mod && !isTyping(event)) {
      event.preventDefault();
      this.openPalette('shortcuts');
    }
  };

  /** Opens the command palette (or the shortcut list) with the actions as they stand now. */
  openPalette(mode: 'commands' | 'shortcuts'): void {
    const palette = this.renderRoot.querySelector<CbCommandPalette>('cb-command-palette');
    if (!palette) return;
    palette.commands = this.commands();
    palette.open(mode);
  }

  private notebookView(): CbNotebook | null {
    return this.renderRoot.querySelector<CbNotebook>('cb-notebook');
  }

  /** Every action of the app, for the command palette and the shortcut list. */
  commands(): Command[] {
    return appCommands({
      notebook: this.view === 'notebook' && this.notebook ? this.notebookView() : null,
      hasNotebook: !!this.notebook,
      sources: this.sources?.list ?? [],
      active: this.sources?.active?.source ?? null,
      downloadNotebook: () => this.downloadNotebook(),
      exportHtml: () => this.exportHtml(),
      copyLink: () => { void this.copyLink(); },
      newNotebook: () => this.newNotebook(),
      pickNotebook: () => this.pickNotebook(),
      showStart: () => { this.view = 'start'; },
      pickDataFile: () => this.renderRoot.querySelector('cb-data-panel')?.pick(),
      useSource: (source) => { void this.run('Switching…', () => this.sources!.activate(source)); },
      toggleTheme: () => this.toggleTheme(),
      togglePanel: () => { this.panelOpen = !this.panelOpen; },
      openPalette: (mode) => this.openPalette(mode),
      openText: (text) => this.open(text, crypto.randomUUID(), true, null),
    });
  }

  private onDragOver = (event: DragEvent) => { event.preventDefault(); this.dragging = true; };
  private onDragLeave = (event: DragEvent) => { if (event.relatedTarget === null) this.dragging = false; };
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
    const notebook = this.notebook;
    return html`
      <header>
        <a class="logo" href="#" @click=${(e: Event) => { e.preventDefault(); this.view = 'start'; }} title="All notebooks">cohort<span>book</span></a>
        ${notebook && this.view === 'notebook' ? html`<span class="title" data-testid="notebook-title">${notebookTitle({ cells: notebook.cells })}</span>` : nothing}
        <button class="menu-toggle" aria-expanded=${this.menuOpen ? 'true' : 'false'} aria-controls="header-actions" data-testid="header-menu"
          @click=${() => { this.menuOpen = !this.menuOpen; }}>Menu ▾</button>
        <div class="actions ${this.menuOpen ? 'open' : ''}" id="header-actions" @click=${() => { this.menuOpen = false; }}
          @keydown=${(e: KeyboardEvent) => { if (e.key === 'Escape' && this.menuOpen) { this.menuOpen = false; this.renderRoot.querySelector<HTMLElement>('.menu-toggle')?.focus(); } }}>
          <button @click=${() => { this.view = 'start'; }}>Notebooks</button>
          <button @click=${() => this.newNotebook()}>New</button>
          <button @click=${() => this.pickNotebook()}>Open…</button>
          <button @click=${() => this.downloadNotebook()} ?disabled=${!notebook} title="Download the notebook file (Ctrl+S)">Save file</button>
          <button @click=${() => this.exportHtml()} ?disabled=${!notebook} title="A static HTML report with every output" data-testid="export-html">Export HTML</button>
          <button @click=${() => this.copyLink()} ?disabled=${!notebook} title="A link that carries the notebook" data-testid="copy-link">Copy link</button>
          <button @click=${() => this.renderRoot.querySelector<CbNotebook>('cb-notebook')?.togglePresentation()} ?disabled=${!notebook || this.view !== 'notebook'} title="One cell at a time, code hidden (Esc to leave)" data-testid="present">Present</button>
        </div>
        <button class="primary" @click=${() => this.renderRoot.querySelector<CbNotebook>('cb-notebook')?.runAll()} ?disabled=${!notebook} data-testid="run-all">Run all</button>
        <span class="status" data-testid="engine-status" role="status">${this.notice ? html`<b data-testid="notice">${this.notice}</b>` : this.status}</span>
        <button @click=${() => this.openPalette('commands')} title="Every action, searchable (Ctrl+K)" data-testid="open-palette">Actions</button>
        <button @click=${this.toggleTheme} aria-label="Switch light and dark theme" title="Light / dark">◐</button>
      </header>
      <div class="layout ${this.presenting ? 'presenting' : ''} ${this.panelShown ? 'panel-open' : 'rail'} ${this.narrow ? 'narrow' : ''}"
        @presentation-change=${(e: CustomEvent<boolean>) => { this.presenting = e.detail; }}>
        <aside id="data-panel" aria-label="Data" @keydown=${(e: KeyboardEvent) => { if (e.key === 'Escape' && this.narrow && this.panelOpen) this.panelOpen = false; }}>
          <button class="rail-toggle" aria-expanded=${this.panelShown ? 'true' : 'false'} aria-controls="data-panel-body" data-testid="toggle-data-panel"
            title=${this.panelShown ? 'Fold the data panel' : 'Show the data panel'} @click=${() => { this.panelOpen = !this.panelShown; }}>
            ${this.panelShown ? '«' : html`<span aria-hidden="true">▸</span><span class="rail-label">Data</span>`}<span class="sr-only">${this.panelShown ? 'Fold the data panel' : 'Show the data panel'}</span>
          </button>
          <cb-data-panel id="data-panel-body" ?hidden=${!this.panelShown}
            .sources=${this.sources?.list ?? []} .active=${active?.source ?? null} .busy=${this.busy} .error=${this.error} .profile=${this.profileColumn}
            @insert-text=${(e: CustomEvent<string>) => this.renderRoot.querySelector<CbNotebook>('cb-notebook')?.insertText(e.detail)}
            @load-file=${(e: CustomEvent<File>) => this.load(e.detail)}
            @remap=${(e: CustomEvent) => this.run('Re-mapping…', () => this.sources!.remap(e.detail.source, e.detail.mapping, e.detail.timezone))}
            @activate=${(e: CustomEvent<string>) => this.run('Switching…', () => this.sources!.activate(e.detail))}
            @remove=${(e: CustomEvent<string>) => this.run('Removing…', () => this.sources!.remove(e.detail))}
          ></cb-data-panel>
        </aside>
        <main>
          ${this.view === 'start' ? html`<cb-start-page .saved=${this.saved}
              @new-notebook=${() => this.newNotebook()}
              @open-saved=${async (e: CustomEvent<string>) => { const n = await loadNotebook(e.detail); if (n) { await this.restoreData(n.sources); this.open(n.text, n.id, n.trusted, null); } }}
              @open-text=${(e: CustomEvent<{ text: string; trusted: boolean }>) => this.open(e.detail.text, crypto.randomUUID(), e.detail.trusted, null)}
              @delete-saved=${async (e: CustomEvent<string>) => { await deleteNotebook(e.detail); this.saved = await listNotebooks(); }}
            ></cb-start-page>`
          : notebook ? html`
            ${active ? html`<details class="preview" data-testid="events-preview">
              <summary>The <b>events</b> view: <b data-testid="summary-rows">${active.summary.rows.toLocaleString('en-US')}</b> events of
                <b>${active.summary.users.toLocaleString('en-US')}</b> users from <b>${active.file.name}</b>, ${active.summary.first_ts?.slice(0, 10)} → ${active.summary.last_ts?.slice(0, 10)} (UTC) · preview</summary>
              <cb-table-view .columns=${active.summary.columns} .rows=${this.preview} page-size="10" searchable label="the first 1,000 events"></cb-table-view>
            </details>` : nothing}
            ${notebook.trusted ? nothing : html`<div class="trust" role="alert" data-testid="trust-banner">
              <span>This notebook came from ${notebook.origin ?? 'someone else'}. Its JavaScript cells do not run until you trust it.</span>
              <button @click=${() => this.trust()} data-testid="trust">Trust and run</button></div>`}
            <cb-notebook .cells=${notebook.cells} .runtime=${this.runtime} .catalog=${this.catalog} .schema=${this.schema} .chartFor=${chartForCell}
              @notebook-change=${(e: CustomEvent<Cell[]>) => { this.notebook = { ...this.notebook!, cells: e.detail }; this.scheduleSave(); }}
            ></cb-notebook>`
          : html`<p class="muted">${this.busy ?? this.error ?? 'Starting…'}</p>`}
        </main>
      </div>
      ${this.dragging ? html`<div class="dropping">Drop to load this file</div>` : nothing}
      <cb-command-palette></cb-command-palette>
    `;
  }
}

/** Whether a key went to something the person types in (an editor, a field), where keys are text. */
function isTyping(event: KeyboardEvent): boolean {
  return event.composedPath().some((el) => el instanceof HTMLElement && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName)));
}

customElements.define('cb-app', CbApp);

declare global {
  interface HTMLElementTagNameMap {
    'cb-app': CbApp;
  }
}
