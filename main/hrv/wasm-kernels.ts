/**
 * The WebAssembly build of the HRV kernels (main/hrv/assembly/index.ts, compiled by
 * scripts/build-node.mjs to dist/wasm/hrv-kernels.wasm) behind shared/hrv/kernels.ts' interface.
 * Arrays are copied into the module's linear memory, the kernel runs, results are copied out into
 * fresh Float64Arrays: no call shares memory with the caller, and memory only grows (to the
 * largest record analysed). Inputs a kernel does not cover (tiny series, more than two quantiles,
 * invalid arguments, files in an uncommon form) are declined (null), so the JavaScript version
 * runs, and raises its errors.
 * Synchronous compilation: meant for Node (the CLI); a browser's main thread limits it.
 */
import type { HrvKernels } from '../../shared/hrv/kernels';
import { fftTables } from '../../shared/hrv/compute-fft';
import { tachogramSamples } from '../../shared/hrv/resample-tachogram';
import { ARTIFACT_CODES, CONFIRM_MRR_NORMALISED, CONFIRM_RELATIVE_DEVIATION, type ArtifactType } from '../../shared/hrv/detect-artifacts';
import type { BeatLabel } from '../../shared/hrv/correct-artifacts';

interface KernelExports {
  readonly memory: { readonly buffer: ArrayBuffer; grow(pages: number): number };
  heapBase(): number;
  correctArtifacts(rr: number, n: number, types: number, med: number, th2: number, nn: number, src: number, flagged: number, res: number): void;
  timeDomainRawSums(x: number, from: number, to: number, thresholdMs: number, roundPerMs: number, acc: number): void;
  timeDomainDeviationSums(x: number, from: number, to: number, mean: number, meanD: number, acc: number): void;
  scanPlainRr(t: number, len: number, secondsBelow: number, minMs: number, maxMs: number, values: number, state: number, stopPos: number): number;
  beatTimesS(nn: number, n: number, t: number): void;
  countPremature(rr: number, n: number, ratio: number): number;
  detectSum(rr: number, from: number, to: number, acc: number): void;
  detectDiffs(rr: number, drr: number, abs: number, from: number, to: number, acc: number): void;
  detectDivide(x: number, th: number, from: number, to: number): void;
  rollingQuartileThreshold(v: number, n: number, w: number, alpha: number, out: number, s: number): void;
  detectMedianDeviation(rr: number, med: number, mrr: number, abs: number, from: number, to: number): void;
  detectDecide(
    types: number, rr: number, med: number, mrr: number, drr: number, th2: number, n: number,
    c1: number, c2: number, confirm: number, confirmMrr: number, confirmRel: number, from: number, stop: number,
  ): number;
  rollingQuantiles(v: number, n: number, w: number, nq: number, qa: number, qb: number, oa: number, ob: number, s: number): void;
  splineSpacings(x: number, y: number, h: number, d: number, from: number, to: number): number;
  splineRows(h: number, d: number, b: number, r: number, from: number, to: number): void;
  splineEndRows(h: number, b: number, n: number): void;
  splineEliminate(h: number, b: number, r: number, m: number, from: number, to: number): void;
  splineBack(h: number, b: number, r: number, mm: number, m: number, from: number, to: number): void;
  splineEnds(h: number, mm: number, n: number): void;
  splineEvaluate(x: number, y: number, n: number, h: number, m: number, rateHz: number, out: number, seg: number, from: number, to: number): number;
  nnPeakToTroughRange(x: number, count: number, cycleSamples: number, fromStart: number, toStart: number, res: number): void;
  welchPow2(x: number, l: number, step: number, segments: number, w: number, n: number, rev: number, revHalf: number, cos: number, sin: number, re: number, im: number, acc: number): void;
}

// The part of the WebAssembly JS API used here (lib.dom has it; this project's Node types do not).
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { readonly exports: unknown };
};

const PAGE_BYTES = 65536;
/** Grid points per splineEvaluate call (see main/hrv/assembly/index.ts, CHUNK). */
const CHUNK = 32768;
/** Elements per call of the kernels' other long loops (the same reason). */
const LOOP_CHUNK = 8192;
/** Bytes of a plain RR file per scanPlainRr call (the same reason). */
const SCAN_CHUNK_BYTES = 65536;
const encoder = new TextEncoder();

