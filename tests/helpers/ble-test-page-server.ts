/**
 * Builds tests/fixtures/ble-test-page.ts (the adapter in a tiny page) with esbuild into a temp
 * dir and serves it from a throwaway HTTP server on 127.0.0.1 (a secure context for Web
 * Bluetooth). The page is cross-origin isolated (COOP/COEP) so `performance.now()` has 5 µs
 * resolution instead of 100 µs, for the latency bench.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';

export const BLE_TEST_PAGE_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Soothe Bluetooth test page</title></head>
<body>
<button id="connect">Connect a strap</button>
<p><span id="name" aria-label="Strap"></span> <span id="status" role="status" aria-label="Status">idle</span></p>
<p id="alert" role="alert"></p>
<p>HR <span id="hr" aria-label="Heart rate"></span> RR <span id="rr" aria-label="Last RR interval"></span>
battery <span id="battery" aria-label="Battery"></span> contact <span id="contact" aria-label="Sensor contact"></span>
malformed <span id="malformed" aria-label="Malformed packets">0</span></p>
<p id="gaps" aria-label="Gaps"></p>
<script type="module" src="page.js"></script>
</body></html>`;

export interface BleTestPageServer {
  readonly url: string;
  close(): Promise<void>;
}

/** @param entry path of ble-test-page.ts (tests pass it from import.meta.url; the bench from the project root) */
export async function serveBleTestPage(entry: string): Promise<BleTestPageServer> {
  const dir = mkdtempSync(join(tmpdir(), 'soothe-ble-page-'));
  await build({ entryPoints: [entry], bundle: true, format: 'esm', platform: 'browser', target: 'es2022', outfile: join(dir, 'page.js'), logLevel: 'warning' });
  writeFileSync(join(dir, 'index.html'), BLE_TEST_PAGE_HTML);
  const server = createServer((req, res) => {
    const file = req.url === '/page.js' ? 'page.js' : req.url === '/' ? 'index.html' : null;
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    res
      .writeHead(200, {
        'content-type': file.endsWith('.js') ? 'text/javascript' : 'text/html',
        'cross-origin-opener-policy': 'same-origin',
        'cross-origin-embedder-policy': 'require-corp',
      })
      .end(readFileSync(join(dir, file)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: async () => {
      await new Promise((resolve) => server.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
