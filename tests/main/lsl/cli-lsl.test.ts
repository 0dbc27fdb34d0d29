/**
 * @vitest-environment node
 *
 * `soothe lsl --simulator` and `soothe record --lsl` as real child processes, read by the
 * project's own inlet. Loopback only: the commands get an lsl_api.cfg (`--config`, or $LSLAPICFG
 * as liblsl reads it) that binds and joins groups on 127.0.0.1 with scope `machine`; the test
 * queries 127.0.0.1 by unicast.
 */
import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveStreams, StreamInlet } from '../../../main/services/lsl/inlet';

const ROOT = process.cwd();
const BIN = resolve(ROOT, 'bin/soothe.cjs');
const LOOPBACK = '127.0.0.1';
let dir = '';
let cfg = '';

beforeAll(async () => {
  // `npm test` builds first; build here only when the bundle is missing (a rebuild would race other test files reading it)
  if (!existsSync(resolve(ROOT, 'dist/node/cli.mjs'))) await promisify(execFile)(process.execPath, ['scripts/build-node.mjs'], { cwd: ROOT });
  dir = mkdtempSync(join(tmpdir(), 'soothe-lsl-cli-'));
  cfg = join(dir, 'lsl_api.cfg');
  writeFileSync(cfg, ['[ports]', 'MulticastPort = 0', 'BasePort = 0', '[multicast]', 'ResolveScope = machine', 'ListenAddress = 127.0.0.1', 'Interfaces = {127.0.0.1}', ''].join('\n'));
}, 60_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Starts the command and resolves with the discovery port it prints. */
function start(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ child: ChildProcessWithoutNullStreams; port: number; out: () => string; exit: Promise<number | null> }> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, env: { ...process.env, ...env } });
  let out = '';
  let err = '';
  const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return new Promise((res, rej) => {
    const t = setTimeout(() => rej(new Error(`no discovery port printed: ${out} ${err}`)), 10_000);
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /discovery on UDP (\d+)/.exec(out);
      if (m) {
        clearTimeout(t);
        res({ child, port: Number(m[1]), out: () => out, exit });
      }
    });
    void exit.then((code) => rej(new Error(`exited ${code}: ${out} ${err}`)));
  });
}

describe('soothe lsl --simulator', () => {
  it('publishes the simulator: beats on SootheRR, the pacer at 10 Hz, markers; then exits 0', async () => {
    const p = await start(['lsl', '--simulator', '--duration', '4', '--config', cfg, '--loopback']);
    const streams = await resolveStreams({ query: "session_id='default' and starts-with(name,'Soothe')", targets: [{ address: LOOPBACK, port: p.port }], bindAddress: LOOPBACK, timeoutMs: 500 });
    expect(streams.map((s) => s.name).sort()).toEqual(['SootheHeartRate', 'SootheMarkers', 'SoothePacer', 'SootheRR', 'SootheReward']);
    const rr = await StreamInlet.open(streams.find((s) => s.name === 'SootheRR')!);
    const pacer = await StreamInlet.open(streams.find((s) => s.name === 'SoothePacer')!, { bigEndian: true });
    const beats = await rr.pull(2, 4000);
    for (const b of beats) {
      expect(b.values[0]).toBeGreaterThan(400);
      expect(b.values[0]).toBeLessThan(1500);
    }
    // beat times are spaced by the intervals they end
    expect((beats[1]!.timestampS - beats[0]!.timestampS) * 1000).toBeCloseTo(beats[1]!.values[0] as number, 0);
    const ps = await pacer.pull(5, 2000);
    expect(ps[4]!.timestampS - ps[0]!.timestampS).toBeCloseTo(0.4, 6);
    expect(await p.exit).toBe(0);
    expect(p.out()).toMatch(/published \d+ beats/);
  });
});

describe('soothe record --lsl', () => {
  it('records the session and publishes the same beats on LSL ($LSLAPICFG as liblsl reads it)', async () => {
    const outDir = join(dir, 'session');
    const p = await start(['record', '--simulator', '--duration', '4', '--out', outDir, '--lsl', '--status-every', '10'], { LSLAPICFG: cfg });
    const [rrInfo] = await resolveStreams({ query: "name='SootheRR'", targets: [{ address: LOOPBACK, port: p.port }], bindAddress: LOOPBACK, minimum: 1, timeoutMs: 1000 });
    const rr = await StreamInlet.open(rrInfo!);
    const got: number[] = [];
    rr.onSample((s) => got.push(s.values[0] as number));
    expect(await p.exit).toBe(0);
    const recorded = readFileSync(join(outDir, 'events.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { kind: string; rrMs?: number })
      .filter((e) => e.kind === 'beat')
      .map((e) => Math.fround(e.rrMs!));
    expect(got.length).toBeGreaterThan(1);
    // every beat received over LSL is a recorded beat, in order (float32 on the wire)
    expect(recorded.slice(recorded.length - got.length)).toEqual(got);
  });
});
