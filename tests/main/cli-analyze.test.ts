import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RrSimulator } from '../../shared/sim/rr-simulator';

const run = promisify(execFile);
const ROOT = process.cwd();
const BIN = resolve(ROOT, 'bin/soothe.cjs');
let dir = '';

/** One CSV line (RFC 4180 quoting, no line breaks inside cells) into its cells. */
function splitCsvLine(line: string): string[] {
  return [...line.matchAll(/(?:^|,)("(?:[^"]|"")*"|[^,]*)/g)].map((m) => {
    const cell = m[1] ?? '';
    return cell.startsWith('"') ? cell.slice(1, -1).replace(/""/g, '"') : cell;
  });
}

async function soothe(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, [BIN, ...args], { cwd: ROOT });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
}

beforeAll(async () => {
  if (!existsSync(resolve(ROOT, 'dist/node/cli.mjs'))) await run(process.execPath, ['scripts/build-node.mjs'], { cwd: ROOT });
  dir = mkdtempSync(join(tmpdir(), 'soothe-analyze-'));
  const sim = new RrSimulator({ seed: 5, ectopicPerBeat: 0 });
  const rr = Array.from({ length: 400 }, () => sim.next().rrMs);
  rr[200] = rr[200]! + rr[201]!; // a missed beat at input index 200
  rr.splice(201, 1);
  writeFileSync(join(dir, 'rr.txt'), rr.map((v) => v.toFixed(1)).join('\n') + '\n');
  writeFileSync(join(dir, 'bad.txt'), '800\n810\n820\nabc\n');
  // Bigeminy: every other beat 40 % early with its compensatory pause.
  writeFileSync(join(dir, 'bigeminy.txt'), Array.from({ length: 300 }, (_, k) => (k % 2 ? 1400 : 600) + (k % 7)).join('\n') + '\n');
  mkdirSync(join(dir, 'session'));
  writeFileSync(join(dir, 'session', 'manifest.json'), '{"format":"soothe-session/1"}');
  let t = 0;
  const events = rr.map((v) => JSON.stringify({ kind: 'beat', tMs: (t += v), rrMs: v }));
  writeFileSync(join(dir, 'session', 'events.ndjson'), events.join('\n') + '\n');
  // A session the app was killed in mid-write, not yet recovered by the app: a torn last line.
  mkdirSync(join(dir, 'crashed'));
  writeFileSync(join(dir, 'crashed', 'manifest.json'), '{"format":"soothe-session/1"}');
  writeFileSync(join(dir, 'crashed', 'events.ndjson'), events.join('\n') + '\n' + events[0]!.slice(0, 17));
  // The same torn text in the middle of the file is damage, not an interrupted write.
  mkdirSync(join(dir, 'damaged'));
  writeFileSync(join(dir, 'damaged', 'events.ndjson'), [...events.slice(0, 10), events[0]!.slice(0, 17), ...events.slice(10)].join('\n') + '\n');
}, 60_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('soothe analyze (built CLI, child process)', () => {
  it('--json prints the documented shape and flags the missed beat at its input index', async () => {
    const r = await soothe(['analyze', join(dir, 'rr.txt'), '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as Record<string, Record<string, unknown>>;
    expect(Object.keys(j)).toEqual(expect.arrayContaining(['beats', 'artifacts', 'time', 'frequency', 'coherence']));
    expect(j.beats).toBe(399);
    expect(Object.keys(j.artifacts!)).toEqual(expect.arrayContaining(['method', 'count', 'percent', 'beats']));
    expect(j.artifacts!.beats).toContainEqual(expect.objectContaining({ index: 200, type: 'missed' }));
    for (const k of ['meanNnMs', 'sdnnMs', 'rmssdMs', 'pnn50Pct', 'meanHrBpm', 'sd1Ms', 'sd2Ms']) expect(typeof j.time![k]).toBe('number');
    for (const k of ['vlfMs2', 'lfMs2', 'hfMs2', 'lfHf', 'lfPeakHz', 'hfPeakHz', 'totalMs2']) expect(typeof j.frequency![k]).toBe('number');
    expect(j.frequency!.method).toBe('welch');
    expect(typeof j.coherence!.ratio).toBe('number');
    expect(typeof j.coherence!.peakHz).toBe('number');
  });

  it('--correction none leaves the series as given', async () => {
    const j = JSON.parse((await soothe(['analyze', join(dir, 'rr.txt'), '--json', '--correction', 'none'])).stdout) as { artifacts: { count: number; method: string } };
    expect(j.artifacts).toMatchObject({ count: 0, method: 'none' });
  });

  it('prints a readable report with the disclaimer, and reads a session folder', async () => {
    const r = await soothe(['analyze', join(dir, 'session')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Soothe is a training tool, not a medical device');
    expect(r.stdout).toMatch(/RMSSD\s+\d+\.\d ms/);
  });

  it('a crashed, not yet recovered session: analysed without its torn last line, with a warning', async () => {
    const whole = JSON.parse((await soothe(['analyze', join(dir, 'session'), '--json'])).stdout) as { beats: number; time: { rmssdMs: number } };
    const r = await soothe(['analyze', join(dir, 'crashed'), '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`line ${whole.beats + 1}: incomplete last line left out`);
    const j = JSON.parse(r.stdout) as typeof whole;
    expect(j.beats).toBe(whole.beats);
    expect(j.time.rmssdMs).toBe(whole.time.rmssdMs);
    const d = await soothe(['analyze', join(dir, 'damaged')]);
    expect(d.code).toBe(1);
    expect(d.stderr).toContain('line 11: not a JSON event');
  });

  it('several files in one process: one JSON line or CSV row each, the same numbers as one at a time; a bad file is reported and the rest go on', async () => {
    const files = [join(dir, 'rr.txt'), join(dir, 'bad.txt'), join(dir, 'session')];
    const single = JSON.parse((await soothe(['analyze', files[0]!, '--json'])).stdout) as Record<string, Record<string, number>>;
    const r = await soothe(['analyze', ...files, '--json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('bad.txt: line 4');
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.file)).toEqual(files);
    expect(lines[0]).toEqual({ file: files[0], ...single });
    expect(lines[1]!.error).toMatch(/line 4/);
    const session = JSON.parse((await soothe(['analyze', files[2]!, '--json'])).stdout) as Record<string, Record<string, number>>;
    expect(lines[2]).toEqual({ file: files[2], ...session });
    const c = await soothe(['analyze', ...files, '--csv']);
    expect(c.code).toBe(1);
    const rows = c.stdout.trim().split('\n').map(splitCsvLine);
    expect(rows[0]!.slice(0, 3)).toEqual(['file', 'error', 'beats']);
    const col = (name: string): number => rows[0]!.indexOf(name);
    expect(rows).toHaveLength(4);
    expect(Number(rows[1]![col('rmssd_ms')])).toBe(single.time!.rmssdMs);
    expect(Number(rows[1]![col('beats')])).toBe(399);
    expect(rows[2]![col('error')]).toMatch(/line 4/);
    expect(rows[2]![col('rmssd_ms')]).toBeUndefined();
    expect(Number(rows[3]![col('lf_hf')])).toBe(session.frequency!.lfHf);
  });

  it('a recording dominated by premature beats is said to be so (JSON ectopy, text warning); a resting one is not', async () => {
    const j = JSON.parse((await soothe(['analyze', join(dir, 'bigeminy.txt'), '--json'])).stdout) as { ectopy: { prematureCount: number; prematurePct: number; frequent: boolean } };
    expect(j.ectopy.frequent).toBe(true);
    expect(j.ectopy.prematurePct).toBeGreaterThan(45);
    const t = await soothe(['analyze', join(dir, 'bigeminy.txt')]);
    expect(t.stdout).toMatch(/Premature-beat pattern .*: \d+ \(\d+\.\d %\)\n {2}— frequent: these metrics mostly describe ectopic beats/);
    const rest = JSON.parse((await soothe(['analyze', join(dir, 'rr.txt'), '--json'])).stdout) as typeof j;
    expect(rest.ectopy.frequent).toBe(false);
    expect((await soothe(['analyze', join(dir, 'rr.txt')])).stdout).not.toContain('— frequent');
  });

  it('bad input: exit code 1 and an error naming the line', async () => {
    const r = await soothe(['analyze', join(dir, 'bad.txt')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/line 4: .*abc/);
    const u = await soothe(['analyze', join(dir, 'rr.txt'), '--correction', 'maybe']);
    expect(u.code).toBe(1);
    expect(u.stderr).toMatch(/--correction must be one of/);
  });
});
