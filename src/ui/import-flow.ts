import { EventImport, LoadError, type EventFile, type FileInspection, type ImportPreview, type MappingOverrides } from '../engine/index.ts';
import type { DataSource, DataSources, SourceChoices } from '../notebook/index.ts';
import type { ImportStepChoices } from './cb-import-step.ts';

/** What the import step shows, as the flow has it now. */
export interface ImportView {
  inspection: FileInspection;
  choices: ImportStepChoices;
  preview: ImportPreview | null;
  problem: string | null;
  reason: string | null;
  busy: boolean;
}

/** Why the step opened, in the person's terms. */
const REASON = {
  missing: (problem: string) => `${problem.replace(/\.$/, '')}. Choose below what the columns are.`,
  doubt: (doubt: string) => `The guessed columns may be wrong: ${doubt}. Check them below.`,
};

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A loader's problem without the file name the step already shows, but with the column. */
function said(error: LoadError): string {
  return capitalise(`${error.column !== undefined ? `column "${error.column}": ` : ''}${error.problem}`);
}

/** The step's choices as the loader's overrides: an empty choice is left to the guess (revenue '' is none). */
export function overridesOf(choices: ImportStepChoices): MappingOverrides {
  const out: MappingOverrides = {};
  const { mapping } = choices;
  if (mapping.user_id) out.user_id = mapping.user_id;
  if (mapping.event && mapping.event !== '') out.event = mapping.event;
  if (mapping.ts) out.ts = mapping.ts;
  out.revenue = mapping.revenue;
  return out;
}

/** The step's first choices: what was saved or loaded before, else the loader's guess. */
function initialChoices(inspection: FileInspection, saved: SourceChoices | undefined): ImportStepChoices {
  const { guess } = inspection;
  const m = saved?.mapping ?? {};
  return {
    mapping: {
      user_id: m.user_id ?? guess.user_id ?? '',
      event: m.event ?? guess.event ?? ':',
      ts: m.ts ?? guess.ts ?? '',
      revenue: m.revenue ?? guess.revenue ?? '',
    },
    timezone: saved?.timezone,
    encoding: saved?.encoding,
  };
}

/**
 * Brings files in: when the guessed columns (or the choices a notebook saved for this file) load
 * and look right, at once; otherwise through the import step, whose choices are previewed on the
 * whole file as the person makes them (the latest choice wins; one preview runs at a time) and
 * loaded on confirm. Nothing loaded changes before that; cancel drops what was staged.
 */
export class ImportFlow {
  view: ImportView | null = null;
  private session: EventImport | null = null;
  private files: EventFile[] = [];
  private into: string | undefined;
  private wanted: ImportStepChoices | null = null;
  private running: Promise<void> | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly sources: DataSources, private readonly changed: () => void) {}

  /**
   * Opens files: loaded at once (the source comes back) when the choices work, else the import
   * step opens (null comes back). `saved`: choices a notebook keeps for this file, which load
   * without asking; `into`: a loaded source the files are added to (pass all its files).
   * A file that cannot be read at all (empty, binary) throws its `LoadError`.
   */
  async start(files: EventFile[], options: { saved?: SourceChoices; into?: string; ask?: boolean } = {}): Promise<DataSource | null> {
    await this.cancel();
    const session = await this.sources.begin(files, { into: options.into, encoding: options.saved?.encoding });
    const choices = initialChoices(session.inspection, options.saved);
    let reason: string;
    try {
      // the guess itself first (or the saved choices): its problem is the reason the step opens
      const preview = await session.preview({ mapping: options.saved?.mapping ?? {}, timezone: choices.timezone });
      const doubt = options.saved ? null : EventImport.doubts(preview.summary);
      if (!doubt && !options.ask) return await this.sources.finish(session, files, { mapping: options.saved?.mapping ?? {}, timezone: choices.timezone, encoding: choices.encoding });
      this.adopt(session, files, options.into, choices, preview, null, doubt ? REASON.doubt(doubt) : null);
      return null;
    } catch (error) {
      if (!(error instanceof LoadError)) {
        await session.close();
        throw error;
      }
      reason = REASON.missing(said(error));
      this.adopt(session, files, options.into, choices, null, error.role ? null : error.problem, reason);
      return null;
    }
  }

  private adopt(session: EventImport, files: EventFile[], into: string | undefined, choices: ImportStepChoices,
    preview: ImportPreview | null, problem: string | null, reason: string | null): void {
    this.session = session;
    this.files = files;
    this.into = into;
    this.view = { inspection: session.inspection, choices, preview, problem, reason, busy: false };
    // a missing role's choice is empty: show what the loader says about it
    if (!preview && !problem) this.change(choices, 0);
    this.changed();
  }

  /** A choice changed in the step: preview it soon (typing in a field previews once it pauses). */
  change(choices: ImportStepChoices, delay = 250): void {
    if (!this.view) return;
    if (!this.wanted && !this.view.busy && JSON.stringify(choices) === JSON.stringify(this.view.choices) && (this.view.preview || this.view.problem)) return;
    this.view = { ...this.view, choices, busy: true };
    this.wanted = choices;
    this.changed();
    clearTimeout(this.timer);
    this.timer = setTimeout(() => { this.running ??= this.drain(); }, delay);
  }

  private async drain(): Promise<void> {
    try {
      while (this.wanted && this.session && this.view) {
        const choices = this.wanted;
        this.wanted = null;
        if (choices.encoding && choices.encoding !== this.session.inspection.encoding) await this.reopen(choices);
        let preview: ImportPreview | null = null;
        let problem: string | null = null;
        try {
          preview = await this.session.preview({ mapping: overridesOf(choices), timezone: choices.timezone });
        } catch (error) {
          problem = error instanceof LoadError ? said(error) : (error as Error).message;
        }
        if (this.view && !this.wanted) this.view = { ...this.view, preview, problem, busy: false };
        this.changed();
      }
    } finally {
      this.running = null;
    }
  }

  /** Reads the files again in another encoding (the columns and samples change with it). */
  private async reopen(choices: ImportStepChoices): Promise<void> {
    if (!this.session || !this.view) return;
    if (choices.encoding === this.session.inspection.encoding) return;
    const old = this.session;
    try {
      const next = await this.sources.begin(this.files, { into: this.into, encoding: choices.encoding });
      await old.close();
      this.session = next;
      this.view = { ...this.view, inspection: next.inspection };
    } catch (error) {
      this.view = { ...this.view, problem: error instanceof LoadError ? said(error) : (error as Error).message };
    }
  }

  /** Load: the last preview becomes the source's events. Returns it with the choices made. */
  async confirm(): Promise<{ source: DataSource; files: EventFile[]; choices: SourceChoices } | null> {
    if (this.running) await this.running;
    const { session, view } = this;
    if (!session || !view?.preview || view.problem) return null;
    const choices: SourceChoices = { mapping: overridesOf(view.choices), timezone: view.choices.timezone, encoding: view.choices.encoding };
    const files = this.files;
    this.view = { ...view, busy: true };
    this.changed();
    const source = await this.sources.finish(session, files, choices);
    this.session = null;
    this.view = null;
    this.changed();
    return { source, files, choices };
  }

  /** Cancel: drops what was staged; the loaded data stays as it was. */
  async cancel(): Promise<void> {
    clearTimeout(this.timer);
    this.wanted = null;
    if (this.running) await this.running;
    const session = this.session;
    this.session = null;
    this.view = null;
    await session?.close();
    this.changed();
  }
}
