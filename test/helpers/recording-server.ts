import { createServer, type Server } from 'node:http';

/**
 * A local HTTP server that records every request it gets and answers each with a small CSV, so an
 * attack that could reach it would also get data back. Hostile tests start one and expect its
 * `requests` to stay empty.
 */
export interface RecordingServer {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** `METHOD /path?query` of every request, in order. */
  requests: string[];
  close(): Promise<void>;
}

export async function startRecordingServer(): Promise<RecordingServer> {
  const requests: string[] = [];
  const server: Server = createServer((request, response) => {
    requests.push(`${request.method} ${request.url}`);
    response.setHeader('Access-Control-Allow-Origin', '*');
    response.setHeader('Content-Type', 'text/csv');
    response.end('user_id,event,ts\nattacker,signup,2024-01-01T00:00:00Z\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
