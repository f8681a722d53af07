import type { DataSource } from '../notebook/index.ts';
import { notebookTitle, parseNotebook } from '../notebook/index.ts';
import { ANALYSIS_FORMS, ANALYSIS_MENU } from './analysis-fields.ts';
import type { CbNotebook } from './cb-notebook.ts';
import type { Command } from './cb-command-palette.ts';
import { SHIPPED_NOTEBOOKS } from './shipped-notebooks.ts';

/** What the app's actions act on: the notebook on screen (null on the start page) and the app's own doings. */
export interface CommandHost {
  notebook: CbNotebook | null;
  hasNotebook: boolean;
  sources: DataSource[];
  /** The source the events view reads. */
  active: string | null;
  downloadNotebook(): void;
  /** `student`: the worksheet (questions, no outputs or answers); otherwise the full report. */
  exportHtml(audience?: 'student' | 'teacher'): void;
  /** Whether the open notebook has exercises (a student worksheet is worth exporting). */
  hasExercises?: boolean;
  copyLink(): void;
  newNotebook(): void;
  pickNotebook(): void;
  showStart(): void;
  pickDataFile(): void;
  useSource(source: string): void;
  toggleTheme(): void;
  togglePanel(): void;
  openPalette(mode: 'commands' | 'shortcuts'): void;
  /** Opens a shipped notebook's text, trusted. */
  openText(text: string, file?: string): void;
}

/**
 * Every action of the app, as the command palette lists it and the shortcut list shows its keys;
 * made when the palette opens, so each knows whether it can run (a move needs a selected cell).
 */
export function appCommands(host: CommandHost): Command[] {
  const nb = () => host.notebook;
  const inNotebook = host.notebook !== null;
  const cell = inNotebook && !!nb()?.hasSelection;
  const add = (label: string, run: () => void, shortcut?: string): Command => ({ id: `add-${label.toLowerCase().replace(/\W+/g, '-')}`, group: 'Add', label, shortcut, enabled: inNotebook, run });
  const list: Command[] = [
    add('Markdown cell', () => nb()?.addCell('markdown')),
    add('SQL cell', () => nb()?.addCell('sql'), 'B (A: above)'),
    add('JavaScript cell', () => nb()?.addCell('js')),
    add('Input cell', () => nb()?.addCell('input')),
    add('Exercise cell', () => nb()?.addCell('exercise')),
    ...ANALYSIS_MENU.map((kind) => add(`${ANALYSIS_FORMS[kind]?.title ?? kind} cell`, () => nb()?.addCell('analysis', kind))),
    { id: 'run-all', group: 'Run', label: 'Run all cells', enabled: inNotebook, run: () => nb()?.runAll() },
    { id: 'run-cell', group: 'Run', label: 'Run the cell and go to the next', shortcut: 'Shift+Enter', enabled: cell, run: () => { const id = nb()?.selected; if (id) nb()!.runCell(id, true); } },
    { id: 'run-in-place', group: 'Run', label: 'Run the cell in place', shortcut: 'Ctrl+Enter', enabled: cell, run: () => { const id = nb()?.selected; if (id) nb()!.runCell(id); } },
    { id: 'run-above', group: 'Run', label: 'Run the cells above', enabled: cell, run: () => nb()?.runAround('above') },
    { id: 'run-below', group: 'Run', label: 'Run the cell and those below', enabled: cell, run: () => nb()?.runAround('below') },
    { id: 'move-up', group: 'Cell', label: 'Move the cell up', shortcut: 'Alt+↑', enabled: cell, run: () => nb()?.actOnSelected('up') },
    { id: 'move-down', group: 'Cell', label: 'Move the cell down', shortcut: 'Alt+↓', enabled: cell, run: () => nb()?.actOnSelected('down') },
    { id: 'duplicate', group: 'Cell', label: 'Duplicate the cell', shortcut: 'C', enabled: cell, run: () => nb()?.actOnSelected('duplicate') },
    { id: 'delete', group: 'Cell', label: 'Delete the cell', shortcut: 'D D', enabled: cell, run: () => nb()?.actOnSelected('delete') },
    { id: 'undo', group: 'Cell', label: 'Undo the last add, delete or move', shortcut: 'Z', enabled: inNotebook, run: () => nb()?.undoLast() },
    { id: 'select-next', group: 'Cell', label: 'Select the next / previous cell', shortcut: '↓ / ↑ (J / K)', enabled: inNotebook, run: () => nb()?.focus() },
    { id: 'edit', group: 'Cell', label: 'Edit the selected cell', shortcut: 'Enter', enabled: cell, run: () => { const id = nb()?.selected; if (id) nb()!.editCell(id); } },
    { id: 'leave-editor', group: 'Cell', label: 'Leave the editor (command mode)', shortcut: 'Escape', enabled: inNotebook, run: () => nb()?.focus() },
    { id: 'to-markdown', group: 'Cell', label: 'Turn the cell into Markdown / SQL', shortcut: 'M / Y', enabled: cell, run: () => nb()?.focus() },
    { id: 'save-file', group: 'Notebook', label: 'Save the notebook file', shortcut: 'Ctrl+S', enabled: host.hasNotebook, run: () => host.downloadNotebook() },
    { id: 'export-html', group: 'Notebook', label: 'Export an HTML report (with every output and answer)', enabled: host.hasNotebook, run: () => host.exportHtml('teacher') },
    { id: 'export-worksheet', group: 'Notebook', label: 'Export a student worksheet (questions, no answers)', enabled: host.hasNotebook && host.hasExercises === true, run: () => host.exportHtml('student') },
    { id: 'copy-link', group: 'Notebook', label: 'Copy a link to the notebook', enabled: host.hasNotebook, run: () => host.copyLink() },
    { id: 'present', group: 'Notebook', label: 'Present (one cell at a time)', enabled: inNotebook, run: () => nb()?.togglePresentation() },
    { id: 'new', group: 'Notebook', label: 'New notebook', run: () => host.newNotebook() },
    { id: 'open-file', group: 'Notebook', label: 'Open a notebook file…', run: () => host.pickNotebook() },
    { id: 'notebooks', group: 'Notebook', label: 'All notebooks (start page)', run: () => host.showStart() },
    { id: 'load-data', group: 'Data', label: 'Open a data file…', run: () => host.pickDataFile() },
    ...host.sources.filter((s) => s.source !== host.active).map((s): Command => ({
      id: `use-${s.source}`, group: 'Data', label: `Use ${s.file.name} as the events`, run: () => host.useSource(s.source),
    })),
    { id: 'theme', group: 'View', label: 'Switch light / dark theme', run: () => host.toggleTheme() },
    { id: 'panel', group: 'View', label: 'Show or hide the data panel', run: () => host.togglePanel() },
    { id: 'palette', group: 'View', label: 'Command palette', shortcut: 'Ctrl+K', run: () => host.openPalette('commands') },
    { id: 'shortcuts', group: 'View', label: 'Keyboard shortcuts', shortcut: '?', run: () => host.openPalette('shortcuts') },
    ...SHIPPED_NOTEBOOKS.map((n): Command => ({
      id: `open-${n.file}`, group: 'Open', label: notebookTitle(parseNotebook(n.text)), run: () => host.openText(n.text, n.file),
    })),
  ];
  return list;
}
