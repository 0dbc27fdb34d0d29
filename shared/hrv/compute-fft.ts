/**
 * Discrete Fourier transform for the spectra of this folder: an iterative radix-2
 * Cooley–Tukey FFT (Cooley & Tukey 1965, Math Comput 19:297–301) for power-of-two sizes and
 * Bluestein's chirp-z algorithm (Bluestein 1970, IEEE Trans Audio Electroacoust 18(4):451–455)
 * for any other size: X_k = conj(w_k) · Σ (x_n·conj(w_n)) · w_(k−n), w_n = exp(iπn²/N), the
 * convolution done with radix-2 FFTs of size ≥ 2N − 1. Sizes here are ≤ a few thousand
 * (256 s × 4 Hz = 1024; a "whole series if shorter" segment is any N < 1024), so our own ~100
 * lines beat a dependency; twiddles are cached per size, so repeated Welch segments allocate
 * nothing new per call except the output.
 */

interface Radix2Plan {
  readonly n: number;
  readonly cos: Float64Array;
  readonly sin: Float64Array;
  readonly rev: Uint32Array;
}

const plans = new Map<number, Radix2Plan>();

function radix2Plan(n: number): Radix2Plan {
  let p = plans.get(n);
  if (p) return p;
  const cos = new Float64Array(n / 2);
  const sin = new Float64Array(n / 2);
  for (let i = 0; i < n / 2; i++) {
    cos[i] = Math.cos((2 * Math.PI * i) / n);
    sin[i] = -Math.sin((2 * Math.PI * i) / n);
  }
  const rev = new Uint32Array(n);
  const bits = Math.round(Math.log2(n));
  for (let i = 0; i < n; i++) {
    let r = 0;
    for (let b = 0; b < bits; b++) r |= ((i >>> b) & 1) << (bits - 1 - b);
    rev[i] = r >>> 0;
  }
  p = { n, cos, sin, rev };
  plans.set(n, p);
  return p;
}

/** In-place forward FFT (e^{−2πikn/N}) of a power-of-two length complex array. */
export function fftRadix2InPlace(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  if (n <= 1) return;
  const { cos, sin, rev } = radix2Plan(n);
  for (let i = 0; i < n; i++) {
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
  for (let size = 2; size <= n; size *= 2) {
    const half = size / 2;
    const step = n / size;
    for (let start = 0; start < n; start += size) {
      for (let k = 0; k < half; k++) {
        const wr = cos[k * step]!;
        const wi = sin[k * step]!;
        const a = start + k;
        const b = a + half;
        const xr = re[b]! * wr - im[b]! * wi;
        const xi = re[b]! * wi + im[b]! * wr;
        re[b] = re[a]! - xr;
        im[b] = im[a]! - xi;
        re[a] = re[a]! + xr;
        im[a] = im[a]! + xi;
      }
    }
  }
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
  bluesteinPlans.set(n, p);
  return p;
}

/** Forward DFT of a real sequence of any length; returns |X_k|² for k = 0 … ⌊N/2⌋. */
export function computePowerSpectrum(x: ArrayLike<number>): Float64Array {
  const n = x.length;
  const out = new Float64Array(Math.floor(n / 2) + 1);
  if (n === 0) return out;
  if ((n & (n - 1)) === 0) {
    const re = Float64Array.from(x);
    const im = new Float64Array(n);
    fftRadix2InPlace(re, im);
    for (let k = 0; k < out.length; k++) out[k] = re[k]! * re[k]! + im[k]! * im[k]!;
    return out;
  }
  const { m, wr, wi, fr, fi } = bluesteinPlan(n);
  const ar = new Float64Array(m);
  const ai = new Float64Array(m);
  for (let k = 0; k < n; k++) {
    const v = x[k] as number;
    ar[k] = v * wr[k]!; // x · conj(w): (v)(wr − i·wi)
    ai[k] = -v * wi[k]!;
  }
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
