/**
 * Automatic RR artifact detection: Lipponen J.A. & Tarvainen M.P. (2019), "A robust algorithm for
 * heart rate variability time series artefact correction using novel beat classification",
 * J Med Eng Technol 43(3):173–181, doi:10.1080/03091902.2019.1640306 (the method behind Kubios
 * HRV's automatic correction). Follows the paper's flow chart (Figure 1) and constants, with the
 * series construction of NeuroKit2's `signal_fixpeaks` (method="Kubios"), so the flags can be
 * checked against it.
 *
 * Series (RR in ms, index k = interval k of the input; a virtual interval RR₋₁ = mean(RR) is
 * prepended as NeuroKit2 does, so the first real interval has a defined dRR):
 *   dRRₖ = RRₖ − RRₖ₋₁                                         (eq. 1)
 *   Th1ₖ = α · QD(|dRR|) over the 91 beats centred on k,  QD = (Q3 − Q1)/2, α = 5.2   (eq. 2)
 *   dRR'ₖ = dRRₖ / Th1ₖ
 *   mRRₖ = RRₖ − med₁₁(RR)ₖ; negative mRR are doubled; Th2ₖ = α · QD(|mRR|) over 91 beats;
 *   mRR'ₖ = mRRₖ / Th2ₖ                                          (eq. 3–4)
 *   S11 = dRR'ₖ; S12ₖ = max(dRR'ₖ₋₁, dRR'ₖ₊₁) if dRR'ₖ > 0, else min(...)      (eq. 5)
 *   S21 = dRR'ₖ; S22ₖ = min(dRR'ₖ₊₁, dRR'ₖ₊₂) if dRR'ₖ ≥ 0, else max(...)     (eq. 6)
 * Decisions (Figure 1), for |dRR'ₖ| > 1:
 *   ectopic    if (dRR'ₖ > 1 and S12ₖ < −c1·dRR'ₖ − c2) or (dRR'ₖ < −1 and S12ₖ > −c1·dRR'ₖ + c2),
 *              c1 = 0.13, c2 = 0.17                                (eq. 7)
 *   otherwise for j ∈ {k} (plus k+1 when |dRR'ₖ₊₁| < |dRR'ₖ₊₂|): long/short candidate if
 *   (dRR'ⱼ > 1 and S22ⱼ < −1) or |mRR'ⱼ| > 3 or (dRR'ⱼ < −1 and S22ⱼ > 1), then
 *     extra    if short (dRR'ⱼ < −1, S22ⱼ > 1) and |RRⱼ + RRⱼ₊₁ − medⱼ| < Th2ⱼ
 *     missed   if long  (dRR'ⱼ > 1, S22ⱼ < −1) and |RRⱼ/2 − medⱼ| < Th2ⱼ
 *     long/short otherwise.
 * The edges of the series are reflected (numpy `pad(..., 'reflect')`) for S12/S22; the last two
 * intervals are never classified (the decisions need two intervals of look-ahead).
 * Rolling windows are centred and shrink at the series' ends (see rolling-quantile.ts).
 *
 * Addition to the paper (option `confirm`, on by default; off reproduces NeuroKit2's flags exactly):
 * a flag is kept only if the interval itself lies outside the local tolerance, i.e.
 * |mRR'ₖ| > 1 (outside Th2 of the 11-beat median, the tolerance eq. 6–7 already use) or
 * |RRₖ − medₖ| / medₖ > 0.15. Without it, high-RSA records raise flags on intervals within a few
 * per cent of their median (nk_rest5: 4 such flags, |mRR'| ≤ 0.77, ≤ 10.7 % off the median; every
 * injected artifact there has a flag with |mRR'| ≥ 1.25 and ≥ 14.9 %). Such intervals are not
 * beat-detection errors, and "correcting" them removes real variability (RMSSD falls).
 */
import { hrvKernels } from './kernels';
import { computeRollingQuantiles } from './rolling-quantile';

/** Paper constants (Lipponen & Tarvainen 2019, section 2 and Figure 1). */
export const LIPPONEN_C1 = 0.13;
export const LIPPONEN_C2 = 0.17;
export const LIPPONEN_ALPHA = 5.2;
export const LIPPONEN_THRESHOLD_WINDOW_BEATS = 91;
export const LIPPONEN_MEDIAN_WINDOW_BEATS = 11;
/** Confirmation gate (our addition, see the header): normalised |mRR'| above which a flag stands. */
export const CONFIRM_MRR_NORMALISED = 1;
/** Confirmation gate: relative deviation from the 11-beat median above which a flag stands. */
export const CONFIRM_RELATIVE_DEVIATION = 0.15;

