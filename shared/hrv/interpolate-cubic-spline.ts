/**
 * Cubic-spline interpolation with not-a-knot end conditions (de Boor 1978, "A Practical Guide to
 * Splines", ch. IV), the default of scipy.interpolate.CubicSpline, which the reference Welch
 * definition (datasets README, `parameters.own_welch.interp_kind`) uses. Not a natural spline:
 * not-a-knot makes the third derivative continuous at the second and second-to-last knots.
 *
 * Second derivatives M solve, for i = 1 … n−2,
 *   h₍ᵢ₋₁₎Mᵢ₋₁ + 2(h₍ᵢ₋₁₎ + hᵢ)Mᵢ + hᵢMᵢ₊₁ = 6(dᵢ − dᵢ₋₁),  dᵢ = (yᵢ₊₁ − yᵢ)/hᵢ,
 * with M₀ = ((h₀ + h₁)M₁ − h₀M₂)/h₁ and the mirror condition at the end substituted in, which
 * leaves a tridiagonal system in M₁ … Mₙ₋₂ (Thomas algorithm, O(n)).
 * n = 2 gives a line and n = 3 the parabola through the points (as scipy).
 */

/** Evaluate the not-a-knot spline through (x, y) (x strictly increasing) at the sorted points `at`. */
export function interpolateCubicSpline(x: ArrayLike<number>, y: ArrayLike<number>, at: ArrayLike<number>): Float64Array {
  const n = x.length;
  if (n !== y.length) throw new RangeError('x and y differ in length');
  if (n < 2) throw new RangeError('a spline needs at least 2 points');
  const h = new Float64Array(n - 1);
  const d = new Float64Array(n - 1);
  for (let i = 0; i < n - 1; i++) {
    h[i] = (x[i + 1] as number) - (x[i] as number);
    if (!(h[i]! > 0)) throw new RangeError(`x must be strictly increasing (index ${i + 1})`);
    d[i] = ((y[i + 1] as number) - (y[i] as number)) / h[i]!;
  }
  const M = new Float64Array(n);
  if (n === 3) {
    // Parabola through three points: constant second derivative.
    const c = (2 * (d[1]! - d[0]!)) / (h[0]! + h[1]!);
    M.fill(c);
  } else if (n > 3) {
    const m = n - 2; // unknowns M1..M(n-2)
    const a = new Float64Array(m); // sub-diagonal
    const b = new Float64Array(m); // diagonal
    const c = new Float64Array(m); // super-diagonal
    const r = new Float64Array(m);
    for (let i = 1; i <= n - 2; i++) {
      const k = i - 1;
      a[k] = h[i - 1]!;
      b[k] = 2 * (h[i - 1]! + h[i]!);
      c[k] = h[i]!;
      r[k] = 6 * (d[i]! - d[i - 1]!);
    }
    const h0 = h[0]!;
    const h1 = h[1]!;
    b[0] = b[0]! + (h0 * (h0 + h1)) / h1;
    c[0] = c[0]! - (h0 * h0) / h1;
    const hl = h[n - 2]!;
    const hp = h[n - 3]!;
    b[m - 1] = b[m - 1]! + (hl * (hl + hp)) / hp;
    a[m - 1] = a[m - 1]! - (hl * hl) / hp;
    // m ≥ 2 here (n ≥ 4). Thomas algorithm.
    for (let k = 1; k < m; k++) {
      const w = a[k]! / b[k - 1]!;
      b[k] = b[k]! - w * c[k - 1]!;
      r[k] = r[k]! - w * r[k - 1]!;
    }
    M[m] = r[m - 1]! / b[m - 1]!;
    for (let k = m - 2; k >= 0; k--) M[k + 1] = (r[k]! - c[k]! * M[k + 2]!) / b[k]!;
    M[0] = ((h0 + h1) * M[1]! - h0 * M[2]!) / h1;
    M[n - 1] = ((hl + hp) * M[n - 2]! - hl * M[n - 3]!) / hp;
  }
  const out = new Float64Array(at.length);
  let seg = 0;
  for (let j = 0; j < at.length; j++) {
    const t = at[j] as number;
    while (seg < n - 2 && t > (x[seg + 1] as number)) seg += 1;
    const x0 = x[seg] as number;
    const hi = h[seg]!;
    const A = ((x[seg + 1] as number) - t) / hi;
    const B = (t - x0) / hi;
    out[j] =
      A * (y[seg] as number) + B * (y[seg + 1] as number) + (((A * A * A - A) * M[seg]! + (B * B * B - B) * M[seg + 1]!) * hi * hi) / 6;
  }
  return out;
}