/** Lays arrays out one after another from the heap base (8-byte aligned), growing memory to fit. */
class Arena {
  private end: number;
  constructor(
    private readonly ex: KernelExports,
    private readonly base: number,
  ) {
    this.end = base;
  }
  reset(): void {
    this.end = this.base;
  }
  /** Address of `bytes` fresh bytes (contents undefined). */
  take(bytes: number): number {
    const at = this.end;
    this.end = at + Math.ceil(bytes / 8) * 8;
    const have = this.ex.memory.buffer.byteLength;
    if (this.end > have) this.ex.memory.grow(Math.ceil((this.end - have) / PAGE_BYTES));
    return at;
  }
  f64(at: number, n: number): Float64Array {
    return new Float64Array(this.ex.memory.buffer, at, n);
  }
  /** Copy `values` in; returns the address. */
  putF64(values: ArrayLike<number>): number {
    const at = this.take(values.length * 8);
    this.f64(at, values.length).set(values);
    return at;
  }
  putU32(values: Uint32Array): number {
    const at = this.take(values.length * 4);
    new Uint32Array(this.ex.memory.buffer, at, values.length).set(values);
    return at;
  }
  u8(at: number, n: number): Uint8Array {
    return new Uint8Array(this.ex.memory.buffer, at, n);
  }
  i32(at: number, n: number): Int32Array {
    return new Int32Array(this.ex.memory.buffer, at, n);
  }
  /** A copy of n f64 at `at`. */
  copyF64(at: number, n: number): Float64Array {
    return this.f64(at, n).slice();
  }
}

