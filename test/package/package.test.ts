// The published package as a user gets it: `npm pack`, installed into an empty folder with
// nothing from the network, then used from that folder with the network cut: the command on a
// file outside the project, a shipped notebook, an ESM script on the library (type-checked
// against the shipped types), and `cohortbook/browser` bundled by Vite and run in Chromium.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { build } from 'vite';
import sirv from 'sirv';
import { createServer, type Server } from 'node:http';
import { installOffline, packInto, withoutNetwork } from './install-tarball.ts';
import { launchChromium } from '../browser/browser.ts';
import { THREE_SIGNUPS, WEEKLY_CELLS, WEEKLY_RETENTION } from '../helpers/three-signups.ts';

const exec = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '..', '..');
let work: string;
let app: string;
let data: string;
const OFFLINE = withoutNetwork();

const TINY_LOG = THREE_SIGNUPS;
const SPEC = WEEKLY_RETENTION;
const MATRIX = `cohort	size	week 0	week 1	week 2
2024-01-01	2	100.0%	50.0%	50.0%
2024-01-08	1	100.0%	100.0%	
2024-01-15	0			
`;

const SCRIPT = `// @ts-check
import { createNodeEngine, loadEvents, readEventFile, runAnalysis } from 'cohortbook';

const engine = await createNodeEngine('wasm');
try {
  await loadEvents(engine, await readEventFile(process.argv[2]));
  const result = await runAnalysis(engine, ${JSON.stringify(SPEC)});
  /** @type {import('cohortbook').RetentionRow[]} */
  const rows = /** @type {any} */ (result.rows);
  const periods = [...new Set(rows.map((row) => row.period))].sort((a, b) => a - b);
  console.log(['cohort', 'size', ...periods.map((p) => \`week \${p}\`)].join('\\t'));
  for (const cohort of new Set(rows.map((row) => row.cohort))) {
    const cells = rows.filter((row) => row.cohort === cohort);
    console.log([cohort, cells[0].cohort_size, ...periods.map((p) => {
      const rate = cells.find((row) => row.period === p)?.rate;
      return rate == null ? '' : \`\${(rate * 100).toFixed(1)}%\`;
    })].join('\\t'));
  }
} finally {
  await engine.close();
}

/** Never called: each line is a mistake the shipped types must reject (else tsc reports the directive unused). */
export function mistakesTheTypesCatch() {
  // @ts-expect-error: no such engine kind
  void createNodeEngine('sqlite');
  // @ts-expect-error: a spec is an object with a kind, not a string
  void runAnalysis(null, 'retention');
}
`;

