import type { DataSource } from '../notebook/index.ts';
import { ANALYSIS_FORMS, ANALYSIS_MENU, analysisTitle } from './analysis-fields.ts';
import { language, t } from './i18n.ts';
import type { CbNotebook } from './cb-notebook.ts';
import type { Command } from './cb-command-palette.ts';
import { courseNotebooks } from './course.ts';

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
  // the id comes from the English name, so it stays the same in every language
  const add = (english: string, label: string, run: () => void, shortcut?: string): Command => ({ id: `add-${english.toLowerCase().replace(/\W+/g, '-')}`, group: 'Add', label, shortcut, enabled: inNotebook, run });
  const list: Command[] = [
    add('Markdown cell', t('command.addCell', { kind: t('cell.kind.markdown') }), () => nb()?.addCell('markdown')),
    add('SQL cell', t('command.addCell', { kind: t('cell.kind.sql') }), () => nb()?.addCell('sql'), t('command.sqlShortcut')),
    add('JavaScript cell', t('command.addCell', { kind: t('cell.kind.js') }), () => nb()?.addCell('js')),
    add('Input cell', t('command.addCell', { kind: t('cell.kind.input') }), () => nb()?.addCell('input')),
    add('Exercise cell', t('command.addCell', { kind: t('cell.kind.exercise') }), () => nb()?.addCell('exercise')),
    ...ANALYSIS_MENU.map((kind) => add(`${ANALYSIS_FORMS[kind]?.title ?? kind} cell`, t('command.addCell', { kind: analysisTitle(kind) }), () => nb()?.addCell('analysis', kind))),
    { id: 'run-all', group: 'Run', label: t('command.run-all'), enabled: inNotebook, run: () => nb()?.runAll() },
    { id: 'run-cell', group: 'Run', label: t('command.run-cell'), shortcut: 'Shift+Enter', enabled: cell, run: () => { const id = nb()?.selected; if (id) nb()!.runCell(id, true); } },
    { id: 'run-in-place', group: 'Run', label: t('command.run-in-place'), shortcut: 'Ctrl+Enter', enabled: cell, run: () => { const id = nb()?.selected; if (id) nb()!.runCell(id); } },
    { id: 'run-above', group: 'Run', label: t('command.run-above'), enabled: cell, run: () => nb()?.runAround('above') },
    { id: 'run-below', group: 'Run', label: t('command.run-below'), enabled: cell, run: () => nb()?.runAround('below') },
    { id: 'move-up', group: 'Cell', label: t('command.move-up'), shortcut: 'Alt+↑', enabled: cell, run: () => nb()?.actOnSelected('up') },
    { id: 'move-down', group: 'Cell', label: t('command.move-down'), shortcut: 'Alt+↓', enabled: cell, run: () => nb()?.actOnSelected('down') },
    { id: 'duplicate', group: 'Cell', label: t('command.duplicate'), shortcut: 'C', enabled: cell, run: () => nb()?.actOnSelected('duplicate') },
    { id: 'delete', group: 'Cell', label: t('command.delete'), shortcut: 'D D', enabled: cell, run: () => nb()?.actOnSelected('delete') },
    { id: 'undo', group: 'Cell', label: t('command.undo'), shortcut: 'Z', enabled: inNotebook, run: () => nb()?.undoLast() },
    { id: 'select-next', group: 'Cell', label: t('command.select-next'), shortcut: t('command.selectShortcut'), enabled: inNotebook, run: () => nb()?.focus() },
    { id: 'edit', group: 'Cell', label: t('command.edit'), shortcut: 'Enter', enabled: cell, run: () => { const id = nb()?.selected; if (id) nb()!.editCell(id); } },
    { id: 'leave-editor', group: 'Cell', label: t('command.leave-editor'), shortcut: 'Escape', enabled: inNotebook, run: () => nb()?.focus() },
    { id: 'to-markdown', group: 'Cell', label: t('command.to-markdown'), shortcut: 'M / Y', enabled: cell, run: () => nb()?.focus() },
    { id: 'save-file', group: 'Notebook', label: t('command.save-file'), shortcut: 'Ctrl+S', enabled: host.hasNotebook, run: () => host.downloadNotebook() },
    { id: 'export-html', group: 'Notebook', label: t('command.export-html'), enabled: host.hasNotebook, run: () => host.exportHtml('teacher') },
    { id: 'export-worksheet', group: 'Notebook', label: t('command.export-worksheet'), enabled: host.hasNotebook && host.hasExercises === true, run: () => host.exportHtml('student') },
    { id: 'copy-link', group: 'Notebook', label: t('command.copy-link'), enabled: host.hasNotebook, run: () => host.copyLink() },
    { id: 'present', group: 'Notebook', label: t('command.present'), enabled: inNotebook, run: () => nb()?.togglePresentation() },
    { id: 'new', group: 'Notebook', label: t('command.new'), run: () => host.newNotebook() },
    { id: 'open-file', group: 'Notebook', label: t('command.open-file'), run: () => host.pickNotebook() },
    { id: 'notebooks', group: 'Notebook', label: t('command.notebooks'), run: () => host.showStart() },
    { id: 'load-data', group: 'Data', label: t('command.load-data'), run: () => host.pickDataFile() },
    ...host.sources.filter((s) => s.source !== host.active).map((s): Command => ({
      id: `use-${s.source}`, group: 'Data', label: t('command.use', { name: s.file.name }), run: () => host.useSource(s.source),
    })),
    { id: 'theme', group: 'View', label: t('command.theme'), run: () => host.toggleTheme() },
    { id: 'panel', group: 'View', label: t('command.panel'), run: () => host.togglePanel() },
    { id: 'palette', group: 'View', label: t('command.palette'), shortcut: 'Ctrl+K', run: () => host.openPalette('commands') },
    { id: 'shortcuts', group: 'View', label: t('command.shortcuts'), shortcut: '?', run: () => host.openPalette('shortcuts') },
    // the shipped notebooks in the interface's language (a translation where there is one), in course order
    ...courseNotebooks(language()).map((n): Command => ({
      id: `open-${n.file}`, group: 'Open', label: n.title, run: () => host.openText(n.text, n.file),
    })),
  ];
  return list;
}
