import { createStore, get, set, type UseStore } from 'idb-keyval';

/** What a student did with one exercise. */
export interface ExerciseProgress {
  /** Whether they checked an answer at least once. */
  answered: boolean;
  /** Whether an answer of theirs was right (it stays right). */
  right: boolean;
  /** How many hints they revealed. */
  hints: number;
  /** Whether they asked to see the reference answer. */
  revealed: boolean;
  attempts: number;
  /** Their last answer as typed or picked (a query's text for a table), to show it again. */
  answer?: string;
  /** The last verdict: right, close or wrong. */
  verdict?: 'right' | 'close' | 'wrong';
}

/** A notebook's progress: by exercise name. */
export interface NotebookProgress {
  exercises: Record<string, ExerciseProgress>;
  updatedAt: number;
}

/** An exercise nobody has touched. */
export const NO_PROGRESS: ExerciseProgress = { answered: false, right: false, hints: 0, revealed: false, attempts: 0 };

let store: UseStore | null = null;
const db = () => (store ??= createStore('cohortbook-progress', 'progress'));

/**
 * The key a notebook's progress is kept under: a shipped notebook's by its file (`shipped:
 * getting-started.md`, the same however often it is opened, so the start page can show it), any
 * other by the notebook's id.
 */
export function progressKey(notebook: { id: string; shipped?: string }): string {
  return notebook.shipped ? `shipped:${notebook.shipped}` : `notebook:${notebook.id}`;
}

/** A notebook's progress, empty when there is none (or no IndexedDB). */
export async function loadProgress(key: string): Promise<NotebookProgress> {
  const stored = await get<NotebookProgress>(key, db()).catch(() => undefined);
  return stored ?? { exercises: {}, updatedAt: 0 };
}

/** Saves one exercise's progress into its notebook's. */
export async function saveExerciseProgress(key: string, exercise: string, progress: ExerciseProgress): Promise<NotebookProgress> {
  const current = await loadProgress(key);
  const next: NotebookProgress = { exercises: { ...current.exercises, [exercise]: progress }, updatedAt: Date.now() };
  await set(key, next, db());
  return next;
}

/**
 * Totals for a progress bar: of `names` (the notebook's exercises), how many are answered, right,
 * revealed, and the hints used.
 *
 * @example
 * progressSummary(progress, ['a', 'b', 'c']); // { total: 3, answered: 2, right: 1, revealed: 0, hints: 1 }
 */
export function progressSummary(progress: NotebookProgress, names: readonly string[]): { total: number; answered: number; right: number; revealed: number; hints: number } {
  const of = names.map((name) => progress.exercises[name] ?? NO_PROGRESS);
  return {
    total: names.length,
    answered: of.filter((p) => p.answered).length,
    right: of.filter((p) => p.right).length,
    revealed: of.filter((p) => p.revealed).length,
    hints: of.reduce((sum, p) => sum + p.hints, 0),
  };
}
