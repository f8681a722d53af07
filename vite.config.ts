import { createLogger, defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { CONTENT_SECURITY_POLICY, CROSS_ORIGIN_ISOLATION_HEADERS, META_CONTENT_SECURITY_POLICY } from './src/ui/content-security-policy.ts';

/** The app's Content-Security-Policy as a `<meta>` in index.html (src/ui/content-security-policy.ts says why each part). */
const contentSecurityPolicy: Plugin = {
  name: 'cohortbook-content-security-policy',
  transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: META_CONTENT_SECURITY_POLICY }, injectTo: 'head-prepend' }],
};
// cross-origin isolated too, so the page runs DuckDB-WASM's threaded build (both cores)
const securityHeaders = { 'Content-Security-Policy': CONTENT_SECURITY_POLICY, 'X-Content-Type-Options': 'nosniff', ...CROSS_ORIGIN_ISOLATION_HEADERS };

// DuckDB-WASM's worker ships sourcemaps that name sources it does not ship; the dev server would
// warn of each (over a hundred lines) when the page first loads it. Nothing a person can act on.
const logger = createLogger();
const foreignSourcemap = /Sourcemap for ".*@duckdb\/duckdb-wasm\/.*" points to a source file outside its package/;
for (const level of ['warn', 'warnOnce'] as const) {
  const write = logger[level].bind(logger);
  logger[level] = (message, options) => { if (!foreignSourcemap.test(message)) write(message, options); };
}

export default defineConfig({
  base: './',
  customLogger: logger,
  server: { port: 5173, host: '127.0.0.1', headers: securityHeaders },
  preview: { port: 4173, host: '127.0.0.1', headers: securityHeaders },
  // Only the app's page is scanned for dependencies: bench/chromium/index.html imports a module
  // that exists only while the benchmark builds its page, and the scan would say so in red.
  optimizeDeps: { entries: ['index.html'], exclude: ['@duckdb/duckdb-wasm', 'parquet-wasm'] },
  build: { target: 'es2022', chunkSizeWarningLimit: 4000 },
  worker: { format: 'es' },
  plugins: [
    contentSecurityPolicy,
    // After one visit the app works with the network off: the service worker (src/ui/sw.ts)
    // precaches the built app, DuckDB-WASM's exception-handling and threaded builds and
    // parquet-wasm, and sends the app's Content-Security-Policy and the cross-origin isolation
    // headers with every response. The MVP build is only for browsers without WebAssembly exceptions.
    VitePWA({
      registerType: 'autoUpdate',
      injectRegister: 'script',
      manifest: false,
      strategies: 'injectManifest',
      srcDir: 'src/ui',
      filename: 'sw.ts',
      injectManifest: {
        globPatterns: ['**/*.{js,css,html,wasm,csv,gz,svg}'],
        globIgnores: ['**/duckdb-mvp*', '**/duckdb-browser-mvp*'],
        maximumFileSizeToCacheInBytes: 64 * 1024 * 1024,
      },
    }),
  ],
});
