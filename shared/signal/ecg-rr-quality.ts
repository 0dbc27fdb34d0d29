/**
 * Quality check for researchers: do the strap's own RR intervals (Heart Rate Measurement service)
 * agree with the R-peaks found in its raw ECG (PMD stream, shared/signal/ecg-rpeaks.ts)?
 *
 * Method (ours, using the usual beat-matching rule of ANSI/AAMI EC57:2012 §4.2.1 — a detected
 * beat matches a reference beat within ±150 ms):
 *   1. Both streams are on the session clock, but through different paths (the strap's RR are
 *      placed by shared beat-time reconstruction, the ECG by PMD sensor timestamps plus one
 *      offset), so a constant offset between them is expected. It is estimated as the median of
 *      (nearest ECG peak − strap beat) over the strap beats with an ECG peak within
 *      ±OFFSET_SEARCH_MS, and removed.
 *   2. A strap beat (the end, or the start = end − rrMs, of an RR interval) matches the nearest ECG
 *      peak within ±MATCH_TOL_MS after the offset.
 *   3. A strap RR interval whose two beats both match is compared with the interval between the two
 *      ECG peaks: |rrStrap − rrEcg| → median and p95 (nearest rank).
 *   4. A strap RR interval is confirmed when both beats match and |rrStrap − rrEcg| ≤ RR_AGREE_MS;
 *      the share of the strap intervals inside the ECG's span that are not confirmed is reported.
 * Pure; run it on a sliding window (e.g. the last minute) a few times per minute.
 */

/** Beat-match window, ms (ANSI/AAMI EC57: 150 ms). */
export const MATCH_TOL_MS = 150;
/** Largest strap-to-ECG offset considered when estimating it, ms (ours). */
export const OFFSET_SEARCH_MS = 500;
/**
 * An RR interval is confirmed when strap and ECG agree within this, ms (ours: about 2.6 samples of
 * the H10's 130 Hz ECG, whose R-peaks are refined to a sub-sample time, against the strap's 1/1024 s RR).
 */
export const RR_AGREE_MS = 20;

export interface StrapRr {
  /** Time of the beat that ends the interval, ms (session clock). */
  readonly tMs: number;
  readonly rrMs: number;
}

export interface EcgRrQuality {
  /** Strap RR intervals inside the ECG's span (the ones judged). */
  readonly strapRr: number;
  readonly ecgPeaks: number;
  /** Strap beats (interval ends) matched to an ECG R-peak. */
  readonly matchedBeats: number;
  /** Median ECG − strap time, ms; null when nothing overlaps. */
  readonly offsetMs: number | null;
  /** Strap RR with both beats matched (compared). */
  readonly comparedRr: number;
  readonly confirmedRr: number;
  /** |rrStrap − rrEcg| over the compared intervals, ms; null when none. */
  readonly rrDiffMedianMs: number | null;
  readonly rrDiffP95Ms: number | null;
  /** Share (0–1) of the judged strap RR not confirmed by the ECG; null when none judged. */
  readonly unconfirmedShare: number | null;
}

function nearest(sorted: readonly number[], t: number): number | null {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) < t) lo = mid + 1;
    else hi = mid;
  }
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

/** Compares strap RR intervals with ECG R-peak times (both ms, session clock). */
export function compareStrapRrWithEcg(strap: readonly StrapRr[], ecgPeakTMs: readonly number[]): EcgRrQuality {
  const peaks = [...ecgPeakTMs].sort((a, b) => a - b);
  const first = peaks[0];
  const last = peaks[peaks.length - 1];
  const empty: EcgRrQuality = { strapRr: 0, ecgPeaks: peaks.length, matchedBeats: 0, offsetMs: null, comparedRr: 0, confirmedRr: 0, rrDiffMedianMs: null, rrDiffP95Ms: null, unconfirmedShare: null };
  if (first === undefined || last === undefined) return empty;
  // 1. Offset.
  const diffs: number[] = [];
  for (const r of strap) {
    const p = nearest(peaks, r.tMs);
    if (p !== null && Math.abs(p - r.tMs) <= OFFSET_SEARCH_MS) diffs.push(p - r.tMs);
  }
  diffs.sort((a, b) => a - b);
  const offsetMs = nearestRank(diffs, 0.5);
  const off = offsetMs ?? 0;
  const judged = strap.filter((r) => r.tMs - r.rrMs + off >= first - MATCH_TOL_MS && r.tMs + off <= last + MATCH_TOL_MS);
  if (judged.length === 0) return { ...empty, offsetMs };
  const match = (t: number): number | null => {
    const p = nearest(peaks, t + off);
    return p !== null && Math.abs(p - (t + off)) <= MATCH_TOL_MS ? p : null;
  };
  let matchedBeats = 0;
  let confirmed = 0;
  const rrDiffs: number[] = [];
  for (const r of judged) {
    const end = match(r.tMs);
    if (end !== null) matchedBeats++;
    const start = match(r.tMs - r.rrMs);
    if (end === null || start === null || end <= start) continue;
    const d = Math.abs(r.rrMs - (end - start));
    rrDiffs.push(d);
    if (d <= RR_AGREE_MS) confirmed++;
  }
  rrDiffs.sort((a, b) => a - b);
  return {
    strapRr: judged.length,
    ecgPeaks: peaks.length,
    matchedBeats,
    offsetMs,
    comparedRr: rrDiffs.length,
    confirmedRr: confirmed,
    rrDiffMedianMs: nearestRank(rrDiffs, 0.5),
    rrDiffP95Ms: nearestRank(rrDiffs, 0.95),
    unconfirmedShare: 1 - confirmed / judged.length,
  };
}
