/**
 * Discrete Fourier transform for the spectra of this folder: an iterative radix-2
 * Cooley–Tukey FFT (Cooley & Tukey 1965, Math Comput 19:297–301) for power-of-two sizes and
 * Bluestein's chirp-z algorithm (Bluestein 1970, IEEE Trans Audio Electroacoust 18(4):451–455)
 * for any other size: X_k = conj(w_k) · Σ (x_n·conj(w_n)) · w_(k−n), w_n = exp(iπn²/N), the
 * convolution done with radix-2 FFTs of size ≥ 2N − 1.
 *
 * Real input, power-of-two N, uses half-size complex transforms (Cooley, Lewis & Welch 1970,
 * J Sound Vib 12(3):315–337; Brigham 1988, "The FFT and its applications", §9):
 *  - one real sequence x of length N (realSegmentPowerSpectrum): z_m = x_2m + i·x_2m+1, Z = FFT_N/2(z),
 *    E_k = (Z_k + conj Z_N/2−k)/2, O_k = (Z_k − conj Z_N/2−k)/(2i), X_k = E_k + e^(−2πik/N)·O_k;
 *  - two real sequences a, b of length N at once (addSegmentPairPowerSpectrum): Z = FFT_N(a + i·b),
 *    A_k = (Z_k + conj Z_N−k)/2, B_k = (Z_k − conj Z_N−k)/(2i), hence
 *    |A_k|² + |B_k|² = (|Z_k|² + |Z_N−k|²)/2 — exactly the sum a Welch average needs.
 * Both agree with the plain transform to rounding (≈1e-15 relative).
 *
 * Bit-reversal tables, twiddle tables and scratch buffers are cached per size: after the first
 * call of a size, a transform allocates nothing but its output. Twiddles: cos/sin of 2πk/N on the
 * first octant, completed by symmetry (each within an ulp of Math.cos/Math.sin); the half-size
 * transform inside a real one reads every other entry of the full-size table.
 */

interface Radix2Plan {
  readonly n: number;
  readonly rev: Uint32Array;
}

const plans = new Map<number, Radix2Plan>();
/**
 * Sizes above this are not kept (a 24-hour RSA periodogram needs 2^19 points: megabytes a
 * long-running renderer should not hold); the live engine's sizes (≤ 4096) all are.
 */
const MAX_CACHED_POINTS = 1 << 16;
const bases = new Map<number, { c: Float64Array; s: Float64Array }>();

/** cos(2πk/n) and −sin(2πk/n), k < n/2, for n a power of two ≥ 2 (cached). */
function baseTwiddles(n: number): { c: Float64Array; s: Float64Array } {
  const cached = bases.get(n);
  if (cached) return cached;
  const r = computeBaseTwiddles(n);
  if (n <= MAX_CACHED_POINTS) bases.set(n, r);
  return r;
}

function computeBaseTwiddles(n: number): { c: Float64Array; s: Float64Array } {
  const half = n / 2;
  const c = new Float64Array(half);
  const s = new Float64Array(half);
  if (n < 8) {
    for (let k = 0; k < half; k++) {
      c[k] = Math.cos((2 * Math.PI * k) / n);
      s[k] = -Math.sin((2 * Math.PI * k) / n);
    }
    return { c, s };
  }
  const q = n / 4;
  const o = n / 8;
  // First octant directly, then cos(π/2 − θ) = sin θ, and θ + π/2 for the second quadrant.
  for (let k = 0; k <= o; k++) {
    const a = (2 * Math.PI * k) / n;
    c[k] = Math.cos(a);
    s[k] = -Math.sin(a);
  }
  for (let k = o + 1; k < q; k++) {
    c[k] = -s[q - k]!;
    s[k] = -c[q - k]!;
  }
  c[q] = 0;
  s[q] = -1;
  for (let k = q + 1; k < half; k++) {
    c[k] = s[k - q]!;
    s[k] = -c[k - q]!;
  }
  return { c, s };
}

/** Bit-reversal permutation for size n (cached). */
function radix2Plan(n: number): Radix2Plan {
  let p = plans.get(n);
  if (p) return p;
  const rev = new Uint32Array(n);
  const bits = Math.round(Math.log2(n));
  for (let i = 1; i < n; i++) rev[i] = (rev[i >>> 1]! >>> 1) | ((i & 1) << (bits - 1));
  p = { n, rev };
  if (n <= MAX_CACHED_POINTS) plans.set(n, p);
  return p;
}

