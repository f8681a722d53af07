import { marked } from 'marked';
import DOMPurify from 'dompurify';

/** Markdown prose as sanitised HTML: a notebook from someone else cannot run script through its prose. */
export function renderMarkdown(text: string): string {
  const raw = marked.parse(text, { async: false, gfm: true }) as string;
  return DOMPurify.sanitize(raw, { USE_PROFILES: { html: true } });
}
