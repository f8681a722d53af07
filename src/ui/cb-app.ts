import { LitElement, html, nothing } from 'lit';
import { profileColumn, type Engine } from '../engine/index.ts';
import type { ProfileColumn } from './cb-column-browser.ts';
import { createBrowserEngine } from '../engine/browser.ts';
import { viteAssets } from '../engine/vite-assets.ts';
import {
  DataSources, NotebookRuntime, createEngineHost, decodeShareLink, deleteNotebook,
  listNotebooks, loadDataFile, loadNotebook, notebookData, notebookTitle, parseNotebook,
  saveDataFile, saveNotebook, writeNotebook, isOwnFile, savedImport, rememberImport, loadProgress, progressKey, saveExerciseProgress,
  type Cell, type Notebook, type NotebookListing, type NotebookDataRef, type StoredSource, type SourceChoices, type NotebookProgress, type ExerciseProgress,
} from '../notebook/index.ts';
import { estimateLoadMemory, isOutOfMemory, parseEncoding, type EventFile } from '../engine/index.ts';
import { ImportFlow, type ImportView } from './import-flow.ts';
import { NotebookLock, type Ownership } from './notebook-lock.ts';
import { OTHER_TAB, autosaveProblem, tooBig } from './app-messages.ts';
import type { ImportStepChoices } from './cb-import-step.ts';
import { courseNotebooks, exerciseNames } from './course.ts';
import { LANGUAGES, Localized, formatNumber, language, setLanguage, t, type Language } from './i18n.ts';
import { formatCount } from '../plots/index.ts';
import './cb-exercise-progress.ts';
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
  /** The shipped notebook it came from, whose exercise progress it shares. */
  shipped?: string;
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
    importView: { state: true },
    ownership: { state: true },
    progress: { state: true },
    shippedProgress: { state: true },
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
  /** The import step, while one is open. */
  declare importView: ImportView | null;
  /** Whether this tab owns the open notebook (saves it), or another tab does. */
  declare ownership: Ownership;
  /** The open notebook's exercise progress (IndexedDB, per notebook). */
  declare progress: NotebookProgress | null;
  /** Each shipped notebook's exercise progress, for the start page's cards. */
  declare shippedProgress: Record<string, NotebookProgress>;

  private get panelShown(): boolean {
    return this.panelOpen && !this.presenting;
  }

  private readonly localized = new Localized(this);
  private readonly narrowQuery = matchMedia('(max-width: 1279px)');
  private readonly onNarrow = () => {
    this.narrow = this.narrowQuery.matches;
    this.panelOpen = !this.narrow;
  };

  engine: Engine | null = null;
  sources: DataSources | null = null;
  runtime: NotebookRuntime | null = null;
  private imports: ImportFlow | null = null;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    this.status = t('app.starting');
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
    this.importView = null;
    this.ownership = 'owner';
    this.progress = null;
    this.shippedProgress = {};
  }

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('view') && this.view === 'start') void this.loadShippedProgress();
  }

  /** Reads every shipped notebook's progress for the start page. */
  private async loadShippedProgress(): Promise<void> {
    const entries = await Promise.all(SHIPPED_NOTEBOOKS.map(async (n) => [n.file, await loadProgress(progressKey({ id: '', shipped: n.file }))] as const));
    this.shippedProgress = Object.fromEntries(entries);
  }

  /** One tab owns a notebook at a time (see notebook-lock.ts). */
  private readonly lock = new NotebookLock(
    (state) => { void this.ownershipChanged(state); },
    () => this.saveNow(),
    () => { void this.reloadSaved(); },
  );
  private claiming: Promise<unknown> = Promise.resolve();
  /** The notebook text as last saved (or opened), to tell whether this tab has unsaved edits. */
  private savedText: string | null = null;
  /** The titles of copies this tab saved (the notebook's own title with "(copy)"), by id. */
  private readonly copyTitles = new Map<string, string>();

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
    this.addEventListener('click', this.onLinkClick);
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
      this.imports = new ImportFlow(this.sources, () => { this.importView = this.imports?.view ?? null; });
      this.runtime = new NotebookRuntime(createEngineHost(this.engine));
      this.runtime.addEventListener('cell-state', (event) => {
        const { status } = (event as CustomEvent<{ state: { status: string } }>).detail.state;
        if (status === 'done' || status === 'error') this.scheduleSchema();
      });
      void this.loadSqlWords();
      const ms = Math.round(performance.now() - started);
      // the threaded build runs when the page is cross-origin isolated (one thread per core)
      const threads = Number((await this.engine.query("SELECT current_setting('threads') AS n")).get(0)?.n ?? 1);
      this.status = t('app.ready', { ms, count: threads });
      this.saved = await listNotebooks().catch(() => []);
      const served = await servedSession((name, size) => { this.busy = t('app.reading', { name, mb: megabytes(size) }); })
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
        this.open(last.text, last.id, last.trusted, null, true, last.shipped);
      } else {
        await this.loadSample();
        // the course's first notebook, in the interface's language when it is translated
        const first = courseNotebooks(language()).find((n) => n.file.endsWith('getting-started.md')) ?? SHIPPED_NOTEBOOKS[0];
        if (first) this.open(first.text, crypto.randomUUID(), true, null, true, first.file);
        else this.newNotebook();
      }
    } catch (error) {
      this.status = t('app.failed');
      this.error = (error as Error).message;
    }
  }

  private async loadSample(): Promise<void> {
    await this.loadProvided({ file: SAMPLE_FILE, mapping: {} });
  }

  /** Loads a log the app provides: a sample it serves, or a teaching log generated from its seed. */
  private async loadProvided(ref: NotebookDataRef): Promise<void> {
    const file = await providedFile(ref, (name) => { this.busy = t('app.generating', { name }); });
    this.provided.set(file.name, ref.file);
    await this.load(file, ref.mapping as Record<string, string>, ref.timezone);
  }

  /** Loads the data a notebook's front matter names, unless a file of that name is loaded already. */
  private async loadNotebookData(notebook: Notebook): Promise<void> {
    const refs = notebookData(notebook.frontMatter);
    const loadedNames = new Set((this.sources?.list ?? []).map((s) => s.file.name));
    const missing: string[] = [];
    for (const ref of refs) {
      if (isOwnFile(ref.file) && providedFileName(ref) === undefined) {
        // the person's own file: never fetched; it loads (with these choices) when they open it
        const own = this.sources?.list.find((s) => s.file.name === ref.file);
        if (own && this.sources!.active?.source !== own.source) await this.sources!.activate(own.source);
        if (!own) missing.push((ref.files ?? [ref.file]).join(', '));
        continue;
      }
      const name = providedFileName(ref);
      if (name && loadedNames.has(name)) {
        const source = this.sources!.list.find((s) => s.file.name === name)!;
        if (this.sources!.active?.source !== source.source) await this.sources!.activate(source.source);
        continue;
      }
      await this.loadProvided(ref).catch((error) => { this.error = (error as Error).message; });
    }
    if (missing.length && !this.error) {
      this.error = t('app.readsOwnFile', { files: missing.join(t('app.and')) });
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
      if (shared.missing.length) problems.push(t('app.senderHad', { files: shared.missing.join(', '), count: shared.missing.length }));
      if (problems.length) this.error = problems.map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join(' ');
      history.replaceState(null, '', location.pathname + location.search);
    } catch (error) {
      const message = t('app.linkFailed', { error: (error as Error).message });
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
      const { mapping, timezone } = source;
      const files: EventFile[] = [];
      for (const part of source.parts ?? [{ name: source.name, key: source.key }]) {
        const bytes = await loadDataFile(part).catch(() => undefined);
        if (!bytes) { missing.push(part.name); continue; }
        // files kept under their bare name (before content keys) move to their content key
        const key = part.key ?? await saveDataFile(bytes).catch(() => undefined);
        if (key) this.storedKeys.set(part.name, key);
        files.push({ name: part.name, bytes });
      }
      if (files.length === 0) continue;
      const encoding = source.encoding ? parseEncoding(source.encoding) : undefined;
      await this.sources!.add(files, { mapping, timezone, encoding }).catch((error) => { this.error = (error as Error).message; });
    }
    if (sources.length === 0 || (this.sources?.list.length ?? 0) === 0) await this.loadSample();
    if (missing.length) this.error = t('app.noLongerHas', { files: missing.join(', ') });
  }

  /** Loads a data file the person picked or dropped; on failure the earlier data stays loaded. */
  async load(file: File, mapping: Record<string, string> = {}, timezone?: string): Promise<void> {
    if (!this.sources) return;
    if (/\.md$/i.test(file.name)) {
      this.open(await file.text(), crypto.randomUUID(), false, file.name);
      return;
    }
    this.busy = t('app.loading', { name: file.name, mb: megabytes(file.size) });
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

  /**
   * Loads files the person picked or dropped (several are one log; `into` adds them to a loaded
   * source). The columns the notebook saved for the file, or the guessed ones when they look
   * right, load at once; otherwise the import step opens. On failure the earlier data stays.
   */
  async loadFiles(picked: File[], into?: string): Promise<void> {
    if (!this.sources || !this.imports || picked.length === 0) return;
    const notebook = picked.find((f) => /\.md$/i.test(f.name));
    if (notebook) { await this.load(notebook); return; }
    const target = into ? this.sources.list.find((s) => s.source === into) : undefined;
    // answered before a byte is read: a file too big for the tab must not take the tab down
    const all = [...(target?.files.map((f) => ({ name: f.name, size: f.bytes.length })) ?? []), ...picked];
    const needed = all.reduce((sum, f) => sum + estimateLoadMemory(f.name, f.size).needed, 0);
    const available = estimateLoadMemory('', 0).available;
    if (needed > available) {
      this.error = tooBig(all, available, 'before');
      return;
    }
    const names = picked.map((f) => f.name).join(', ');
    this.busy = t('app.reading', { name: names, mb: megabytes(picked.reduce((n, f) => n + f.size, 0)) });
    this.error = null;
    try {
      const added: EventFile[] = [];
      for (const file of picked) added.push({ name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) });
      const files = target ? [...target.files, ...added] : added;
      const saved = target ? { mapping: target.overrides, timezone: target.timezone, encoding: target.encoding } : this.savedChoices(files[0].name);
      const loaded = await this.imports.start(files, { saved, into: target?.source });
      if (loaded) await this.keepFiles(added);
    } catch (error) {
      this.error = isOutOfMemory(error) ? tooBig(all, available, 'during') : (error as Error).message.split('\nSQL: ')[0];
    } finally {
      this.busy = null;
    }
  }

  /** The choices this notebook's front matter keeps for a file of that name. */
  private savedChoices(name: string): SourceChoices | undefined {
    const ref = savedImport(this.notebook?.frontMatter, name);
    if (!ref) return undefined;
    return { mapping: ref.mapping, timezone: ref.timezone, encoding: ref.encoding ? parseEncoding(ref.encoding) : undefined };
  }

  /** Keeps the files' bytes (for a reload) and autosaves. */
  private async keepFiles(added: EventFile[]): Promise<void> {
    for (const file of added) {
      const key = await saveDataFile(file.bytes).catch(() => undefined);
      if (key) this.storedKeys.set(file.name, key);
      else this.storedKeys.delete(file.name);
    }
    this.scheduleSave();
  }

  /** Opens the import step on a loaded source, with the choices it was loaded with. */
  private async reimport(source: string): Promise<void> {
    const target = this.sources?.list.find((s) => s.source === source);
    if (!target || !this.imports) return;
    await this.run(t('app.openingImport'), () => this.imports!.start(target.files,
      { saved: { mapping: target.overrides, timezone: target.timezone, encoding: target.encoding }, into: source, ask: true }));
  }

  /** Load in the import step: the events replace the source's, and the notebook keeps the choices. */
  private async confirmImport(): Promise<void> {
    try {
      const done = await this.imports?.confirm();
      if (!done) return;
      const { source, files, choices } = done;
      const mapping = source.summary.mapping;
      const full: Record<string, string> = {
        user_id: mapping.user_id, event: 'constant' in mapping.event ? `:${mapping.event.constant}` : mapping.event.column,
        ts: mapping.ts, revenue: mapping.revenue ?? '',
      };
      // the whole mapping is kept, so the file loads the same way even if the guesses change
      this.sources!.setOverrides(source.source, full);
      if (this.notebook) {
        const frontMatter = rememberImport(this.notebook.frontMatter, {
          file: files[0].name, files: files.length > 1 ? files.map((f) => f.name) : undefined,
          mapping: full, timezone: choices.timezone, encoding: choices.encoding,
        });
        this.notebook = { ...this.notebook, frontMatter };
      }
      await this.keepFiles(files.filter((f) => !this.storedKeys.has(f.name)));
    } catch (error) {
      this.error = (error as Error).message.split('\nSQL: ')[0];
      await this.imports?.cancel();
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

  private open(text: string, id: string, trusted: boolean, origin: string | null, loadData = true, shipped?: string): void {
    const parsed = parseNotebook(text);
    this.runtime?.setTrusted(trusted);
    this.notebook = { id, cells: parsed.cells, frontMatter: parsed.frontMatter, format: parsed.format, trusted, origin, ...(shipped ? { shipped } : {}) };
    this.savedText = this.notebookText();
    this.claiming = this.lock.claim(id).then((state) => { this.ownership = state; });
    this.progress = null;
    const key = progressKey(this.notebook);
    void loadProgress(key).then((progress) => { if (this.notebook && progressKey(this.notebook) === key) this.progress = progress; });
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
    await this.claiming;
    if (!this.notebook) return;
    const text = this.notebookText();
    if (this.lock.state !== 'owner') {
      // another tab saves this notebook: an edit made here is kept as a copy, never over its work
      if (text !== this.savedText) await this.saveAsCopy();
      return;
    }
    const { id, cells, trusted, shipped } = this.notebook;
    let saved = true;
    await saveNotebook({
      id, title: this.copyTitles.get(id) ?? notebookTitle({ cells, frontMatter: this.notebook.frontMatter }), text, updatedAt: Date.now(), trusted, ...(shipped ? { shipped } : {}),
      sources: (this.sources?.list ?? []).map((s): StoredSource => ({
        name: s.file.name, key: this.storedKeys.get(s.file.name), mapping: s.overrides as Record<string, string>, timezone: s.timezone,
        ...(s.encoding ? { encoding: s.encoding } : {}),
        ...(s.files.length > 1 ? { parts: s.files.map((f) => ({ name: f.name, key: this.storedKeys.get(f.name) })) } : {}),
      })),
    }).catch((error) => { saved = false; this.error = autosaveProblem(error); });
    if (saved) {
      this.savedText = text;
      this.lock.saved();
    }
    this.saved = await listNotebooks().catch(() => this.saved);
  }

  /** Saves this tab's notebook under a new id (a copy this tab owns) and says so. */
  private async saveAsCopy(): Promise<void> {
    if (!this.notebook) return;
    const id = crypto.randomUUID();
    const title = `${notebookTitle({ cells: this.notebook.cells, frontMatter: this.notebook.frontMatter })} (copy)`;
    this.notebook = { ...this.notebook, id };
    localStorage.setItem(LAST_NOTEBOOK, id);
    this.claiming = this.lock.claim(id).then((state) => { this.ownership = state; });
    await this.claiming;
    this.copyTitles.set(id, title);
    await this.saveNow();
    this.flash(t('app.savedAsCopy', { title }));
  }

  /** Another tab took this notebook over: edits this tab made since its last save are kept as a copy. */
  private async ownershipChanged(state: Ownership): Promise<void> {
    this.ownership = state;
    if (state === 'taken' && this.notebook && this.notebookText() !== this.savedText) await this.saveAsCopy();
  }

  /** Another tab saved the notebook this tab shows without owning it: show that version, unless this tab has edits of its own. */
  private async reloadSaved(): Promise<void> {
    if (!this.notebook || this.notebookText() !== this.savedText) return;
    const stored = await loadNotebook(this.notebook.id).catch(() => undefined);
    if (stored && stored.text !== this.savedText) this.open(stored.text, stored.id, stored.trusted, this.notebook.origin, false, stored.shipped);
  }

  /** Take over here: the owning tab saves first, then this tab owns the notebook, as that tab left it. */
  private async takeOver(): Promise<void> {
    if (!this.notebook) return;
    await this.lock.takeOver();
    this.ownership = this.lock.state;
    const stored = await loadNotebook(this.notebook.id).catch(() => undefined);
    if (stored) this.open(stored.text, stored.id, stored.trusted, this.notebook.origin, false, stored.shipped);
  }

  /** Keeps what the student did with one exercise (shown at once, written to IndexedDB). */
  private async saveProgress(name: string, progress: ExerciseProgress): Promise<void> {
    if (!this.notebook) return;
    const key = progressKey(this.notebook);
    this.progress = { exercises: { ...this.progress?.exercises, [name]: progress }, updatedAt: Date.now() };
    try {
      const saved = await saveExerciseProgress(key, name, progress);
      if (this.notebook && progressKey(this.notebook) === key) this.progress = saved;
    } catch (error) {
      this.error = t('app.progressFailed', { error: (error as Error).message });
    }
  }

  private downloadNotebook(): void {
    if (!this.notebook) return;
    download(`${fileSlug(notebookTitle({ cells: this.notebook.cells }))}.md`, this.notebookText(), 'text/markdown');
  }

  /** A static HTML report with every output rendered (charts as SVG): opens with no app and no network. */
  private exportHtml(audience: 'student' | 'teacher' = 'teacher'): void {
    if (!this.notebook || !this.runtime) return;
    const title = notebookTitle({ cells: this.notebook.cells, frontMatter: this.notebook.frontMatter });
    const file = `${fileSlug(title)}${audience === 'student' ? '-worksheet' : ''}.html`;
    download(file, notebookReportHtml(title, this.notebook.cells, this.runtime, this.sources?.list ?? [], audience), 'text/html');
    this.flash(audience === 'student' ? t('app.worksheetDownloaded') : t('app.reportDownloaded'));
  }

  /** Copies a link that carries the notebook (and its data when it is a sample or small). */
  private async copyLink(): Promise<void> {
    if (!this.notebook) return;
    const { link, missing } = notebookLink(this.notebookText(), this.sources?.list ?? [], this.provided);
    await navigator.clipboard?.writeText(link).catch(() => undefined);
    this.lastLink = link;
    this.flash(missing.length ? t('app.linkCopiedMissing', { files: missing.join(', ') }) : t('app.linkCopied'));
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
      exportHtml: (audience) => this.exportHtml(audience),
      hasExercises: !!this.notebook && exerciseNames(this.notebook.cells).length > 0,
      copyLink: () => { void this.copyLink(); },
      newNotebook: () => this.newNotebook(),
      pickNotebook: () => this.pickNotebook(),
      showStart: () => { this.view = 'start'; },
      pickDataFile: () => this.renderRoot.querySelector('cb-data-panel')?.pick(),
      useSource: (source) => { void this.run(t('app.switching'), () => this.sources!.activate(source)); },
      toggleTheme: () => this.toggleTheme(),
      togglePanel: () => { this.panelOpen = !this.panelOpen; },
      openPalette: (mode) => this.openPalette(mode),
      openText: (text, file) => this.open(text, crypto.randomUUID(), true, null, true, file),
    });
  }

  /** A link in prose to a shipped notebook (the course's "Next: …") opens that notebook here. */
  private onLinkClick = (event: MouseEvent) => {
    const link = event.composedPath().find((el): el is HTMLAnchorElement => el instanceof HTMLAnchorElement);
    const href = link?.getAttribute('href');
    if (!href || !/^[\w./-]+\.md$/.test(href) || /^[a-z]+:/i.test(href)) return;
    const folder = this.notebook?.shipped?.includes('/') ? this.notebook.shipped.replace(/[^/]+$/, '') : '';
    const file = `${folder}${href.replace(/^\.\//, '')}`;
    const target = SHIPPED_NOTEBOOKS.find((n) => n.file === file) ?? SHIPPED_NOTEBOOKS.find((n) => n.file === href);
    if (!target) return;
    event.preventDefault();
    this.open(target.text, crypto.randomUUID(), true, null, true, target.file);
  };

  private onDragOver = (event: DragEvent) => { event.preventDefault(); this.dragging = true; };
  private onDragLeave = (event: DragEvent) => { if (event.relatedTarget === null) this.dragging = false; };
  private onDrop = (event: DragEvent) => {
    event.preventDefault();
    this.dragging = false;
    const files = [...(event.dataTransfer?.files ?? [])];
    if (files.length) void this.loadFiles(files);
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
      <header class=${language() === 'en' ? '' : 'long-labels'}>
        <a class="logo" href="#" @click=${(e: Event) => { e.preventDefault(); this.view = 'start'; }} title=${t('app.allNotebooks')}>cohort<span>book</span></a>
        ${notebook && this.view === 'notebook' ? html`<span class="title" data-testid="notebook-title">${notebookTitle({ cells: notebook.cells })}</span>` : nothing}
        <button class="menu-toggle" aria-expanded=${this.menuOpen ? 'true' : 'false'} aria-controls="header-actions" data-testid="header-menu"
          @click=${() => { this.menuOpen = !this.menuOpen; }}>${t('app.menu')} ▾</button>
        <div class="actions ${this.menuOpen ? 'open' : ''}" id="header-actions" @click=${() => { this.menuOpen = false; }}
          @keydown=${(e: KeyboardEvent) => { if (e.key === 'Escape' && this.menuOpen) { this.menuOpen = false; this.renderRoot.querySelector<HTMLElement>('.menu-toggle')?.focus(); } }}>
          <button @click=${() => { this.view = 'start'; }}>${t('app.notebooks')}</button>
          <button @click=${() => this.newNotebook()}>${t('app.new')}</button>
          <button @click=${() => this.pickNotebook()}>${t('app.open')}</button>
          <button @click=${() => this.downloadNotebook()} ?disabled=${!notebook} title=${t('app.saveFileTitle')}>${t('app.saveFile')}</button>
          <button @click=${() => this.exportHtml()} ?disabled=${!notebook} title=${t('app.exportTitle')} data-testid="export-html">${t('app.export')}</button>
          ${notebook && exerciseNames(notebook.cells).length ? html`<button @click=${() => this.exportHtml('student')} title=${t('app.worksheetTitle')} data-testid="export-worksheet">${t('app.worksheet')}</button>` : nothing}
          <button @click=${() => this.copyLink()} ?disabled=${!notebook} title=${t('app.copyLinkTitle')} data-testid="copy-link">${t('app.copyLink')}</button>
          <button @click=${() => this.renderRoot.querySelector<CbNotebook>('cb-notebook')?.togglePresentation()} ?disabled=${!notebook || this.view !== 'notebook'} title=${t('app.presentTitle')} data-testid="present">${t('app.present')}</button>
        </div>
        <button class="primary" @click=${() => this.renderRoot.querySelector<CbNotebook>('cb-notebook')?.runAll()} ?disabled=${!notebook} data-testid="run-all">${t('app.runAll')}</button>
        <span class="status" data-testid="engine-status" role="status">${this.notice ? html`<b data-testid="notice">${this.notice}</b>` : this.status}</span>
        <button @click=${() => this.openPalette('commands')} title=${t('app.actionsTitle')} data-testid="open-palette">${t('app.actions')}</button>
        <button @click=${this.toggleTheme} aria-label=${t('app.themeLabel')} title=${t('app.themeTitle')}>◐</button>
        <select class="language" aria-label=${t('app.language')} data-testid="language" .value=${language()}
          @change=${(e: Event) => { void setLanguage((e.target as HTMLSelectElement).value as Language); }}>
          ${Object.entries(LANGUAGES).map(([code, name]) => html`<option value=${code} ?selected=${code === language()}>${name}</option>`)}
        </select>
      </header>
      <div class="layout ${this.presenting ? 'presenting' : ''} ${this.panelShown ? 'panel-open' : 'rail'} ${this.narrow ? 'narrow' : ''}"
        @presentation-change=${(e: CustomEvent<boolean>) => { this.presenting = e.detail; }}>
        <aside id="data-panel" aria-label=${t('app.data')} @keydown=${(e: KeyboardEvent) => { if (e.key === 'Escape' && this.narrow && this.panelOpen) this.panelOpen = false; }}>
          <button class="rail-toggle" aria-expanded=${this.panelShown ? 'true' : 'false'} aria-controls="data-panel-body" data-testid="toggle-data-panel"
            title=${this.panelShown ? t('app.foldPanel') : t('app.showPanel')} @click=${() => { this.panelOpen = !this.panelShown; }}>
            ${this.panelShown ? '«' : html`<span aria-hidden="true">▸</span><span class="rail-label">${t('app.data')}</span>`}<span class="sr-only">${this.panelShown ? t('app.foldPanel') : t('app.showPanel')}</span>
          </button>
          <cb-data-panel id="data-panel-body" ?hidden=${!this.panelShown}
            .sources=${this.sources?.list ?? []} .active=${active?.source ?? null} .busy=${this.busy} .error=${this.error} .profile=${this.profileColumn}
            @insert-text=${(e: CustomEvent<string>) => this.renderRoot.querySelector<CbNotebook>('cb-notebook')?.insertText(e.detail)}
            .importing=${this.importView}
            @load-files=${(e: CustomEvent<File[]>) => this.loadFiles(e.detail)}
            @add-files=${(e: CustomEvent<{ source: string; files: File[] }>) => this.loadFiles(e.detail.files, e.detail.source)}
            @reimport=${(e: CustomEvent<string>) => this.reimport(e.detail)}
            @import-change=${(e: CustomEvent<ImportStepChoices>) => this.imports?.change(e.detail)}
            @import-confirm=${() => this.confirmImport()}
            @import-cancel=${() => this.imports?.cancel()}
            @remap=${(e: CustomEvent) => this.run(t('app.remapping'), () => this.sources!.remap(e.detail.source, e.detail.mapping, e.detail.timezone))}
            @activate=${(e: CustomEvent<string>) => this.run(t('app.switching'), () => this.sources!.activate(e.detail))}
            @remove=${(e: CustomEvent<string>) => this.run(t('app.removing'), () => this.sources!.remove(e.detail))}
          ></cb-data-panel>
        </aside>
        <main>
          ${this.view === 'start' ? html`<cb-start-page .saved=${this.saved} .progress=${this.shippedProgress}
              @new-notebook=${() => this.newNotebook()}
              @open-saved=${async (e: CustomEvent<string>) => { const n = await loadNotebook(e.detail); if (n) { await this.restoreData(n.sources); this.open(n.text, n.id, n.trusted, null); } }}
              @open-text=${(e: CustomEvent<{ text: string; trusted: boolean; shipped?: string }>) => this.open(e.detail.text, crypto.randomUUID(), e.detail.trusted, null, true, e.detail.shipped)}
              @delete-saved=${async (e: CustomEvent<string>) => { await deleteNotebook(e.detail); this.saved = await listNotebooks(); }}
            ></cb-start-page>`
          : notebook ? html`
            ${active ? html`<details class="preview" data-testid="events-preview">
              <summary>${t('app.previewView')} <b>events</b>: <b data-testid="summary-rows">${formatCount(active.summary.rows)}</b> ${t('app.previewEvents', { count: active.summary.rows })}
                <b>${formatCount(active.summary.users)}</b> ${t('app.previewUsers', { count: active.summary.users })} <b>${active.file.name}</b>, ${active.summary.first_ts?.slice(0, 10)} → ${active.summary.last_ts?.slice(0, 10)} (UTC) · ${t('app.preview')}</summary>
              <cb-table-view .columns=${active.summary.columns} .rows=${this.preview} page-size="10" searchable label=${t('app.previewLabel')}></cb-table-view>
            </details>` : nothing}
            ${this.ownership === 'owner' ? nothing : html`<div class="trust" role="alert" data-testid="other-tab-banner">
              <span>${this.ownership === 'elsewhere' ? OTHER_TAB.elsewhere : OTHER_TAB.taken}</span>
              <button @click=${() => this.takeOver()} data-testid="take-over">${OTHER_TAB.takeOver}</button></div>`}
            ${notebook.trusted ? nothing : html`<div class="trust" role="alert" data-testid="trust-banner">
              <span>${t('app.untrusted', { origin: notebook.origin ?? t('app.someoneElse') })}</span>
              <button @click=${() => this.trust()} data-testid="trust">${t('app.trust')}</button></div>`}
            ${exerciseNames(notebook.cells).length ? html`<cb-exercise-progress .progress=${this.progress} .names=${exerciseNames(notebook.cells)}></cb-exercise-progress>` : nothing}
            <cb-notebook .cells=${notebook.cells} .runtime=${this.runtime} .catalog=${this.catalog} .schema=${this.schema} .chartFor=${chartForCell} .progress=${this.progress}
              @exercise-progress=${(e: CustomEvent<{ name: string; progress: ExerciseProgress }>) => this.saveProgress(e.detail.name, e.detail.progress)}
              @notebook-change=${(e: CustomEvent<Cell[]>) => { this.notebook = { ...this.notebook!, cells: e.detail }; this.scheduleSave(); }}
            ></cb-notebook>`
          : html`<p class="muted">${this.busy ?? this.error ?? t('app.startingShort')}</p>`}
        </main>
      </div>
      ${this.dragging ? html`<div class="dropping">${t('app.drop')}</div>` : nothing}
      <cb-command-palette></cb-command-palette>
    `;
  }
}

/** Whether a key went to something the person types in (an editor, a field), where keys are text. */
function isTyping(event: KeyboardEvent): boolean {
  return event.composedPath().some((el) => el instanceof HTMLElement && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName)));
}

/** A size in megabytes, one decimal, in the interface's locale. */
function megabytes(bytes: number): string {
  return formatNumber(bytes / 1e6, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
}

customElements.define('cb-app', CbApp);

declare global {
  interface HTMLElementTagNameMap {
    'cb-app': CbApp;
  }
}