/** Compile and instantiate `wasmBytes` (dist/wasm/hrv-kernels.wasm) as an HrvKernels implementation. */
export function createWasmHrvKernels(wasmBytes: Uint8Array): HrvKernels {
  const instance = new WebAssembly.Instance(new WebAssembly.Module(wasmBytes), {
    env: {
      abort: () => {
        throw new Error('HRV WebAssembly kernel aborted');
      },
    },
  });
  const ex = instance.exports as KernelExports;
  const arena = new Arena(ex, Math.ceil(ex.heapBase() / 8) * 8);

  /**
   * The not-a-knot spline through (x, y) (n ≥ 4 values at xa, ya in the arena) on the grid j / rateHz,
   * j < count: solveNotAKnot (shared/hrv/interpolate-cubic-spline.ts) with each loop in chunks,
   * then the evaluation in chunks. Returns the address of the grid (valid until the next reset).
   */
  function splineInArena(xa: number, ya: number, n: number, count: number, rateHz: number): number {
    const h = arena.take((n - 1) * 8);
    const m = arena.take(n * 8);
    // d and b are dead once M is solved: the grid is written over them (less fresh memory).
    const d = arena.take(Math.max((n - 1 + n - 2) * 8, count * 8));
    const b = d + (n - 1) * 8;
    const r = d; // the right-hand sides overwrite the slopes they are made from (in order)
    const out = d;
    for (let from = 0; from < n - 1; from += LOOP_CHUNK) {
      const bad = ex.splineSpacings(xa, ya, h, d, from, Math.min(n - 1, from + LOOP_CHUNK));
      if (bad !== 0) throw new RangeError(`x must be strictly increasing (index ${bad})`);
    }
    const rows = n - 2;
    for (let from = 0; from < rows; from += LOOP_CHUNK) ex.splineRows(h, d, b, r, from, Math.min(rows, from + LOOP_CHUNK));
    ex.splineEndRows(h, b, n);
    for (let from = 1; from < rows; from += LOOP_CHUNK) ex.splineEliminate(h, b, r, rows, from, Math.min(rows, from + LOOP_CHUNK));
    for (let from = rows - 1; from > -1; from -= LOOP_CHUNK) ex.splineBack(h, b, r, m, rows, from, Math.max(-1, from - LOOP_CHUNK));
    ex.splineEnds(h, m, n);
    let seg = 0;
    for (let from = 0; from < count; from += CHUNK) seg = ex.splineEvaluate(xa, ya, n, h, m, rateHz, out, seg, from, Math.min(count, from + CHUNK));
    return out;
  }

  return {
    name: 'wasm',
    rollingQuantiles(values, windowBeats, qs) {
      const n = values.length;
      if (n === 0 || qs.length < 1 || qs.length > 2 || !Number.isInteger(windowBeats) || windowBeats < 1 || windowBeats % 2 === 0) {
        return null;
      }
      arena.reset();
      const v = arena.putF64(values);
      const oa = arena.take(n * 8);
      const ob = arena.take(qs.length > 1 ? n * 8 : 0);
      const s = arena.take((Math.min(windowBeats, n) + 1) * 8);
      ex.rollingQuantiles(v, n, windowBeats, qs.length, qs[0] as number, qs[1] ?? 0, oa, ob, s);
      return qs.length > 1 ? [arena.copyF64(oa, n), arena.copyF64(ob, n)] : [arena.copyF64(oa, n)];
    },
    splineOnGrid(x, y, count, rateHz) {
      const n = x.length;
      if (n < 4 || y.length !== n) return null;
      arena.reset();
      const xa = arena.putF64(x);
      const ya = arena.putF64(y);
      return arena.copyF64(splineInArena(xa, ya, n, count, rateHz), count);
    },
    tachogram(nnMs, valuesMs, rateHz) {
      const n = nnMs.length;
      if (n < 4 || valuesMs.length !== n) return null;
      arena.reset();
      const nn = arena.putF64(nnMs);
      const t = arena.take(n * 8);
      ex.beatTimesS(nn, n, t);
      const lastBeatS = arena.f64(t + (n - 1) * 8, 1)[0] as number;
      const count = tachogramSamples(lastBeatS, rateHz);
      const y = valuesMs === nnMs ? nn : arena.putF64(valuesMs);
      return { gridMs: arena.copyF64(splineInArena(t, y, n, count, rateHz), count), lastBeatS };
    },
    nnPeakToTroughSum(nnGridMs, cycleSamples) {
      if (!Number.isInteger(cycleSamples) || cycleSamples < 1) return null;
      arena.reset();
      const x = arena.putF64(nnGridMs);
      const res = arena.take(16);
      arena.f64(res, 2).fill(0);
      const count = nnGridMs.length;
      const step = Math.max(1, Math.floor(LOOP_CHUNK / cycleSamples)) * cycleSamples;
      for (let from = 0; from < count; from += step) ex.nnPeakToTroughRange(x, count, cycleSamples, from, from + step, res);
      const [sum, cycles] = arena.f64(res, 2) as unknown as [number, number];
      return { sum, cycles };
    },
    welchPow2(x, l, step, segments, w, nfft, acc) {
      if (nfft < 4 || l > nfft || (nfft & (nfft - 1)) !== 0) return false;
      const full = fftTables(nfft);
      const half = fftTables(nfft / 2);
      arena.reset();
      const xa = arena.putF64(x);
      const wa = arena.putF64(w);
      const rev = arena.putU32(full.rev);
      const revHalf = arena.putU32(half.rev);
      const cos = arena.putF64(full.cos);
      const sin = arena.putF64(full.sin);
      const re = arena.take(nfft * 8);
      const im = arena.take(nfft * 8);
      const accAt = arena.putF64(acc);
      ex.welchPow2(xa, l, step, segments, wa, nfft, rev, revHalf, cos, sin, re, im, accAt);
      acc.set(arena.f64(accAt, acc.length));
      return true;
    },
    scanPlainRr(text, secondsBelow, minMs, maxMs) {
      const len = text.length;
      arena.reset();
      const t = arena.take(len + 3);
      // ASCII text encodes to as many bytes as characters (a byte-order mark to three): else decline.
      const { read, written } = encoder.encodeInto(text, arena.u8(t, len + 3));
      if (read !== len || written > len + 2) return null;
      const cap = (written >> 1) + 2;
      const values = arena.take(cap * 8);
      const state = arena.take(20);
      arena.i32(state, 5).set([0, 0, 1, 0, 1]);
      let count = 0;
      for (let stop = SCAN_CHUNK_BYTES; count >= 0; stop += SCAN_CHUNK_BYTES) {
        count = ex.scanPlainRr(t, written, secondsBelow, minMs, maxMs, values, state, stop);
        if ((arena.i32(state, 5)[3] as number) > written) break;
      }
      if (count < 0) return null;
      const r = arena.i32(state, 5);
      return { values: arena.copyF64(values, count), below: r[1] as number, allValidMs: r[2] === 1 };
    },
    beatTimesS(nnMs) {
      const n = nnMs.length;
      arena.reset();
      const nn = arena.putF64(nnMs);
      const t = arena.take(n * 8);
      ex.beatTimesS(nn, n, t);
      return arena.copyF64(t, n);
    },
    countPremature(rrMs, ratio) {
      arena.reset();
      return ex.countPremature(arena.putF64(rrMs), rrMs.length, ratio);
    },
    correctArtifacts(rrMs, detection) {
      const n = rrMs.length;
      if (detection.types.length !== n || detection.medRrMs.length !== n || detection.th2Ms.length !== n) return null;
      arena.reset();
      const rr = arena.putF64(rrMs);
      const types = arena.take(n);
      arena.u8(types, n).set(detection.types);
      const med = arena.putF64(detection.medRrMs);
      const th2 = arena.putF64(detection.th2Ms);
      const nn = arena.take(2 * n * 8);
      const src = arena.take(2 * n * 4);
      const flagged = arena.take(n * 4);
      const res = arena.take(8);
      ex.correctArtifacts(rr, n, types, med, th2, nn, src, flagged, res);
      const [m, f] = arena.i32(res, 2) as unknown as [number, number];
      const labels: BeatLabel[] = [];
      for (const index of arena.i32(flagged, f)) {
        labels.push({ index, type: ARTIFACT_CODES[detection.types[index] as number] as ArtifactType, originalRrMs: rrMs[index] as number });
      }
      return { nnMs: arena.copyF64(nn, m), sourceIndex: arena.i32(src, m).slice(), labels };
    },
    timeDomainSums(nnMs, thresholdMs, roundPerMs) {
      const n = nnMs.length;
      if (n < 2) return null;
      arena.reset();
      const x = arena.putF64(nnMs);
      const raw = arena.take(4 * 8);
      const dev = arena.take(2 * 8);
      arena.f64(raw, 4).fill(0);
      arena.f64(dev, 2).fill(0);
      for (let from = 0; from < n; from += LOOP_CHUNK) ex.timeDomainRawSums(x, from, Math.min(n, from + LOOP_CHUNK), thresholdMs, roundPerMs, raw);
      const [sum, sumD, sumD2, nn50] = arena.f64(raw, 4) as unknown as [number, number, number, number];
      // As timeDomainSumsJs: the means from the first pass.
      const mean = sum / n;
      const meanD = sumD / (n - 1);
      for (let from = 0; from < n; from += LOOP_CHUNK) ex.timeDomainDeviationSums(x, from, Math.min(n, from + LOOP_CHUNK), mean, meanD, dev);
      const [ss, ssD] = arena.f64(dev, 2) as unknown as [number, number];
      return { sum, sumD, sumD2, nn50, ss, ssD };
    },
    detectLipponen(rrMs, o) {
      const nIn = rrMs.length;
      if (nIn === 0) return null;
      for (const w of [o.thresholdWindowBeats, o.medianWindowBeats]) if (!Number.isInteger(w) || w < 1 || w % 2 === 0) return null;
      const n = nIn + 1;
      arena.reset();
      const rr = arena.take(n * 8);
      arena.f64(rr + 8, nIn).set(rrMs);
      const types = arena.take(nIn);
      arena.u8(types, nIn).fill(0);
      const med = arena.take(n * 8);
      const th2 = arena.take(n * 8);
      const drr = arena.take(n * 8);
      const abs = arena.take(n * 8); // |dRR|, then |mRR|
      const th1 = arena.take(n * 8);
      const mrr = arena.take(n * 8);
      const s = arena.take((Math.max(o.thresholdWindowBeats, o.medianWindowBeats) + 1) * 8);
      const acc = arena.take(8);
      // detectLipponenJs, step by step (main/hrv/assembly/index.ts), the long loops in chunks.
      const chunks = (from: number, to: number, f: (a: number, b: number) => void): void => {
        for (let a = from; a < to; a += LOOP_CHUNK) f(a, Math.min(to, a + LOOP_CHUNK));
      };
      const rr64 = arena.f64(rr, n);
      arena.f64(acc, 1)[0] = 0;
      chunks(1, n, (a, b) => ex.detectSum(rr, a, b, acc));
      rr64[0] = (arena.f64(acc, 1)[0] as number) / nIn;
      arena.f64(acc, 1)[0] = 0;
      chunks(1, n, (a, b) => ex.detectDiffs(rr, drr, abs, a, b, acc));
      const drr0 = n > 1 ? (arena.f64(acc, 1)[0] as number) / (n - 1) : 0;
      arena.f64(drr, 1)[0] = drr0;
      arena.f64(abs, 1)[0] = Math.abs(drr0);
      ex.rollingQuartileThreshold(abs, n, o.thresholdWindowBeats, o.alpha, th1, s);
      chunks(0, n, (a, b) => ex.detectDivide(drr, th1, a, b));
      ex.rollingQuantiles(rr, n, o.medianWindowBeats, 1, 0.5, 0, med, 0, s);
      chunks(0, n, (a, b) => ex.detectMedianDeviation(rr, med, mrr, abs, a, b));
      ex.rollingQuartileThreshold(abs, n, o.thresholdWindowBeats, o.alpha, th2, s);
      chunks(0, n, (a, b) => ex.detectDivide(mrr, th2, a, b));
      const confirm = o.confirm ? 1 : 0;
      for (let i = 0; i < n - 2; ) i = ex.detectDecide(types, rr, med, mrr, drr, th2, n, o.c1, o.c2, confirm, CONFIRM_MRR_NORMALISED, CONFIRM_RELATIVE_DEVIATION, i, i + LOOP_CHUNK);
      return { types: arena.u8(types, nIn).slice(), medRrMs: arena.copyF64(med + 8, nIn), th2Ms: arena.copyF64(th2 + 8, nIn) };
    },
  };
}
