import { Marked } from 'marked';
import createDOMPurify from 'dompurify';

/**
 * What prose needs, and nothing more: no form, input, button, style (tag or attribute), class,
 * id, frame, media or SVG, so a notebook from someone else cannot ask for a password, cover the
 * trust banner or borrow the app's look.
 */
const PROSE_TAGS = [
  'a', 'abbr', 'b', 'blockquote', 'br', 'code', 'dd', 'del', 'details', 'dl', 'dt', 'em', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
  'hr', 'i', 'img', 'ins', 'kbd', 'li', 'mark', 'ol', 'p', 'pre', 'q', 's', 'samp', 'small', 'strong', 'sub', 'summary', 'sup',
  'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'u', 'ul',
];
const PROSE_ATTRIBUTES = ['href', 'title', 'alt', 'src', 'align', 'colspan', 'rowspan', 'start', 'reversed', 'open', 'lang', 'dir'];

/** A page origin no URL can have: relative image paths resolve against it, anything else does not. */
const APP = 'https://app.cohortbook.invalid/';

/**
 * Whether an image source stays on the machine: a `data:` or `blob:` URL, or a path in the app
 * itself. Parsed as the browser parses it, so `//host`, `/\t/host` and `\\host` are remote too.
 */
function isLocalImage(src: string): boolean {
  let url: URL;
  try {
    url = new URL(src, APP);
  } catch {
    return false;
  }
  return url.protocol === 'data:' || url.protocol === 'blob:' || url.origin === new URL(APP).origin;
}

/**
 * Renders Markdown prose to sanitised HTML with a given window (the page's, or jsdom's in Node), so
 * a notebook from someone else can show only prose, in the app or in a report: no script, no
 * form, no style, no frame, no image from anywhere but `data:`, `blob:` or the app. GFM task list
 * boxes render as ☑ and ☐ (an input would be a form control).
 *
 * @example
 * const render = markdownRenderer(window);
 * render('# Cohorts\n\n<img src=x onerror=alert(1)> ![](https://example.com/beacon.gif)'); // '<h1>Cohorts</h1>\n<p><img src="x"> </p>\n'
 */
export function markdownRenderer(window: Window): (text: string) => string {
  const marked = new Marked({ gfm: true, async: false });
  marked.use({ renderer: { checkbox: ({ checked }) => (checked ? '☑ ' : '☐ ') } });
  const purify = createDOMPurify(window as never);
  purify.addHook('uponSanitizeAttribute', (node, data) => {
    if (data.attrName === 'src' && !isLocalImage(data.attrValue)) data.keepAttr = false;
  });
  purify.addHook('afterSanitizeAttributes', (node) => {
    // an image whose source was dropped shows its description instead of a broken image
    if (node.nodeName === 'IMG' && !node.hasAttribute('src')) node.replaceWith(node.ownerDocument.createTextNode(node.getAttribute('alt') ?? ''));
  });
  const config = {
    ALLOWED_TAGS: PROSE_TAGS, ALLOWED_ATTR: PROSE_ATTRIBUTES, ALLOW_DATA_ATTR: false, ALLOW_ARIA_ATTR: false,
    // DOMPurify's own rule with blob: added (a data: image is allowed on img by DOMPurify itself)
    ALLOWED_URI_REGEXP: /^(?:(?:(?:f|ht)tps?|mailto|tel|blob):|[^a-z]|[a-z+.-]+(?:[^a-z+.\-:]|$))/i,
  };
  return (text) => purify.sanitize(marked.parse(text) as string, config);
}
