import { describe, expect, it } from 'vitest';
import { ECG_CSV_HEADER, ecgFromRawBle, exportEcgCsv, hexToBytes } from '../../../shared/export/ecg-series';
import { exportEdf } from '../../../shared/export/export-edf';
import { ECG_FRAME_SAMPLES, ecgRawBleRecords } from '../../fixtures/h10-ecg-frames';

describe('ecgFromRawBle', () => {
  it('decodes every sample of contiguous frames into one run, on the session clock', () => {
    const recs = ecgRawBleRecords(5, 0, 10_000);
    const s = ecgFromRawBle([{ tMs: 9000, hex: '10 3c 00 04', characteristic: '2a37' }, ...recs]);
    expect(s.runs).toHaveLength(1);
    const run = s.runs[0];
    expect(run?.microVolts).toEqual(recs.flatMap((r) => r.uv));
    // The first frame's last sample is at its arrival; samples 1/130 s apart.
    expect(run?.tMs[ECG_FRAME_SAMPLES - 1]).toBeCloseTo(10_000, 6);
    expect((run?.tMs[1] ?? 0) - (run?.tMs[0] ?? 0)).toBeCloseTo(1000 / 130, 4);
    expect(run?.tMs[5 * ECG_FRAME_SAMPLES - 1]).toBeCloseTo(10_000 + (4 * ECG_FRAME_SAMPLES * 1000) / 130, 4);
    expect(s.skippedFrames).toBe(0);
  });
  it('a lost frame starts a new run; a damaged frame is skipped and counted', () => {
    const recs = ecgRawBleRecords(6, 0, 0);
    const kept = [recs[0], recs[1], recs[3], recs[4]].filter((r) => r !== undefined);
    const s = ecgFromRawBle([...kept, { tMs: 5, hex: '00 01 02', characteristic: 'fb005c82' }]);
    expect(s.runs.map((r) => r.microVolts.length)).toEqual([2 * ECG_FRAME_SAMPLES, 2 * ECG_FRAME_SAMPLES]);
    expect(s.skippedFrames).toBe(1);
  });
  it('hexToBytes refuses odd or non-hex text', () => {
    expect(hexToBytes('0a 1B')).toEqual(Uint8Array.of(10, 27));
    expect(hexToBytes('0a1')).toBeNull();
    expect(hexToBytes('zz')).toBeNull();
  });
});

describe('ECG exports', () => {
  it('CSV: one row per sample with time, µV and run', () => {
    const csv = exportEcgCsv(ecgFromRawBle(ecgRawBleRecords(2, 0, 1000)));
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(ECG_CSV_HEADER);
    expect(lines).toHaveLength(2 * ECG_FRAME_SAMPLES + 2);
    expect(lines[ECG_FRAME_SAMPLES]).toMatch(/^1000\.000,-?\d+,1$/);
  });
  it('EDF+: an ECG signal at 130 samples per 1-s record, values exact, placed at its session time', () => {
    const recs = ecgRawBleRecords(4, 0, 2000);
    const ecg = ecgFromRawBle(recs);
    const edf = exportEdf([{ kind: 'beat', tMs: 1000, rrMs: 1000 }], { sessionId: 's', wallClockStartIso: '2026-11-26T00:00:00Z' }, ecg);
    const text = new TextDecoder('latin1').decode(edf.subarray(0, 256 * 5));
    const ns = Number(text.slice(252, 256));
    expect(ns).toBe(4);
    const labels = Array.from({ length: ns }, (_, i) => text.slice(256 + 16 * i, 256 + 16 * (i + 1)).trim());
    expect(labels).toEqual(['RR', 'HR', 'ECG', 'EDF Annotations']);
    const samplesAt = 256 + ns * (16 + 80 + 8 + 8 + 8 + 8 + 8 + 80);
    const spr = Array.from({ length: ns }, (_, i) => Number(text.slice(samplesAt + 8 * i, samplesAt + 8 * (i + 1))));
    expect(spr.slice(0, 3)).toEqual([4, 4, 130]);
    const dimAt = 256 + ns * (16 + 80);
    expect(text.slice(dimAt + 16, dimAt + 24).trim()).toBe('uV');
    // Read the ECG back: record r, offset after RR and HR.
    const nRecords = Number(text.slice(236, 244));
    const recBytes = 2 * spr.reduce((a, b) => a + b, 0);
    const v = new DataView(edf.buffer, edf.byteOffset);
    const ecgOut: number[] = [];
    for (let r = 0; r < nRecords; r++) for (let k = 0; k < 130; k++) ecgOut.push(v.getInt16(256 * (ns + 1) + r * recBytes + 2 * 8 + 2 * k, true));
    const first = Math.round((((ecg.runs[0]?.tMs[0] ?? 0) / 1000) * 130));
    expect(ecgOut.slice(first, first + 4 * ECG_FRAME_SAMPLES)).toEqual(recs.flatMap((r) => r.uv));
    expect(ecgOut.slice(0, first).every((x) => x === 0)).toBe(true);
  });
});
