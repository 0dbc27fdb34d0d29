/**
 * Smoothness-priors detrending (Tarvainen M.P., Ranta-aho P.O., Karjalainen P.A. 2002, "An advanced
 * detrending method with application to HRV analysis", IEEE TBME 49(2):172–175, eq. 9):
 *   z_stat = (I − (I + λ²·D₂ᵀD₂)⁻¹) · z,
 * D₂ the (N−2)×N second-difference matrix. The trend (I + λ²D₂ᵀD₂)⁻¹z solves a symmetric positive
 * definite pentadiagonal system, done here by banded Cholesky in O(N) (the paper's dense inverse
 * is O(N³)). Applied to the NN series indexed by beat (as the paper and Kubios do); λ = 500 is
 * the commonly used Kubios default (not verified from the Kubios manual here).
 */
export const SMOOTHNESS_PRIORS_LAMBDA = 500;

/** The detrended series z − trend (same units as z). */
export function detrendSmoothnessPriors(z: ArrayLike<number>, lambda = SMOOTHNESS_PRIORS_LAMBDA): Float64Array {
  const n = z.length;
  const out = Float64Array.from(z);
  if (n < 3) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += z[i] as number;
    mean /= n || 1;
    for (let i = 0; i < n; i++) out[i] = (z[i] as number) - mean;
    return out;
  }
  const l2 = lambda * lambda;
  // Bands of A = I + λ²DᵀD: diagonal a0, first off-diagonal a1, second off-diagonal a2.
  const a0 = new Float64Array(n);
  const a1 = new Float64Array(n);
  const a2 = new Float64Array(n);
  for (let r = 0; r < n - 2; r++) {
    // Row r of D is [1, −2, 1] at columns r, r+1, r+2.
    const c = [1, -2, 1] as const;
    for (let i = 0; i < 3; i++) {
      a0[r + i] = a0[r + i]! + l2 * c[i]! * c[i]!;
      if (i < 2) a1[r + i] = a1[r + i]! + l2 * c[i]! * c[i + 1]!;
    }
    a2[r] = a2[r]! + l2 * c[0] * c[2];
  }
  for (let i = 0; i < n; i++) a0[i] = a0[i]! + 1;
  // Banded Cholesky A = L·Lᵀ, L lower with bands l0 (diag), l1, l2.
  const l0 = new Float64Array(n);
  const lb1 = new Float64Array(n);
  const lb2 = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const l2i = i >= 2 ? a2[i - 2]! / l0[i - 2]! : 0;
    const l1i = i >= 1 ? (a1[i - 1]! - (i >= 2 ? l2i * lb1[i - 1]! : 0)) / l0[i - 1]! : 0;
    lb2[i] = l2i;
    lb1[i] = l1i;
    l0[i] = Math.sqrt(a0[i]! - l1i * l1i - l2i * l2i);
  }
  // Here lb1[i] = L[i][i−1], lb2[i] = L[i][i−2]. Forward then back substitution.
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = z[i] as number;
    if (i >= 1) s -= lb1[i]! * y[i - 1]!;
    if (i >= 2) s -= lb2[i]! * y[i - 2]!;
    y[i] = s / l0[i]!;
  }
  const trend = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i]!;
    if (i + 1 < n) s -= lb1[i + 1]! * trend[i + 1]!;
    if (i + 2 < n) s -= lb2[i + 2]! * trend[i + 2]!;
    trend[i] = s / l0[i]!;
  }
  for (let i = 0; i < n; i++) out[i] = (z[i] as number) - trend[i]!;
  return out;
}
