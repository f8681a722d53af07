import { marked } from 'marked';
import createDOMPurify from 'dompurify';

/**
 * Renders Markdown prose to sanitised HTML with a given window (the page's, or jsdom's in Node), so
 * a notebook from someone else cannot run script through its prose, in the app or in a report.
 *
 * @example
 * const render = markdownRenderer(window);
 * render('# Cohorts\n\n<img src=x onerror=alert(1)>'); // '<h1>Cohorts</h1>\n<img src="x">'
 */
export function markdownRenderer(window: Window): (text: string) => string {
  const purify = createDOMPurify(window as never);
  return (text) => purify.sanitize(marked.parse(text, { async: false, gfm: true }) as string, { USE_PROFILES: { html: true } });
}
