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
 * Cost: with a power-of-two nfft, segments go through the FFT two at a time (one complex
 * transform of a + i·b gives |A|² + |B|², see compute-fft.ts) and an odd last one through a
 * half-size real transform; windows and buffers are cached per length.
 */
import { accumulateWelchPow2, computePowerSpectrum, segmentMean } from './compute-fft';
import { hrvKernels } from './kernels';

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
/** The live engine asks for many short lengths while its windows fill: bound the caches. */
const MAX_CACHED_LENGTHS = 48;
/** Longer windows (whole-day periodograms) are not kept. */
const MAX_CACHED_SAMPLES = 1 << 16;

// Loops live in small functions of their own: see detect-artifacts.ts (optimisation on the
// stack in a short-lived process).

function hannHalf(w: Float64Array): void {
  const l = w.length;
  // wₙ = w_(L−n) (periodic Hann is symmetric about L/2): half the cosines.
  for (let n = 0; n <= l / 2; n++) w[n] = 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / l);
  for (let n = Math.floor(l / 2) + 1; n < l; n++) w[n] = w[l - n]!;
}

function sumOfSquares(w: Float64Array): number {
  let sumSq = 0;
  for (let n = 0; n < w.length; n++) sumSq += w[n]! * w[n]!;
  return sumSq;
}

function periodicHann(l: number): { w: Float64Array; sumSq: number } {
  let h = hannCache.get(l);
  if (h) return h;
  if (hannCache.size >= MAX_CACHED_LENGTHS) hannCache.clear();
  const w = new Float64Array(l);
  hannHalf(w);
  h = { w, sumSq: sumOfSquares(w) };
  if (l <= MAX_CACHED_SAMPLES) hannCache.set(l, h);
  return h;
}

/** buf[0 … l−1] = (x[start + i] − segment mean) · w[i]; buf[l …] = 0 (zero padding). */
function fillSegment(x: ArrayLike<number>, start: number, l: number, w: Float64Array, buf: Float64Array): void {
  const mean = segmentMean(x, start, l);
  for (let i = 0; i < l; i++) buf[i] = ((x[start + i] as number) - mean) * w[i]!;
  buf.fill(0, l);
}

/** One-sided density from the accumulated |X_k|², and the bin frequencies. */
function toDensity(acc: Float64Array, nfft: number, fsHz: number, scale: number): Psd {
  const nBins = acc.length;
  const psd = new Float64Array(nBins);
  const freqHz = new Float64Array(nBins);
  const d = 1 / fsHz;
  for (let k = 0; k < nBins; k++) {
    const oneSided = k > 0 && !(nfft % 2 === 0 && k === nBins - 1) ? 2 : 1;
    psd[k] = acc[k]! * scale * oneSided;
    freqHz[k] = k / (nfft * d);
  }
  return { freqHz, psd };
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
  if (nfft >= 2 && (nfft & (nfft - 1)) === 0) {
    if (!hrvKernels()?.welchPow2?.(x, l, step, segments, w, nfft, acc)) accumulateWelchPow2(x, l, step, segments, w, nfft, acc);
  } else {
    const buf = new Float64Array(nfft);
    for (let s = 0; s < segments; s++) {
      fillSegment(x, s * step, l, w, buf);
      const p = computePowerSpectrum(buf);
      for (let k = 0; k < nBins; k++) acc[k] = acc[k]! + p[k]!;
    }
  }
  return toDensity(acc, nfft, o.fsHz, 1 / (o.fsHz * sumSq * segments));
}
