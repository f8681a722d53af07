import { formatBytes } from '../engine/index.ts';

// What the workspace says about data that does not fit and notebooks that cannot be saved; kept
// together so they can move into a message catalogue.

/** What the app says about two tabs on one notebook; kept together so they can move into a message catalogue. */
export const OTHER_TAB = {
  elsewhere: 'This notebook is open in another tab, which saves it. Edits you make here are saved as a copy, never over that tab\'s work.',
  taken: 'Another tab took this notebook over and saves it now. Edits you make here are saved as a copy.',
  takeOver: 'Take over here',
};

/**
 * The one sentence for a log too big for the tab: its size, what the tab holds, and the command
 * that analyses it with native DuckDB instead (the only place the page names a command).
 */
export function tooBig(files: { name: string; size: number }[], available: number, when: 'before' | 'during'): string {
  const size = files.reduce((sum, f) => sum + f.size, 0);
  const what = files.length === 1 ? `"${files[0].name}" is ${formatBytes(size)}` : `These ${files.length} files are ${formatBytes(size)}`;
  const events = files.map((f) => `--events ${/^[\w.@+-]+$/.test(f.name) ? f.name : `"${f.name.replace(/"/g, '\\"')}"`}`).join(' ');
  const verdict = when === 'before' ? 'more than this tab can load (it holds about ' : 'and loading ran out of the memory this tab has (about ';
  return `${what}, ${verdict}${formatBytes(available)}, as DuckDB in a browser stops near 3 GB), so it was not loaded and the data loaded before is still here: `
    + `analyse it on this machine with native DuckDB, npx cohortbook analyze ${events} --spec spec.json --engine native`;
}

/** An autosave that failed, in the person's terms: a full storage quota says what still works. */
export function autosaveProblem(error: unknown): string {
  const name = (error as DOMException)?.name ?? '';
  if (name === 'QuotaExceededError' || /quota/i.test(String((error as Error)?.message ?? ''))) {
    return 'Autosave failed: this browser\'s storage for cohortbook is full, so the latest changes are not kept here. '
      + 'The notebook is still open: download it with Save file (Ctrl+S), or delete notebooks you no longer need on the Notebooks page to make room.';
  }
  return `Autosave failed: ${(error as Error)?.message ?? String(error)}. The notebook is still open: download it with Save file (Ctrl+S).`;
}
