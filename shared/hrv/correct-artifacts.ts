/**
 * Correct labelled RR artifacts (Lipponen & Tarvainen 2019, J Med Eng Technol 43(3):173–181,
 * section 2.3: "extra beats are removed, missed beats are added, ectopic and long/short beats
 * are corrected by interpolation"), working on the interval series rather than on peak times:
 *   extra      RRₖ and RRₖ₊₁ are merged into one interval (the false beat between them is deleted);
 *   missed     RRₖ is split into two equal intervals (a beat is inserted at its midpoint);
 *   ectopic,   if RRₖ and RRₖ₊₁ deviate from the local median medₖ in opposite directions and their
 *   long/short sum is within Th2ₖ of 2·medₖ (a compensated premature beat), both become their
 *              mean (the misplaced beat moved to the midpoint; later beat times are unchanged);
 *              otherwise RRₖ alone is replaced by medₖ (an uncompensated spike: interpolating the
 *              RR value instead of moving a beat keeps the error from spreading to RRₖ₊₁);
 *   outlier    (fixed-threshold methods) RRₖ is replaced by medₖ.
 * medₖ is the 11-beat centred median and Th2ₖ the paper's mRR threshold, both from detection.
 * Nothing is corrected silently: every changed input interval gets a label with its original value.
 */
import { hrvKernels } from './kernels';
import { ARTIFACT_CODES, CODE_ECTOPIC, CODE_EXTRA, CODE_LONG_SHORT, CODE_MISSED, type ArtifactDetection, type ArtifactType } from './detect-artifacts';

export interface BeatLabel {
  /** 0-based position of the interval in the input. */
  readonly index: number;
  readonly type: ArtifactType;
  /** The interval as it was read, ms. */
  readonly originalRrMs: number;
}

export interface CorrectedSeries {
  /** Corrected (NN) intervals, ms. */
  readonly nnMs: Float64Array;
  /** For each NN interval, the input interval it came from. */
  readonly sourceIndex: Int32Array;
  readonly labels: BeatLabel[];
}

/**
 * The output intervals for input interval k; `consumesNext` when k+1 was folded into them.
 * Shared by the batch pass and the streaming corrector, so both give the same numbers.
 */
export function correctInterval(
  rrK: number,
  rrNext: number | undefined,
  code: number,
  medMs: number,
  th2Ms: number,
): { values: number[]; consumesNext: boolean } {
  if (code === 0) return { values: [rrK], consumesNext: false };
  if (code === CODE_EXTRA) return rrNext === undefined ? { values: [medMs], consumesNext: false } : { values: [rrK + rrNext], consumesNext: true };
  if (code === CODE_MISSED) return { values: [rrK / 2, rrK / 2], consumesNext: false };
  if ((code === CODE_ECTOPIC || code === CODE_LONG_SHORT) && rrNext !== undefined) {
    const compensated = (rrK - medMs) * (rrNext - medMs) < 0 && Math.abs(rrK + rrNext - 2 * medMs) < th2Ms;
    if (compensated) {
      const m = (rrK + rrNext) / 2;
      return { values: [m, m], consumesNext: true };
    }
  }
  return { values: [medMs], consumesNext: false };
}

/** Apply the corrections for `detection` to `rrMs` (installed kernels when there are: kernels.ts). */
export function correctArtifacts(rrMs: ArrayLike<number>, detection: ArtifactDetection): CorrectedSeries {
  return hrvKernels()?.correctArtifacts?.(rrMs, detection) ?? correctArtifactsJs(rrMs, detection);
}

/** The JavaScript implementation (the definition). */
export function correctArtifactsJs(rrMs: ArrayLike<number>, detection: ArtifactDetection): CorrectedSeries {
  const n = rrMs.length;
  const nn = new Float64Array(n * 2);
  const src = new Int32Array(n * 2);
  const labels: BeatLabel[] = [];
  let m = 0;
  let skip = false;
  for (let k = 0; k < n; k++) {
    const code = detection.types[k] as number;
    const rrK = rrMs[k] as number;
    if (code !== 0) labels.push({ index: k, type: ARTIFACT_CODES[code] as ArtifactType, originalRrMs: rrK });
    if (skip) {
      skip = false;
      continue;
    }
    if (code === 0) {
      // Untouched interval (correctInterval would return [rrK]): no allocation on the common path.
      nn[m] = rrK;
      src[m] = k;
      m += 1;
      continue;
    }
    const r = correctInterval(rrK, k + 1 < n ? (rrMs[k + 1] as number) : undefined, code, detection.medRrMs[k] as number, detection.th2Ms[k] as number);
    for (const v of r.values) {
      nn[m] = v;
      src[m] = k;
      m += 1;
    }
    skip = r.consumesNext;
  }
  return { nnMs: nn.slice(0, m), sourceIndex: src.slice(0, m), labels };
}
