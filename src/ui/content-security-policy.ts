/**
 * The app's Content-Security-Policy: the page may load and connect only to itself, so even code a
 * person trusted cannot send their data elsewhere with fetch, an image or a form. What the parts
 * need: DuckDB-WASM and parquet-wasm compile WebAssembly (`'wasm-unsafe-eval'`) in workers of the
 * app's own (`worker-src 'self' blob:`); JavaScript cells and Arquero's table expressions compile
 * code (`'unsafe-eval'`); Lit, CodeMirror and Observable Plot set inline styles. Images may be
 * `data:` and `blob:` (charts as PNG, Markdown images). Sent as a header by the service worker
 * and the preview server, and as a `<meta>` in index.html (without `frame-ancestors`, which
 * browsers honour only in a header).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "img-src 'self' data: blob:",
  "style-src 'self' 'unsafe-inline'",
  "object-src 'none'",
  "frame-src 'none'",
  "form-action 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The policy as a `<meta http-equiv>` can carry it: `frame-ancestors` works only as a header. */
export const META_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.split('; ').filter((d) => !d.startsWith('frame-ancestors')).join('; ');

/**
 * The headers that make the page cross-origin isolated (`crossOriginIsolated` is then true), which
 * DuckDB-WASM's threaded build needs (it shares its memory with its pthread workers through a
 * `SharedArrayBuffer`). Every resource the app loads is its own, so requiring CORP costs nothing.
 * Sent by the dev and preview servers, `cohortbook serve` and the service worker.
 */
export const CROSS_ORIGIN_ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};
