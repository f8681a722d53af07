import { frontMatterFields, notebookTitle, parseNotebook, type Cell } from '../notebook/index.ts';
import { SHIPPED_NOTEBOOKS, type ShippedNotebook } from './shipped-notebooks.ts';

/** A shipped notebook as the start page shows it: in course order, with what it teaches. */
export interface CourseNotebook extends ShippedNotebook {
  title: string;
  /** Its place in the course (front matter `course: 3`); notebooks outside the course have none. */
  step?: number;
  /** One line: what you will learn (front matter `learn:`). */
  learn?: string;
  /** The file of the next notebook of the course (front matter `next:`). */
  next?: string;
  /** The names of its exercises. */
  exercises: string[];
}

/** The names of a notebook's exercises, in order. */
export function exerciseNames(cells: readonly Cell[]): string[] {
  return cells.filter((c) => c.kind === 'exercise' && c.name).map((c) => c.name!);
}

function describe(shipped: ShippedNotebook): CourseNotebook {
  const notebook = parseNotebook(shipped.text);
  let fields: Record<string, unknown> = {};
  try {
    fields = frontMatterFields(notebook.frontMatter);
  } catch {
    // a notebook whose front matter does not read still opens; it just has no course fields
  }
  const out: CourseNotebook = { ...shipped, title: notebookTitle(notebook), exercises: exerciseNames(notebook.cells) };
  if (typeof fields.course === 'number') out.step = fields.course;
  if (typeof fields.learn === 'string') out.learn = fields.learn;
  if (typeof fields.next === 'string') out.next = fields.next;
  return out;
}

/**
 * The shipped notebooks in a language: each English notebook of `notebooks/`, or its translation
 * in `notebooks/LANG/` where there is one (`notebooks/ru/churn-ltv-clv.md`); the course in order,
 * then the others by name.
 */
export function courseNotebooks(language: string): CourseNotebook[] {
  const english = SHIPPED_NOTEBOOKS.filter((n) => !n.file.includes('/'));
  const translated = new Map(SHIPPED_NOTEBOOKS.filter((n) => n.file.startsWith(`${language}/`)).map((n) => [n.file.slice(language.length + 1), n]));
  const list = english.map((n) => (language === 'en' ? n : translated.get(n.file) ?? n)).map(describe);
  return list.sort((a, b) => (a.step ?? Infinity) - (b.step ?? Infinity) || a.file.localeCompare(b.file));
}

/** A shipped notebook by its file (`getting-started.md`, `ru/getting-started.md`). */
export function shippedNotebook(file: string): CourseNotebook | undefined {
  const found = SHIPPED_NOTEBOOKS.find((n) => n.file === file);
  return found ? describe(found) : undefined;
}
