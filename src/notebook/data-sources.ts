import {
  activateSource, freeSourceName, loadEvents, removeSource,
  type Engine, type EventFile, type LoadOptions, type LoadSummary, type MappingOverrides,
} from '../engine/index.ts';

/** A loaded file: its mapped table, what loading found, and its bytes (kept to re-map it). */
export interface DataSource {
  source: string;
  file: EventFile;
  summary: LoadSummary;
  overrides: MappingOverrides;
  /** The zone the file's wall-clock times are read in; undefined for UTC. */
  timezone?: string;
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
  async add(file: EventFile, options: Omit<LoadOptions, 'source' | 'activate'> = {}): Promise<DataSource> {
    const same = this.list.find((s) => s.file.name === file.name);
    const source = same?.source ?? await freeSourceName(this.engine, file.name, (name) => this.sources.has(name));
    const summary = await loadEvents(this.engine, file, { ...options, source, activate: true });
    const loaded = { source, file, summary, overrides: options.mapping ?? {}, timezone: options.timezone };
    this.sources.set(source, loaded);
    this.activeName = source;
    this.changed();
    return loaded;
  }

  /** Reloads a source with a different column mapping. */
  async remap(source: string, overrides: MappingOverrides, timezone?: string): Promise<DataSource> {
    const existing = this.sources.get(source);
    if (!existing) throw new Error(`no data source "${source}"`);
    const summary = await loadEvents(this.engine, existing.file, { source, mapping: overrides, activate: this.activeName === source, timezone });
    const updated = { ...existing, summary, overrides, timezone };
    this.sources.set(source, updated);
    this.changed();
    return updated;
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
