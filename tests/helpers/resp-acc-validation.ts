/**
 * Validation of accelerometer breathing (shared/signal/accelerometer-breathing.ts) on chest
 * accelerometer signals BUILT from real respiration-belt recordings (../shared/datasets/resp,
 * NeuroKit2 resting data, 100 Hz). This is not a validation on real Polar H10 data: the
 * accelerometer signal is a model (below), and the reference breaths come from the belt.
 *
 * Accelerometer model (per sample, sensor frame, mG), seeded:
 *   acc = P(t) · ( B(t) · g0 + n · TRANSLATION_MG · z(t) ) + cardiac + noise
 *   g0 = [0, −1000, 0] (upright), z(t) = the belt signal, mean-removed over 10 s and scaled to
 *   unit SD; B(t) = rotation about the sensor x axis by TILT_DEG_PER_SD · z(t) (the chest tilting
 *   as it expands); n = [0, 0, 1] (out of the chest); P(t) = posture: a slow 6° lean over the
 *   first minute and two 30° turns over 2 s at 35 % and 70 % of the recording; cardiac: a 1.15 Hz
 *   sinusoid of CARDIAC_MG on z; noise: Gaussian NOISE_MG per axis. Decimated to 50 Hz.
 *
 * Reference breaths from the belt, offline (zero-phase): 2nd-order Butterworth low-pass 0.7 Hz
 * forward and backward, minus a centred 10 s moving mean; inhale onsets = minima between a
 * falling and the next rising crossing of zero (Khodadad et al. 2018); breaths whose peak-to-
 * trough is under 25 % of the median are merged into their neighbour.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createRng } from '../../shared/sim/prng';
import { AccelerometerBreathing, type Breath } from '../../shared/signal/accelerometer-breathing';

export const RESP_DIR = resolve(process.cwd(), '../shared/datasets/resp');
export const RESP_FILES = ['nk_rest5_resp.csv', 'nk_rest8_resp.csv'] as const;
export const HAVE_RESP = RESP_FILES.every((f) => existsSync(resolve(RESP_DIR, f)));
export const RESP_MISSING = `the respiration recordings are missing (${RESP_DIR}/{${RESP_FILES.join(',')}})`;

const TILT_DEG_PER_SD = 0.8;
const TRANSLATION_MG = 6;
const CARDIAC_MG = 4;
const NOISE_MG = 4;
const FS_HZ = 50;

export function readBelt(file: string): { fsHz: number; rsp: number[] } {
  const lines = readFileSync(resolve(RESP_DIR, file), 'utf8').trim().split('\n').slice(1);
  return { fsHz: 100, rsp: lines.map((l) => Number(l.split(',')[2])) };
}

function movingMean(x: readonly number[], half: number): number[] {
  const pre = [0];
  for (const v of x) pre.push((pre[pre.length - 1] ?? 0) + v);
  return x.map((_, i) => {
    const a = Math.max(0, i - half);
    const b = Math.min(x.length, i + half + 1);
    return ((pre[b] ?? 0) - (pre[a] ?? 0)) / (b - a);
  });
}

function lowpass(x: readonly number[], fc: number, fs: number): number[] {
  const w = (2 * Math.PI * fc) / fs;
  const alpha = Math.sin(w) / (2 * Math.SQRT1_2);
  const cos = Math.cos(w);
  const a0 = 1 + alpha;
  const [b0, b1, b2, a1, a2] = [(1 - cos) / 2 / a0, (1 - cos) / a0, (1 - cos) / 2 / a0, (-2 * cos) / a0, (1 - alpha) / a0];
  const run = (v: readonly number[]): number[] => {
    const y: number[] = [];
    let [x1, x2, y1, y2] = [v[0] ?? 0, v[0] ?? 0, v[0] ?? 0, v[0] ?? 0];
    for (const s of v) {
      const o = b0 * s + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
      [x2, x1, y2, y1] = [x1, s, y1, o];
      y.push(o);
    }
    return y;
  };
  return run(run(x).reverse()).reverse();
}

/** Inhale onsets of the belt, ms (see the file header). */
export function referenceOnsetsMs(rsp: readonly number[], fsHz: number): number[] {
  const lp = lowpass(rsp, 0.7, fsHz);
  const mm = movingMean(lp, Math.round(5 * fsHz));
  const x = lp.map((v, i) => v - (mm[i] ?? 0));
  const troughs: { i: number; v: number }[] = [];
  const peaks: { i: number; v: number }[] = [];
  let lastDown = -1;
  let lastUp = -1;
  for (let i = 1; i < x.length; i++) {
    const a = x[i - 1] ?? 0;
    const b = x[i] ?? 0;
    if (a >= 0 && b < 0) {
      if (lastUp >= 0) {
        let best = lastUp;
        for (let k = lastUp; k < i; k++) if ((x[k] ?? 0) > (x[best] ?? 0)) best = k;
        peaks.push({ i: best, v: x[best] ?? 0 });
      }
      lastDown = i;
    } else if (a < 0 && b >= 0 && lastDown >= 0) {
      let best = lastDown;
      for (let k = lastDown; k < i; k++) if ((x[k] ?? 0) < (x[best] ?? 0)) best = k;
      troughs.push({ i: best, v: x[best] ?? 0 });
      lastUp = i;
    }
  }
  // Amplitude rejection: a trough whose following peak rises less than 25 % of the median is merged.
  const amps = troughs.map((t) => (peaks.find((p) => p.i > t.i)?.v ?? t.v) - t.v);
  const med = [...amps].sort((p, q) => p - q)[Math.floor(amps.length / 2)] ?? 0;
  return troughs.filter((_, k) => (amps[k] ?? 0) >= 0.25 * med).map((t) => (t.i * 1000) / fsHz);
}