/**
 * In-place forward FFT (e^{−2πikn/N}) of a power-of-two length complex array: bit-reversal, then
 * radix-2 butterfly stages, two at a time (radix-2², the same arithmetic in half the passes over
 * memory).
 */
export function fftRadix2InPlace(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  if (n <= 1) return;
  const p = plans.get(n) ?? radix2Plan(n);
  const b = bases.get(n) ?? baseTwiddles(n);
  fftKernel(re, im, p.rev, b.c, b.s, 1);
}

/**
 * The transform proper, apart from the plan lookup (building a plan for a new size is rare and
 * allocates; kept out of here it never sends the optimised loops back to the interpreter). Each
 * loop nest is its own function for the same reason (see detect-artifacts.ts).
 */
function fftKernel(re: Float64Array, im: Float64Array, rev: Uint32Array, cos: Float64Array, sin: Float64Array, stride: number): void {
  bitReverse(re, im, rev);
  fftStages(re, im, cos, sin, stride);
}

/** The butterfly stages on input already in bit-reversed order. */
function fftStages(re: Float64Array, im: Float64Array, cos: Float64Array, sin: Float64Array, stride: number): void {
  let half: number;
  if ((Math.round(Math.log2(re.length)) & 1) === 1) {
    // Odd number of stages: the span-1 stage alone.
    spanOneStage(re, im);
    half = 2;
  } else {
    firstRadix22Stages(re, im);
    half = 4;
  }
  for (; half < re.length; half *= 4) radix22Stages(re, im, cos, sin, half, (re.length * stride) / (4 * half));
}

/**
 * radix22Stages for half = 1 (spans 1 and 2 on blocks of 4), whose twiddles are 1 and −i: the
 * same sums without the multiplications by 1, 0 and −1 (equal values; at most a zero's sign differs).
 */
function firstRadix22Stages(re: Float64Array, im: Float64Array): void {
  for (let i0 = 0; i0 + 3 < re.length; i0 += 4) {
    const r0 = re[i0]!;
    const j0 = im[i0]!;
    const br = re[i0 + 1]!;
    const bi = im[i0 + 1]!;
    const a0r = r0 + br;
    const a0i = j0 + bi;
    const a1r = r0 - br;
    const a1i = j0 - bi;
    const r2 = re[i0 + 2]!;
    const j2 = im[i0 + 2]!;
    const dr = re[i0 + 3]!;
    const di = im[i0 + 3]!;
    const a2r = r2 + dr;
    const a2i = j2 + di;
    const a3r = r2 - dr;
    const a3i = j2 - di;
    re[i0] = a0r + a2r;
    im[i0] = a0i + a2i;
    re[i0 + 2] = a0r - a2r;
    im[i0 + 2] = a0i - a2i;
    // a3 × (−i) = (a3i, −a3r)
    re[i0 + 1] = a1r + a3i;
    im[i0 + 1] = a1i - a3r;
    re[i0 + 3] = a1r - a3i;
    im[i0 + 3] = a1i + a3r;
  }
}

function bitReverse(re: Float64Array, im: Float64Array, rev: Uint32Array): void {
  for (let i = 1; i < re.length; i++) {
    const j = rev[i]!;
    if (j > i) {
      const tr = re[i]!;
      re[i] = re[j]!;
      re[j] = tr;
      const ti = im[i]!;
      im[i] = im[j]!;
      im[j] = ti;
    }
  }
}

/** Butterflies of span 1 (w = 1). */
function spanOneStage(re: Float64Array, im: Float64Array): void {
  for (let a = 0; a < re.length; a += 2) {
    const b = a + 1;
    const xr = re[b]!;
    const xi = im[b]!;
    re[b] = re[a]! - xr;
    im[b] = im[a]! - xi;
    re[a] = re[a]! + xr;
    im[a] = im[a]! + xi;
  }
}

/**
 * Stages of span h and 2h on blocks of 4h: (i0, i1), (i2, i3) with w_2h^k, then (i0, i2) with
 * w_4h^k and (i1, i3) with w_4h^(k+h). Twiddles come from a base table (cos, sin of 2πj/Nb):
 * w_4h^k is entry k·s with s = Nb/4h, and w_2h^k entry 2k·s.
 */
