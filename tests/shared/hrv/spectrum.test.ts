import { describe, expect, it } from 'vitest';
import { computePowerSpectrum } from '../../../shared/hrv/compute-fft';
import { interpolateCubicSpline } from '../../../shared/hrv/interpolate-cubic-spline';
import { computeFrequencyDomain } from '../../../shared/hrv/compute-frequency-domain';
import { computeSlidingCoherence } from '../../../shared/hrv/compute-sliding-coherence';
import { detrendSmoothnessPriors } from '../../../shared/hrv/detrend-smoothness-priors';
import { createRng } from '../../../shared/sim/prng';
import { HAVE_DATASETS, DATASETS_DIR, RR_IDS, expectWelchNear, relDiff, readDataset, type RrDataset } from './datasets';

function naivePower(x: number[]): number[] {
  const n = x.length;
  const out: number[] = [];
  for (let k = 0; k <= Math.floor(n / 2); k++) {
    let re = 0;
    let im = 0;
    for (let j = 0; j < n; j++) {
      re += x[j]! * Math.cos((2 * Math.PI * k * j) / n);
      im -= x[j]! * Math.sin((2 * Math.PI * k * j) / n);
    }
    out.push(re * re + im * im);
  }
  return out;
}

/** RR series whose value at beat time t is base + a·sin(2πft): known spectrum. */
function sineRr(baseMs: number, ampMs: number, freqHz: number, durationS: number): number[] {
  const rr: number[] = [];
  let t = 0;
  while (t < durationS) {
    const v = baseMs + ampMs * Math.sin(2 * Math.PI * freqHz * t);
    rr.push(v);
    t += v / 1000;
  }
  return rr;
}

describe('computePowerSpectrum', () => {
  it.each([8, 12, 17, 64, 300, 1196])('equals a plain DFT for N = %i', (n) => {
    const rng = createRng(n);
    const x = Array.from({ length: n }, () => rng.gaussian());
    const got = computePowerSpectrum(x);
    const want = naivePower(x);
    const scale = Math.max(...want);
    want.forEach((w, k) => expect(Math.abs(got[k]! - w) / scale).toBeLessThan(1e-10));
  });
});

describe('interpolateCubicSpline (not-a-knot)', () => {
  it('reproduces a cubic exactly at uneven knots', () => {
    const f = (x: number): number => 2 * x ** 3 - x ** 2 + 3 * x - 5;
    const xs = [0, 0.7, 1.1, 2.5, 2.9, 4.2, 5];
    const at = [0, 0.3, 1, 2, 3.3, 4.99, 5];
    const got = interpolateCubicSpline(xs, xs.map(f), at);
    at.forEach((a, i) => expect(got[i]).toBeCloseTo(f(a), 9));
  });
});

describe('computeFrequencyDomain on a known sine', () => {
  it('puts a 0.1 Hz, 40 ms oscillation in LF with power a²/2 and the peak at 0.1 Hz', () => {
    const rr = sineRr(1000, 40, 0.1, 600);
    const f = computeFrequencyDomain(rr).frequency;
    // Power of a sine of amplitude a is a²/2 = 800 ms²; Hann leakage keeps nearly all in LF.
    expect(f.lfMs2).toBeGreaterThan(0.95 * 800);
    expect(f.lfMs2).toBeLessThan(1.05 * 800);
    expect(f.hfMs2).toBeLessThan(0.01 * f.lfMs2);
    expect(f.lfPeakHz).toBeCloseTo(0.1, 2);
    expect(f.windowS).toBe(256);
    expect(f.taper).toBe('hann');
  });

  it('Lomb–Scargle finds the same oscillation (0.25 Hz, HF)', () => {
    const rr = sineRr(900, 30, 0.25, 300);
    const f = computeFrequencyDomain(rr, { method: 'lomb' }).frequency;
    expect(f.hfPeakHz).toBeCloseTo(0.25, 2);
    expect(f.hfMs2).toBeGreaterThan(0.9 * 450);
    expect(f.lfMs2).toBeLessThan(0.05 * f.hfMs2);
  });

  it('smoothness priors remove a slow trend and keep the 0.25 Hz oscillation', () => {
    const rr = sineRr(900, 30, 0.25, 300).map((v, i) => v + 0.5 * i);
    const d = detrendSmoothnessPriors(rr, 500);
    const mean = d.reduce((s, v) => s + v, 0) / d.length;
    expect(Math.abs(mean)).toBeLessThan(2);
    const withTrend = computeFrequencyDomain(rr).frequency;
    const detrended = computeFrequencyDomain(rr, { detrendLambda: 500 }).frequency;
    expect(detrended.vlfMs2).toBeLessThan(withTrend.vlfMs2 / 10);
    expect(detrended.hfMs2 / withTrend.hfMs2).toBeGreaterThan(0.9);
    expect(detrended.detrend).toContain('500');
  });
});

describe.skipIf(!HAVE_DATASETS)(`spectra vs references own_welch / own_lomb / own_sliding_coherence_64s (${DATASETS_DIR})`, () => {
  // The references are rounded to 6 decimals; agreement is limited by that rounding (~1e-9 relative).
  for (const id of RR_IDS) {
    it(`${id}: Welch`, () => {
      const d = readDataset<RrDataset>(`rr/${id}.json`);
      const w = d.reference.own_welch;
      const r = computeFrequencyDomain(d.rr_ms);
      expectWelchNear(r.frequency, w);
      expect(Math.abs(r.coherence.ratio! - w.coherence.coherence_ratio!)).toBeLessThan(1e-6);
      expect(Math.abs(r.coherence.peakHz! - w.coherence.peak_frequency_hz!)).toBeLessThan(1e-6);
    });
    it(`${id}: Lomb–Scargle`, () => {
      const d = readDataset<RrDataset>(`rr/${id}.json`);
      const l = d.reference.own_lomb;
      const r = computeFrequencyDomain(d.rr_ms, { method: 'lomb' });
      expect(relDiff(r.frequency.lfMs2, l.lf_ms2!)).toBeLessThan(1e-6);
      expect(relDiff(r.frequency.hfMs2, l.hf_ms2!)).toBeLessThan(1e-6);
      expect(relDiff(r.frequency.vlfMs2, l.vlf_ms2!)).toBeLessThan(1e-6);
      expect(relDiff(r.frequency.lfHf, l.lf_hf!)).toBeLessThan(1e-5);
      expect(Math.abs(r.coherence.ratio! - l.coherence.coherence_ratio!)).toBeLessThan(1e-6);
    });
    it(`${id}: sliding 64 s coherence every 5 s`, () => {
      const d = readDataset<RrDataset>(`rr/${id}.json`);
      const ref = d.reference.own_sliding_coherence_64s;
      const got = computeSlidingCoherence(d.rr_ms);
      expect(got.map((g) => g.windowEndS)).toEqual(ref.map((r) => r.window_end_s));
      ref.forEach((r, i) => {
        expect(Math.abs(got[i]!.ratio! - r.coherence_ratio)).toBeLessThan(1e-6);
        expect(Math.abs(got[i]!.peakHz! - r.peak_frequency_hz)).toBeLessThan(1e-6);
      });
    });
  }
});
