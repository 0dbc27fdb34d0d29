/**
 * The hot loops of whole-record HRV analysis can be replaced by a host with compiled versions of
 * them: `soothe analyze` installs WebAssembly builds (main/hrv/wasm-kernels.ts), because a one-shot
 * process would otherwise spend most of its time warming these loops up in the JavaScript engine.
 * The JavaScript implementations stay the definitions (their files state methods and references)
 * and are what runs when no kernels are installed (the live engine, the renderer, the tests). A
 * replacement must return the same numbers bit for bit (tests/main/hrv/wasm-kernels.test.ts).
 * Every method is optional: a kernel set may cover some loops only, or decline an input by
 * returning null (the JavaScript version then runs).
 */
import type { CorrectedSeries } from './correct-artifacts';
import type { ArtifactDetection, LipponenOptions } from './detect-artifacts';

/** Plain RR lines read by a kernel (see shared/parsers/rr-file.ts, parsePlain). */
export interface PlainRrScan {
  readonly values: Float64Array;
  /** How many values are below the seconds limit asked for. */
  readonly below: number;
  /** Whether every value lies within [minMs, maxMs] as read. */
  readonly allValidMs: boolean;
}

/** The sums computeTimeDomain needs (compute-time-domain.ts). */
export interface TimeDomainSums {
  /** Σ NN, Σ ΔNN, Σ ΔNN² */
  readonly sum: number;
  readonly sumD: number;
  readonly sumD2: number;
  /** #(|ΔNN| > 50 ms) */
  readonly nn50: number;
  /** Σ (NN − mean)², Σ (ΔNN − meanΔ)² */
  readonly ss: number;
  readonly ssD: number;
}

export interface HrvKernels {
  /** What they are ('wasm'), for reports and benchmarks. */
  readonly name: string;
  /** Beat times (s) of NN intervals, t₀ = 0 (resample-tachogram.ts, computeBeatTimesS). */
  beatTimesS?(nnMs: ArrayLike<number>): Float64Array | null;
  /** How many intervals are shorter than `ratio` × both neighbours (premature-beats.ts). */
  countPremature?(rrMs: ArrayLike<number>, ratio: number): number | null;
  /** Centred rolling quantiles (rolling-quantile.ts). */
  rollingQuantiles?(values: ArrayLike<number>, windowBeats: number, qs: readonly number[]): Float64Array[] | null;
  /** Not-a-knot cubic spline through (x, y) sampled at j / rateHz, j < count (interpolate-cubic-spline.ts). */
  splineOnGrid?(x: Float64Array, y: ArrayLike<number>, count: number, rateHz: number): Float64Array | null;
  /** Σ of per-cycle peak-to-trough HR read from the NN grid, and the cycle count (estimate-rsa.ts, peakToTroughSumFromNn). */
  nnPeakToTroughSum?(nnGridMs: Float64Array, cycleSamples: number): { cycles: number; sum: number } | null;
  /** Beat times and the spline on the grid in one call (resample-tachogram.ts, resampleTachogramWithSpan). */
  tachogram?(nnMs: ArrayLike<number>, valuesMs: ArrayLike<number>, rateHz: number): { gridMs: Float64Array; lastBeatS: number } | null;
  /** The Welch accumulation for a power-of-two nfft (compute-fft.ts, accumulateWelchPow2); false = declined. */
  welchPow2?(x: ArrayLike<number>, l: number, step: number, segments: number, w: Float64Array, nfft: number, acc: Float64Array): boolean;
  /** The corrections for a detection (correct-artifacts.ts). */
  correctArtifacts?(rrMs: ArrayLike<number>, detection: ArtifactDetection): CorrectedSeries | null;
  /** computeTimeDomain's sums of NN (n ≥ 2; thresholdMs and roundPerMs as there). */
  timeDomainSums?(nnMs: ArrayLike<number>, thresholdMs: number, roundPerMs: number): TimeDomainSums | null;
  /** Lipponen & Tarvainen (2019) classification (detect-artifacts.ts). */
  detectLipponen?(rrMs: ArrayLike<number>, o: LipponenOptions): ArtifactDetection | null;
  /**
   * A plain one-number-per-line file in its common form (shared/parsers/rr-file.ts, parsePlain);
   * null when any line needs the general path (other forms, blank-looking text, errors to name).
   */
  scanPlainRr?(text: string, secondsBelow: number, minMs: number, maxMs: number): PlainRrScan | null;
}

let active: HrvKernels | null = null;

/** The installed kernels, or null (the JavaScript implementations run). */
export function hrvKernels(): HrvKernels | null {
  return active;
}

/** Install `kernels` for this process or page (a host's start-up decision), or null to remove them. */
export function setHrvKernels(kernels: HrvKernels | null): void {
  active = kernels;
}
