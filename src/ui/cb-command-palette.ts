import { LitElement, css, html, nothing } from 'lit';
import { theme } from './theme.ts';
import { Localized, t } from './i18n.ts';

/** One thing the person can do, as the palette lists it. */
export interface Command {
  id: string;
  label: string;
  /** What it belongs to: `Cell`, `Add`, `Notebook`, `Data`, `View`, `Open`. */
  group: string;
  /** The keys that do it, as shown (`Shift+Enter`, `D D`); none when only the palette does. */
  shortcut?: string;
  /** Whether it can run now (a move needs a selected cell). */
  enabled?: boolean;
  run: () => void;
}

/**
 * Ctrl/Cmd+K: every action, filtered as you type (every word must match the label or group),
 * each with its shortcut; ↑/↓ choose, Enter runs, Escape closes. `mode = 'shortcuts'` lists the
 * keyboard shortcuts instead (the `?` key).
 */
export class CbCommandPalette extends LitElement {
  static override properties = {
    commands: { attribute: false },
    mode: { state: true },
    query: { state: true },
    chosen: { state: true },
  };

  declare commands: Command[];
  declare mode: 'commands' | 'shortcuts';

  private readonly localized = new Localized(this);
  declare query: string;
  declare chosen: number;
  private returnFocus: HTMLElement | null = null;

  constructor() {
    super();
    this.commands = [];
    this.mode = 'commands';
    this.query = '';
    this.chosen = 0;
  }

  static override styles = [theme, css`
    dialog { border: 1px solid var(--cb-border); border-radius: 12px; background: var(--cb-surface); color: var(--cb-text); padding: 0; width: min(620px, 92vw); margin-top: 12vh; }
    dialog::backdrop { background: rgb(0 0 0 / 0.3); }
    input { width: 100%; box-sizing: border-box; border: none; border-bottom: 1px solid var(--cb-border); border-radius: 12px 12px 0 0; padding: 12px 14px; font-size: 15px; outline: none; }
    ul { list-style: none; margin: 0; padding: 6px; max-height: 56vh; overflow: auto; }
    li { display: flex; gap: 10px; align-items: center; padding: 6px 10px; border-radius: 6px; cursor: pointer; }
    li[aria-selected='true'] { background: var(--cb-accent); color: var(--cb-on-accent); }
    li[aria-selected='true'] .group, li[aria-selected='true'] kbd { color: var(--cb-on-accent); border-color: currentColor; }
    li[aria-disabled='true'] { opacity: 0.55; }
    .group { font-size: 11px; text-transform: uppercase; letter-spacing: 0.05em; color: var(--cb-muted); width: 70px; flex: none; }
    .label { flex: 1; }
    kbd { font-family: var(--cb-mono); font-size: 11px; border: 1px solid var(--cb-border); border-radius: 4px; padding: 1px 5px; color: var(--cb-muted); white-space: nowrap; }
    .empty { padding: 14px; color: var(--cb-muted); }
    h2 { font-size: 15px; margin: 0; padding: 14px 16px 6px; }
    table { border-collapse: collapse; width: 100%; font-size: 13px; }
    td { padding: 5px 16px; border-top: 1px solid var(--cb-border); }
    td:last-child { text-align: right; }
    .hint { font-size: 12px; color: var(--cb-muted); padding: 8px 16px 14px; }
  `];

  /** Opens the palette (or the shortcut list), remembering where focus was to give it back. */
  open(mode: 'commands' | 'shortcuts' = 'commands'): void {
    const active = document.activeElement as HTMLElement | null;
    this.returnFocus = active && active !== document.body ? active : null;
    this.mode = mode;
    this.query = '';
    this.chosen = 0;
    void this.updateComplete.then(() => {
      const dialog = this.renderRoot.querySelector('dialog')!;
      if (!dialog.open) dialog.showModal();
      this.renderRoot.querySelector<HTMLInputElement>('input')?.focus();
    });
  }

  close(): void {
    this.renderRoot.querySelector('dialog')?.close();
  }

  /** The commands whose label or group holds every word typed, in their order. */
  matching(): Command[] {
    const words = this.query.toLowerCase().split(/\s+/).filter(Boolean);
    return this.commands.filter((c) => words.every((w) => `${c.group} ${groupName(c.group)} ${c.label}`.toLowerCase().includes(w)));
  }

  private runChosen(command: Command | undefined): void {
    if (!command || command.enabled === false) return;
    this.returnFocus = null;
    this.close();
    command.run();
  }

  private onKey(event: KeyboardEvent): void {
    const list = this.matching();
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      this.chosen = (this.chosen + step + list.length) % Math.max(1, list.length);
      void this.updateComplete.then(() => this.renderRoot.querySelector('li[aria-selected="true"]')?.scrollIntoView({ block: 'nearest' }));
    } else if (event.key === 'Enter') {
      event.preventDefault();
      this.runChosen(list[this.chosen]);
    }
    event.stopPropagation();
  }

  private renderCommands() {
    const list = this.matching();
    const chosen = Math.min(this.chosen, Math.max(0, list.length - 1));
    return html`
      <input role="combobox" aria-expanded="true" aria-controls="commands" aria-label=${t('palette.search')} placeholder=${t('palette.placeholder')}
        aria-activedescendant=${list.length ? `command-${chosen}` : nothing} .value=${this.query} data-testid="palette-search"
        @input=${(e: Event) => { this.query = (e.target as HTMLInputElement).value; this.chosen = 0; }} @keydown=${this.onKey}>
      <ul id="commands" role="listbox" aria-label=${t('palette.actions')}>${list.map((c, i) => html`
        <li id="command-${i}" role="option" aria-selected=${i === chosen ? 'true' : 'false'} aria-disabled=${c.enabled === false ? 'true' : 'false'}
          data-command=${c.id} @click=${() => this.runChosen(c)} @mousemove=${() => { if (this.chosen !== i) this.chosen = i; }}>
          <span class="group">${groupName(c.group)}</span><span class="label">${c.label}</span>${c.shortcut ? html`<kbd>${c.shortcut}</kbd>` : nothing}
        </li>`)}
      </ul>
      ${list.length === 0 ? html`<div class="empty">${t('palette.none', { query: this.query })}</div>` : nothing}`;
  }

  private renderShortcuts() {
    const keyed = this.commands.filter((c) => c.shortcut);
    return html`<h2 id="shortcuts-title">${t('palette.shortcuts')}</h2>
      <table aria-labelledby="shortcuts-title" data-testid="shortcut-list"><tbody>${keyed.map((c) => html`<tr><td>${c.group === 'Add' ? t('palette.addA', { label: c.label }) : c.label}</td><td><kbd>${c.shortcut}</kbd></td></tr>`)}</tbody></table>
      <p class="hint">${t('palette.hint')}</p>`;
  }

  override render() {
    return html`<dialog aria-label=${this.mode === 'commands' ? t('palette.title') : t('palette.shortcuts')}
      @close=${() => { const back = this.returnFocus; this.returnFocus = null; back?.focus(); }}
      @click=${(e: MouseEvent) => { if (e.target === e.currentTarget) this.close(); }}>
      ${this.mode === 'commands' ? this.renderCommands() : this.renderShortcuts()}
    </dialog>`;
  }
}

/** A command group's name in the interface's language (`palette.group.Add`). */
function groupName(group: string): string {
  return t(`palette.group.${group}`, { defaultValue: group });
}

customElements.define('cb-command-palette', CbCommandPalette);

declare global {
  interface HTMLElementTagNameMap {
    'cb-command-palette': CbCommandPalette;
  }
}
