/**
 * Centred rolling quantiles over a fixed number of beats, as `pandas.Series.rolling(w,
 * center=True, min_periods=1).quantile(q)` computes them (linear interpolation between order
 * statistics: idx = q·(m − 1), v = x₍⌊idx⌋₎ + (x₍⌈idx⌉₎ − x₍⌊idx⌋₎)·(idx − ⌊idx⌋)), which is the
 * definition NeuroKit2's Lipponen–Tarvainen implementation uses. The window for index i holds
 * indices [i − h, i + h] ∩ [0, n − 1], h = (w − 1)/2, so it shrinks at both ends.
 *
 * Cost: O(n·w) worst case (a sorted window kept by binary search and memmove), no allocation per step.
 */

/** Quantiles `qs` (0–1) of `values` over centred windows of `windowBeats` (odd) values. */
export function computeRollingQuantiles(values: ArrayLike<number>, windowBeats: number, qs: readonly number[]): Float64Array[] {
  if (!Number.isInteger(windowBeats) || windowBeats < 1 || windowBeats % 2 === 0) throw new RangeError(`windowBeats must be an odd positive integer, got ${windowBeats}`);
  const n = values.length;
  const h = (windowBeats - 1) / 2;
  const out = qs.map(() => new Float64Array(n));
  const sorted = new Float64Array(windowBeats + 1);
  let m = 0;
  const insert = (v: number): void => {
    let lo = 0;
    let hi = m;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((sorted[mid] as number) < v) lo = mid + 1;
      else hi = mid;
    }
    sorted.copyWithin(lo + 1, lo, m);
    sorted[lo] = v;
    m += 1;
  };
  const remove = (v: number): void => {
    let lo = 0;
    let hi = m;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((sorted[mid] as number) < v) lo = mid + 1;
      else hi = mid;
    }
    sorted.copyWithin(lo, lo + 1, m);
    m -= 1;
  };
  // Window for i = 0 is [0, h].
  for (let j = 0; j <= Math.min(h, n - 1); j++) insert(values[j] as number);
  for (let i = 0; i < n; i++) {
    if (i > 0) {
      const drop = i - h - 1;
      if (drop >= 0) remove(values[drop] as number);
      const add = i + h;
      if (add < n) insert(values[add] as number);
    }
    for (let k = 0; k < qs.length; k++) {
      const idx = (qs[k] as number) * (m - 1);
      const f = Math.floor(idx);
      const lo = sorted[f] as number;
      const hi = sorted[Math.min(m - 1, f + 1)] as number;
      (out[k] as Float64Array)[i] = f === idx ? lo : lo + (hi - lo) * (idx - f);
    }
  }
  return out;
}
