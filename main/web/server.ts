/**
 * The browser edition's shell: serves the built renderer and the main-process services over a
 * WebSocket, both on 127.0.0.1 only.
 *
 * Security (the services can write files, so only this run's own page may reach them):
 * - bound to the loopback interface, never 0.0.0.0;
 * - a per-run secret token (256 bits) travels in the URL fragment, which browsers never send in
 *   HTTP requests or Referer headers; the page passes it when opening the WebSocket;
 * - the WebSocket upgrade is refused without the token (compared in constant time), from an
 *   Origin other than this server's own loopback origin (a web page elsewhere cannot connect even
 *   though WebSockets ignore CORS), and with a foreign Host header (DNS-rebinding defence);
 * - static responses carry a Content-Security-Policy that only allows this origin.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { isInvokeChannel, type WireMessage, type WireRequest } from '../../shared/ipc/contract';
import { dispatch, type Services } from '../services/services';

export interface WebServerOptions {
  readonly services: Services;
  /** Folder with the built renderer (index.html + assets). */
  readonly staticDir: string;
  /** 0 picks a free port. */
  readonly port?: number;
  /** Fixed token for tests; normally random per run. */
  readonly token?: string;
}

export interface WebServer {
  /** The URL to open, token included in the fragment. */
  readonly url: string;
  readonly origin: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';
const MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.wav': 'audio/wav',
};

function tokensEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

export async function startWebServer(opts: WebServerOptions): Promise<WebServer> {
  const token = opts.token ?? randomBytes(32).toString('hex');
  const root = normalize(opts.staticDir) + sep;
  let origin = '';
  let allowedOrigins: string[] = [];
  let allowedHosts: string[] = [];

  const serveStatic = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!allowedHosts.includes(req.headers.host ?? '')) {
      res.writeHead(421).end('misdirected request');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    const urlPath = decodeURIComponent(new URL(req.url ?? '/', origin).pathname);
    const rel = urlPath === '/' ? 'index.html' : urlPath.replace(/^\/+/, '');
    const file = normalize(join(root, rel));
    if (!file.startsWith(root)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const st = await stat(file);
      if (!st.isFile()) throw new Error('not a file');
      res.writeHead(200, {
        'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
        'content-length': st.size,
        'cache-control': 'no-cache',
        'x-content-type-options': 'nosniff',
        'content-security-policy': `default-src 'self'; connect-src 'self' ws://${HOST}:${new URL(origin).port} ws://localhost:${new URL(origin).port}; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; worker-src 'self' blob:`,
      });
      if (req.method === 'HEAD') res.end();
      else createReadStream(file).pipe(res);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  };

  const http = createServer((req, res) => void serveStatic(req, res));
  const wss = new WebSocketServer({
    server: http,
    path: '/ws',
    maxPayload: MAX_MESSAGE_BYTES,
    verifyClient: (info: { origin: string; req: IncomingMessage }, cb: (ok: boolean, code?: number, msg?: string) => void) => {
      const given = new URL(info.req.url ?? '/', origin).searchParams.get('token') ?? '';
      if (!allowedHosts.includes(info.req.headers.host ?? '')) return cb(false, 421, 'bad host');
      if (!allowedOrigins.includes(info.origin)) return cb(false, 403, 'origin not allowed');
      if (!tokensEqual(given, token)) return cb(false, 401, 'bad token');
      cb(true);
    },
  });

  const clients = new Set<WebSocket>();
  const unsubscribe = opts.services.events.subscribe((channel, payload) => {
    const msg = JSON.stringify({ event: channel, payload } satisfies WireMessage);
    for (const c of clients) if (c.readyState === c.OPEN) c.send(msg);
  });

  wss.on('connection', (ws) => {
    clients.add(ws);
    ws.on('close', () => clients.delete(ws));
    ws.on('message', (data) => {
      let req: WireRequest;
      try {
        req = JSON.parse(String(data)) as WireRequest;
      } catch {
        return; // not JSON: nothing to answer to
      }
      if (typeof req.id !== 'number') return;
      const answer = (result: WireMessage): void => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(result));
      };
      if (!isInvokeChannel(req.channel) || !Array.isArray(req.args)) {
        answer({ id: req.id, result: { ok: false, error: `unknown channel ${String(req.channel)}` } });
        return;
      }
      void dispatch(opts.services.handlers, req.channel, req.args).then((result) => answer({ id: req.id, result }));
    });
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(opts.port ?? 0, HOST, () => resolve());
  });
  const port = (http.address() as AddressInfo).port;
  origin = `http://${HOST}:${port}`;
  allowedOrigins = [origin, `http://localhost:${port}`];
  allowedHosts = [`${HOST}:${port}`, `localhost:${port}`];

  return {
    url: `${origin}/#token=${token}`,
    origin,
    port,
    token,
    close: async () => {
      unsubscribe();
      for (const c of clients) c.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
