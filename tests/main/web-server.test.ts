// @vitest-environment node
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createServices } from '../../main/services/services';
import { startWebServer, type WebServer } from '../../main/web/server';

function tryConnect(url: string, origin: string | undefined): Promise<{ opened: boolean; status?: number; ws?: WebSocket }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, origin ? { origin } : {});
    ws.once('open', () => resolve({ opened: true, ws }));
    ws.once('unexpected-response', (_req, res) => resolve({ opened: false, status: res.statusCode }));
    ws.once('error', () => resolve({ opened: false }));
  });
}

function call(ws: WebSocket, id: number, channel: string, args: unknown[] = []): Promise<unknown> {
  return new Promise((resolve) => {
    const onMsg = (data: WebSocket.RawData): void => {
      const msg = JSON.parse(String(data)) as { id?: number; result?: unknown };
      if (msg.id === id) {
        ws.off('message', onMsg);
        resolve(msg.result);
      }
    };
    ws.on('message', onMsg);
    ws.send(JSON.stringify({ id, channel, args }));
  });
}

describe('WebSocket transport (browser edition)', () => {
  let server: WebServer;
  const staticDir = mkdtempSync(join(tmpdir(), 'soothe-static-'));

  beforeAll(async () => {
    mkdirSync(staticDir, { recursive: true });
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>t</title>');
    const services = createServices({ dataDir: mkdtempSync(join(tmpdir(), 'soothe-data-')), version: 'test', shell: 'web' });
    server = await startWebServer({ services, staticDir, port: 0 });
  });
  afterAll(() => server.close());

  const wsUrl = (token?: string): string => `ws://127.0.0.1:${server.port}/ws${token === undefined ? '' : `?token=${token}`}`;

  it('listens on the loopback interface only and prints a URL with the token in the fragment', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[0-9a-f]{64}$/);
  });

  it('refuses a connection without the token, or with a wrong one', async () => {
    expect(await tryConnect(wsUrl(), server.origin)).toMatchObject({ opened: false, status: 401 });
    expect(await tryConnect(wsUrl('0'.repeat(64)), server.origin)).toMatchObject({ opened: false, status: 401 });
  });

  it('refuses a connection from a non-local origin even with the token', async () => {
    expect(await tryConnect(wsUrl(server.token), 'https://evil.example')).toMatchObject({ opened: false, status: 403 });
    expect(await tryConnect(wsUrl(server.token), 'http://127.0.0.1:1')).toMatchObject({ opened: false, status: 403 });
    expect(await tryConnect(wsUrl(server.token), undefined)).toMatchObject({ opened: false, status: 403 });
  });

  it('accepts its own page and answers contract calls; unknown channels get an error, not a crash', async () => {
    const r = await tryConnect(wsUrl(server.token), server.origin);
    expect(r.opened).toBe(true);
    const ws = r.ws as WebSocket;
    expect(await call(ws, 1, 'app:info')).toMatchObject({ ok: true, value: { version: 'test', shell: 'web' } });
    expect(await call(ws, 2, 'settings:get')).toMatchObject({ ok: true, value: { pacer: { breathsPerMin: 6, inhaleShare: 0.4 } } });
    expect(await call(ws, 3, 'fs:readFile', ['/etc/passwd'])).toEqual({ ok: false, error: 'unknown channel fs:readFile' });
    expect(await call(ws, 4, 'recording:append', ['nope', []])).toEqual({ ok: false, error: 'no open recording nope' });
    ws.send('not json');
    expect(await call(ws, 5, 'app:info')).toMatchObject({ ok: true });
    ws.close();
  });

  it('serves the renderer but nothing outside its folder, and refuses a foreign Host header', async () => {
    const ok = await fetch(`${server.origin}/`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-security-policy')).toContain("default-src 'self'");
    const traversal = await fetch(`${server.origin}/..%2f..%2f..%2fetc%2fpasswd`);
    expect([403, 404]).toContain(traversal.status);
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve) => {
      request({ host: '127.0.0.1', port: server.port, path: '/', headers: { host: 'attacker.example:80' } }, (res) => resolve(res.statusCode ?? 0)).end();
    });
    expect(status).toBe(421);
  });
});
