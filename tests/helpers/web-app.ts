/**
 * Starts the browser edition exactly as `npm run web` does (the built server, dist/node/web.mjs,
 * serving dist/web), on a free port and a temporary data folder, and reads the URL it prints.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The project root: the nearest folder above this file with Soothe's package.json (works bundled too). */
function findRoot(from: string): string {
  let dir = from;
  for (let i = 0; i < 6; i++) {
    try {
      if ((JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string }).name === 'soothe') return dir;
    } catch {
      // not here; go up
    }
    dir = resolve(dir, '..');
  }
  return process.cwd();
}
export const ROOT = findRoot(import.meta.dirname);
export const WEB_BUILT = existsSync(join(ROOT, 'dist', 'node', 'web.mjs')) && existsSync(join(ROOT, 'dist', 'web', 'index.html'));
export const WEB_MISSING = 'the built app is missing (dist/node/web.mjs, dist/web): `npm test` builds it first (npm run build:node && npm run build:web)';

export interface RunningWebApp {
  readonly url: string;
  readonly origin: string;
  readonly token: string;
  readonly dataDir: string;
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

export async function startWebApp(opts: { dataDir?: string } = {}): Promise<RunningWebApp> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'soothe-data-'));
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'node', 'web.mjs'), '--port', '0', '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`web server did not print its URL in 15 s; stderr: ${err}`)), 15_000);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+\/#token=[0-9a-f]+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolveUrl(m[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`web server exited with ${code}: ${err}`)));
  });
  const parsed = new URL(url);
  return {
    url,
    origin: parsed.origin,
    token: new URLSearchParams(parsed.hash.slice(1)).get('token') ?? '',
    dataDir,
    process: child,
    stop: () =>
      new Promise<void>((res) => {
        if (child.exitCode !== null) return res();
        child.once('exit', () => res());
        child.kill('SIGTERM');
      }),
  };
}

/** One line of a recorded session stream (events.ndjson, raw-*.ndjson). */
export type RecordedLine = { readonly kind: string; readonly tMs: number } & Readonly<Record<string, unknown>>;

/** Every line of every NDJSON stream of every session in a data folder, as the app wrote them. */
export function readRecordedLines(dataDir: string): RecordedLine[] {
  const root = join(dataDir, 'sessions');
  if (!existsSync(root)) return [];
  return readdirSync(root).flatMap((d) =>
    readdirSync(join(root, d))
      .filter((f) => f.endsWith('.ndjson'))
      .flatMap((f) => readFileSync(join(root, d, f), 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as RecordedLine)),
  );
}
