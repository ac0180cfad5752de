import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Server } from 'socket.io';
import { EVENT_CHANNEL, RPC_CHANNEL } from '../contract';
import type { Core } from '../core';
import { CSP } from './csp';

export interface WebHostOptions {
  core: Core;
  /** Built renderer (dist-renderer). */
  staticDir: string;
  port?: number;
  /** Loopback only unless a hub deliberately serves LAN desks. */
  host?: string;
  token?: string;
  /** Extra routes (e.g. media files) tried before static files. */
  extraRoutes?: (req: http.IncomingMessage, res: http.ServerResponse) => boolean;
}

export interface WebHost {
  url: string;
  /** URL with the access token, what the user opens. */
  openUrl: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

function sameToken(a: unknown, b: string): boolean {
  if (typeof a !== 'string') return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export async function startWebHost(o: WebHostOptions): Promise<WebHost> {
  const token = o.token ?? randomBytes(24).toString('base64url');
  const root = path.resolve(o.staticDir);
  const server = http.createServer((req, res) => {
    if (o.extraRoutes?.(req, res)) return;
    const urlPath = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    let file = path.resolve(root, '.' + urlPath);
    if (!file.startsWith(root + path.sep) && file !== root) {
      res.writeHead(403).end();
      return;
    }
    if (!existsSync(file) || statSync(file).isDirectory()) file = path.join(root, 'index.html'); // SPA fallback
    if (!existsSync(file)) {
      res.writeHead(503, { 'content-type': 'text/plain' }).end('The user interface is not built yet. Run `npm run build:renderer`.');
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'content-security-policy': CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': path.basename(file) === 'index.html' ? 'no-store' : 'max-age=3600',
    });
    createReadStream(file).pipe(res);
  });

  const io = new Server(server, { serveClient: false, maxHttpBufferSize: 20e6, cors: { origin: false } });
  io.use((socket, next) => (sameToken(socket.handshake.auth?.token, token) ? next() : next(new Error('unauthorized'))));
  io.on('connection', (socket) => {
    socket.on(RPC_CHANNEL, async (method: unknown, arg: unknown, ack: unknown) => {
      if (typeof ack !== 'function') return;
      ack(await o.core.invoke(String(method), arg));
    });
  });
  const off = o.core.events.onAny((event, payload) => io.emit(EVENT_CHANNEL, event, payload));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, o.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${o.host && o.host !== '0.0.0.0' ? o.host : '127.0.0.1'}:${port}/`;
  return {
    url,
    openUrl: `${url}#token=${token}`,
    token,
    port,
    async close() {
      off();
      await new Promise<void>((r) => io.close(() => r()));
    },
  };
}
