/**
 * Integration with a REAL pty pair: socat links <tmp>/ttyA ↔ <tmp>/ttyB; a feeder process
 * (tests/helpers/ppg-feeder.mjs) writes PPG lines to ttyA in each supported format; the service
 * opens ttyB with serialport. Skipped, with the reason, when socat is not installed.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listSerialPorts, SerialPpgSession } from '../../main/services/serial-ppg';
import { NO_DATA_MESSAGE } from '../../shared/parsers/ppg-format';
import type { RrInterval } from '../../shared/types/rr';
import type { SerialBeat, SerialSamplesBatch, SerialStatus } from '../../shared/types/serial-ppg';
import { syntheticPpg } from '../fixtures/synthetic-ppg';
import { availablePpgRecordings, loadPpgRecording, PPG_DATASET_DIR, scoreBeats } from '../helpers/ppg-datasets';

const FEEDER = resolve(process.cwd(), 'tests/helpers/ppg-feeder.mjs');
const hasSocat = spawnSync('sh', ['-c', 'command -v socat']).status === 0;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

let dir = '';
const children: ChildProcess[] = [];
let synthCsv = '';
let synthBeatsJson = '';
const FS = 100;
const synth = syntheticPpg({ fs: FS, durationS: 40, seed: 11 });

beforeAll(() => {
  if (!hasSocat) return;
  dir = mkdtempSync(join(tmpdir(), 'soothe-pty-'));
  synthCsv = join(dir, 'synthetic.csv');
  synthBeatsJson = join(dir, 'synthetic-beats.json');
  writeFileSync(synthCsv, `t_s,ppg\n${synth.samples.map((v, i) => `${(i / FS).toFixed(3)},${v}`).join('\n')}\n`);
  writeFileSync(synthBeatsJson, JSON.stringify(synth.beatTimesS));
});
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function startPty(name: string): Promise<{ a: string; b: string; proc: ChildProcess }> {
  const a = join(dir, `${name}-A`);
  const b = join(dir, `${name}-B`);
  const proc = spawn('socat', [`pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], { stdio: 'ignore' });
  children.push(proc);
  for (let i = 0; i < 100 && !(existsSync(a) && existsSync(b)); i++) await sleep(20);
  if (!(existsSync(a) && existsSync(b))) throw new Error('socat did not create the pty links');
  return { a, b, proc };
}

function feed(args: string[]): { proc: ChildProcess; done: Promise<string> } {
  const proc = spawn(process.execPath, [FEEDER, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(proc);
  let out = '';
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  const done = new Promise<string>((r) => proc.on('exit', () => r(out.trim())));
  return { proc, done };
}

interface Collected {
  beats: SerialBeat[];
  rr: RrInterval[];
  batches: SerialSamplesBatch[];
  statuses: SerialStatus[];
}
function collector(): { c: Collected; cb: ConstructorParameters<typeof SerialPpgSession>[1] } {
  const c: Collected = { beats: [], rr: [], batches: [], statuses: [] };
  return {
    c,
    cb: {
      onBeats: (b) => {
        c.beats.push(...b.beats);
        c.rr.push(...b.rr);
      },
      onSamples: (b) => c.batches.push(b),
      onStatus: (s) => c.statuses.push(s),
    },
  };
}

/** Beat times in signal seconds: data time minus the time of the first sample. */
const signalTimes = (c: Collected): number[] => {
  const t0 = c.batches[0]?.tMs0 ?? 0;
  return c.beats.map((b) => (b.tMs - t0) / 1000);
};

