/**
 * Welch's averaged periodogram (Welch 1967, IEEE Trans Audio Electroacoust 15(2):70–73), as
 * scipy.signal.welch computes it with window='hann', detrend='constant', scaling='density',
 * return_onesided=True, average='mean':
 *   segments of `segmentSamples` starting every segmentSamples − ⌊segmentSamples·overlap⌋ samples
 *   (a trailing remainder is dropped); per segment: subtract its mean, multiply by the periodic
 *   Hann window wₙ = ½ − ½·cos(2πn/L), zero-pad to `nfft`, Pₖ = |Xₖ|² / (fs · Σwₙ²), doubled for
 *   0 < k < nfft/2 (one-sided); PSD = mean over segments, in (input unit)²/Hz (ms²/Hz here).
 * fₖ = k / (nfft / fs). With one segment and nfft > L this is scipy.signal.periodogram (the
 * sliding-coherence definition).
 */
import { computePowerSpectrum } from './compute-fft';

export interface Psd {
  readonly freqHz: Float64Array;
  /** Power spectral density, ms²/Hz. */
  readonly psd: Float64Array;
}

export interface WelchOptions {
  readonly fsHz: number;
  /** Segment length in samples (L). Use the whole series when it is shorter. */
  readonly segmentSamples: number;
  /** Fraction of a segment shared with the next (0.5 = 50 %). */
  readonly overlap: number;
  /** FFT length ≥ L (zero padding when larger); defaults to L. */
  readonly nfft?: number;
}

const hannCache = new Map<number, { w: Float64Array; sumSq: number }>();

function periodicHann(l: number): { w: Float64Array; sumSq: number } {
  let h = hannCache.get(l);
  if (h) return h;
  const w = new Float64Array(l);
  let sumSq = 0;
  for (let n = 0; n < l; n++) {
    w[n] = 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / l);
    sumSq += w[n]! * w[n]!;
  }
  h = { w, sumSq };
  hannCache.set(l, h);
  return h;
}

/** Welch PSD of `x` (evenly sampled at fsHz). */
export function computeWelchPsd(x: ArrayLike<number>, o: WelchOptions): Psd {
  const n = x.length;
  const l = Math.min(o.segmentSamples, n);
  if (l < 2) throw new RangeError(`Welch needs at least 2 samples, got ${n}`);
  const nfft = Math.max(l, o.nfft ?? l);
  const step = l - Math.floor(l * o.overlap);
  const segments = Math.floor((n - l) / step) + 1;
  const { w, sumSq } = periodicHann(l);
  const nBins = Math.floor(nfft / 2) + 1;
  const acc = new Float64Array(nBins);
  const buf = new Float64Array(nfft);
  for (let s = 0; s < segments; s++) {
    const start = s * step;
    let mean = 0;
    for (let i = 0; i < l; i++) mean += x[start + i] as number;
    mean /= l;
    for (let i = 0; i < l; i++) buf[i] = ((x[start + i] as number) - mean) * w[i]!;
    const p = computePowerSpectrum(buf);
    for (let k = 0; k < nBins; k++) acc[k] = acc[k]! + p[k]!;
  }
  const scale = 1 / (o.fsHz * sumSq * segments);
  const psd = new Float64Array(nBins);
  const freqHz = new Float64Array(nBins);
  const d = 1 / o.fsHz;
  for (let k = 0; k < nBins; k++) {
    const oneSided = k > 0 && !(nfft % 2 === 0 && k === nBins - 1) ? 2 : 1;
    psd[k] = acc[k]! * scale * oneSided;
    freqHz[k] = k / (nfft * d);
  }
  return { freqHz, psd };
}