const rotate = (v: readonly number[], axis: readonly number[], deg: number): [number, number, number] => {
  const th = (deg * Math.PI) / 180;
  const [kx, ky, kz] = axis as [number, number, number];
  const [x, y, z] = v as [number, number, number];
  const c = Math.cos(th);
  const s = Math.sin(th);
  const dot = kx * x + ky * y + kz * z;
  return [x * c + (ky * z - kz * y) * s + kx * dot * (1 - c), y * c + (kz * x - kx * z) * s + ky * dot * (1 - c), z * c + (kx * y - ky * x) * s + kz * dot * (1 - c)];
};

/** The modelled accelerometer signal at 50 Hz (see the file header). */
export function buildAccSignal(rsp: readonly number[], fsHz: number, seed: number): { tMs: number[]; acc: [number, number, number][] } {
  const rng = createRng(seed);
  const dec = Math.round(fsHz / FS_HZ);
  const belt: number[] = [];
  for (let i = 0; i + dec <= rsp.length; i += dec) belt.push(rsp.slice(i, i + dec).reduce((a, b) => a + b, 0) / dec);
  const mm = movingMean(belt, 5 * FS_HZ);
  const centred = belt.map((v, i) => v - (mm[i] ?? 0));
  const sd = Math.sqrt(centred.reduce((a, b) => a + b * b, 0) / centred.length) || 1;
  const n = belt.length;
  const tMs: number[] = [];
  const acc: [number, number, number][] = [];
  const turn = (i: number, at: number, deg: number): number => deg * Math.min(1, Math.max(0, (i - at) / (2 * FS_HZ)));
  for (let i = 0; i < n; i++) {
    const z = (centred[i] ?? 0) / sd;
    let v = rotate([0, -1000, 0], [1, 0, 0], TILT_DEG_PER_SD * z);
    v = [v[0], v[1], v[2] + TRANSLATION_MG * z];
    // Posture: slow lean over the first minute, then two turns.
    v = rotate(v, [1, 0, 0], 6 * Math.min(1, i / (60 * FS_HZ)));
    v = rotate(v, [0, 0, 1], turn(i, Math.round(0.35 * n), 30));
    v = rotate(v, [0, 1, 0], turn(i, Math.round(0.7 * n), 30));
    const t = i / FS_HZ;
    v = [v[0] + NOISE_MG * rng.gaussian(), v[1] + NOISE_MG * rng.gaussian(), v[2] + CARDIAC_MG * Math.sin(2 * Math.PI * 1.15 * t) + NOISE_MG * rng.gaussian()];
    tMs.push(t * 1000);
    acc.push(v);
  }
  return { tMs, acc };
}