function radix22Stages(re: Float64Array, im: Float64Array, cos: Float64Array, sin: Float64Array, half: number, s: number): void {
  const n = re.length;
  for (let start = 0; start < n; start += 4 * half) {
    for (let k = 0; k < half; k++) {
      const i0 = start + k;
      const i1 = i0 + half;
      const i2 = i1 + half;
      const i3 = i2 + half;
      const w1r = cos[2 * k * s]!;
      const w1i = sin[2 * k * s]!;
      let br = re[i1]!;
      let bi = im[i1]!;
      let xr = br * w1r - bi * w1i;
      let xi = br * w1i + bi * w1r;
      const r0 = re[i0]!;
      const j0 = im[i0]!;
      const a0r = r0 + xr;
      const a0i = j0 + xi;
      const a1r = r0 - xr;
      const a1i = j0 - xi;
      br = re[i3]!;
      bi = im[i3]!;
      xr = br * w1r - bi * w1i;
      xi = br * w1i + bi * w1r;
      const r2 = re[i2]!;
      const j2 = im[i2]!;
      const a2r = r2 + xr;
      const a2i = j2 + xi;
      const a3r = r2 - xr;
      const a3i = j2 - xi;
      const w2r = cos[k * s]!;
      const w2i = sin[k * s]!;
      xr = a2r * w2r - a2i * w2i;
      xi = a2r * w2i + a2i * w2r;
      re[i0] = a0r + xr;
      im[i0] = a0i + xi;
      re[i2] = a0r - xr;
      im[i2] = a0i - xi;
      const w3r = cos[(k + half) * s]!;
      const w3i = sin[(k + half) * s]!;
      xr = a3r * w3r - a3i * w3i;
      xi = a3r * w3i + a3i * w3r;
      re[i1] = a1r + xr;
      im[i1] = a1i + xi;
      re[i3] = a1r - xr;
      im[i3] = a1i - xi;
    }
  }
}

/** Reusable scratch buffers per size (transforms here are synchronous, so one set suffices). */
const scratch = new Map<number, { re: Float64Array; im: Float64Array }>();
const MAX_CACHED_SIZES = 48;

function scratchFor(n: number): { re: Float64Array; im: Float64Array } {
  let s = scratch.get(n);
  if (!s) {
    if (scratch.size >= MAX_CACHED_SIZES) scratch.clear();
    s = { re: new Float64Array(n), im: new Float64Array(n) };
    if (n <= MAX_CACHED_POINTS) scratch.set(n, s);
  }
  return s;
}

/**
 * z_j = v_2j + i·v_2j+1 for the segment vᵢ = (x[start + i] − mean)·wᵢ, i < l (w null: no window),
 * zero beyond (the zero padding), stored at the bit-reversed position rev[j]: the transform's
 * input permutation done while packing (for 2^18 points the separate swap pass, all cache misses,
 * cost as much as the butterflies).
 */
function packSegmentPermuted(
  x: ArrayLike<number>,
  start: number,
  l: number,
  mean: number,
  w: Float64Array | null,
  rev: Uint32Array,
  re: Float64Array,
  im: Float64Array,
): void {
  re.fill(0);
  im.fill(0);
  const pairs = Math.min(l >> 1, re.length);
  if (w === null) {
    for (let j = 0; j < pairs; j++) {
      const r = rev[j]!;
      re[r] = (x[start + 2 * j] as number) - mean;
      im[r] = (x[start + 2 * j + 1] as number) - mean;
    }
  } else {
    for (let j = 0; j < pairs; j++) {
      const r = rev[j]!;
      re[r] = ((x[start + 2 * j] as number) - mean) * w[2 * j]!;
      im[r] = ((x[start + 2 * j + 1] as number) - mean) * w[2 * j + 1]!;
    }
  }
  const j = pairs;
  if (j < re.length && 2 * j < l) {
    const v = (x[start + 2 * j] as number) - mean;
    re[rev[j]!] = w === null ? v : v * w[2 * j]!;
  }
}

/** From Z = FFT_m(z) (m = n/2) to |X_k|², k = 0 … m, of the length-n real sequence (see the header). */
function unpackRealPower(re: Float64Array, im: Float64Array, cos: Float64Array, sin: Float64Array, out: Float64Array, add: boolean): void {
  const m = re.length;
  for (let k = 0; k <= m; k++) {
    const kk = k === m ? 0 : k;
    const kc = k === 0 ? 0 : m - k;
    const a = re[kk]!;
    const b = im[kk]!;
    const c = re[kc]!;
    const d = im[kc]!;
    const er = (a + c) / 2;
    const ei = (b - d) / 2;
    const or = (b + d) / 2;
    const oi = (c - a) / 2;
    const wr = k === m ? -1 : cos[k]!;
    const wi = k === m ? 0 : sin[k]!;
    const xr = er + wr * or - wi * oi;
    const xi = ei + wr * oi + wi * or;
    const p = xr * xr + xi * xi;
    out[k] = add ? out[k]! + p : p;
  }
}

