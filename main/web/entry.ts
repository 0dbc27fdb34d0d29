/**
 * `npm run web`: the browser edition. Serves the built renderer and the services on
 * 127.0.0.1 and prints the URL to open (token included).
 *   node dist/node/web.mjs [--port N] [--data-dir DIR]
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createServices } from '../services/services';
import { defaultDataDir } from '../services/data-dir';
import { startWebServer } from './server';

declare const __SOOTHE_VERSION__: string;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { port: { type: 'string' }, 'data-dir': { type: 'string' } } });
  const here = dirname(fileURLToPath(import.meta.url));
  const services = createServices({ dataDir: values['data-dir'] ?? defaultDataDir(), version: __SOOTHE_VERSION__, shell: 'web' });
  const server = await startWebServer({ services, staticDir: join(here, '..', 'web'), port: values.port ? Number(values.port) : 8517 });
  process.stdout.write(`Soothe is running. Open this address in Chrome, Edge or Chromium:\n\n  ${server.url}\n\nPress Ctrl-C to stop.\n`);
  const stop = (): void => {
    void services.dispose().then(() => server.close()).then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`soothe web: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
