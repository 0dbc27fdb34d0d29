/**
 * Lomb–Scargle periodogram of the unevenly sampled RR series (Lomb 1976, Astrophys Space Sci
 * 39:447–462; Scargle 1982, ApJ 263:835–853), as scipy.signal.lombscargle (unnormalised) gives it:
 *   τ = atan2(Σ sin 2ωt, Σ cos 2ωt) / 2ω
 *   P(ω) = ½ [ (Σ y cos ω(t−τ))² / Σ cos² ω(t−τ) + (Σ y sin ω(t−τ))² / Σ sin² ω(t−τ) ],
 * y = NN − mean(NN) at the beat times t (s). Normalised as the datasets' `own_lomb`:
 *   PSD(f) = 2 · T · P(2πf) / N  (ms²/Hz; integrates to the RR variance over 0 … N/(2T) Hz),
 * T = t_last − t_first, on the grid fₖ = k·Δf, k ≥ 1 while fₖ ≤ 0.5 Hz, Δf = 1/(5T)
 * (oversampling factor 5). Cost O(N · K): meant for short-term records (≤ ~30 min), not 24 h.
 */
import { computeBeatTimesS } from './resample-tachogram';
import type { Psd } from './compute-welch-psd';

export const LOMB_OVERSAMPLING = 5;
export const LOMB_MAX_HZ = 0.5;

export function computeLombPsd(nnMs: ArrayLike<number>): Psd {
  const n = nnMs.length;
  const t = computeBeatTimesS(nnMs);
  let mean = 0;
  for (let i = 0; i < n; i++) mean += nnMs[i] as number;
  mean /= n;
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) y[i] = (nnMs[i] as number) - mean;
  const T = (t[n - 1] ?? 0) - (t[0] ?? 0);
  const df = 1 / (LOMB_OVERSAMPLING * T);
  const k = Math.floor(LOMB_MAX_HZ / df + 1e-9);
  const freqHz = new Float64Array(k);
  const psd = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    const f = (j + 1) * df;
    const w = 2 * Math.PI * f;
    // scipy's single pass: sums of y·cos, y·sin, cos², sin², cos·sin at ωt, then rotate by τ.
    let xc = 0;
    let xs = 0;
    let cc = 0;
    let ss = 0;
    let cs = 0;
    for (let i = 0; i < n; i++) {
      const c = Math.cos(w * t[i]!);
      const s = Math.sin(w * t[i]!);
      xc += y[i]! * c;
      xs += y[i]! * s;
      cc += c * c;
      ss += s * s;
      cs += c * s;
    }
    const tau = Math.atan2(2 * cs, cc - ss) / (2 * w);
    const ct = Math.cos(w * tau);
    const st = Math.sin(w * tau);
    const ct2 = ct * ct;
    const st2 = st * st;
    const cst = 2 * ct * st;
    const p =
      0.5 * ((ct * xc + st * xs) ** 2 / (ct2 * cc + cst * cs + st2 * ss) + (ct * xs - st * xc) ** 2 / (ct2 * ss - cst * cs + st2 * cc));
    freqHz[j] = f;
    psd[j] = (2 * T * p) / n;
  }
  return { freqHz, psd };
}
