import { describe, expect, it } from 'vitest';
import {
  addSegmentPairPowerSpectrum,
  computePowerSpectrum,
  fftRadix2InPlace,
  realSegmentPowerSpectrum,
} from '../../../shared/hrv/compute-fft';
import { createRng } from '../../../shared/sim/prng';

/** Plain O(N²) DFT of a complex sequence. */
function naiveDft(re: number[], im: number[]): { re: number[]; im: number[] } {
  const n = re.length;
  const outRe: number[] = [];
  const outIm: number[] = [];
  for (let k = 0; k < n; k++) {
    let r = 0;
    let i = 0;
    for (let j = 0; j < n; j++) {
      const a = (-2 * Math.PI * ((k * j) % n)) / n;
      r += re[j]! * Math.cos(a) - im[j]! * Math.sin(a);
      i += re[j]! * Math.sin(a) + im[j]! * Math.cos(a);
    }
    outRe.push(r);
    outIm.push(i);
  }
  return { re: outRe, im: outIm };
}

/** |X_k|², k = 0 … n/2, of v zero-padded to n, by the plain DFT. */
function naivePower(v: number[], n: number): number[] {
  const x = [...v, ...new Array<number>(n - v.length).fill(0)];
  const { re, im } = naiveDft(x, new Array<number>(n).fill(0));
  return re.slice(0, n / 2 + 1).map((r, k) => r * r + im[k]! * im[k]!);
}

function expectClose(got: ArrayLike<number>, want: number[], rel = 1e-10): void {
  expect(got.length).toBeGreaterThanOrEqual(want.length);
  const scale = Math.max(...want.map(Math.abs), 1e-300);
  want.forEach((w, k) => expect(Math.abs((got[k] as number) - w) / scale).toBeLessThan(rel));
}

const gaussian = (seed: number, n: number): number[] => {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => rng.gaussian());
};

describe('fftRadix2InPlace', () => {
  // Odd and even numbers of stages take different first steps (span-1 stage alone, or paired).
  it.each([1, 2, 4, 8, 32, 128, 512])('equals a plain complex DFT for N = %i', (n) => {
    const xr = gaussian(n, n);
    const xi = gaussian(n + 1, n);
    const re = Float64Array.from(xr);
    const im = Float64Array.from(xi);
    fftRadix2InPlace(re, im);
    const want = naiveDft(xr, xi);
    expectClose(re, want.re);
    expectClose(im, want.im);
  });
});

describe('computePowerSpectrum (real input, half-size transform)', () => {
  it.each([2, 4, 16, 256, 1024])('equals a plain DFT for N = %i', (n) => {
    const x = gaussian(100 + n, n);
    expectClose(computePowerSpectrum(x), naivePower(x, n));
  });
});

describe('realSegmentPowerSpectrum', () => {
  it('windows, removes the mean and zero-pads a segment inside a longer series, and adds when asked', () => {
    const x = gaussian(7, 400).map((v) => 800 + 30 * v);
    const start = 37;
    const l = 151; // odd: the last sample has no partner in the packed complex sequence
    const n = 512;
    const w = Float64Array.from({ length: l }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / l));
    const mean = x.slice(start, start + l).reduce((s, v) => s + v, 0) / l;
    const seg = Array.from({ length: l }, (_, i) => (x[start + i]! - mean) * w[i]!);
    const want = naivePower(seg, n);
    const out = new Float64Array(n / 2 + 1);
    realSegmentPowerSpectrum(x, start, l, mean, w, n, out, false);
    expectClose(out, want);
    realSegmentPowerSpectrum(x, start, l, mean, w, n, out, true);
    expectClose(out, want.map((v) => 2 * v));
  });
});

describe('addSegmentPairPowerSpectrum', () => {
  it('adds |A|² + |B|² of two windowed, mean-removed segments from one complex transform', () => {
    const x = gaussian(9, 700).map((v) => 900 + 50 * v);
    const l = 200;
    const n = 256;
    const w = Float64Array.from({ length: l }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / l));
    const segment = (start: number): number[] => {
      const mean = x.slice(start, start + l).reduce((s, v) => s + v, 0) / l;
      return Array.from({ length: l }, (_, i) => (x[start + i]! - mean) * w[i]!);
    };
    const a = naivePower(segment(10), n);
    const b = naivePower(segment(333), n);
    const acc = new Float64Array(n / 2 + 1).fill(1);
    addSegmentPairPowerSpectrum(x, 10, 333, l, w, n, acc);
    expectClose(acc, a.map((v, k) => 1 + v + b[k]!));
  });
});
