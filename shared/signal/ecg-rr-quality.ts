/**
 * Quality check for researchers: do the strap's own RR intervals (Heart Rate Measurement service)
 * agree with the R-peaks found in its raw ECG (PMD stream, shared/signal/ecg-rpeaks.ts)?
 *
 * Method (ours, using the usual beat-matching rule of ANSI/AAMI EC57:2012 §4.2.1 — a detected
 * beat matches a reference beat within ±150 ms):
 *   1. Strap beat times are rebuilt from the RR sums (tⱼ = tⱼ₋₁ + RRⱼ, a new chain after each gap
 *      and every CHAIN_MAX_MS),
 *      not taken from the session chain as given: that chain is anchored to BLE packet arrivals,
 *      whose jitter shifts it by up to about ±0.5 s from one packet to the next (measured on a real
 *      H10 recording, rr/polar_h10 in the datasets), while the RR values themselves are exact.
 *   2. Each chain is shifted onto the ECG by the offset that puts the most strap beats within
 *      ±ALIGN_TOL_MS of an R-peak (candidates: every R-peak − strap beat within
 *      ±OFFSET_SEARCH_MS), refined to the median residual of those beats. The mode, not the
 *      median of nearest-peak differences: with alternating short–long intervals (bigeminy) the
 *      nearest peak is often the wrong beat, and a median lands between two alignments.
 *   3. A strap beat (the end, or the start = end − rrMs, of an RR interval) matches the nearest ECG
 *      peak within ±MATCH_TOL_MS after the shift.
 *   4. A strap RR interval whose two beats both match is compared with the interval between the two
 *      ECG peaks: |rrStrap − rrEcg| → median and p95 (nearest rank). When the ECG has a beat
 *      between them, the strap joined two intervals (it missed a beat): counted, not confirmed.
 *   5. A strap RR interval is confirmed when both beats match, no ECG beat lies between them, and
 *      |rrStrap − rrEcg| ≤ RR_AGREE_MS; the share of the strap intervals inside the ECG's span
 *      that are not confirmed is reported.
 * Pure; run it on a sliding window (e.g. the last minute) a few times per minute.
 */

/** Beat-match window, ms (ANSI/AAMI EC57: 150 ms). */
export const MATCH_TOL_MS = 150;
/**
 * Largest strap-to-ECG offset considered when estimating it, ms (ours: a chain starts at a packet's
 * arrival; on the real H10 recording a burst of late notifications put it 3.0 s after the beat).
 */
export const OFFSET_SEARCH_MS = 5000;
/**
 * Longest stretch aligned with one shift, ms (ours): the RR sums and the ECG clock drift apart by
 * about 0.1 % (0.65 s over the real H10 recording's 10 minutes), so a longer record is aligned in
 * pieces of this length.
 */
export const CHAIN_MAX_MS = 60_000;
/** A strap beat counts towards an offset candidate when it lands this close to an R-peak, ms (ours). */
export const ALIGN_TOL_MS = 50;
/**
 * An RR interval is confirmed when strap and ECG agree within this, ms (ours: about 2.6 samples of
 * the H10's 130 Hz ECG, whose R-peaks are refined to a sub-sample time, against the strap's 1/1024 s RR).
 */
export const RR_AGREE_MS = 20;

export interface StrapRr {
  /** Time of the beat that ends the interval, ms (session clock). */
  readonly tMs: number;
  readonly rrMs: number;
  /** The interval follows a hole in the strap's beat chain (lost packets, link loss). */
  readonly afterGap?: boolean;
}

export interface EcgRrQuality {
  /** Strap RR intervals inside the ECG's span (the ones judged). */
  readonly strapRr: number;
  readonly ecgPeaks: number;
  /** Strap beats (interval ends) matched to an ECG R-peak. */
  readonly matchedBeats: number;
  /** ECG − strap time of the first chain's alignment, ms; null when nothing overlaps. */
  readonly offsetMs: number | null;
  /** Strap RR with both beats matched (compared). */
  readonly comparedRr: number;
  readonly confirmedRr: number;
  /** Strap intervals that span two or more ECG intervals (the strap missed a beat). */
  readonly joinedRr: number;
  /** |rrStrap − rrEcg| over the compared intervals, ms; null when none. */
  readonly rrDiffMedianMs: number | null;
  readonly rrDiffP95Ms: number | null;
  /** Share (0–1) of the judged strap RR not confirmed by the ECG; null when none judged. */
  readonly unconfirmedShare: number | null;
}

