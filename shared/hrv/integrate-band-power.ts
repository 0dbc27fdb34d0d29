/**
 * Band power and peak of a PSD: trapezoid rule over the PSD bins whose frequency lies in the band
 * (numpy.trapezoid(psd[mask], f[mask]); bins outside are not extrapolated), as the datasets'
 * `parameters.own_welch.band_integration` defines it. Half-open [lo, hi) for the HRV bands,
 * closed [lo, hi] for the coherence windows (`parameters.own_coherence.integration`).
 */
import type { Psd } from './compute-welch-psd';

export function integrateBandPower(p: Psd, loHz: number, hiHz: number, closed = false): number {
  let sum = 0;
  let prevF = Number.NaN;
  let prevP = 0;
  for (let k = 0; k < p.freqHz.length; k++) {
    const f = p.freqHz[k]!;
    if (f < loHz || f > hiHz || (!closed && f === hiHz)) continue;
    const v = p.psd[k]!;
    if (!Number.isNaN(prevF)) sum += ((f - prevF) * (v + prevP)) / 2;
    prevF = f;
    prevP = v;
  }
  return sum;
}

/** Frequency of the highest PSD bin in the band (first one on ties), or null when the band holds no bin. */
export function findPeakHz(p: Psd, loHz: number, hiHz: number, closed = false): number | null {
  let best = -Infinity;
  let at: number | null = null;
  for (let k = 0; k < p.freqHz.length; k++) {
    const f = p.freqHz[k]!;
    if (f < loHz || f > hiHz || (!closed && f === hiHz)) continue;
    if (p.psd[k]! > best) {
      best = p.psd[k]!;
      at = f;
    }
  }
  return at;
}
