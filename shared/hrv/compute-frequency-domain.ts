/**
 * Frequency-domain HRV (Task Force 1996, Circulation 93:1043–1065; bands VLF 0.0033–0.04,
 * LF 0.04–0.15, HF 0.15–0.4 Hz, half-open [lo, hi)), with two PSD methods:
 *  - 'welch' (default): the datasets' `own_welch` definition: NN → 4 Hz not-a-knot cubic-spline
 *    tachogram (resample-tachogram.ts) → Welch with periodic Hann segments of 256 s (1024
 *    samples; the whole series when shorter), 50 % overlap, segment mean removed, no zero
 *    padding, one-sided density (compute-welch-psd.ts);
 *  - 'lomb': Lomb–Scargle on the unevenly sampled NN (compute-lomb-psd.ts, `own_lomb`).
 * Optional smoothness-priors detrending of the NN series first (Tarvainen et al. 2002).
 * Powers in ms² (trapezoid over bins, integrate-band-power.ts); total = VLF + LF + HF;
 * peaks = highest bin in LF and HF; the coherence ratio from the same PSD.
 */
import { computeCoherence, type Coherence } from './compute-coherence';
import { computeLombPsd } from './compute-lomb-psd';
import { computeWelchPsd, type Psd } from './compute-welch-psd';
import { detrendSmoothnessPriors, SMOOTHNESS_PRIORS_LAMBDA } from './detrend-smoothness-priors';
import { findPeakHz, integrateBandPower } from './integrate-band-power';
import { resampleTachogramWithSpan, TACHOGRAM_RATE_HZ } from './resample-tachogram';

export const VLF_HZ = [0.0033, 0.04] as const;
export const LF_HZ = [0.04, 0.15] as const;
export const HF_HZ = [0.15, 0.4] as const;
export const WELCH_SEGMENT_S = 256;
export const WELCH_OVERLAP = 0.5;

export type PsdMethod = 'welch' | 'lomb';

export interface FrequencyOptions {
  readonly method: PsdMethod;
  /** Smoothness-priors λ, or null for no detrending (default). */
  readonly detrendLambda: number | null;
}

export const DEFAULT_FREQUENCY: FrequencyOptions = { method: 'welch', detrendLambda: null };

export interface FrequencyDomain {
  readonly method: string;
  readonly vlfMs2: number;
  readonly lfMs2: number;
  readonly hfMs2: number;
  readonly lfHf: number | null;
  readonly lfPeakHz: number | null;
  readonly hfPeakHz: number | null;
  readonly totalMs2: number;
  /** Welch only: segment length actually used, s. */
  readonly windowS: number | null;
  readonly overlap: number | null;
  readonly taper: string | null;
  readonly interpolation: string | null;
  readonly detrend: string;
}

export interface FrequencyResult {
  readonly frequency: FrequencyDomain;
  readonly coherence: Coherence;
  readonly psd: Psd;
  /** The 4 Hz NN tachogram the Welch PSD was computed from (null for Lomb or detrended series). */
  readonly nnGridMs: Float64Array | null;
  /** Time of the last beat, s (t = 0 at the first), when nnGridMs is given. */
  readonly nnGridSpanS: number | null;
}

/** PSD of `nnMs` by the chosen method. */
export function computeNnPsd(
  nnMs: ArrayLike<number>,
  o: FrequencyOptions = DEFAULT_FREQUENCY,
): { psd: Psd; windowS: number | null; nnGridMs: Float64Array | null; nnGridSpanS: number | null } {
  const series = o.detrendLambda === null ? nnMs : detrendSmoothnessPriors(nnMs, o.detrendLambda);
  if (o.method === 'lomb') return { psd: computeLombPsd(series), windowS: null, nnGridMs: null, nnGridSpanS: null };
  // Detrended values stay at the original beat times; Welch removes each segment's mean anyway.
  const { gridMs: x, lastBeatS } = resampleTachogramWithSpan(nnMs, TACHOGRAM_RATE_HZ, series);
  const segment = Math.min(WELCH_SEGMENT_S * TACHOGRAM_RATE_HZ, x.length);
  const psd = computeWelchPsd(x, { fsHz: TACHOGRAM_RATE_HZ, segmentSamples: segment, overlap: WELCH_OVERLAP });
  const plain = o.detrendLambda === null;
  return { psd, windowS: segment / TACHOGRAM_RATE_HZ, nnGridMs: plain ? x : null, nnGridSpanS: plain ? lastBeatS : null };
}

export function computeFrequencyDomain(nnMs: ArrayLike<number>, options: Partial<FrequencyOptions> = {}): FrequencyResult {
  const o = { ...DEFAULT_FREQUENCY, ...options };
  const { psd, windowS, nnGridMs, nnGridSpanS } = computeNnPsd(nnMs, o);
  const vlf = integrateBandPower(psd, VLF_HZ[0], VLF_HZ[1]);
  const lf = integrateBandPower(psd, LF_HZ[0], LF_HZ[1]);
  const hf = integrateBandPower(psd, HF_HZ[0], HF_HZ[1]);
  const welch = o.method === 'welch';
  return {
    frequency: {
      method: welch ? 'welch' : 'lomb',
      vlfMs2: vlf,
      lfMs2: lf,
      hfMs2: hf,
      lfHf: hf > 0 ? lf / hf : null,
      lfPeakHz: findPeakHz(psd, LF_HZ[0], LF_HZ[1]),
      hfPeakHz: findPeakHz(psd, HF_HZ[0], HF_HZ[1]),
      totalMs2: vlf + lf + hf,
      windowS,
      overlap: welch ? WELCH_OVERLAP : null,
      taper: welch ? 'hann' : null,
      interpolation: welch ? `cubic spline (not-a-knot) at ${TACHOGRAM_RATE_HZ} Hz` : null,
      detrend: o.detrendLambda === null ? 'mean removed' : `smoothness priors (lambda ${o.detrendLambda})`,
    },
    coherence: computeCoherence(psd),
    psd,
    nnGridMs,
    nnGridSpanS,
  };
}

export { SMOOTHNESS_PRIORS_LAMBDA };