/** Index of the first entry of sorted not below t. */
function lowerIndex(sorted: readonly number[], t: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function nearest(sorted: readonly number[], t: number): number | null {
  const lo = lowerIndex(sorted, t);
  const a = sorted[lo - 1];
  const b = sorted[lo];
  if (a === undefined) return b ?? null;
  if (b === undefined) return a;
  return t - a <= b - t ? a : b;
}

function nearestRank(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? null;
}

/**
 * The shift of `chain` onto `peaks` that matches the most beats (step 2), or null. Each beat within
 * ±ALIGN_TOL_MS scores 1 − |residual| / ALIGN_TOL_MS (a triangular kernel), so among shifts that
 * match as many beats the tighter one wins: with nearly even beats a shift by one whole beat also
 * lands every beat near a peak, only less exactly.
 */
function alignChain(chain: readonly number[], peaks: readonly number[]): number | null {
  const residuals = (offset: number): number[] => {
    const r: number[] = [];
    for (const t of chain) {
      const p = nearest(peaks, t + offset);
      if (p !== null && Math.abs(p - (t + offset)) <= ALIGN_TOL_MS) r.push(p - (t + offset));
    }
    return r;
  };
  let best: { score: number; offset: number } | null = null;
  for (const t of chain) {
    for (let i = lowerIndex(peaks, t - OFFSET_SEARCH_MS); i < peaks.length && (peaks[i] as number) <= t + OFFSET_SEARCH_MS; i++) {
      const offset = (peaks[i] as number) - t;
      const score = residuals(offset).reduce((sum, r) => sum + 1 - Math.abs(r) / ALIGN_TOL_MS, 0);
      if (!best || score > best.score) best = { score, offset };
    }
  }
  if (!best) return null;
  const r = residuals(best.offset).sort((a, b) => a - b);
  return best.offset + (nearestRank(r, 0.5) ?? 0);
}

/** Compares strap RR intervals with ECG R-peak times (both ms, session clock). */
export function compareStrapRrWithEcg(strap: readonly StrapRr[], ecgPeakTMs: readonly number[]): EcgRrQuality {
  const peaks = [...ecgPeakTMs].sort((a, b) => a - b);
  const first = peaks[0];
  const last = peaks[peaks.length - 1];
  const empty: EcgRrQuality = { strapRr: 0, ecgPeaks: peaks.length, matchedBeats: 0, offsetMs: null, comparedRr: 0, confirmedRr: 0, joinedRr: 0, rrDiffMedianMs: null, rrDiffP95Ms: null, unconfirmedShare: null };
  if (first === undefined || last === undefined || strap.length === 0) return empty;
  // 1. Chains of exact RR sums, split at gaps. 2. Each chain's shift onto the ECG.
  const ends: number[] = [];
  const shifts: (number | null)[] = [];
  let chainStart = 0;
  const closeChain = (endIndex: number): void => {
    const shift = alignChain(ends.slice(chainStart, endIndex), peaks);
    for (let j = chainStart; j < endIndex; j++) shifts.push(shift);
    chainStart = endIndex;
  };
  strap.forEach((r, j) => {
    if (j > chainStart && (r.afterGap || (ends[j - 1] as number) + r.rrMs - (ends[chainStart] as number) > CHAIN_MAX_MS)) closeChain(j);
    ends.push(j === chainStart ? r.tMs : (ends[j - 1] as number) + r.rrMs);
  });
  closeChain(strap.length);
  const offsetMs = shifts.find((x) => x !== null) ?? null;
  const match = (t: number): number | null => {
    const p = nearest(peaks, t);
    return p !== null && Math.abs(p - t) <= MATCH_TOL_MS ? p : null;
  };
  let judged = 0;
  let matchedBeats = 0;
  let confirmed = 0;
  let joined = 0;
  const rrDiffs: number[] = [];
  strap.forEach((r, j) => {
    const shift = shifts[j];
    if (shift === null || shift === undefined) return;
    const endT = (ends[j] as number) + shift;
    const startT = endT - r.rrMs;
    if (startT < first - MATCH_TOL_MS || endT > last + MATCH_TOL_MS) return;
    judged++;
    const end = match(endT);
    if (end !== null) matchedBeats++;
    const start = match(startT);
    if (end === null || start === null || end <= start) return;
    const d = Math.abs(r.rrMs - (end - start));
    rrDiffs.push(d);
    if (lowerIndex(peaks, end) - lowerIndex(peaks, start) > 1) joined++;
    else if (d <= RR_AGREE_MS) confirmed++;
  });
  if (judged === 0) return { ...empty, offsetMs };
  rrDiffs.sort((a, b) => a - b);
  return {
    strapRr: judged,
    ecgPeaks: peaks.length,
    matchedBeats,
    offsetMs,
    comparedRr: rrDiffs.length,
    confirmedRr: confirmed,
    joinedRr: joined,
    rrDiffMedianMs: nearestRank(rrDiffs, 0.5),
    rrDiffP95Ms: nearestRank(rrDiffs, 0.95),
    unconfirmedShare: 1 - confirmed / judged,
  };
}