export type ArtifactType = 'ectopic' | 'missed' | 'extra' | 'long-short' | 'outlier';

/** Numeric codes in `ArtifactDetection.types` (0 = normal). */
export const ARTIFACT_CODES: readonly (ArtifactType | null)[] = [null, 'ectopic', 'missed', 'extra', 'long-short', 'outlier'];
export const CODE_ECTOPIC = 1;
export const CODE_MISSED = 2;
export const CODE_EXTRA = 3;
export const CODE_LONG_SHORT = 4;
export const CODE_OUTLIER = 5;

export interface ArtifactDetection {
  /** Per input interval: 0 normal, else an index into ARTIFACT_CODES. */
  readonly types: Uint8Array;
  /** 11-beat centred median of RR, ms (the local reference used by corrections). */
  readonly medRrMs: Float64Array;
  /** Th2 per interval, ms (the tolerance used by the missed/extra tests and by corrections). */
  readonly th2Ms: Float64Array;
}

export interface LipponenOptions {
  readonly c1: number;
  readonly c2: number;
  readonly alpha: number;
  readonly thresholdWindowBeats: number;
  readonly medianWindowBeats: number;
  /** Keep only flags whose interval deviates from the local median (see the header). */
  readonly confirm: boolean;
}

export const DEFAULT_LIPPONEN: LipponenOptions = {
  c1: LIPPONEN_C1,
  c2: LIPPONEN_C2,
  alpha: LIPPONEN_ALPHA,
  thresholdWindowBeats: LIPPONEN_THRESHOLD_WINDOW_BEATS,
  medianWindowBeats: LIPPONEN_MEDIAN_WINDOW_BEATS,
  confirm: true,
};

// Each pass over the series is its own small function: in a short-lived process (soothe analyze)
// a loop is optimised on the stack (OSR) while it runs, and code after it in the same function
// has no type feedback yet and would send the function back to the interpreter (a deopt per loop).
// Passes that can share a loop do (each distinct loop costs a warm-up in a fresh process).

/**
 * x / (alpha · (q3 − q1) / 2) in place (the series over its quartile-deviation threshold, eq. 2–4);
 * returns the thresholds when `keep` (Th2 is part of the result), else null.
 */
function divideByQuartileThreshold(x: Float64Array, q1: Float64Array, q3: Float64Array, alpha: number, keep: boolean): Float64Array | null {
  const th = keep ? new Float64Array(x.length) : null;
  for (let i = 0; i < x.length; i++) {
    const t = (alpha * (q3[i]! - q1[i]!)) / 2;
    if (th !== null) th[i] = t;
    x[i] = x[i]! / t;
  }
  return th;
}

/** The input with NeuroKit2's virtual first interval mean(RR) in front. */
function withVirtualFirst(rrMs: ArrayLike<number>): Float64Array {
  const nIn = rrMs.length;
  const rr = new Float64Array(nIn + 1);
  let sum = 0;
  for (let k = 0; k < nIn; k++) {
    const v = rrMs[k] as number;
    rr[k + 1] = v;
    sum += v;
  }
  rr[0] = sum / nIn;
  return rr;
}

/** dRRᵢ = RRᵢ − RRᵢ₋₁ (dRR₀ = mean of the others), and |dRRᵢ|. */
function successiveDifferences(rr: Float64Array): { drr: Float64Array; abs: Float64Array } {
  const n = rr.length;
  const drr = new Float64Array(n);
  const abs = new Float64Array(n);
  let sumD = 0;
  for (let i = 1; i < n; i++) {
    const d = rr[i]! - rr[i - 1]!;
    drr[i] = d;
    abs[i] = Math.abs(d);
    sumD += d;
  }
  drr[0] = n > 1 ? sumD / (n - 1) : 0;
  abs[0] = Math.abs(drr[0]!);
  return { drr, abs };
}

/** mRRᵢ = RRᵢ − medᵢ, negative values doubled, and |mRRᵢ|. */
function medianDeviation(rr: Float64Array, med: Float64Array): { mrr: Float64Array; abs: Float64Array } {
  const mrr = new Float64Array(rr.length);
  const abs = new Float64Array(rr.length);
  for (let i = 0; i < rr.length; i++) {
    const d = rr[i]! - med[i]!;
    const v = d < 0 ? 2 * d : d;
    mrr[i] = v;
    abs[i] = Math.abs(v);
  }
  return { mrr, abs };
}

/** numpy 'reflect' padding by 2: index −1 → 1, −2 → 2, n → n−2, n+1 → n−3. */
function reflect(a: Float64Array, i: number): number {
  const n = a.length;
  let j = i;
  if (j < 0) j = -j;
  if (j >= n) j = 2 * (n - 1) - j;
  return a[Math.max(0, Math.min(n - 1, j))] as number;
}

