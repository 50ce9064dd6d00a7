/**
 * A small HTTP server for the pages, bound to 127.0.0.1 only: routes are exact paths, so nothing
 * outside what a route names is ever read from disk.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError } from '../errors.js';

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void | Promise<void>;

export interface Served {
  url: string;
  port: number;
  server: http.Server;
  close(): Promise<void>;
}

/** Serve `routes` (exact path → handler) on 127.0.0.1:`port` (0 = any free port). */
export async function serve(routes: Map<string, Handler>, port: number): Promise<Served> {
  const server = http.createServer((req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const h = routes.get(pathname);
    if (!h || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    Promise.resolve(h(req, res)).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`ganbox: ${(err as Error).message}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new ConfigError(`port ${port} (--port) is in use; pick another or 0 for any free port`) : err));
    server.listen(port, '127.0.0.1', resolve);
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actual}/`,
    port: actual,
    server,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** A handler that answers with fixed or computed content. */
export function content(type: string, body: () => string | Buffer | Promise<string | Buffer>): Handler {
  return async (_req, res) => {
    const b = await body();
    res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' }).end(b);
  };
}

export const TYPES = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  json: 'application/json',
  bin: 'application/octet-stream',
} as const;
