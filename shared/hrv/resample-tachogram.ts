/**
 * The evenly sampled tachogram for spectral analysis (the datasets' `parameters.own_welch`
 * definition): NN values placed at their beat times tₖ = Σ₍ᵢ≤ₖ₎ NNᵢ − NN₀ (s; t = 0 at the first
 * interval), a not-a-knot cubic spline through (tₖ, NNₖ), sampled on the grid t = j / fsHz,
 * j = 0, 1, … while t ≤ t_last. Units: ms at times in s.
 */
import { interpolateCubicSplineOnGrid } from './interpolate-cubic-spline';
import { hrvKernels } from './kernels';

export const TACHOGRAM_RATE_HZ = 4;

/** Beat times (s) of the intervals in `nnMs`, t₀ = 0 (installed kernels when there are: kernels.ts). */
export function computeBeatTimesS(nnMs: ArrayLike<number>): Float64Array {
  return hrvKernels()?.beatTimesS?.(nnMs) ?? computeBeatTimesSJs(nnMs);
}

/** The JavaScript definition of computeBeatTimesS. */
export function computeBeatTimesSJs(nnMs: ArrayLike<number>): Float64Array {
  const n = nnMs.length;
  const t = new Float64Array(n);
  let acc = 0;
  for (let k = 1; k < n; k++) {
    acc += nnMs[k] as number;
    t[k] = acc / 1000;
  }
  return t;
}

/** Number of grid points j / rateHz with t ≤ lastS. */
export function tachogramSamples(lastS: number, rateHz = TACHOGRAM_RATE_HZ): number {
  return Math.floor(lastS * rateHz + 1e-9) + 1;
}

/**
 * Resample `nnMs` at `rateHz` with a cubic spline over its beat times; `valuesMs` (same length,
 * e.g. the detrended series) replaces the values while the times still come from `nnMs`.
 */
export function resampleTachogram(nnMs: ArrayLike<number>, rateHz = TACHOGRAM_RATE_HZ, valuesMs: ArrayLike<number> = nnMs): Float64Array {
  return resampleTachogramWithSpan(nnMs, rateHz, valuesMs).gridMs;
}

/** resampleTachogram, and the last beat time (s) the grid ends at (installed kernels when there are). */
export function resampleTachogramWithSpan(
  nnMs: ArrayLike<number>,
  rateHz = TACHOGRAM_RATE_HZ,
  valuesMs: ArrayLike<number> = nnMs,
): { gridMs: Float64Array; lastBeatS: number } {
  const viaKernel = hrvKernels()?.tachogram?.(nnMs, valuesMs, rateHz);
  if (viaKernel) return viaKernel;
  const t = computeBeatTimesS(nnMs);
  return { gridMs: resampleTachogramAt(t, valuesMs, rateHz), lastBeatS: t[t.length - 1] ?? 0 };
}

/** resampleTachogram with the beat times (computeBeatTimesS) already at hand. */
export function resampleTachogramAt(t: Float64Array, valuesMs: ArrayLike<number>, rateHz = TACHOGRAM_RATE_HZ): Float64Array {
  const last = t[t.length - 1] ?? 0;
  const count = tachogramSamples(last, rateHz);
  return hrvKernels()?.splineOnGrid?.(t, valuesMs, count, rateHz) ?? interpolateCubicSplineOnGrid(t, valuesMs, count, rateHz);
}