/**
 * |X_k|², k = 0 … n/2, of the real segment vᵢ = (x[start + i] − mean)·wᵢ, i < l ≤ n, zero-padded
 * to n (a power of two ≥ 2; w null: no window), written to `out` (length ≥ n/2 + 1), or added to
 * it when `add` is true. One complex FFT of size n/2.
 */
export function realSegmentPowerSpectrum(
  x: ArrayLike<number>,
  start: number,
  l: number,
  mean: number,
  w: Float64Array | null,
  n: number,
  out: Float64Array,
  add: boolean,
): void {
  if (n < 4) {
    // Tiny: the complex transform directly.
    const { re, im } = scratchFor(n);
    for (let i = 0; i < n; i++) {
      const v = i < l ? (x[start + i] as number) - mean : 0;
      re[i] = w === null || i >= l ? v : v * w[i]!;
      im[i] = 0;
    }
    fftRadix2InPlace(re, im);
    for (let k = 0; k <= n / 2; k++) {
      const p = re[k]! * re[k]! + im[k]! * im[k]!;
      out[k] = add ? out[k]! + p : p;
    }
    return;
  }
  const m = n / 2;
  const { re, im } = scratchFor(m);
  packSegmentPermuted(x, start, l, mean, w, (plans.get(m) ?? radix2Plan(m)).rev, re, im);
  // The half-size transform reads every other entry of the size-n table (no table of its own).
  const { c, s } = bases.get(n) ?? baseTwiddles(n);
  fftStages(re, im, c, s, 2);
  unpackRealPower(re, im, c, s, out, add);
}

/** Mean of x[start … start + l − 1] (summed in order). */
export function segmentMean(x: ArrayLike<number>, start: number, l: number): number {
  let mean = 0;
  for (let i = 0; i < l; i++) mean += x[start + i] as number;
  return mean / l;
}

/**
 * re[rev[i]] = (x[startA + i] − meanA)·wᵢ and im[rev[i]] = (x[startB + i] − meanB)·wᵢ for i < l,
 * zero elsewhere: two windowed segments as one complex sequence, already in the transform's
 * bit-reversed input order.
 */
function packPairPermuted(
  x: ArrayLike<number>,
  startA: number,
  startB: number,
  l: number,
  w: Float64Array,
  rev: Uint32Array,
  re: Float64Array,
  im: Float64Array,
): void {
  if (l < re.length) {
    re.fill(0);
    im.fill(0);
  }
  const meanA = segmentMean(x, startA, l);
  const meanB = segmentMean(x, startB, l);
  for (let i = 0; i < l; i++) {
    const r = rev[i]!;
    re[r] = ((x[startA + i] as number) - meanA) * w[i]!;
    im[r] = ((x[startB + i] as number) - meanB) * w[i]!;
  }
}

/** acc[k] += (|Z_k|² + |Z_n−k|²)/2 = |A_k|² + |B_k|², k = 0 … n/2. */
function addPairPower(re: Float64Array, im: Float64Array, acc: Float64Array): void {
  const n = re.length;
  acc[0] = acc[0]! + re[0]! * re[0]! + im[0]! * im[0]!;
  for (let k = 1; k <= n / 2; k++) {
    const c = n - k;
    acc[k] = acc[k]! + (re[k]! * re[k]! + im[k]! * im[k]! + re[c]! * re[c]! + im[c]! * im[c]!) / 2;
  }
}

/**
 * Adds |A_k|² + |B_k|², k = 0 … n/2, of two windowed, mean-removed segments
 * a = (x[startA + i] − mean)·wᵢ and b = (x[startB + i] − mean)·wᵢ, i < l ≤ n, each zero-padded to
 * n (a power of two ≥ 2), to `acc`, with one complex FFT of a + i·b.
 */
export function addSegmentPairPowerSpectrum(x: ArrayLike<number>, startA: number, startB: number, l: number, w: Float64Array, n: number, acc: Float64Array): void {
  const { re, im } = scratchFor(n);
  const { c, s } = bases.get(n) ?? baseTwiddles(n);
  packPairPermuted(x, startA, startB, l, w, (plans.get(n) ?? radix2Plan(n)).rev, re, im);
  fftStages(re, im, c, s, 1);
  addPairPower(re, im, acc);
}

