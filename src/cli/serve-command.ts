import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { UsageError } from './cli-error.ts';
import { APP_FOLDER } from './package-files.ts';
import { startAppServer, type AppServer, type ServedFile, type ServedSession } from './app-server.ts';
import type { Say } from './commands.ts';

export interface ServeOptions {
  data?: string[];
  map?: string;
  tz?: string;
  port?: string;
  trust?: boolean;
}

/**
 * The port `serve` tries first. A fixed one, because the browser keeps autosaved notebooks and
 * data per origin: the same port finds them again next time.
 */
export const DEFAULT_PORT = 4410;

/** How many ports after the default are tried when it is taken (and no `--port` was given). */
const PORT_TRIES = 10;

/**
 * `cohortbook serve [NOTEBOOK.md] [--data name=FILE ...]`: serves the built workspace from this
 * package on a local port, and hands the page that opens it the notebook and data files given.
 * `open` (with `openBrowser`) opens that address in the default browser where one exists.
 * Resolves once the server listens; it runs until the process is stopped.
 */
export async function serveCommand(notebookPath: string | undefined, options: ServeOptions, say: Say, { openBrowser = false } = {}): Promise<AppServer> {
  if (!existsSync(join(APP_FOLDER, 'index.html'))) throw new Error(`the web app is not built (no ${join(APP_FOLDER, 'index.html')}): run "npm run build" first`);
  const port = parsePort(options.port);
  if (options.map) {
    const { parseMappingOverrides } = await import('../engine/index.ts');
    parseMappingOverrides(options.map);
  }
  const notebook = notebookPath ? { name: basename(notebookPath), text: await readNotebook(notebookPath) } : null;
  const data = await Promise.all((options.data ?? []).map(servedFile));
  const session = { notebook, data, mapping: options.map ?? '', timezone: options.tz, trusted: options.trust ?? false };
  const server = await listenNear(session, port ?? DEFAULT_PORT, port === undefined ? PORT_TRIES : 1, say);
  process.stdout.write(`${JSON.stringify({ url: server.sessionUrl })}\n`);
  const what = [notebook?.name, ...data.map((f) => `${f.source}=${f.name}`)].filter(Boolean).join(', ');
  say(`serving the cohortbook workspace${what ? ` with ${what}` : ''} at ${server.sessionUrl}`);
  if (notebook && !session.trusted) say('its JavaScript cells wait until you click "Trust and run" (or start with --trust)');
  say('Ctrl+C stops the server; nothing you load leaves this machine.');
  if (openBrowser) await openInBrowser(server.sessionUrl, say);
  return server;
}

function parsePort(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) throw new UsageError(`--port must be a number from 0 to 65535, not "${text}"`);
  return port;
}

async function readNotebook(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(`notebook "${path}": ${code === 'ENOENT' ? 'not found' : code === 'EISDIR' ? 'is a directory' : 'cannot be read'}`);
  }
}

/** `--data name=FILE`, checked now so a wrong path fails here and not later in the page. */
async function servedFile(spec: string): Promise<ServedFile> {
  const eq = spec.indexOf('=');
  if (eq <= 0 || eq === spec.length - 1) throw new UsageError(`--data takes name=FILE, not "${spec}"`);
  const path = resolve(spec.slice(eq + 1));
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw new Error(`${spec.slice(eq + 1)}: ${error.code === 'ENOENT' ? 'not found' : `cannot be read (${error.code})`}`);
  });
  if (!info.isFile()) throw new Error(`${spec.slice(eq + 1)}: is not a file`);
  return { source: spec.slice(0, eq), name: basename(path), path, size: info.size };
}

async function listenNear(session: ServedSession, first: number, tries: number, say: Say): Promise<AppServer> {
  for (let port = first; ; port++) {
    try {
      const server = await startAppServer(APP_FOLDER, session, port);
      if (port !== first) say(`port ${first} is in use; serving on ${port} instead (notebooks saved in the browser belong to each port)`);
      return server;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
      if (port - first + 1 >= tries) throw new Error(tries === 1 ? `port ${first} is in use: pick another with --port N (0 for any free port)` : `ports ${first} to ${port} are in use: pick one with --port N`);
    }
  }
}

/**
 * Opens the address in the default browser (`open`: macOS's open, Windows' start, xdg-open, which
 * honours $BROWSER). A Linux machine without a display has no browser to show it: say so instead
 * of starting a text browser in the background.
 */
async function openInBrowser(url: string, say: Say): Promise<void> {
  const headless = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY && !process.env.BROWSER;
  if (headless) {
    say('no browser to open here (no display): open the address above in one');
    return;
  }
  const failed = (why: string) => say(`could not open a browser (${why}): open the address above in one`);
  try {
    const { default: open } = await import('open');
    const child = await open(url);
    child.once('error', (error) => failed(error.message));
    child.once('exit', (code) => { if (code) failed(`the opener exited with code ${code}`); });
  } catch (error) {
    failed((error as Error).message);
  }
}
