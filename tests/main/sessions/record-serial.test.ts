// @vitest-environment node
/**
 * `soothe record --serial` against a REAL pty pair (socat): a feeder writes a synthetic PPG at
 * 100 Hz (one value per line) into one end; the built CLI records the other end. The raw serial
 * stream must hold the fed samples in order with continuous indices, and the derived beats must
 * be recorded. Skipped, with the reason, without socat.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseStream } from '../../../shared/session-format/session-format';
import { syntheticPpg } from '../../fixtures/synthetic-ppg';
import { ROOT } from '../../helpers/web-app';

const CLI = join(ROOT, 'bin', 'soothe.cjs');
const FEEDER = join(ROOT, 'tests', 'helpers', 'ppg-feeder.mjs');
const BUILT = existsSync(join(ROOT, 'dist', 'node', 'cli.mjs'));
const HAVE_SOCAT = spawnSync('sh', ['-c', 'command -v socat']).status === 0;
const why = !BUILT ? 'dist/node/cli.mjs is missing (npm run build:node)' : 'socat is not installed (apt-get install -y socat)';
if (!BUILT || !HAVE_SOCAT) console.warn(`skipping soothe record --serial: ${why}`);
const children: ChildProcess[] = [];
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

describe.skipIf(!BUILT || !HAVE_SOCAT)('soothe record --serial through a socat pty', () => {
  it('records every raw sample in order with its index, and the beats', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'soothe-rec-serial-'));
    const a = join(dir, 'ttyA');
    const b = join(dir, 'ttyB');
    const socat = spawn('socat', [`pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], { stdio: 'ignore' });
    children.push(socat);
    for (let i = 0; i < 100 && !(existsSync(a) && existsSync(b)); i++) await sleep(20);
    const ppg = syntheticPpg({ fs: 100, durationS: 14, seed: 4 });
    const csv = join(dir, 'ppg.csv');
    writeFileSync(csv, 'ppg\n' + ppg.samples.map((v) => Math.round(v)).join('\n') + '\n');
    const fed = ppg.samples.map((v) => Math.round(v));

    const out = join(dir, 'session');
    const rec = spawn(process.execPath, [CLI, 'record', '--serial', b, '--fs', '100', '--duration', '11', '--status-every', '2', '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(rec);
    let text = '';
    let err = '';
    rec.stdout.on('data', (d: Buffer) => (text += d.toString()));
    rec.stderr.on('data', (d: Buffer) => (err += d.toString()));
    for (let i = 0; i < 100 && !text.includes('recording to'); i++) await sleep(50);
    const feeder = spawn(process.execPath, [FEEDER, '--port', a, '--csv', csv, '--fs', '100', '--format', 'single'], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(feeder);
    const code = await new Promise<number | null>((r) => rec.once('exit', (c) => r(c)));
    feeder.kill('SIGTERM');
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(text).toMatch(/serial: streaming/);
    expect(text).toMatch(/^\d\d:\d\d:\d\d {2}beats \d+/m);

    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ status: 'complete', type: 'record', streams: ['events.ndjson', 'raw-serial.ndjson'] });
    const raw = parseStream(readFileSync(join(out, 'raw-serial.ndjson'), 'utf8'), false).records as unknown as { firstIndex: number; n: number; fsHz: number; tMs0: number; values: number[] }[];
    expect(raw.length).toBeGreaterThan(50);
    raw.forEach((r, i) => {
      expect(r.values.length).toBe(r.n);
      if (i > 0) expect(r.firstIndex).toBe((raw[i - 1]?.firstIndex ?? 0) + (raw[i - 1]?.n ?? 0));
    });
    const values = raw.flatMap((r) => r.values);
    expect(values.length).toBeGreaterThan(700); // ≥ 7 of the 11 s (detection takes the first lines)
    // The recorded samples are a contiguous run of the fed ones, value for value.
    const offset = (raw[0]?.firstIndex ?? 0);
    expect(values).toEqual(fed.slice(offset, offset + values.length));

    const events = parseStream(readFileSync(join(out, 'events.ndjson'), 'utf8')).records;
    const beats = events.filter((e) => e.kind === 'beat');
    expect(beats.length).toBeGreaterThanOrEqual(5);
    expect(beats.every((e) => e.ppg === true && typeof e.rrMs === 'number' && e.rrMs > 600 && e.rrMs < 1200)).toBe(true);
    expect(events.some((e) => e.kind === 'device' && e.event === 'status' && e.state === 'streaming')).toBe(true);
  }, 40_000);
});
