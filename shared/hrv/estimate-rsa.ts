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
 * Long records (over LONG_RECORD_S, e.g. a day in `soothe analyze`): one periodogram of the whole
 * record would be 2^19 points for a day and would blend a day's changing breathing into one
 * line. Instead the spectrum is Welch's average (256 s Hann segments, 50 % overlap, as the
 * frequency-domain metrics), so the peak is the breathing rhythm that dominates the record; its
 * frequency is refined between bins by fitting a parabola through the log-PSD of the highest bin
 * and its neighbours (quadratic peak interpolation: J.O. Smith, "Spectral Audio Signal
 * Processing", 2011, §"Quadratic Interpolation of Spectral Peaks"). When the caller already has
 * the Welch PSD of the NN tachogram (analyze-rr.ts), that spectrum is used: HR ≈ 60000/NN̄ −
 * 60000·δNN/NN̄², so HR and NN oscillations peak at the same frequency to first order; and HR on
 * the grid is 60000 / the NN tachogram instead of a second spline (its per-cycle extremes straight
 * from the NN grid's: see peakToTroughSumFromNn).
 */
import { computeWelchPsd, type Psd } from './compute-welch-psd';
import { computeBeatTimesS, tachogramSamples, TACHOGRAM_RATE_HZ } from './resample-tachogram';
import { interpolateCubicSplineOnGrid } from './interpolate-cubic-spline';
import { hrvKernels } from './kernels';
import { findPeakHz, integrateBandPower } from './integrate-band-power';

export const BREATHING_BAND_HZ = [0.05, 0.5] as const;
const MIN_NFFT = 4096;
/** The last beat time of computeBeatTimesS(nnMs) (s), summed the same way, without the array. */
function lastBeatTimeS(nnMs: ArrayLike<number>): number {
  let acc = 0;
  for (let k = 1; k < nnMs.length; k++) acc += nnMs[k] as number;
  return nnMs.length > 0 ? acc / 1000 : 0;
}

/** The HR tachogram at TACHOGRAM_RATE_HZ (installed kernels when there are). */
function splineOnGrid(t: Float64Array, hr: ArrayLike<number>, count: number): Float64Array {
  return hrvKernels()?.splineOnGrid?.(t, hr, count, TACHOGRAM_RATE_HZ) ?? interpolateCubicSplineOnGrid(t, hr, count, TACHOGRAM_RATE_HZ);
}

/** Records longer than this (s) use the Welch-averaged spectrum (see the header). */
export const LONG_RECORD_S = 1200;
/** Welch segment for long records, s (the frequency-domain metrics' segment). */
const LONG_SEGMENT_S = 256;
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

/**
 * Σ (max − min) over consecutive whole cycles of `cycleSamples` samples, and their number; with
 * `reciprocalBpm`, of the heart rate 60000 / x instead of x itself (see peakToTroughSumFromNn).
 */
function peakToTroughSum(x: Float64Array, cycleSamples: number, reciprocalBpm = false): { cycles: number; sum: number } {
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
    if (!reciprocalBpm) sum += hi - lo;
    else if (lo > 0) sum += 60_000 / lo - 60_000 / hi;
    else {
      // Not a tachogram (no NN is ≤ 0 ms): the HR values themselves.
      let hrHi = -Infinity;
      let hrLo = Infinity;
      for (let j = start; j < start + cycleSamples; j++) {
        const h = 60_000 / x[j]!;
        if (h > hrHi) hrHi = h;
        if (h < hrLo) hrLo = h;
      }
      sum += hrHi - hrLo;
    }
    cycles += 1;
  }
  return { cycles, sum };
}

/**
 * What a caller that already analysed the spectrum can hand over (analyze-rr.ts): the NN
 * tachogram on the TACHOGRAM_RATE_HZ grid and its Welch PSD (256 s Hann segments, 50 %).
 */
export interface RsaSpectrumInputs {
  readonly nnGridMs: Float64Array;
  /** Time of the last beat of nnMs, s (computeBeatTimesS), which the grid was made from. */
  readonly spanS: number;
  readonly nnWelchPsd: Psd;
}

/**
 * peakToTroughSum of the HR grid 60000 / nnGridMs without building it: x ↦ 60000 / x (rounded)
 * never increases as x grows, so a cycle's highest HR is 60000 / its shortest NN and its lowest
 * 60000 / its longest, the very numbers the HR grid would hold.
 */
export function peakToTroughSumFromNn(nnGridMs: Float64Array, cycleSamples: number): { cycles: number; sum: number } {
  return peakToTroughSum(nnGridMs, cycleSamples, true);
}

/** Frequency of the highest bin in the band, refined by a parabola through ln PSD at it and its neighbours. */
function interpolatedPeakHz(p: Psd, loHz: number, hiHz: number): number | null {
  const f = p.freqHz;
  let best = -Infinity;
  let k = -1;
  for (let i = 0; i < f.length; i++) {
    if (f[i]! < loHz || f[i]! > hiHz) continue;
    if (p.psd[i]! > best) {
      best = p.psd[i]!;
      k = i;
    }
  }
  if (k < 0) return null;
  if (k === 0 || k === f.length - 1 || !(p.psd[k - 1]! > 0) || !(p.psd[k + 1]! > 0) || !(best > 0)) return f[k]!;
  const a = Math.log(p.psd[k - 1]!);
  const b = Math.log(best);
  const c = Math.log(p.psd[k + 1]!);
  const denom = a - 2 * b + c;
  const offset = denom < 0 ? (0.5 * (a - c)) / denom : 0; // in bins, |offset| ≤ ½ at a true maximum
  return Math.min(hiHz, Math.max(loHz, f[k]! + offset * (f[k + 1]! - f[k]!)));
}

/**
 * The estimate from an HR (or NN) spectrum and the HR grid: peak in the breathing band (refined
 * between bins for Welch spectra, `refine`), its share of the band's power, peak-to-trough HR.
 */
function summarise(psdAll: Psd, refine: boolean, peakToTrough: (cycleSamples: number) => { cycles: number; sum: number }): RsaEstimate {
  // Every bin the peak search and the sums look at lies in [0.05 − 0.015, 0.5 + 0.015] Hz: scan
  // only that stretch (the same bins in the same order, so the same numbers).
  const psd = binsBetween(psdAll, BREATHING_BAND_HZ[0] - PEAK_HALF_WIDTH_HZ, BREATHING_BAND_HZ[1] + PEAK_HALF_WIDTH_HZ);
  const peakHz = refine ? interpolatedPeakHz(psd, BREATHING_BAND_HZ[0], BREATHING_BAND_HZ[1]) : findPeakHz(psd, BREATHING_BAND_HZ[0], BREATHING_BAND_HZ[1], true);
  if (peakHz === null) return NONE;
  const total = integrateBandPower(psd, BREATHING_BAND_HZ[0], BREATHING_BAND_HZ[1], true);
  const around = integrateBandPower(psd, peakHz - PEAK_HALF_WIDTH_HZ, peakHz + PEAK_HALF_WIDTH_HZ, true);
  const cycleSamples = Math.round(TACHOGRAM_RATE_HZ / peakHz);
  const { cycles, sum } = peakToTrough(cycleSamples);
  return {
    breathsPerMin: peakHz * 60,
    peakHz,
    peakToTroughBpm: cycles > 0 ? sum / cycles : null,
    cycles,
    peakShare: total > 0 ? around / total : null,
  };
}

/**
 * Estimate breathing rate and RSA amplitude from NN intervals (ms). `spectrum` (optional) is the
 * caller's NN tachogram and its Welch PSD, used for long records instead of recomputing them.
 */
export function estimateRsa(nnMs: ArrayLike<number>, spectrum?: RsaSpectrumInputs): RsaEstimate {
  const n = nnMs.length;
  if (n < 4) return NONE;
  const span = spectrum ? spectrum.spanS : lastBeatTimeS(nnMs);
  if (span < 2 / BREATHING_BAND_HZ[0]) return NONE; // two cycles of the slowest breathing
  const count = tachogramSamples(span);
  if (span > LONG_RECORD_S) {
    if (spectrum && spectrum.nnGridMs.length === count) {
      const grid = spectrum.nnGridMs;
      return summarise(spectrum.nnWelchPsd, true, (cycle) => hrvKernels()?.nnPeakToTroughSum?.(grid, cycle) ?? peakToTroughSumFromNn(grid, cycle));
    }
    const hr = splineOnGrid(computeBeatTimesS(nnMs), heartRateBpm(nnMs), count);
    const welch = computeWelchPsd(hr, { fsHz: TACHOGRAM_RATE_HZ, segmentSamples: LONG_SEGMENT_S * TACHOGRAM_RATE_HZ, overlap: 0.5 });
    return summarise(welch, true, (cycle) => peakToTroughSum(hr, cycle));
  }
  const x = splineOnGrid(computeBeatTimesS(nnMs), heartRateBpm(nnMs), count);
  let nfft = MIN_NFFT;
  while (nfft < count) nfft *= 2;
  return summarise(computeWelchPsd(x, { fsHz: TACHOGRAM_RATE_HZ, segmentSamples: count, overlap: 0, nfft }), false, (cycle) => peakToTroughSum(x, cycle));
}
