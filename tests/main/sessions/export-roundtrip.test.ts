// @vitest-environment node
/**
 * Round trips as a lab scripts them: a session recorded with the recorder (beats from the seeded
 * simulator through the live engine, CFT markers) → `soothe export` in each format (the built
 * CLI) → `soothe import` / an independent EDF+ reader (MNE-Python, Debian's python3-mne) → the
 * same beats and markers. The session also holds a Polar H10's raw ECG (PMD frames in
 * raw-ble.ndjson, two runs): EDF+ carries it as a 130 Hz channel, CSV as a second file.
 * Also `soothe record` ended by Ctrl-C (SIGINT).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Recorder } from '../../../main/services/recorder';
import { BeatRecording } from '../../../main/services/sessions/beat-recording';
import { SessionLibrary } from '../../../main/services/sessions/library';
import { labelledBeats, sessionMarkers, type StreamRecord } from '../../../shared/session-format/session-format';
import { RrSimulator } from '../../../shared/sim/rr-simulator';
import { ROOT } from '../../helpers/web-app';
import { ecgRawBleRecords } from '../../fixtures/h10-ecg-frames';

const CLI = join(ROOT, 'bin', 'soothe.cjs');
const BUILT = existsSync(join(ROOT, 'dist', 'node', 'cli.mjs'));
const PYTHON = '/usr/bin/python3';
const HAVE_MNE = existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import mne'], { encoding: 'utf8' }).status === 0;
if (!BUILT) console.warn('skipping export round trips: dist/node/cli.mjs is missing (npm run build:node)');
if (!HAVE_MNE) console.warn('skipping the EDF+ check with MNE-Python: python3-mne is not installed (apt-get install python3-mne; .ci/run does this)');

const MARKERS = [
  { tMs: 20_000, label: 'settling' },
  { tMs: 95_500.25, label: 'soothing rhythm breathing' },
  { tMs: 150_000, label: 'self-critical recall, "hard" part' },
  { tMs: 170_000, label: '' },
];

/** Raw ECG in the session: 30 frames (16.8 s) arriving from 30 s on, then after a stop 10 frames from 100 s on. */
const ECG_RUNS = [ecgRawBleRecords(30, 0, 30_000), ecgRawBleRecords(10, 100_000, 100_000)];

const soothe = (...args: string[]): { status: number | null; stdout: string; stderr: string } => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });

