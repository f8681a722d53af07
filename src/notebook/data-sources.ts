import {
  activateSource, asLoadError, EventImport, freeSourceName, loadEvents, removeSource,
  type Engine, type EventFile, type ImportChoices, type LoadOptions, type LoadSummary, type MappingOverrides, type TextEncoding,
} from '../engine/index.ts';

/** A loaded file (or several read as one log): its mapped table, what loading found, and its bytes (kept to re-map it). */
export interface DataSource {
  source: string;
  /** The file, or the first of several. */
  file: EventFile;
  /** Every file of the source, in order (`file` is the first). */
  files: EventFile[];
  summary: LoadSummary;
  overrides: MappingOverrides;
  /** The zone the file's wall-clock times are read in; undefined for UTC. */
  timezone?: string;
  /** The encoding its text was read in when the person chose one; undefined: detected. */
  encoding?: TextEncoding;
}

/** Choices for an import: the mapping and zone, and the encoding the text is read in. */
export interface SourceChoices extends ImportChoices {
  encoding?: TextEncoding;
}

/**
 * The event logs loaded into one engine. One of them is active: the `events` view points at it.
 * A failed load leaves every earlier source, and the active one, as they were.
 * Dispatches `change` after every successful change.
 */
export class DataSources extends EventTarget {
  private readonly sources = new Map<string, DataSource>();
  private activeName: string | null = null;

  constructor(readonly engine: Engine) {
    super();
  }

  get list(): DataSource[] {
    return [...this.sources.values()];
  }

  get active(): DataSource | null {
    return this.activeName ? this.sources.get(this.activeName) ?? null : null;
  }

  /**
   * Loads a file as a new source (or replaces the source loaded from a file of the same name) and
   * activates it. Its table is named after the file, unless that name is taken (see
   * `freeSourceName`): every file name loads.
   */
  async add(file: EventFile | EventFile[], options: Omit<LoadOptions, 'source' | 'activate'> = {}): Promise<DataSource> {
    const files = [file].flat();
    const source = await this.sourceFor(files[0].name);
    const summary = await loadEvents(this.engine, files, { ...options, source, activate: true });
    const loaded = { source, file: files[0], files, summary, overrides: options.mapping ?? {}, timezone: options.timezone, encoding: options.encoding };
    this.sources.set(source, loaded);
    this.activeName = source;
    this.changed();
    return loaded;
  }

  /** The table a file loads into: the source loaded from a file of that name before, or a free name. */
  private async sourceFor(fileName: string): Promise<string> {
    const same = this.list.find((s) => s.file.name === fileName);
    return same?.source ?? freeSourceName(this.engine, fileName, (name) => this.sources.has(name));
  }

  /**
   * Opens files in an import session (see `EventImport`) for the source they will load into:
   * `into` (a loaded source the files are added to: pass all its files) or the one `add` would
   * use. Nothing loaded changes until `finish`; `session.close()` cancels.
   */
  async begin(files: EventFile[], options: { into?: string; encoding?: TextEncoding; sheet?: string } = {}): Promise<EventImport> {
    const source = options.into ?? await this.sourceFor(files[0].name);
    try {
      return await EventImport.open(this.engine, source, files, { encoding: options.encoding, sheet: options.sheet });
    } catch (error) {
      throw asLoadError(files[0].name, error);
    }
  }

  /**
   * Makes an import session's last preview the source's events, activates it and closes the
   * session. `choices` are the ones that preview used (kept to re-map and to save).
   */
  async finish(session: EventImport, files: EventFile[], choices: SourceChoices): Promise<DataSource> {
    try {
      const summary = await session.commit();
      await activateSource(this.engine, session.source);
      const loaded: DataSource = {
        source: session.source, file: files[0], files, summary, overrides: choices.mapping ?? {}, timezone: choices.timezone, encoding: choices.encoding,
      };
      this.sources.set(session.source, loaded);
      this.activeName = session.source;
      this.changed();
      return loaded;
    } finally {
      await session.close();
    }
  }

  /** Reloads a source with a different column mapping. */
  async remap(source: string, overrides: MappingOverrides, timezone?: string): Promise<DataSource> {
    const existing = this.sources.get(source);
    if (!existing) throw new Error(`no data source "${source}"`);
    const summary = await loadEvents(this.engine, existing.files, {
      source, mapping: overrides, activate: this.activeName === source, timezone, encoding: existing.encoding,
    });
    const updated = { ...existing, summary, overrides, timezone };
    this.sources.set(source, updated);
    this.changed();
    return updated;
  }

  /** Records the overrides a source was loaded with (the import step's full choices), to re-map and save them. */
  setOverrides(source: string, overrides: MappingOverrides): void {
    const existing = this.sources.get(source);
    if (existing) this.sources.set(source, { ...existing, overrides });
  }

  /** Points `events` at another loaded source. */
  async activate(source: string): Promise<void> {
    if (!this.sources.has(source)) throw new Error(`no data source "${source}"`);
    await activateSource(this.engine, source);
    this.activeName = source;
    this.changed();
  }

  /** Removes a source; if it was active, the most recently added remaining one becomes active. */
  async remove(source: string): Promise<void> {
    const wasActive = this.activeName === source;
    await removeSource(this.engine, source, wasActive);
    this.sources.delete(source);
    if (wasActive) {
      const next = this.list.at(-1);
      this.activeName = null;
      if (next) await this.activate(next.source);
    }
    this.changed();
  }

  private changed(): void {
    this.dispatchEvent(new Event('change'));
  }
}
