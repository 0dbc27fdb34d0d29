/**
 * Centred rolling quantiles over a fixed number of beats, as `pandas.Series.rolling(w,
 * center=True, min_periods=1).quantile(q)` computes them (linear interpolation between order
 * statistics: idx = q·(m − 1), v = x₍⌊idx⌋₎ + (x₍⌈idx⌉₎ − x₍⌊idx⌋₎)·(idx − ⌊idx⌋)), which is the
 * definition NeuroKit2's Lipponen–Tarvainen implementation uses. The window for index i holds
 * indices [i − h, i + h] ∩ [0, n − 1], h = (w − 1)/2, so it shrinks at both ends.
 *
 * Cost: the window is kept sorted in a Float64Array; sliding it by one replaces the value that
 * leaves with the one that enters by shifting only the entries between their ranks (insertion-sort
 * step), O(n·d) with d the rank distance (≤ w, small for smooth series), no allocation per step.
 */

/** Index of the first entry of sorted[0 … m−1] that is not below v. */
function lowerBound(sorted: Float64Array, m: number, v: number): number {
  let lo = 0;
  let hi = m;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Insert v into sorted[0 … m−1] (m < capacity). */
function insertSorted(sorted: Float64Array, m: number, v: number): void {
  let i = m;
  while (i > 0 && sorted[i - 1]! > v) {
    sorted[i] = sorted[i - 1]!;
    i -= 1;
  }
  sorted[i] = v;
}

/** Remove one entry equal to v from sorted[0 … m−1]. */
function removeSorted(sorted: Float64Array, m: number, v: number): void {
  for (let i = lowerBound(sorted, m, v); i < m - 1; i++) sorted[i] = sorted[i + 1]!;
}

/** Replace one entry equal to `out` by `inc`, keeping sorted[0 … m−1] sorted. */
function replaceSorted(sorted: Float64Array, m: number, out: number, inc: number): void {
  let i = lowerBound(sorted, m, out);
  if (inc > out) {
    while (i + 1 < m && sorted[i + 1]! < inc) {
      sorted[i] = sorted[i + 1]!;
      i += 1;
    }
  } else {
    while (i > 0 && sorted[i - 1]! > inc) {
      sorted[i] = sorted[i - 1]!;
      i -= 1;
    }
  }
  sorted[i] = inc;
}

/** out[k][i] = quantile qs[k] of sorted[0 … m−1] (linear interpolation, as pandas). */
function readQuantiles(sorted: Float64Array, m: number, qs: readonly number[], out: Float64Array[], i: number): void {
  for (let k = 0; k < qs.length; k++) {
    const idx = (qs[k] as number) * (m - 1);
    const f = Math.floor(idx);
    const lo = sorted[f]!;
    const hi = sorted[Math.min(m - 1, f + 1)]!;
    out[k]![i] = f === idx ? lo : lo + (hi - lo) * (idx - f);
  }
}

/** Windows that replace one value by the next: i = from … to − 1 (window size stays m). */
function slideFull(values: ArrayLike<number>, h: number, sorted: Float64Array, m: number, qs: readonly number[], out: Float64Array[], from: number, to: number): void {
  for (let i = from; i < to; i++) {
    replaceSorted(sorted, m, values[i - h - 1] as number, values[i + h] as number);
    readQuantiles(sorted, m, qs, out, i);
  }
}

/** Quantiles `qs` (0–1) of `values` over centred windows of `windowBeats` (odd) values. */
export function computeRollingQuantiles(values: ArrayLike<number>, windowBeats: number, qs: readonly number[]): Float64Array[] {
  if (!Number.isInteger(windowBeats) || windowBeats < 1 || windowBeats % 2 === 0) throw new RangeError(`windowBeats must be an odd positive integer, got ${windowBeats}`);
  const n = values.length;
  const h = (windowBeats - 1) / 2;
  const out = qs.map(() => new Float64Array(n));
  const sorted = new Float64Array(Math.min(windowBeats, n) + 1);
  let m = 0;
  // Window for i = 0 is [0, h]; window i is [i − h, i + h] ∩ [0, n − 1]. Phases: the window grows
  // (no value leaves yet), slides at full size (one leaves, one enters: the long, hot loop), or
  // shrinks at the end; a short series can also have windows that neither grow nor slide.
  for (let j = 0; j <= Math.min(h, n - 1); j++) insertSorted(sorted, m++, values[j] as number);
  let i = 0;
  for (; i < n; i++) {
    if (i > 0) {
      const drop = i - h - 1;
      const add = i + h;
      if (drop >= 0 && add < n) break; // full-size sliding from here on
      if (drop >= 0) removeSorted(sorted, m--, values[drop] as number);
      else if (add < n) insertSorted(sorted, m++, values[add] as number);
    }
    readQuantiles(sorted, m, qs, out, i);
  }
  const slideEnd = Math.max(i, n - h);
  slideFull(values, h, sorted, m, qs, out, i, slideEnd);
  for (i = slideEnd; i < n; i++) {
    if (i > 0) {
      const drop = i - h - 1;
      if (drop >= 0) removeSorted(sorted, m--, values[drop] as number);
    }
    readQuantiles(sorted, m, qs, out, i);
  }
  return out;
}
