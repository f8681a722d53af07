import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { notebookTitle, parseNotebook } from '../../src/notebook/index.ts';

// Every pointer in the prose of a shipped notebook must lead somewhere real (issue 15: the
// getting-started notebook sent people to "the funnel and lifecycle notebooks", which do not exist).
const ROOT = resolve(import.meta.dirname, '..', '..');
const FILES = readdirSync(join(ROOT, 'notebooks')).filter((f) => f.endsWith('.md')).sort();
const notebooks = FILES.map((file) => {
  const notebook = parseNotebook(readFileSync(join(ROOT, 'notebooks', file), 'utf8'));
  const prose = notebook.cells.filter((c) => c.kind === 'markdown').map((c) => c.source).join('\n\n');
  return { file, title: notebookTitle(notebook), prose };
});
const TITLES = notebooks.map((n) => n.title.toLowerCase());
const STEMS = FILES.map((f) => f.replace(/\.md$/, '').replaceAll('-', ' '));
/** Words that say which notebook without naming one. */
const GENERIC = new Set(['this', 'that', 'next', 'other', 'same', 'shipped', 'teaching', 'saved', 'whole', 'following', 'previous', 'a', 'each']);

/** Whether `name` names a shipped notebook: its title, or its file name in words. */
function isShipped(name: string): boolean {
  const n = name.toLowerCase().replace(/[*_"“”]/g, '').trim();
  return TITLES.includes(n) || STEMS.includes(n);
}

/** The notebooks a text names: "open the X notebook", "the X and Y notebooks", "*Title*" beside "notebook". */
function namedNotebooks(prose: string): string[] {
  const names: string[] = [];
  for (const match of prose.matchAll(/\bthe ((?:(?!the\b)[\w'?*,-]+ ){0,6}?)notebooks?\b/gi)) {
    const words = match[1].trim();
    if (!words) continue;
    for (const name of words.split(/,\s*|\s+and\s+|\s+or\s+/)) {
      const n = name.replace(/^the\s+/i, '').trim();
      if (n && !GENERIC.has(n.toLowerCase())) names.push(n);
    }
  }
  for (const paragraph of prose.split(/\n\s*\n/)) {
    if (!/notebook/i.test(paragraph)) continue;
    for (const match of paragraph.matchAll(/(?<![*\w])\*([A-Z][^*\n]*)\*(?![*\w])/g)) names.push(match[1]);
  }
  return names;
}

describe('pointers in shipped prose', () => {
  test.each(notebooks)('$file: every notebook it names is shipped', ({ prose }) => {
    expect(namedNotebooks(prose).filter((name) => !isShipped(name))).toEqual([]);
  });

  test.each(notebooks)('$file: every link leads to a shipped notebook, a served file or the web', ({ prose }) => {
    for (const match of prose.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = match[1];
      if (/^(https?:|mailto:|#)/.test(target)) continue;
      if (target.endsWith('.md')) expect(FILES, target).toContain(target.replace(/^\.\//, ''));
      else expect(existsSync(join(ROOT, 'public', target)), target).toBe(true);
    }
  });

  test('the check catches the pointer that was wrong', () => {
    expect(namedNotebooks('Next: open the funnel and lifecycle notebooks, or drop your own event log.')).toEqual(['funnel', 'lifecycle']);
    expect(namedNotebooks('This notebook runs on the sample log.')).toEqual([]);
    expect(namedNotebooks('See the notebooks *Is it significant?* and *Funnels explained*.').filter((n) => !isShipped(n))).toEqual(['Funnels explained']);
  });
});