/** Runs a command in the install folder with the network cut; never throws. */
async function offline(command: string, args: string[], cwd = app): Promise<{ code: number; stdout: string; stderr: string }> {
  const [file, ...rest] = [...OFFLINE, command, ...args];
  try {
    const { stdout, stderr } = await exec(file, rest, { cwd, maxBuffer: 64 << 20 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'dist', 'index.html'))) await build({ root: ROOT, logLevel: 'warn' });
  work = mkdtempSync(join(tmpdir(), 'cohortbook-package-'));
  app = join(work, 'app');
  data = join(work, 'elsewhere');
  mkdirSync(app);
  mkdirSync(data);
  writeFileSync(join(data, 'tiny.csv'), TINY_LOG);
  const tarball = packInto(ROOT, app);
  installOffline(ROOT, app, tarball);
}, 240_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the packed package, installed in an empty folder', () => {
  test('holds the built CLI, library, app and notebooks, and no sources or tests', () => {
    const installed = join(app, 'node_modules', 'cohortbook');
    for (const file of ['bin/cohortbook.js', 'lib/index.js', 'lib/index.d.ts', 'lib/index.js.map', 'lib/browser.js', 'lib/plots/index.d.ts',
      'lib/cli/main.js', 'dist/index.html', 'dist/sw.js', 'dist/samples/shop-events.csv', 'notebooks/getting-started.md']) {
      expect(existsSync(join(installed, file)), file).toBe(true);
    }
    for (const file of ['src', 'test', 'public', 'bench', 'scripts', 'tsconfig.json', 'lib/.tsbuildinfo']) {
      expect(existsSync(join(installed, file)), file).toBe(false);
    }
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
    expect(manifest.private).toBeUndefined();
    expect(Object.keys(manifest.dependencies)).not.toContain('tsx');
  });

  test.concurrent('npx cohortbook analyze reads a file outside the project', async () => {
    const { code, stdout, stderr } = await offline('npx', ['--offline', 'cohortbook', 'analyze', '--events', join(data, 'tiny.csv'), '--spec', JSON.stringify(SPEC)]);
    expect(stderr).toMatch(/loaded 6 events of 3 users/);
    expect(code).toBe(0);
    const cells = JSON.parse(stdout).rows.map((row: Record<string, unknown>) => [row.cohort, row.period, row.users, row.cohort_size]);
    expect(cells).toEqual(WEEKLY_CELLS);
  });

  test.concurrent('cohortbook run renders a shipped notebook with the sample it names', async () => {
    const out = join(work, 'online-retail.html');
    const { code, stdout, stderr } = await offline('npx', ['--offline', 'cohortbook', 'run', 'node_modules/cohortbook/notebooks/online-retail-cohorts.md', '--engine', 'native', '--out', out]);
    expect(stderr).toMatch(/loaded online-retail\.csv\.gz: 406,829 events of 4,372 users/);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ failed: [], out });
    expect(readFileSync(out, 'utf8')).toMatch(/<svg[^>]*class="plot/);
  });

  test.concurrent('an ESM script imports runAnalysis and prints the retention matrix; it type-checks against the shipped types', async () => {
    writeFileSync(join(app, 'retention.mjs'), SCRIPT);
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', allowJs: true, checkJs: true, noEmit: true, strict: true,
        skipLibCheck: false, typeRoots: [join(ROOT, 'node_modules', '@types')], types: ['node'],
      },
      files: ['retention.mjs'],
    }));
    const [ran, checked] = await Promise.all([
      offline(process.execPath, ['retention.mjs', join(data, 'tiny.csv')]),
      offline(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json']),
    ]);
    expect(ran.stderr).toBe('');
    expect(ran.stdout).toBe(MATRIX);
    expect(checked.stdout).toBe('');
    expect(checked.code).toBe(0);
  });
});

describe('cohortbook/browser from the installed package', () => {
  let server: Server | undefined;
  afterAll(() => server?.close());

  test('a Vite app bundles it and runs an analysis in Chromium', async () => {
    const web = join(app, 'web');
    mkdirSync(web, { recursive: true });
    writeFileSync(join(web, 'index.html'), '<!doctype html><title>cohortbook/browser</title><script type="module" src="./main.js"></script>');
    writeFileSync(join(web, 'main.js'), `
import { createBrowserEngine, loadEvents, runAnalysis } from 'cohortbook/browser';
import { viteAssets } from 'cohortbook/browser/vite-assets';
const engine = await createBrowserEngine(viteAssets);
await loadEvents(engine, { name: 'tiny.csv', bytes: new TextEncoder().encode(${JSON.stringify(TINY_LOG)}) });
const { rows } = await runAnalysis(engine, ${JSON.stringify(SPEC)});
document.body.dataset.cells = JSON.stringify(rows.map((row) => [row.cohort, row.period, row.users]));
`);
    await build({ root: web, configFile: false, base: './', logLevel: 'warn', build: { target: 'es2022', outDir: 'out' }, worker: { format: 'es' } });
    const files = sirv(join(web, 'out'), { dev: true });
    server = createServer((req, res) => files(req, res, () => { res.statusCode = 404; res.end(); }));
    await new Promise<void>((done) => server!.listen(0, '127.0.0.1', done));
    const address = server.address();
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`);
      const cells = await page.waitForFunction(() => document.body.dataset.cells, null, { timeout: 60_000 });
      expect(JSON.parse(await cells.jsonValue() as string)).toEqual(WEEKLY_CELLS.map((cell) => cell.slice(0, 3)));
    } finally {
      await browser.close();
    }
  });
});
