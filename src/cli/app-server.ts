// The local web server behind `cohortbook serve`: the built app's static files, and the notebook
// and data files the person named, handed to the page that `serve` opens.
import { createReadStream } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import sirv from 'sirv';

/** A data file named with `--data name=FILE`, served to the page as bytes. */
export interface ServedFile {
  /** The source name the notebook reads it by (`events` is the view itself). */
  source: string;
  /** The file's own name (its extension tells the loader the format). */
  name: string;
  path: string;
  size: number;
}

/** What the page asks for at start: see `src/ui/served-session.ts`, which reads it. */
export interface ServedSession {
  notebook: { name: string; text: string } | null;
  data: ServedFile[];
  mapping: string;
  timezone?: string;
  trusted: boolean;
}

/** The path the page fetches the session from; data files are under `${SESSION_PATH}/data/N`. */
export const SESSION_PATH = '/cohortbook-serve';

/** A running server: its address, the address that opens the session, and a way to stop it. */
export interface AppServer {
  url: string;
  sessionUrl: string;
  close(): Promise<void>;
}

const LOOPBACK = '127.0.0.1';

/**
 * Serves `appFolder` on the loopback interface. Requests must name this machine as their host
 * (so a web page cannot reach the server through a rebound DNS name), and the session and its
 * data answer only with the token the opened address carries.
 */
export async function startAppServer(appFolder: string, session: ServedSession, port: number): Promise<AppServer> {
  const token = randomBytes(16).toString('hex');
  const assets = sirv(appFolder, {
    dev: false,
    etag: true,
    // the page and the service worker must be checked on every visit; hashed assets may be kept
    setHeaders: (res, pathname) => {
      if (pathname.endsWith('.html') || pathname === '/sw.js' || pathname === '/registerSW.js') res.setHeader('Cache-Control', 'no-cache');
    },
  });
  let listening = port;
  const server = createServer((req, res) => {
    if (!allowedHost(req.headers.host, listening)) {
      res.writeHead(403, { 'Content-Type': 'text/plain' }).end('cohortbook serve answers only to 127.0.0.1 and localhost\n');
      return;
    }
    // cross-origin isolation: DuckDB-WASM's threaded build needs it, and nothing here comes from another origin
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
    const url = new URL(req.url ?? '/', `http://${LOOPBACK}`);
    if (url.pathname === SESSION_PATH || url.pathname.startsWith(`${SESSION_PATH}/`)) {
      answerSession(url, session, token, res);
      return;
    }
    assets(req, res, () => { res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n'); });
  });
  listening = await listen(server, port);
  const url = `http://${LOOPBACK}:${listening}/`;
  return {
    url,
    sessionUrl: `${url}?serve=${token}`,
    close: () => new Promise((done) => { server.closeAllConnections(); server.close(() => done()); }),
  };
}

function answerSession(url: URL, session: ServedSession, token: string, res: ServerResponse): void {
  if (url.searchParams.get('token') !== token) {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('no such session\n');
    return;
  }
  if (url.pathname === SESSION_PATH) {
    const body = {
      notebook: session.notebook,
      data: session.data.map((file, i) => ({ source: file.source, name: file.name, size: file.size, url: `${SESSION_PATH}/data/${i}?token=${token}` })),
      mapping: session.mapping,
      timezone: session.timezone,
      trusted: session.trusted,
    };
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }).end(JSON.stringify(body));
    return;
  }
  const file = session.data[Number(/^\/data\/(\d+)$/.exec(url.pathname.slice(SESSION_PATH.length))?.[1] ?? NaN)];
  if (!file) {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('no such file\n');
    return;
  }
  res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': file.size, 'Cache-Control': 'no-store' });
  createReadStream(file.path).on('error', () => res.destroy()).pipe(res);
}

function allowedHost(host: string | undefined, port: number): boolean {
  return [`${LOOPBACK}:${port}`, `localhost:${port}`].includes(host?.toLowerCase() ?? '');
}

/** Listens on `port` (0: any free port) and resolves with the port it got. */
function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const failed = (error: Error) => reject(error);
    server.once('error', failed);
    server.listen(port, LOOPBACK, () => {
      server.off('error', failed);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}
