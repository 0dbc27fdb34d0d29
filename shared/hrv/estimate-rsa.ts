/**
 * Respiratory sinus arrhythmia from the RR series alone (no respiration signal):
 *  - breathing rate = frequency of the highest peak of the heart-rate spectrum in 0.05–0.5 Hz
 *    (3–30 breaths/min): HR(t) = 60000 / NN(t) (beats/min) on the 4 Hz cubic-spline tachogram,
 *    mean removed, Hann-windowed periodogram zero-padded to ≥ 4096 bins (0.001 Hz grid at 4 Hz).
 *    HR oscillates at the breathing rate (RSA; Hirsch & Bishop 1981, Am J Physiol 241:H620), so
 *    when RSA dominates the spectrum this is the breathing rate; at slow paced breathing it is
 *    unambiguous, at fast shallow breathing Mayer waves (~0.1 Hz) can win — check `peakShare`.
 *  - peak-to-trough HR = mean over consecutive whole breath cycles (length 1/f) of
 *    max(HR) − min(HR) in the cycle (Lehrer, Vaschillo & Vaschillo 2000, Appl Psychophysiol
 *    Biofeedback 25:177–191, "peak-to-trough" HR amplitude per breath).
 */
import { computeWelchPsd, type Psd } from './compute-welch-psd';
import { computeBeatTimesS, tachogramSamples, TACHOGRAM_RATE_HZ } from './resample-tachogram';
import { interpolateCubicSplineOnGrid } from './interpolate-cubic-spline';
import { findPeakHz, integrateBandPower } from './integrate-band-power';

export const BREATHING_BAND_HZ = [0.05, 0.5] as const;
const MIN_NFFT = 4096;
/** Half-width of the window around the peak for `peakShare`, Hz. */
const PEAK_HALF_WIDTH_HZ = 0.015;

export interface RsaEstimate {
  /** Estimated breathing rate, breaths/min; null when the series is too short (< 2 cycles at 3/min). */
  readonly breathsPerMin: number | null;
  readonly peakHz: number | null;
  /** Mean peak-to-trough heart rate per breath cycle, beats/min. */
  readonly peakToTroughBpm: number | null;
  /** Number of whole breath cycles averaged. */
  readonly cycles: number;
  /** Share of 0.05–0.5 Hz HR power within ±0.015 Hz of the peak (0–1): how clear the rhythm is. */
  readonly peakShare: number | null;
}

const NONE: RsaEstimate = { breathsPerMin: null, peakHz: null, peakToTroughBpm: null, cycles: 0, peakShare: null };

// Loops in small functions of their own: see detect-artifacts.ts.

/** The bins of an ascending-frequency PSD from one below loHz to one above hiHz (views, no copy). */
function binsBetween(p: Psd, loHz: number, hiHz: number): Psd {
  const f = p.freqHz;
  let a = 0;
  while (a < f.length && f[a]! < loHz) a += 1;
  let b = a;
  while (b < f.length && f[b]! <= hiHz) b += 1;
  const from = Math.max(0, a - 1);
  const to = Math.min(f.length, b + 1);
  return { freqHz: f.subarray(from, to), psd: p.psd.subarray(from, to) };
}

function heartRateBpm(nnMs: ArrayLike<number>): Float64Array {
  const hr = new Float64Array(nnMs.length);
  for (let i = 0; i < hr.length; i++) hr[i] = 60_000 / (nnMs[i] as number);
  return hr;
}

/** Σ (max − min) over consecutive whole cycles of `cycleSamples` samples, and their number. */
function peakToTroughSum(x: Float64Array, cycleSamples: number): { cycles: number; sum: number } {
  const count = x.length;
  let cycles = 0;
  let sum = 0;
  for (let start = 0; start + cycleSamples <= count; start += cycleSamples) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let j = start; j < start + cycleSamples; j++) {
      const v = x[j]!;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    sum += hi - lo;
    cycles += 1;
  }
  return { cycles, sum };
}

/** Estimate breathing rate and RSA amplitude from NN intervals (ms). */
export function estimateRsa(nnMs: ArrayLike<number>): RsaEstimate {
  const n = nnMs.length;
  if (n < 4) return NONE;
  const t = computeBeatTimesS(nnMs);
  const span = t[n - 1] ?? 0;
  if (span < 2 / BREATHING_BAND_HZ[0]) return NONE; // two cycles of the slowest breathing
  const hr = heartRateBpm(nnMs);
  const count = tachogramSamples(span);
  const x = interpolateCubicSplineOnGrid(t, hr, count, TACHOGRAM_RATE_HZ);
  let nfft = MIN_NFFT;
  while (nfft < count) nfft *= 2;
  const full = computeWelchPsd(x, { fsHz: TACHOGRAM_RATE_HZ, segmentSamples: count, overlap: 0, nfft });
  // Every bin these sums and the peak search look at lies in [0.05 − 0.015, 0.5 + 0.015] Hz: scan
  // only that stretch (the same bins in the same order, so the same numbers; a whole day has
  // 262 145 bins, of which about 63 000 are in it).
  const psd = binsBetween(full, BREATHING_BAND_HZ[0] - PEAK_HALF_WIDTH_HZ, BREATHING_BAND_HZ[1] + PEAK_HALF_WIDTH_HZ);
  const peakHz = findPeakHz(psd, BREATHING_BAND_HZ[0], BREATHING_BAND_HZ[1], true);
  if (peakHz === null) return NONE;
  const total = integrateBandPower(psd, BREATHING_BAND_HZ[0], BREATHING_BAND_HZ[1], true);
  const around = integrateBandPower(psd, peakHz - PEAK_HALF_WIDTH_HZ, peakHz + PEAK_HALF_WIDTH_HZ, true);
  const cycleSamples = Math.round(TACHOGRAM_RATE_HZ / peakHz);
  const { cycles, sum } = peakToTroughSum(x, cycleSamples);
  return {
    breathsPerMin: peakHz * 60,
    peakHz,
    peakToTroughBpm: cycles > 0 ? sum / cycles : null,
    cycles,
    peakShare: total > 0 ? around / total : null,
  };
}
