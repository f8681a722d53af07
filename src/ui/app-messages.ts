import { formatBytes } from '../engine/index.ts';
import { t } from './i18n.ts';

// What the workspace says about data that does not fit and notebooks that cannot be saved, from the
// message catalogue (section `app`).

/** What the app says about two tabs on one notebook. */
export const OTHER_TAB = {
  get elsewhere() { return t('app.otherTab.elsewhere'); },
  get taken() { return t('app.otherTab.taken'); },
  get takeOver() { return t('app.otherTab.takeOver'); },
};

/**
 * The one sentence for a log too big for the tab: its size, what the tab holds, and the command
 * that analyses it with native DuckDB instead (the only place the page names a command).
 */
export function tooBig(files: { name: string; size: number }[], available: number, when: 'before' | 'during'): string {
  const size = formatBytes(files.reduce((sum, f) => sum + f.size, 0));
  const what = files.length === 1 ? t('app.tooBig.one', { name: files[0].name, size }) : t('app.tooBig.many', { count: files.length, size });
  const events = files.map((f) => `--events ${/^[\w.@+-]+$/.test(f.name) ? f.name : `"${f.name.replace(/"/g, '\\"')}"`}`).join(' ');
  const command = `npx cohortbook analyze ${events} --spec spec.json --engine native`;
  return t(`app.tooBig.${when}`, { what, available: formatBytes(available), command });
}

/** An autosave that failed, in the person's terms: a full storage quota says what still works. */
export function autosaveProblem(error: unknown): string {
  const name = (error as DOMException)?.name ?? '';
  if (name === 'QuotaExceededError' || /quota/i.test(String((error as Error)?.message ?? ''))) return t('app.autosave.full');
  return t('app.autosave.failed', { error: (error as Error)?.message ?? String(error) });
}
