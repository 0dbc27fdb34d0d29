/**
 * Premature-beat pattern: how much of a recording is ectopic rhythm (e.g. frequent premature
 * ventricular contractions in bigeminy runs) rather than sinus rhythm. HRV metrics describe the
 * sinus node's modulation; when premature beats are frequent they mostly measure the ectopy (a
 * bigeminy run alone gives an RMSSD of hundreds of ms), and adaptive artifact detectors, which
 * learn their thresholds from the series itself, flag only a small part of them (NeuroKit2's
 * Kubios method flags 28 of ~230 on the datasets' polar_h10 recording; so does ours).
 *
 * Rule: interval k is premature when it is more than 20 % shorter than both neighbours,
 *   RRₖ < 0.8 · min(RRₖ₋₁, RRₖ₊₁)
 * — the 20 % deviation rule widely used to screen non-sinus intervals (Task Force of the ESC and
 * NASPE 1996, Circulation 93:1043–1065, on editing ectopic beats; the datasets' own
 * suspect-interval rule is 20 % too), required on both sides so that a premature beat and its
 * compensatory pause are one event, and slow sinus swings (which change RR over several beats, not
 * in one) do not count. When more than FREQUENT_PREMATURE_SHARE of the intervals are premature the
 * recording is reported as dominated by ectopy (a burden above 10 % is commonly called frequent;
 * here it is only a data-quality threshold). This is a statement about the data, not a diagnosis:
 * Soothe is not a medical device.
 * Datasets: polar_h10 (bigeminy-like runs) 28.7 % of its intervals; nk_rest5 0.9 %, nk_rest8 0 %.
 */
import { hrvKernels } from './kernels';

/** Prematurity: shorter than this fraction of both neighbours. */
export const PREMATURE_RATIO = 0.8;
/** Share of premature intervals above which a recording or window counts as dominated by ectopy. */
export const FREQUENT_PREMATURE_SHARE = 0.1;

/** Whether interval `mid` is premature between `before` and `after` (ms). */
export function isPremature(before: number, mid: number, after: number): boolean {
  return mid < PREMATURE_RATIO * Math.min(before, after);
}

export interface PrematureBeats {
  /** Premature intervals. */
  readonly count: number;
  /** Premature intervals / intervals with both neighbours, percent; null when fewer than 3. */
  readonly percent: number | null;
  /** percent above FREQUENT_PREMATURE_SHARE: the metrics mostly describe ectopic beats. */
  readonly frequent: boolean;
}

/** The number of premature intervals (the JavaScript definition; installed kernels when there are). */
export function countPrematureJs(rrMs: ArrayLike<number>): number {
  let count = 0;
  for (let k = 1; k < rrMs.length - 1; k++) if (isPremature(rrMs[k - 1] as number, rrMs[k] as number, rrMs[k + 1] as number)) count += 1;
  return count;
}

/** Premature-beat pattern of an RR series (ms). */
export function countPrematureBeats(rrMs: ArrayLike<number>): PrematureBeats {
  const n = rrMs.length;
  if (n < 3) return { count: 0, percent: null, frequent: false };
  const count = hrvKernels()?.countPremature?.(rrMs, PREMATURE_RATIO) ?? countPrematureJs(rrMs);
  const share = count / (n - 2);
  return { count, percent: 100 * share, frequent: share > FREQUENT_PREMATURE_SHARE };
}