describe.skipIf(!BUILT)('record → export → import round trips', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'soothe-roundtrip-'));
  let sessionDir = '';
  let events: StreamRecord[] = [];

  beforeAll(async () => {
    const rec = new Recorder(dataDir);
    const { sessionId, dir } = await rec.start({ source: 'Simulator', wallClockStartIso: '2026-11-26T09:15:30.250Z' });
    sessionDir = dir;
    const sim = new RrSimulator({ seed: 3, breathsPerMin: 6, ectopicPerBeat: 0.01 });
    sim.setBreathing(6, true);
    const br = new BeatRecording();
    await rec.append(sessionId, [{ kind: 'device', tMs: 0, data: { event: 'source', sourceKind: 'simulator', label: 'Simulator' } }]);
    let m = 0;
    for (let b = sim.next(); b.tMs < 180_000; b = sim.next()) {
      const batch = br.next(b);
      while (m < MARKERS.length && (MARKERS[m]?.tMs ?? Infinity) <= b.tMs) {
        const mk = MARKERS[m++];
        if (mk) batch.unshift({ kind: 'marker', tMs: mk.tMs, data: { label: mk.label } });
      }
      await rec.append(sessionId, batch);
    }
    for (const run of ECG_RUNS) await rec.append(sessionId, run.map((f) => ({ kind: 'raw-ble', tMs: f.tMs, data: { hex: f.hex, characteristic: f.characteristic } })));
    await rec.stop(sessionId);
    events = new SessionLibrary(dataDir).get(sessionId).events;
    expect(labelledBeats(events).some((b) => b.artifact !== 'none')).toBe(true); // ectopic beats got labels
    expect(sessionMarkers(events)).toEqual(MARKERS);
  });

  const exportTo = (format: string): string => {
    const out = join(dataDir, `export.${format}`);
    const r = soothe('export', sessionDir, '--format', format, '--out', out);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    return out;
  };
  const importBack = (file: string): StreamRecord[] => {
    const r = soothe('import', file, '--out', dataDir);
    expect(r.status, r.stderr).toBe(0);
    const id = /as session (\S+)/.exec(r.stdout)?.[1] ?? '';
    return new SessionLibrary(dataDir).get(id).events;
  };

  it('CSV: beats with their artifact labels, metrics and markers come back', () => {
    const back = importBack(exportTo('csv'));
    expect(labelledBeats(back).map(({ tMs, rrMs, artifact, afterGap }) => ({ tMs, rrMs, artifact, afterGap }))).toEqual(
      labelledBeats(events).map(({ tMs, rrMs, artifact, afterGap }) => ({ tMs, rrMs, artifact, afterGap })),
    );
    expect(sessionMarkers(back)).toEqual(MARKERS);
    expect(back.filter((e) => e.kind === 'metric').length).toBe(events.filter((e) => e.kind === 'metric').length);
    // The raw ECG beside it: every sample, in order, with its run.
    const ecg = readFileSync(join(dataDir, 'export-ecg.csv'), 'utf8').trim().split('\r\n');
    expect(ecg[0]).toBe('t_ms,ecg_uv,run');
    const rows = ecg.slice(1).map((l) => l.split(','));
    expect(rows.map((r) => Number(r[1]))).toEqual(ECG_RUNS.flatMap((run) => run.flatMap((f) => f.uv)));
    expect(rows.map((r) => r[2])).toEqual(ECG_RUNS.flatMap((run, k) => run.flatMap((f) => f.uv.map(() => String(k + 1)))));
    expect(Number(rows[72]?.[0])).toBeCloseTo(30_000, 3); // the first frame's last sample arrived with it
  });

  it('JSON: everything comes back, event for event', () => {
    const file = exportTo('json');
    expect(JSON.parse(readFileSync(file, 'utf8')).manifest.wallClockStartIso).toBe('2026-11-26T09:15:30.250Z');
    expect(importBack(file)).toEqual(events);
  });

  it('Kubios RR text: the same intervals (to 1 µs), and soothe analyze reads it', () => {
    const file = exportTo('kubios');
    const back = labelledBeats(importBack(file));
    const orig = labelledBeats(events);
    expect(back.length).toBe(orig.length);
    back.forEach((b, i) => expect(Math.abs(b.rrMs - (orig[i]?.rrMs ?? 0))).toBeLessThanOrEqual(0.0005 + 1e-9));
    const a = soothe('analyze', file, '--json');
    expect(a.status).toBe(0);
    expect(JSON.parse(a.stdout).beats).toBe(orig.length);
  });

  it.skipIf(!HAVE_MNE)('EDF+: MNE reads the file; RR/HR channels at 4 Hz; every beat and marker is an annotation', () => {
    const file = exportTo('edf');
    const script = `
import json, sys, mne
raw = mne.io.read_raw_edf(sys.argv[1], preload=True, verbose='error', exclude=['ECG'])
e = mne.io.read_raw_edf(sys.argv[1], preload=True, verbose='error', include=['ECG'])
a = raw.annotations
d = raw.get_data()
print(json.dumps({
  "ch": raw.ch_names, "sfreq": float(raw.info["sfreq"]), "n": int(raw.n_times),
  "meas": raw.info["meas_date"].isoformat() if raw.info["meas_date"] else None,
  "rr": [float(x) for x in d[0][:: 4]], "hr": [float(x) for x in d[1][:: 4]],
  "ann": [[float(o), float(du), str(t)] for o, du, t in zip(a.onset, a.duration, a.description)],
  "ecg_ch": e.ch_names, "ecg_sfreq": float(e.info["sfreq"]), "ecg_unit": e._orig_units.get("ECG"),
  "ecg": [round(float(x) * 1e6, 3) for x in e.get_data()[0]],
}))
`;
    const py = spawnSync(PYTHON, ['-c', script, file], { encoding: 'utf8', maxBuffer: 64 << 20 });
    expect(py.status, py.stderr).toBe(0);
    const r = JSON.parse(py.stdout) as { ch: string[]; sfreq: number; n: number; meas: string; rr: number[]; hr: number[]; ann: [number, number, string][]; ecg_ch: string[]; ecg_sfreq: number; ecg_unit: string; ecg: number[] };
    expect(r.ch).toEqual(['RR', 'HR']);
    expect(r.sfreq).toBe(4);
    expect(r.n).toBe(180 * 4);
    expect(r.meas).toBe('2026-11-26T09:15:30+00:00');
    const orig = labelledBeats(events);
    const rr = r.ann.filter(([, , t]) => t.startsWith('RR'));
    expect(rr.length).toBe(orig.length);
    rr.forEach(([onset, dur, text], i) => {
      const b = orig[i];
      expect(Math.abs(dur * 1000 - (b?.rrMs ?? 0))).toBeLessThan(0.002);
      expect(Math.abs((onset + dur) * 1000 - (b?.tMs ?? 0))).toBeLessThan(0.002);
      expect(text).toBe(b?.artifact === 'none' ? 'RR' : `RR artifact:${b?.artifact}`);
    });
    expect(r.ann.filter(([, , t]) => t.startsWith('Marker: ')).map(([o, , t]) => ({ tMs: Math.round(o * 1e6) / 1e3, label: t.slice(8) }))).toEqual(MARKERS.map((m) => ({ ...m, label: m.label || 'marker' })));
    // MNE leaves the dimensions "ms" and "bpm" unscaled: the RR channel is the tachogram in ms.
    const mid = r.rr.slice(10, -10);
    r.hr.slice(10, -10).forEach((hr, i) => expect(Math.abs(hr - 60_000 / (mid[i] ?? 1))).toBeLessThan(0.02));
    expect(Math.min(...mid)).toBeGreaterThan(600);
    expect(Math.max(...mid)).toBeLessThan(1300);
    const meanRr = orig.reduce((s, b) => s + b.rrMs, 0) / orig.length;
    expect(Math.abs(mid.reduce((s, v) => s + v, 0) / mid.length - meanRr)).toBeLessThan(15);
    // ECG: its own rate (130 samples per 1-s record), µV (MNE gives volts), every sample exact at
    // the index of its first sample's session time; zeros between the runs; each run annotated.
    expect(r.ecg_ch).toEqual(['ECG']);
    expect(r.ecg_sfreq).toBe(130);
    expect(r.ecg_unit).toBe('µV'); // MNE recognised the header's "uV" (and scaled to volts)
    expect(r.ecg.length).toBe(180 * 130);
    for (const run of ECG_RUNS) {
      const firstMs = (run[0]?.tMs ?? 0) - (72 * 1000) / 130; // the first frame's first sample
      const at = Math.round((firstMs / 1000) * 130);
      expect(r.ecg.slice(at, at + run.length * 73)).toEqual(run.flatMap((f) => f.uv));
      expect(r.ecg[at - 1]).toBe(0);
    }
    expect(r.ann.filter(([, , t]) => t === 'ECG recorded').map(([o, d]) => [Math.round(o * 130), Math.round(d * 130)])).toEqual(
      ECG_RUNS.map((run) => [Math.round((((run[0]?.tMs ?? 0) - (72 * 1000) / 130) / 1000) * 130), run.length * 73]),
    );
  });

  it('soothe record: a status line, Ctrl-C ends the session cleanly and the folder is complete', async () => {
    const out = join(dataDir, 'lab-run');
    const child = spawn(process.execPath, [CLI, 'record', '--simulator', '--speed', '30', '--status-every', '0.5', '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no status line: ${text}`)), 15_000);
      child.stdout.on('data', (d: Buffer) => {
        text += d.toString();
        if (/^\d\d:\d\d:\d\d {2}beats [1-9]\d* {2}HR \d+/m.test(text)) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    expect(code).toBe(0);
    expect(text).toMatch(/session saved: .*lab-run \(\d+ beats/);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ status: 'complete', type: 'record' });
    expect(manifest.summary.beats).toBeGreaterThan(5);
    const csv = soothe('export', out, '--format', 'csv', '--out', join(dataDir, 'lab.csv'));
    expect(csv.status).toBe(0);
    expect(readFileSync(join(dataDir, 'lab.csv'), 'utf8').split('\r\n').filter((l) => /^[\d.]+,beat,/.test(l)).length).toBe(manifest.summary.beats);
  }, 30_000);
});