/**
 * The Welch accumulation for a power-of-two nfft: acc[k] += |X_k|² summed over `segments`
 * Hann-windowed (w), mean-removed segments of length l starting every `step` samples of x, two
 * segments per complex transform and an odd last one through a half-size real transform.
 */
export function accumulateWelchPow2(x: ArrayLike<number>, l: number, step: number, segments: number, w: Float64Array, nfft: number, acc: Float64Array): void {
  let s = 0;
  for (; s + 1 < segments; s += 2) addSegmentPairPowerSpectrum(x, s * step, (s + 1) * step, l, w, nfft, acc);
  if (s < segments) {
    const start = s * step;
    realSegmentPowerSpectrum(x, start, l, segmentMean(x, start, l), w, nfft, acc, true);
  }
}

/** The tables a power-of-two transform of size n uses (for kernels that run elsewhere, e.g. WebAssembly). */
export function fftTables(n: number): { rev: Uint32Array; cos: Float64Array; sin: Float64Array } {
  const { c, s } = baseTwiddles(n);
  return { rev: radix2Plan(n).rev, cos: c, sin: s };
}

interface BluesteinPlan {
  readonly m: number;
  readonly wr: Float64Array;
  readonly wi: Float64Array;
  /** FFT of the chirp filter, length m. */
  readonly fr: Float64Array;
  readonly fi: Float64Array;
}

const bluesteinPlans = new Map<number, BluesteinPlan>();

function bluesteinPlan(n: number): BluesteinPlan {
  let p = bluesteinPlans.get(n);
  if (p) return p;
  let m = 1;
  while (m < 2 * n - 1) m *= 2;
  const wr = new Float64Array(n);
  const wi = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    // k² mod 2n keeps the angle accurate for large k.
    const a = (Math.PI * ((k * k) % (2 * n))) / n;
    wr[k] = Math.cos(a);
    wi[k] = Math.sin(a);
  }
  const fr = new Float64Array(m);
  const fi = new Float64Array(m);
  fr[0] = wr[0]!;
  fi[0] = wi[0]!;
  for (let k = 1; k < n; k++) {
    fr[k] = fr[m - k] = wr[k]!;
    fi[k] = fi[m - k] = wi[k]!;
  }
  fftRadix2InPlace(fr, fi);
  p = { m, wr, wi, fr, fi };
  // The live spectrum grows through many short lengths before its window fills: bound the cache.
  if (bluesteinPlans.size >= MAX_CACHED_SIZES) bluesteinPlans.clear();
  if (m <= MAX_CACHED_POINTS) bluesteinPlans.set(n, p);
  return p;
}

/** Forward DFT of a real sequence of any length; returns |X_k|² for k = 0 … ⌊N/2⌋. */
export function computePowerSpectrum(x: ArrayLike<number>): Float64Array {
  const n = x.length;
  const out = new Float64Array(Math.floor(n / 2) + 1);
  if (n === 0) return out;
  if ((n & (n - 1)) === 0) {
    if (n === 1) {
      out[0] = (x[0] as number) ** 2;
      return out;
    }
    realSegmentPowerSpectrum(x, 0, n, 0, null, n, out, false);
    return out;
  }
  const { m, wr, wi, fr, fi } = bluesteinPlan(n);
  const { re: ar, im: ai } = scratchFor(m);
  for (let k = 0; k < n; k++) {
    const v = x[k] as number;
    ar[k] = v * wr[k]!; // x · conj(w): (v)(wr − i·wi)
    ai[k] = -v * wi[k]!;
  }
  ar.fill(0, n);
  ai.fill(0, n);
  fftRadix2InPlace(ar, ai);
  for (let k = 0; k < m; k++) {
    const r = ar[k]! * fr[k]! - ai[k]! * fi[k]!;
    const i = ar[k]! * fi[k]! + ai[k]! * fr[k]!;
    ar[k] = r;
    ai[k] = -i; // conjugate, forward FFT, conjugate = inverse (× m)
  }
  fftRadix2InPlace(ar, ai);
  for (let k = 0; k < out.length; k++) {
    // ar − i·ai is m·(conv); |X_k| = |conv_k| (the outer chirp has modulus 1).
    const r = ar[k]! / m;
    const i = -ai[k]! / m;
    out[k] = r * r + i * i;
  }
  return out;
}