describe.skipIf(!hasSocat)(`serial PPG through a socat pty${hasSocat ? '' : ' (SKIPPED: socat is not installed: apt-get install -y socat)'}`, () => {
  it('lists ports without throwing (and says virtual ports must be typed)', async () => {
    const r = await listSerialPorts();
    expect(r.note).toMatch(/type their path/);
    const failing = await listSerialPorts(() => Promise.reject(new Error('spawn udevadm ENOENT')));
    expect(failing.ports).toEqual([]);
    expect(failing.note).toMatch(/udev/);
    const hinted = await listSerialPorts(async () => [{ path: '/dev/ttyACM0', vendorId: '2341', productId: '0043', manufacturer: 'Arduino (www.arduino.cc)' }]);
    expect(hinted.ports[0]).toMatchObject({ vidPid: '2341:0043', hint: 'Arduino' });
  });

  const FORMATS = ['processing', 'plotter', 'single', 'header-ts', 'tab', 'sparkfun-hr', 'sparkfun-spo2', 'sparkfun-basic'] as const;
  it.concurrent.each(FORMATS)('format %s at 4× speed: recognised, every sample arrives, beats match', async (format) => {
    const pty = await startPty(format);
    const { c, cb } = collector();
    // Played at 4× speed, so the rate is configured (and the service warns that arrivals disagree),
    // except for the time-stamped format, whose rate comes from its time column.
    const session = new SerialPpgSession({ path: pty.b, ...(format === 'header-ts' ? {} : { fsHz: FS }) }, cb);
    await session.start();
    const durationS = 18;
    const f = feed(['--port', pty.a, '--csv', synthCsv, '--fs', String(FS), '--format', format, '--speed', '4', '--duration', String(durationS)]);
    const done = await f.done;
    await sleep(400);
    const st = session.status();
    await session.close();
    pty.proc.kill();
    expect(done).toBe(`done ${format === 'processing' ? durationS * FS + 2 * Math.floor((durationS * FS) / 85) : durationS * FS} ${durationS * FS}`);
    expect(st.counts.samples).toBe(durationS * FS);
    expect(c.batches.reduce((n, b) => n + b.values.length, 0)).toBe(durationS * FS);
    expect(st.fsHz, c.statuses.map((x) => `${x.state}: ${x.message}`).join(' / ')).toBeCloseTo(FS, 6);
    if (format === 'header-ts') expect(st.rateSource).toBe('timestamps');
    else expect(st.warning ?? '').toMatch(/configured 100 Hz/);
    expect(st.counts.malformedLines).toBe(0);
    const truth = synth.beatTimesS.filter((t) => t > 0.5 && t < durationS - 3);
    const got = signalTimes(c).filter((t) => t < durationS - 3);
    const s = scoreBeats(got, truth, 0.05);
    expect(s.f1, `${format}: ${JSON.stringify({ tp: s.tp, fp: s.fp, fn: s.fn })}`).toBeGreaterThanOrEqual(0.99);
    expect(c.rr.every((r) => r.ppg === true && r.source === 'serial-ppg')).toBe(true);
  }, 30_000);

  it.concurrent('Grove wiki beat intervals (counter, millis, interval) become PPG-labelled intervals', async () => {
    const pty = await startPty('grove');
    const { c, cb } = collector();
    const session = new SerialPpgSession({ path: pty.b, baudRate: 9600 }, cb);
    await session.start();
    const f = feed(['--port', pty.a, '--csv', synthCsv, '--beats', synthBeatsJson, '--fs', String(FS), '--format', 'grove', '--speed', '4', '--duration', '20']);
    await f.done;
    await sleep(300);
    await session.close();
    pty.proc.kill();
    const truthIbi = synth.beatTimesS.slice(1).map((t, i) => Math.round((t - (synth.beatTimesS[i] ?? 0)) * 1000)).filter((_, i) => (synth.beatTimesS[i + 1] ?? 99) < 20);
    expect(c.rr.length).toBeGreaterThanOrEqual(truthIbi.length - 2);
    expect(c.rr.map((r) => r.rrMs)).toEqual(truthIbi.slice(truthIbi.length - c.rr.length));
    expect(c.rr.every((r) => r.ppg === true)).toBe(true);
  }, 30_000);

  it.concurrent('wrong baud rate (random bytes) gives the diagnostic, not a crash', async () => {
    const pty = await startPty('noise');
    const { c, cb } = collector();
    const session = new SerialPpgSession({ path: pty.b, baudRate: 57600 }, cb);
    await session.start();
    const f = feed(['--port', pty.a, '--random', '6']);
    await f.done;
    const st = session.status();
    await session.close();
    pty.proc.kill();
    expect(st.state).toBe('detecting');
    expect(st.message).toContain(NO_DATA_MESSAGE);
    expect(c.beats).toEqual([]);
    expect(st.counts.droppedLines).toBeGreaterThanOrEqual(0);
  }, 30_000);

  it.concurrent('unreadable lines after recognition (baud changed) give the diagnostic', async () => {
    const pty = await startPty('rebaud');
    const { cb } = collector();
    const session = new SerialPpgSession({ path: pty.b, fsHz: FS }, cb);
    await session.start();
    await feed(['--port', pty.a, '--csv', synthCsv, '--fs', String(FS), '--format', 'single', '--speed', '4', '--duration', '12']).done;
    expect(session.status().state).toBe('streaming');
    await feed(['--port', pty.a, '--random', '7']).done;
    const st = session.status();
    await session.close();
    pty.proc.kill();
    expect(st.message).toMatch(/most lines are unreadable/);
    expect(st.warning).toBe(NO_DATA_MESSAGE);
  }, 30_000);

  it.concurrent('samples lost on the device (time stamps jump): a gap, no interval across it', async () => {
    const pty = await startPty('tsgap');
    const { c, cb } = collector();
    const session = new SerialPpgSession({ path: pty.b }, cb);
    await session.start();
    await feed(['--port', pty.a, '--csv', synthCsv, '--fs', String(FS), '--format', 'header-ts', '--speed', '4', '--duration', '30', '--skip-at', '12', '--skip', '1.5']).done;
    await sleep(400);
    const st = session.status();
    await session.close();
    pty.proc.kill();
    expect(st.rateSource).toBe('timestamps');
    expect(st.counts.gaps).toBe(1);
    expect(st.counts.samples).toBe(30 * FS - 150);
    expect(c.rr.filter((r) => r.afterGap).length).toBe(1);
    expect(c.rr.every((r) => r.rrMs > 600 && r.rrMs < 1100)).toBe(true);
    // Beats after the gap keep device time: they match the recording's beat times.
    const t0 = c.batches[0]?.tMs0 ?? 0;
    const after = c.beats.map((b) => (b.tMs - t0) / 1000).filter((t) => t > 14);
    expect(after.length).toBeGreaterThan(5);
    const s = scoreBeats(after, synth.beatTimesS.filter((t) => t > 14 + 6 && t < 27), 0.05);
    expect(s.fn).toBe(0);
  }, 30_000);

  it.concurrent('a silent device (nothing at all) also gets the diagnostic', async () => {
    const pty = await startPty('silent');
    const { cb } = collector();
    const session = new SerialPpgSession({ path: pty.b }, cb);
    await session.start();
    await sleep(4600);
    const st = session.status();
    await session.close();
    pty.proc.kill();
    expect(st.message).toContain(NO_DATA_MESSAGE);
    expect(st.message).toMatch(/nothing received/);
  }, 30_000);

  it.concurrent('garbage bytes and a 10 kB line without newline mid-stream: counted, beats go on', async () => {
    const pty = await startPty('garbage');
    const { c, cb } = collector();
    const session = new SerialPpgSession({ path: pty.b, fsHz: FS }, cb);
    await session.start();
    const f = feed(['--port', pty.a, '--csv', synthCsv, '--fs', String(FS), '--format', 'single', '--speed', '4', '--duration', '18', '--garbage-at', '9']);
    await f.done;
    await sleep(400);
    const st = session.status();
    await session.close();
    pty.proc.kill();
    expect(st.counts.droppedLines).toBe(1);
    expect(st.counts.malformedLines).toBeGreaterThanOrEqual(1);
    expect(st.counts.samples).toBe(18 * FS);
    const s = scoreBeats(signalTimes(c).filter((t) => t < 15), synth.beatTimesS.filter((t) => t > 0.5 && t < 15), 0.05);
    expect(s.f1).toBeGreaterThanOrEqual(0.99);
  }, 30_000);

  it.concurrent('unplug (socat and feeder killed) marks a gap; the port reopens when the device returns', async () => {
    let pty = await startPty('unplug');
    const { c, cb } = collector();
    const session = new SerialPpgSession({ path: pty.b, fsHz: FS }, cb);
    await session.start();
    const f1 = feed(['--port', pty.a, '--csv', synthCsv, '--fs', String(FS), '--format', 'single', '--speed', '4', '--duration', '40']);
    for (let i = 0; i < 400 && c.beats.length < 6; i++) await sleep(20); // beats are flowing
    f1.proc.kill('SIGKILL');
    pty.proc.kill('SIGKILL');
    // As on a real unplug, the device node disappears with the device. (socat killed with SIGKILL
    // leaves its links behind, and the kernel may hand the freed pty number to a concurrent test's
    // socat: the old link would then lead to someone else's device.)
    rmSync(pty.a, { force: true });
    rmSync(pty.b, { force: true });
    // The status history, not the current state: on a busy worker the test may look only after
    // the service has moved on. Allow for a loaded machine.
    for (let i = 0; i < 500 && !c.statuses.some((x) => x.state === 'waiting-for-device'); i++) await sleep(20);
    expect(c.statuses.some((x) => x.state === 'waiting-for-device')).toBe(true);
    expect(session.status().state).toBe('waiting-for-device');
    const beatsBefore = c.beats.length;
    await sleep(1000);
    pty = await startPty('unplug'); // the device comes back at the same path
    const f2 = feed(['--port', pty.a, '--csv', synthCsv, '--fs', String(FS), '--format', 'single', '--speed', '4', '--start', '20', '--duration', '16']);
    await f2.done;
    await sleep(400);
    const st = session.status();
    await session.close();
    pty.proc.kill();
    expect(st.counts.gaps).toBe(1);
    expect(st.state).toBe('streaming');
    expect(beatsBefore).toBeGreaterThan(5);
    expect(c.beats.length).toBeGreaterThan(beatsBefore + 8);
    expect(c.batches.some((b) => b.afterGap)).toBe(true);
    const afterGap = c.rr.filter((r) => r.afterGap);
    expect(afterGap.length).toBe(1);
    // No interval spans the gap: all are plausible pulse intervals.
    expect(c.rr.every((r) => r.rrMs > 600 && r.rrMs < 1100)).toBe(true);
  }, 30_000);

  const avail = availablePpgRecordings();
  it.skipIf(!avail.ids.includes('nk_rest5'))(`real recording nk_rest5 at real-time speed, rate measured from arrivals${avail.ids.includes('nk_rest5') ? '' : ` (SKIPPED: nk_rest5 missing in ${PPG_DATASET_DIR})`}`, { concurrent: true, timeout: 40_000 }, async () => {
    const rec = loadPpgRecording('nk_rest5');
    const pty = await startPty('nk');
    const { c, cb } = collector();
    const session = new SerialPpgSession({ path: pty.b }, cb);
    await session.start();
    const startS = 60;
    const durS = 16;
    const f = feed(['--port', pty.a, '--csv', join(PPG_DATASET_DIR, 'nk_rest5_signal.csv'), '--column', 'ppg', '--fs', '100', '--format', 'single', '--scale', '1000', '--offset', '512', '--speed', '1', '--start', String(startS), '--duration', String(durS)]);
    await f.done;
    await sleep(300);
    const st = session.status();
    await session.close();
    pty.proc.kill();
    expect(st.rateSource).toBe('measured');
    expect(st.fsHz ?? 0).toBeGreaterThan(90);
    expect(st.fsHz ?? 0).toBeLessThan(110);
    expect(st.counts.samples).toBe(durS * 100);
    // The detector runs at the measured rate, so compare intervals with the ECG-derived ones.
    const t0 = c.batches[0]?.tMs0 ?? 0;
    const got = c.beats.map((b) => startS + ((b.tMs - t0) / 1000) * ((st.fsHz ?? 100) / 100));
    const truth = rec.expectedS.filter((t) => t > startS + 0.5 && t < startS + durS - 3);
    const s = scoreBeats(got.filter((t) => t < startS + durS - 3), truth, rec.toleranceS);
    expect(s.f1).toBeGreaterThanOrEqual(0.95);
  });
});