export interface RespValidation {
  readonly file: string;
  readonly referenceBreaths: number;
  readonly detected: number;
  readonly matched: number;
  readonly sensitivity: number;
  readonly ppv: number;
  /** |rate_acc − rate_belt| per matched consecutive pair, breaths/min. */
  readonly rateErrorMedian: number;
  readonly rateErrorMean: number;
  /** 60 s windows: |breaths counted by acc − by belt| per minute. */
  readonly windowRateErrorMean: number;
  readonly onsetErrorMedianMs: number;
  readonly delayMaxMs: number;
  readonly postureChanges: number;
  readonly breaths: readonly Breath[];
}

/**
 * Runs the detector causally over the modelled signal and matches its inhale onsets with the
 * belt's: a detection matches the nearest unmatched reference onset within
 * max(1000 ms, 25 % of that reference breath). Onsets during the first 10 s and within 10 s after
 * a posture turn are excluded from both sides (settling).
 */
export function validateFile(file: string, seed = 7): RespValidation {
  const { fsHz, rsp } = readBelt(file);
  const ref = referenceOnsetsMs(rsp, fsHz);
  const { tMs, acc } = buildAccSignal(rsp, fsHz, seed);
  const det = new AccelerometerBreathing({ sampleRateHz: FS_HZ });
  const breaths: Breath[] = [];
  for (let i = 0; i < tMs.length; i++) {
    const a = acc[i] ?? [0, 0, 0];
    breaths.push(...det.next({ tMs: tMs[i] ?? 0, xMg: a[0], yMg: a[1], zMg: a[2] }));
  }
  const endMs = tMs[tMs.length - 1] ?? 0;
  const turns = [0.35, 0.7].map((f) => f * endMs);
  // The last reference onset ends no detected breath (a breath is reported at the next onset).
  const lastDetectable = endMs - 15_000;
  const excluded = (t: number): boolean => t < 10_000 || t > lastDetectable || turns.some((s) => t >= s - 1000 && t < s + 2000 + 10_000);
  const refKept = ref.filter((t) => !excluded(t));
  const onsets = breaths.map((b) => b.onsetTMs).filter((t) => !excluded(t));
  const used = new Set<number>();
  const pairs: [number, number][] = [];
  for (const t of onsets) {
    let best = -1;
    for (let k = 0; k < refKept.length; k++) {
      if (used.has(k)) continue;
      const r = refKept[k] ?? 0;
      const next = refKept[k + 1] ?? r + 5000;
      const tol = Math.max(1000, 0.25 * (next - r));
      if (Math.abs(r - t) <= tol && (best < 0 || Math.abs(r - t) < Math.abs((refKept[best] ?? 0) - t))) best = k;
    }
    if (best >= 0) {
      used.add(best);
      pairs.push([t, refKept[best] ?? 0]);
    }
  }
  const rateErr: number[] = [];
  for (let k = 1; k < pairs.length; k++) {
    const [ta, ra] = pairs[k - 1] ?? [0, 0];
    const [tb, rb] = pairs[k] ?? [0, 0];
    if (rb - ra > 20_000) continue;
    rateErr.push(Math.abs(60_000 / (tb - ta) - 60_000 / (rb - ra)));
  }
  const winErr: number[] = [];
  for (let w = 10_000; w + 60_000 <= lastDetectable; w += 60_000) {
    if (turns.some((s) => s + 12_000 > w && s - 1000 < w + 60_000)) continue;
    const count = (xs: readonly number[]): number => xs.filter((t) => t >= w && t < w + 60_000).length;
    winErr.push(Math.abs(count(onsets) - count(refKept)));
  }
  const sortedErr = [...rateErr].sort((a, b) => a - b);
  const onsetErr = pairs.map(([t, r]) => Math.abs(t - r)).sort((a, b) => a - b);
  return {
    file,
    referenceBreaths: refKept.length,
    detected: onsets.length,
    matched: pairs.length,
    sensitivity: pairs.length / Math.max(1, refKept.length),
    ppv: pairs.length / Math.max(1, onsets.length),
    rateErrorMedian: sortedErr[Math.floor(sortedErr.length / 2)] ?? Number.NaN,
    rateErrorMean: rateErr.reduce((a, b) => a + b, 0) / Math.max(1, rateErr.length),
    windowRateErrorMean: winErr.reduce((a, b) => a + b, 0) / Math.max(1, winErr.length),
    onsetErrorMedianMs: onsetErr[Math.floor(onsetErr.length / 2)] ?? Number.NaN,
    delayMaxMs: Math.max(0, ...breaths.map((b) => b.delayMs)),
    postureChanges: det.postureChanges,
    breaths,
  };
}
