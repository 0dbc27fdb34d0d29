import { describe, expect, it } from 'vitest';
import { detectEcgRPeaks, EcgRPeakDetector, mostProminentMax } from '../../../shared/signal/ecg-rpeaks';
import { ecgRecordingMissing, loadNkRest5Ecg, resampleLinear, scoreRPeaks } from '../../helpers/ecg-datasets';

const missing = ecgRecordingMissing();
if (missing) console.warn(`ecg-rpeaks: real-ECG validation skipped: ${missing}`);

describe('mostProminentMax', () => {
  it('picks the most prominent local maximum, not the highest edge sample', () => {
    // Edge 9 is not a local maximum (no neighbour on the left); 5 rises 4 above its bases, 6 only 1.
    expect(mostProminentMax([9, 1, 5, 1, 2, 6, 5, 7], 0, 8)).toBe(2);
    expect(mostProminentMax([1, 2, 3], 0, 3)).toBe(-1);
    expect(mostProminentMax([0, 3, 3, 0], 0, 4)).toBe(1);
  });
});

/** Synthetic ECG: narrow Gaussian R waves (and a T wave) on a wandering baseline, µV. */
function syntheticEcg(fs: number, durationS: number, rrS: (k: number) => number): { x: number[]; rMs: number[] } {
  const rMs: number[] = [];
  for (let t = 0.5, k = 0; t < durationS - 0.5; t += rrS(k++)) rMs.push(t * 1000);
  const x = Array.from({ length: Math.round(durationS * fs) }, (_, i) => {
    const tMs = (i * 1000) / fs;
    let v = 300 * Math.sin((2 * Math.PI * 0.25 * tMs) / 1000) + 80 * Math.sin((2 * Math.PI * 0.03 * tMs) / 1000);
    for (const r of rMs) {
      const d = tMs - r;
      if (d > -200 && d < 500) v += 1200 * Math.exp(-((d / 12) ** 2)) - 150 * Math.exp(-(((d - 25) / 10) ** 2)) + 250 * Math.exp(-(((d - 250) / 50) ** 2));
    }
    return v;
  });
  return { x, rMs };
}

describe('EcgRPeakDetector on synthetic ECG (H10 rate, 130 Hz)', () => {
  const fs = 130;
  const { x, rMs } = syntheticEcg(fs, 60, (k) => 0.8 + 0.15 * Math.sin(k / 3));
  it('finds every beat after warm-up within a few ms, reported within maxLookAheadS', () => {
    const det = new EcgRPeakDetector({ sampleRateHz: fs });
    const got: { tMs: number; atMs: number }[] = [];
    x.forEach((v, i) => {
      for (const p of det.push(v, (i * 1000) / fs)) got.push({ tMs: p.tMs, atMs: (i * 1000) / fs });
    });
    const s = scoreRPeaks(got.map((g) => g.tMs), rMs.filter((t) => t > 1500 && t < 59_000), 150);
    expect(s.fn).toBe(0);
    expect(got.filter((g) => g.tMs > 1500 && g.tMs < 59_000)).toHaveLength(s.tp);
    expect(s.absErrorsMs[s.absErrorsMs.length - 1]).toBeLessThan(4);
    for (const g of got) expect(g.atMs - g.tMs).toBeLessThanOrEqual(det.maxLookAheadS * 1000 + 1e-6);
    expect(det.maxLookAheadS).toBeLessThan(1);
  });
  it('uses the times given with the samples (gaps and offsets carried through)', () => {
    const a = detectEcgRPeaks(x, fs).map((p) => p.tMs);
    const det = new EcgRPeakDetector({ sampleRateHz: fs });
    const b: number[] = [];
    x.forEach((v, i) => b.push(...det.push(v, 5000 + (i * 1000) / fs).map((p) => p.tMs)));
    expect(b.length).toBe(a.length);
    b.forEach((t, i) => expect(t - 5000).toBeCloseTo(a[i] as number, 6));
  });
  it('reports nothing on a flat or slowly drifting signal, and restarts after reset()', () => {
    const det = new EcgRPeakDetector({ sampleRateHz: fs });
    let n = 0;
    for (let i = 0; i < fs * 20; i++) n += det.push(200 * Math.sin(i / fs), (i * 1000) / fs).length;
    expect(n).toBe(0);
    det.reset();
    const again: number[] = [];
    x.forEach((v, i) => again.push(...det.push(v, (i * 1000) / fs).map((p) => p.tMs)));
    const fresh = detectEcgRPeaks(x, fs).map((p) => p.tMs);
    expect(again.length).toBe(fresh.length);
    again.forEach((t, i) => expect(t).toBeCloseTo(fresh[i] as number, 6));
  });
  it('refuses a sample rate too low for ECG', () => {
    expect(() => new EcgRPeakDetector({ sampleRateHz: 10 })).toThrow(/too low/);
  });
});

describe.skipIf(missing !== null)('EcgRPeakDetector on real ECG (nk_rest5, NeuroKit2 reference R-peaks)', () => {
  it('at 100 Hz: sensitivity and PPV ≥ 0.99 within ±150 ms, median timing error < 5 ms', () => {
    const rec = loadNkRest5Ecg();
    const got = detectEcgRPeaks(rec.ecg, rec.fs).map((p) => (p.sample * 1000) / rec.fs);
    const s = scoreRPeaks(got, rec.rPeaks.map((k) => (k * 1000) / rec.fs), 150);
    expect(s.sensitivity).toBeGreaterThanOrEqual(0.99);
    expect(s.ppv).toBeGreaterThanOrEqual(0.99);
    expect(s.absErrorsMs[Math.floor(s.absErrorsMs.length / 2)]).toBeLessThan(5);
  });
  it('resampled to the H10 rate (130 Hz, mV → µV): the same beats', () => {
    const rec = loadNkRest5Ecg();
    const x = resampleLinear(rec.ecg, rec.fs, 130, 1000);
    const got = detectEcgRPeaks(x, 130).map((p) => p.tMs);
    const s = scoreRPeaks(got, rec.rPeaks.map((k) => (k * 1000) / rec.fs), 150);
    expect(s.sensitivity).toBeGreaterThanOrEqual(0.99);
    expect(s.ppv).toBeGreaterThanOrEqual(0.99);
  });
});
