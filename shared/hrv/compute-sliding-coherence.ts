/**
 * Coherence ratio on sliding windows, real-time style (HeartMath: 64 s window recomputed every
 * 5 s), as the datasets' `parameters.own_sliding_coherence_64s` defines it:
 *   the whole NN series → 4 Hz not-a-knot cubic-spline tachogram (t = 0 at the first interval);
 *   a window ending at `endS` holds the grid samples with endS − 64 ≤ t < endS (256 samples);
 *   endS = 64, 69, 74, … while the window fits in the grid;
 *   PSD = Hann periodogram of the window, mean removed, zero-padded to 1024 bins
 *   (scipy.signal.periodogram(x, fs=4, window='hann', detrend='constant', nfft=1024));
 *   coherence ratio as in compute-coherence.ts.
 */
import { computeCoherence } from './compute-coherence';
import { computeWelchPsd } from './compute-welch-psd';
import { resampleTachogram, TACHOGRAM_RATE_HZ } from './resample-tachogram';

export const COHERENCE_WINDOW_S = 64;
export const COHERENCE_STEP_S = 5;
export const COHERENCE_NFFT = 1024;

export interface CoherenceWindow {
  readonly windowEndS: number;
  readonly ratio: number | null;
  readonly peakHz: number | null;
}

/** Coherence of one evenly sampled (4 Hz) window of tachogram samples. */
export function computeWindowCoherence(samples: ArrayLike<number>): { ratio: number | null; peakHz: number | null } {
  const psd = computeWelchPsd(samples, { fsHz: TACHOGRAM_RATE_HZ, segmentSamples: samples.length, overlap: 0, nfft: COHERENCE_NFFT });
  const c = computeCoherence(psd);
  return { ratio: c.ratio, peakHz: c.peakHz };
}

export function computeSlidingCoherence(nnMs: ArrayLike<number>, windowS = COHERENCE_WINDOW_S, stepS = COHERENCE_STEP_S): CoherenceWindow[] {
  const x = resampleTachogram(nnMs);
  const perWindow = Math.round(windowS * TACHOGRAM_RATE_HZ);
  const out: CoherenceWindow[] = [];
  for (let endS = windowS; ; endS += stepS) {
    const end = Math.round(endS * TACHOGRAM_RATE_HZ); // first grid index with t ≥ endS
    if (end > x.length) break;
    const c = computeWindowCoherence(x.subarray(end - perWindow, end));
    out.push({ windowEndS: endS, ratio: c.ratio, peakHz: c.peakHz });
  }
  return out;
}