/**
 * Classify every interval of `rrMs` (ms) by Lipponen & Tarvainen (2019) (installed kernels when
 * there are: shared/hrv/kernels.ts).
 */
export function detectArtifacts(rrMs: ArrayLike<number>, options: Partial<LipponenOptions> = {}): ArtifactDetection {
  const o = { ...DEFAULT_LIPPONEN, ...options };
  return hrvKernels()?.detectLipponen?.(rrMs, o) ?? detectLipponenJs(rrMs, o);
}

/** The JavaScript implementation (the definition; what runs without kernels). */
export function detectLipponenJs(rrMs: ArrayLike<number>, o: LipponenOptions): ArtifactDetection {
  const nIn = rrMs.length;
  const types = new Uint8Array(nIn);
  if (nIn === 0) return { types, medRrMs: new Float64Array(0), th2Ms: new Float64Array(0) };
  // Series with the virtual first interval (NeuroKit2: rr[0] = mean(rr[1:])).
  const rr = withVirtualFirst(rrMs);
  const n = rr.length;
  const { drr, abs: absDrr } = successiveDifferences(rr);
  const [d1, d3] = computeRollingQuantiles(absDrr, o.thresholdWindowBeats, [0.25, 0.75]) as [Float64Array, Float64Array];
  divideByQuartileThreshold(drr, d1, d3, o.alpha, false); // dRR' = dRR / Th1
  const [med] = computeRollingQuantiles(rr, o.medianWindowBeats, [0.5]) as [Float64Array];
  const { mrr, abs: absMrr } = medianDeviation(rr, med);
  const [m1, m3] = computeRollingQuantiles(absMrr, o.thresholdWindowBeats, [0.25, 0.75]) as [Float64Array, Float64Array];
  const th2 = divideByQuartileThreshold(mrr, m1, m3, o.alpha, true) as Float64Array; // mRR' = mRR / Th2
  const s12 = (i: number): number => {
    const d = drr[i] as number;
    if (d > 0) return Math.max(reflect(drr, i - 1), reflect(drr, i + 1));
    if (d < 0) return Math.min(reflect(drr, i - 1), reflect(drr, i + 1));
    return 0;
  };
  const s22 = (i: number): number => {
    const d = drr[i] as number;
    if (d >= 0) return Math.min(reflect(drr, i + 1), reflect(drr, i + 2));
    if (d < 0) return Math.max(reflect(drr, i + 1), reflect(drr, i + 2));
    return 0; // NaN
  };
  const mark = (i: number, code: number): void => {
    if (i < 1) return; // the virtual first interval
    if (o.confirm) {
      const m = med[i] as number;
      const outside = Math.abs(mrr[i] as number) > CONFIRM_MRR_NORMALISED || Math.abs((rr[i] as number) - m) > CONFIRM_RELATIVE_DEVIATION * m;
      if (!outside) return;
    }
    types[i - 1] = code;
  };
  // Figure 1 flow, over i = 0 … n − 3 (two intervals of look-ahead). As in NeuroKit2, when the
  // next interval is also a long/short candidate it is judged here and skipped as a start point.
  let i = 0;
  while (i < n - 2) {
    const d = drr[i] as number;
    if (!(Math.abs(d) > 1)) {
      i += 1;
      continue;
    }
    const s = s12(i);
    if ((d > 1 && s < -o.c1 * d - o.c2) || (d < -1 && s > -o.c1 * d + o.c2)) {
      mark(i, CODE_ECTOPIC); // eq. 7
      i += 1;
      continue;
    }
    const candidates = Math.abs(drr[i + 1] as number) < Math.abs(drr[i + 2] as number) ? [i, i + 1] : [i];
    for (const j of candidates) {
      i += 1;
      const dj = drr[j] as number;
      const sj = s22(j);
      const long = dj > 1 && sj < -1;
      const short = dj < -1 && sj > 1;
      if (!(long || short || Math.abs(mrr[j] as number) > 3)) continue;
      const rrj = rr[j] as number;
      const medj = med[j] as number;
      const th2j = th2[j] as number;
      if (short && Math.abs(rrj + (rr[j + 1] as number) - medj) < th2j) mark(j, CODE_EXTRA);
      else if (long && Math.abs(rrj / 2 - medj) < th2j) mark(j, CODE_MISSED);
      else mark(j, CODE_LONG_SHORT);
    }
  }
  return { types, medRrMs: med.subarray(1), th2Ms: th2.subarray(1) };
}
