// Interleaved A/B for issue 21.2: the same queries on the same loaded 10M log, alternating between a
// cross-origin isolated page (threaded DuckDB-WASM) and one that is not (single-threaded), in one
// Chromium, so that the machine's changing load hits both alike.
// npx tsx bench/experiments/coi-ab.ts [rounds] [cases]
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { loadavg } from 'node:os';
import { build } from 'vite';
import { launchChromium } from '../../test/browser/browser.ts';
import { CROSS_ORIGIN_ISOLATION_HEADERS } from '../../src/ui/content-security-policy.ts';
import { loadCases } from '../cases.ts';
import { caseRefs, selectCases } from '../cases.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const OUT = join(ROOT, 'bench', 'data', 'ab-page');
const DATA = join(ROOT, 'bench', 'data', 'events-10m.parquet');
const rounds = Number(process.argv[2] ?? 3);
const ids = process.argv[3] ?? 'retention,lifecycle,active-users,funnel';
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };

await build({
  configFile: false, root: join(ROOT, 'bench', 'chromium'), base: './', logLevel: 'warn',
  optimizeDeps: { exclude: ['@duckdb/duckdb-wasm', 'parquet-wasm'] }, worker: { format: 'es' },
  plugins: [{ name: 'cases', resolveId: (s) => (s === 'virtual:bench-cases' ? '\0cases' : null), load: (id) => (id === '\0cases' ? '' : null) }],
  build: { outDir: OUT, emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 8000 },
});
function serve(isolated: boolean): Promise<string> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const file = path === '/data.parquet' ? DATA : join(OUT, normalize(path === '/' ? '/index.html' : path));
    if (!existsSync(file) || !statSync(file).isFile()) { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', ...(isolated ? CROSS_ORIGIN_ISOLATION_HEADERS : {}) });
    createReadStream(file).pipe(res);
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done(`http://127.0.0.1:${(server.address() as { port: number }).port}/`)));
}
const browser = await launchChromium();
const pages: Record<string, import('playwright-core').Page> = {};
for (const [name, isolated] of [['threaded', true], ['single', false]] as const) {
  const page = await browser.newPage();
  await page.exposeFunction('benchPeak', () => undefined);
  await page.goto(await serve(isolated));
  await page.waitForSelector('body[data-ready="true"]');
  const bench = (m: string, ...a: unknown[]) => page.evaluate(({ m, a }) => (globalThis as any).bench[m](...a), { m, a });
  const start = await bench('start');
  await bench('fetchFile', '/data.parquet');
  const loaded = await bench('load', 'events.parquet');
  console.error(`${name}: ${start.threads} threads, isolated ${start.isolated}, load ${Math.round(loaded.ms)} ms`);
  pages[name] = page;
}
const cases = (await loadCases(selectCases(caseRefs(), ids))).filter((c) => !c.bench.timedByHarness);
const times: Record<string, Record<string, number[]>> = {};
const loads: number[] = [];
for (let r = 0; r < rounds + 1; r++) {
  for (const c of cases) {
    const order = r % 2 ? ['single', 'threaded'] : ['threaded', 'single'];
    for (const name of order) {
      const res = await pages[name].evaluate((spec) => (globalThis as any).bench.run(spec), c.bench.spec);
      if (r === 0) continue; // warm-up
      ((times[c.id] ??= {})[name] ??= []).push(res.ms);
    }
    loads.push(loadavg()[0]);
  }
}
const med = (v: number[]) => { const s = [...v].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
console.log(`| case | threaded (2 threads) | single thread | single / threaded | runs |`);
console.log(`| --- | ---: | ---: | ---: | --- |`);
for (const c of cases) {
  const t = times[c.id];
  console.log(`| ${c.bench.name} | ${(med(t.threaded) / 1000).toFixed(2)} s | ${(med(t.single) / 1000).toFixed(2)} s | ${(med(t.single) / med(t.threaded)).toFixed(2)}x | ${t.threaded.map((x) => (x / 1000).toFixed(2)).join(' ')} / ${t.single.map((x) => (x / 1000).toFixed(2)).join(' ')} |`);
}
console.log(`1-minute load average during the rounds: ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}`);
await browser.close();
process.exit(0);
