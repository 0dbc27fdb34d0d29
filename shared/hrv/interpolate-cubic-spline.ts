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

// Each loop is its own function (see detect-artifacts.ts: a short-lived process optimises loops
// on the stack, and a loop in a function of several would deoptimise at the next one).

/** Spacings hᵢ = xᵢ₊₁ − xᵢ (checked > 0) and slopes dᵢ = (yᵢ₊₁ − yᵢ)/hᵢ. */
function spacingsAndSlopes(x: ArrayLike<number>, y: ArrayLike<number>, h: Float64Array, d: Float64Array): void {
  for (let i = 0; i < h.length; i++) {
    const hi = (x[i + 1] as number) - (x[i] as number);
    if (!(hi > 0)) throw new RangeError(`x must be strictly increasing (index ${i + 1})`);
    h[i] = hi;
    d[i] = ((y[i + 1] as number) - (y[i] as number)) / hi;
  }
}

/** Rows k = i − 1 of the system: diagonal 2(hₖ + hₖ₊₁), right-hand side 6(dₖ₊₁ − dₖ). */
function tridiagonalRows(h: Float64Array, d: Float64Array, b: Float64Array, r: Float64Array): void {
  for (let k = 0; k < b.length; k++) {
    b[k] = 2 * (h[k]! + h[k + 1]!);
    r[k] = 6 * (d[k + 1]! - d[k]!);
  }
}

/** Thomas forward elimination; sub-diagonal hₖ (last row aLast), super-diagonal hₖ₊₁ (first row c0). */
function eliminate(h: Float64Array, b: Float64Array, r: Float64Array, c0: number, aLast: number): void {
  const m = b.length;
  for (let k = 1; k < m; k++) {
    const w = (k === m - 1 ? aLast : h[k]!) / b[k - 1]!;
    b[k] = b[k]! - w * (k === 1 ? c0 : h[k]!);
    r[k] = r[k]! - w * r[k - 1]!;
  }
}

/** Back substitution into M₁ … Mₘ. */
function backSubstitute(h: Float64Array, b: Float64Array, r: Float64Array, c0: number, M: Float64Array): void {
  const m = b.length;
  M[m] = r[m - 1]! / b[m - 1]!;
  for (let k = m - 2; k >= 0; k--) M[k + 1] = (r[k]! - (k === 0 ? c0 : h[k + 1]!) * M[k + 2]!) / b[k]!;
}

/** Knot spacings h and second derivatives M of the not-a-knot spline through (x, y). */
function solveNotAKnot(x: ArrayLike<number>, y: ArrayLike<number>): { h: Float64Array; M: Float64Array } {
  const n = x.length;
  if (n !== y.length) throw new RangeError('x and y differ in length');
  if (n < 2) throw new RangeError('a spline needs at least 2 points');
  const h = new Float64Array(n - 1);
  const d = new Float64Array(n - 1);
  spacingsAndSlopes(x, y, h, d);
  const M = new Float64Array(n);
  if (n === 3) {
    // Parabola through three points: constant second derivative.
    const c = (2 * (d[1]! - d[0]!)) / (h[0]! + h[1]!);
    M.fill(c);
  } else if (n > 3) {
    // Unknowns M1 … M(n−2), row k = i − 1: sub-diagonal h(k) (last row: adjusted), diagonal b,
    // super-diagonal h(k+1) (first row: adjusted), right-hand side r.
    const m = n - 2;
    const b = new Float64Array(m);
    const r = new Float64Array(m);
    tridiagonalRows(h, d, b, r);
    const h0 = h[0]!;
    const h1 = h[1]!;
    b[0] = b[0]! + (h0 * (h0 + h1)) / h1;
    const c0 = h[1]! - (h0 * h0) / h1;
    const hl = h[n - 2]!;
    const hp = h[n - 3]!;
    b[m - 1] = b[m - 1]! + (hl * (hl + hp)) / hp;
    const aLast = h[m - 1]! - (hl * hl) / hp;
    // m ≥ 2 here (n ≥ 4). Thomas algorithm.
    eliminate(h, b, r, c0, aLast);
    backSubstitute(h, b, r, c0, M);
    M[0] = ((h0 + h1) * M[1]! - h0 * M[2]!) / h1;
    M[n - 1] = ((hl + hp) * M[n - 2]! - hl * M[n - 3]!) / hp;
  }
  return { h, M };
}

/** Evaluate the not-a-knot spline through (x, y) (x strictly increasing) at the sorted points `at`. */
export function interpolateCubicSpline(x: ArrayLike<number>, y: ArrayLike<number>, at: ArrayLike<number>): Float64Array {
  const { h, M } = solveNotAKnot(x, y);
  const n = x.length;
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

/**
 * The same spline evaluated on the even grid t_j = j / rateHz, j = 0 … count − 1 (identical
 * numbers to passing that grid to interpolateCubicSpline, without building it).
 */
export function interpolateCubicSplineOnGrid(x: Float64Array, y: ArrayLike<number>, count: number, rateHz: number): Float64Array {
  const { h, M } = solveNotAKnot(x, y);
  const n = x.length;
  const out = new Float64Array(count);
  let seg = 0;
  let x0 = x[0]!;
  let x1 = x[1]!;
  let y0 = y[0] as number;
  let y1 = y[1] as number;
  let m0 = M[0]!;
  let m1 = M[1]!;
  let hi = h[0]!;
  for (let j = 0; j < count; j++) {
    const t = j / rateHz;
    if (seg < n - 2 && t > x1) {
      while (seg < n - 2 && t > x[seg + 1]!) seg += 1;
      x0 = x[seg]!;
      x1 = x[seg + 1]!;
      y0 = y[seg] as number;
      y1 = y[seg + 1] as number;
      m0 = M[seg]!;
      m1 = M[seg + 1]!;
      hi = h[seg]!;
    }
    const A = (x1 - t) / hi;
    const B = (t - x0) / hi;
    out[j] = A * y0 + B * y1 + (((A * A * A - A) * m0 + (B * B * B - B) * m1) * hi * hi) / 6;
  }
  return out;
}
