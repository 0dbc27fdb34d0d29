/**
 * AssemblyScript kernels for batch HRV analysis (`soothe analyze`), compiled ahead of time to
 * WebAssembly by scripts/build-node.mjs. A fresh Node process runs them at compiled speed from the
 * first iteration, where the same loops in JavaScript spend most of a one-shot run in the
 * interpreter and baseline tiers (bench/RESULTS.md, section hrv).
 *
 * Each kernel is the JavaScript implementation it stands in for, operation for operation, so the
 * results are bit-identical (tests/main/hrv/wasm-kernels.test.ts compares them):
 *  - scanPlainRr: the common form of a plain RR file (parsePlain in shared/parsers/rr-file.ts;
 *    Clinger's exact fast path for decimal numbers of at most 15 digits);
 *  - beatTimesS: computeBeatTimesS in shared/hrv/resample-tachogram.ts;
 *  - countPremature: countPrematureBeats in shared/hrv/premature-beats.ts;
 *  - rollingQuantiles: shared/hrv/rolling-quantile.ts (centred rolling quantiles, pandas
 *    definition, for Lipponen & Tarvainen 2019), and rollingQuartileThreshold, the threshold
 *    alpha · (Q3 − Q1) / 2 of that paper's eq. 2 straight from the two quartiles;
 *  - detectSum … detectDecide: detectLipponenJs in shared/hrv/detect-artifacts.ts (Lipponen &
 *    Tarvainen 2019, with its confirmation gate);
 *  - correctArtifacts: shared/hrv/correct-artifacts.ts (corrections of Lipponen & Tarvainen 2019,
 *    section 2.3);
 *  - timeDomainRawSums + timeDomainDeviationSums: the sums of shared/hrv/compute-time-domain.ts
 *    (Task Force 1996);
 *  - splineSpacings … splineEnds + splineEvaluate: interpolateCubicSplineOnGrid in
 *    shared/hrv/interpolate-cubic-spline.ts (not-a-knot cubic spline, de Boor 1978, sampled on an
 *    even grid), n ≥ 4 knots;
 *  - nnPeakToTroughRange: peakToTroughSumFromNn in shared/hrv/estimate-rsa.ts;
 *  - welchPow2: the power-of-two branch of shared/hrv/compute-welch-psd.ts with the transforms of
 *    shared/hrv/compute-fft.ts (radix-2² Cooley–Tukey, butterflies two at a time in SIMD lanes that
 *    each do the scalar operations; two real segments per complex transform, a last odd segment
 *    through a half-size transform). Twiddle and bit-reversal tables come from the JavaScript
 *    side, so both use the same numbers.
 * Methods and references are in those files. Arrays are raw f64/u32 memory laid out by
 * main/hrv/wasm-kernels.ts; nothing here allocates.
 */

function ld(p: usize, i: i32): f64 {
  return load<f64>(p + ((<usize>i) << 3));
}
function st(p: usize, i: i32, v: f64): void {
  store<f64>(p + ((<usize>i) << 3), v);
}
function ldU32(p: usize, i: i32): i32 {
  return load<i32>(p + ((<usize>i) << 2));
}

/** First address past the module's static data: the caller's arrays start here. */
export function heapBase(): usize {
  return __heap_base;
}

// ---- rolling quantiles -------------------------------------------------------------------

/** Index of the first entry of s[0 … m−1] not below v (branch-free halving; m ≥ 1). */
function lowerBound(s: usize, m: i32, v: f64): i32 {
  let base = 0;
  let len = m;
  while (len > 1) {
    const half = len >>> 1;
    base = select<i32>(base + half, base, ld(s, base + half) < v);
    len -= half;
  }
  return base + select<i32>(1, 0, ld(s, base) < v);
}

function insertSorted(s: usize, m: i32, v: f64): void {
  const j = m == 0 ? 0 : lowerBound(s, m, v);
  memory.copy(s + ((<usize>(j + 1)) << 3), s + ((<usize>j) << 3), (<usize>(m - j)) << 3);
  st(s, j, v);
}

function removeSorted(s: usize, m: i32, v: f64): void {
  const i = lowerBound(s, m, v);
  memory.copy(s + ((<usize>i) << 3), s + ((<usize>(i + 1)) << 3), (<usize>(m - 1 - i)) << 3);
}

/** b's index from lowerBound2. */
let lowerBoundB = 0;

/**
 * lowerBound of a (returned) and of b (in lowerBoundB) at once: two independent searches
 * interleaved, so the processor overlaps their load-compare chains (~20 % faster sliding here).
 */
function lowerBound2(s: usize, m: i32, a: f64, b: f64): i32 {
  let baseA = 0;
  let baseB = 0;
  let len = m;
  while (len > 1) {
    const half = len >>> 1;
    baseA = select<i32>(baseA + half, baseA, ld(s, baseA + half) < a);
    baseB = select<i32>(baseB + half, baseB, ld(s, baseB + half) < b);
    len -= half;
  }
  lowerBoundB = baseB + select<i32>(1, 0, ld(s, baseB) < b);
  return baseA + select<i32>(1, 0, ld(s, baseA) < a);
}

/** Replace one entry equal to `out` by `inc`; the sorted multiset is the JavaScript one. */
function replaceSorted(s: usize, m: i32, out: f64, inc: f64): void {
  const i = lowerBound2(s, m, out, inc);
  const j = lowerBoundB;
  if (inc > out) {
    // entries i+1 … j−1 are below inc: move them down one
    memory.copy(s + ((<usize>i) << 3), s + ((<usize>(i + 1)) << 3), (<usize>(j - 1 - i)) << 3);
    st(s, j - 1, inc);
  } else {
    // entries j … i−1 are ≥ inc: move them up one
    memory.copy(s + ((<usize>(j + 1)) << 3), s + ((<usize>j) << 3), (<usize>(i - j)) << 3);
    st(s, j, inc);
  }
}

function quantile(s: usize, m: i32, q: f64): f64 {
  const idx = q * <f64>(m - 1);
  const f = Math.floor(idx);
  const fi = <i32>f;
  const lo = ld(s, fi);
  const hi = ld(s, min(m - 1, fi + 1));
  return f == idx ? lo : lo + (hi - lo) * (idx - f);
}

/** alpha of rollingQuartileThreshold. */
let gAlpha = 0.0;

/** nq = 1 or 2: the quantiles; nq = 0: (gAlpha · (quantile qb − quantile qa)) / 2 into oa. */
function readQuantiles(s: usize, m: i32, nq: i32, qa: f64, qb: f64, oa: usize, ob: usize, i: i32): void {
  if (nq == 0) {
    st(oa, i, (gAlpha * (quantile(s, m, qb) - quantile(s, m, qa))) / 2);
    return;
  }
  st(oa, i, quantile(s, m, qa));
  if (nq > 1) st(ob, i, quantile(s, m, qb));
}

/**
 * Windows i = from … to − 1 of rollingQuantiles, the sorted window s holding m values on entry;
 * returns its size on exit.
 */
function rollingRange(v: usize, n: i32, h: i32, nq: i32, qa: f64, qb: f64, oa: usize, ob: usize, s: usize, m0: i32, from: i32, to: i32): i32 {
  let m = m0;
  for (let i = from; i < to; i++) {
    if (i > 0) {
      const drop = i - h - 1;
      const add = i + h;
      if (drop >= 0 && add < n) replaceSorted(s, m, ld(v, drop), ld(v, add));
      else if (drop >= 0) removeSorted(s, m--, ld(v, drop));
      else if (add < n) insertSorted(s, m++, ld(v, add));
    }
    readQuantiles(s, m, nq, qa, qb, oa, ob, i);
  }
  return m;
}

/**
 * Windows per call of rollingRange. V8 runs a function in its baseline WebAssembly tier first and
 * compiles the optimised tier in the background once the function has run for a while; the new
 * code serves the next call (there is no on-stack replacement), so a whole record in one call
 * would stay in baseline code to its end.
 */
const CHUNK = 4096;

/**
 * Quantiles qa (and qb when nq = 2) of v[0 … n−1] over centred windows of w (odd) values into
 * oa (and ob), or with nq = 0 the threshold of rollingQuartileThreshold into oa; s is scratch for
 * w + 1 values.
 */
export function rollingQuantiles(v: usize, n: i32, w: i32, nq: i32, qa: f64, qb: f64, oa: usize, ob: usize, s: usize): void {
  const h = (w - 1) / 2;
  let m = 0;
  const first = min(h, n - 1);
  for (let j = 0; j <= first; j++) insertSorted(s, m++, ld(v, j));
  for (let from = 0; from < n; from += CHUNK) m = rollingRange(v, n, h, nq, qa, qb, oa, ob, s, m, from, min(n, from + CHUNK));
}

/**
 * The quartile-deviation threshold of Lipponen & Tarvainen (2019, eq. 2), alpha · (Q3 − Q1) / 2
 * over the same centred windows, into out: the value detect-artifacts.ts computes from the two
 * rolling quartiles (one array instead of two).
 */
export function rollingQuartileThreshold(v: usize, n: i32, w: i32, alpha: f64, out: usize, s: usize): void {
  gAlpha = alpha;
  rollingQuantiles(v, n, w, 0, 0.25, 0.75, out, 0, s);
}

// ---- plain RR files ------------------------------------------------------------------------

function ldU8(p: usize, i: i32): i32 {
  return <i32>load<u8>(p + <usize>i);
}

/** 10^k for k ≤ 15 (each exact in a double). */
const POW10 = memory.data<f64>([1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15]);
function pow10(k: i32): f64 {
  return ld(POW10, k);
}

/**
 * Reads the ASCII text t[0 … len−1], one number per line (lines end at \r\n, \n or \r; blank
 * lines skipped; a UTF-8 byte-order mark skipped), each [ \t]*[+-]?digits[.,]digits[ \t]* with at
 * most 15 digits, into values (f64). Resumable, so the caller can go
 * through a long file in chunks (see CHUNK): the state is st[0] = values so far, st[1] = values
 * below secondsBelow, st[2] = 1 while every value is within [minMs, maxMs], st[3] = position,
 * st[4] = line number (start: 0, 0, 1, 0, 1); lines starting before stopPos are read. Returns the
 * count so far, or −1 when a line is in any other form (the JavaScript parser then reads the
 * whole file).
 */
export function scanPlainRr(t: usize, len: i32, secondsBelow: f64, minMs: f64, maxMs: f64, values: usize, state: usize, stopPos: i32): i32 {
  let count = load<i32>(state);
  let below = load<i32>(state, 4);
  let allValid = load<i32>(state, 8);
  let pos = load<i32>(state, 12);
  let line = load<i32>(state, 16);
  if (pos == 0 && len >= 3 && ldU8(t, 0) == 0xef && ldU8(t, 1) == 0xbb && ldU8(t, 2) == 0xbf) pos = 3;
  for (; pos <= len && pos < stopPos; line++) {
    let i = pos;
    let c = i < len ? ldU8(t, i) : -1;
    while (c == 32 || c == 9) c = ++i < len ? ldU8(t, i) : -1;
    let negative = false;
    let marks = 0;
    if (c == 43 || c == 45) {
      negative = c == 45;
      marks += 1;
      c = ++i < len ? ldU8(t, i) : -1;
    }
    let mantissa = 0.0;
    let digits = 0;
    let fraction = 0;
    while (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + <f64>(c - 48);
      digits += 1;
      c = ++i < len ? ldU8(t, i) : -1;
    }
    if (c == 46 || c == 44) {
      marks += 1;
      c = ++i < len ? ldU8(t, i) : -1;
      while (c >= 48 && c <= 57) {
        mantissa = mantissa * 10 + <f64>(c - 48);
        digits += 1;
        fraction += 1;
        c = ++i < len ? ldU8(t, i) : -1;
      }
    }
    while (c == 32 || c == 9) c = ++i < len ? ldU8(t, i) : -1;
    const end = i;
    if (!(c == -1 || c == 10 || c == 13)) return -1;
    if (digits == 0) {
      if (marks > 0) return -1;
    } else {
      if (digits > 15) return -1;
      let v = fraction == 0 ? mantissa : mantissa / pow10(fraction);
      if (negative) v = -v;
      st(values, count, v);
      count += 1;
      if (v < secondsBelow) below += 1;
      if (!(v > 0) || v < minMs || v > maxMs) allValid = 0;
    }
    pos = end + (end + 1 < len && ldU8(t, end) == 13 && ldU8(t, end + 1) == 10 ? 2 : 1);
  }
  store<i32>(state, count);
  store<i32>(state, below, 4);
  store<i32>(state, allValid, 8);
  store<i32>(state, pos, 12);
  store<i32>(state, line, 16);
  return count;
}

// ---- beat times and premature beats -------------------------------------------------------

/** computeBeatTimesS of shared/hrv/resample-tachogram.ts: t₀ = 0, tₖ = Σ₍₁…ₖ₎ NN / 1000. */
export function beatTimesS(nn: usize, n: i32, t: usize): void {
  let acc = 0.0;
  if (n > 0) st(t, 0, 0);
  for (let k = 1; k < n; k++) {
    acc += ld(nn, k);
    st(t, k, acc / 1000);
  }
}

/** The count of countPrematureBeats (shared/hrv/premature-beats.ts): RRₖ < ratio · min(RRₖ₋₁, RRₖ₊₁). */
export function countPremature(rr: usize, n: i32, ratio: f64): i32 {
  let count = 0;
  for (let k = 1; k < n - 1; k++) if (ld(rr, k) < ratio * min(ld(rr, k - 1), ld(rr, k + 1))) count += 1;
  return count;
}

// ---- Lipponen & Tarvainen (2019) artifact classification ----------------------------------

/** numpy 'reflect' padding by 2 (see detect-artifacts.ts). */
function reflect(a: usize, n: i32, i: i32): f64 {
  let j = i;
  if (j < 0) j = -j;
  if (j >= n) j = 2 * (n - 1) - j;
  return ld(a, max(0, min(n - 1, j)));
}

function s12(drr: usize, n: i32, i: i32): f64 {
  const d = ld(drr, i);
  if (d > 0) return max(reflect(drr, n, i - 1), reflect(drr, n, i + 1));
  if (d < 0) return min(reflect(drr, n, i - 1), reflect(drr, n, i + 1));
  return 0;
}

function s22(drr: usize, n: i32, i: i32): f64 {
  const d = ld(drr, i);
  if (d >= 0) return min(reflect(drr, n, i + 1), reflect(drr, n, i + 2));
  if (d < 0) return max(reflect(drr, n, i + 1), reflect(drr, n, i + 2));
  return 0;
}

// Parameters of one detection, set by detectLipponen for mark().
let gConfirm = false;
let gConfirmMrr = 0.0;
let gConfirmRel = 0.0;

function mark(types: usize, rr: usize, med: usize, mrr: usize, i: i32, code: i32): void {
  if (i < 1) return;
  if (gConfirm) {
    const m = ld(med, i);
    const outside = Math.abs(ld(mrr, i)) > gConfirmMrr || Math.abs(ld(rr, i) - m) > gConfirmRel * m;
    if (!outside) return;
  }
  store<u8>(types + <usize>(i - 1), <u8>code);
}

// detectLipponenJs of shared/hrv/detect-artifacts.ts in steps the caller (main/hrv/wasm-kernels.ts)
// runs in order, the long loops in chunks (see CHUNK): the intervals at rr[1 … nIn], rr[0] the
// virtual first interval; detectSum → rr[0]; detectDiffs → dRR, |dRR|; rollingQuartileThreshold
// (|dRR|) → Th1; detectDivide → dRR'; rollingQuantiles(rr, 11) → med; detectMedianDeviation →
// mRR, |mRR|; rollingQuartileThreshold(|mRR|) → Th2; detectDivide → mRR'; detectDecide → types.

/** acc[0] += rr[k] for k in [from, to). */
export function detectSum(rr: usize, from: i32, to: i32, acc: usize): void {
  let sum = ld(acc, 0);
  for (let k = from; k < to; k++) sum += ld(rr, k);
  st(acc, 0, sum);
}

/** dRRᵢ = RRᵢ − RRᵢ₋₁ and |dRRᵢ| for i in [from, to) (i ≥ 1); acc[0] += dRRᵢ. */
export function detectDiffs(rr: usize, drr: usize, abs: usize, from: i32, to: i32, acc: usize): void {
  let sumD = ld(acc, 0);
  for (let i = from; i < to; i++) {
    const d = ld(rr, i) - ld(rr, i - 1);
    st(drr, i, d);
    st(abs, i, Math.abs(d));
    sumD += d;
  }
  st(acc, 0, sumD);
}

/** x[i] /= th[i] for i in [from, to) (the series over its threshold: dRR', mRR'). */
export function detectDivide(x: usize, th: usize, from: i32, to: i32): void {
  for (let i = from; i < to; i++) st(x, i, ld(x, i) / ld(th, i));
}

/** mRRᵢ = RRᵢ − medᵢ (negative values doubled) and |mRRᵢ| for i in [from, to). */
export function detectMedianDeviation(rr: usize, med: usize, mrr: usize, abs: usize, from: i32, to: i32): void {
  for (let i = from; i < to; i++) {
    const d = ld(rr, i) - ld(med, i);
    const v = d < 0 ? 2 * d : d;
    st(mrr, i, v);
    st(abs, i, Math.abs(v));
  }
}

/**
 * The decisions (Figure 1 of the paper) from start point i = from while i < min(n − 2, stop);
 * returns where they stopped (the next call's from). types (u8) are written for intervals i − 1.
 */
export function detectDecide(
  types: usize, rr: usize, med: usize, mrr: usize, drr: usize, th2: usize, n: i32,
  c1: f64, c2: f64, confirm: i32, confirmMrr: f64, confirmRel: f64, from: i32, stop: i32,
): i32 {
  gConfirm = confirm != 0;
  gConfirmMrr = confirmMrr;
  gConfirmRel = confirmRel;
  const end = min(n - 2, stop);
  let i = from;
  while (i < end) {
    const d = ld(drr, i);
    if (!(Math.abs(d) > 1)) {
      i += 1;
      continue;
    }
    const sv = s12(drr, n, i);
    if ((d > 1 && sv < -c1 * d - c2) || (d < -1 && sv > -c1 * d + c2)) {
      mark(types, rr, med, mrr, i, 1); // ectopic
      i += 1;
      continue;
    }
    const last = Math.abs(ld(drr, i + 1)) < Math.abs(ld(drr, i + 2)) ? i + 1 : i;
    for (let j = i; j <= last; j++) {
      i += 1;
      const dj = ld(drr, j);
      const sj = s22(drr, n, j);
      const long = dj > 1 && sj < -1;
      const short = dj < -1 && sj > 1;
      if (!(long || short || Math.abs(ld(mrr, j)) > 3)) continue;
      const rrj = ld(rr, j);
      const medj = ld(med, j);
      const th2j = ld(th2, j);
      if (short && Math.abs(rrj + ld(rr, j + 1) - medj) < th2j) mark(types, rr, med, mrr, j, 3); // extra
      else if (long && Math.abs(rrj / 2 - medj) < th2j) mark(types, rr, med, mrr, j, 2); // missed
      else mark(types, rr, med, mrr, j, 4); // long/short
    }
  }
  return i;
}

// ---- corrections --------------------------------------------------------------------------

function put(nn: usize, src: usize, m: i32, v: f64, k: i32): i32 {
  st(nn, m, v);
  store<i32>(src + ((<usize>m) << 2), k);
  return m + 1;
}

/**
 * correctArtifacts of shared/hrv/correct-artifacts.ts: rr (n) with types (u8), med and th2 (n)
 * → nn and src (capacity 2n); the indices of every labelled interval into flagged (i32, n).
 * res[0] = NN count, res[1] = labelled count.
 */
export function correctArtifacts(rr: usize, n: i32, types: usize, med: usize, th2: usize, nn: usize, src: usize, flagged: usize, res: usize): void {
  let m = 0;
  let f = 0;
  let skip = false;
  for (let k = 0; k < n; k++) {
    const code = ldU8(types, k);
    const rrK = ld(rr, k);
    if (code != 0) {
      store<i32>(flagged + ((<usize>f) << 2), k);
      f += 1;
    }
    if (skip) {
      skip = false;
      continue;
    }
    if (code == 0) {
      m = put(nn, src, m, rrK, k);
      continue;
    }
    const hasNext = k + 1 < n;
    const medMs = ld(med, k);
    if (code == 3) {
      // extra: merged with the next interval
      if (hasNext) {
        m = put(nn, src, m, rrK + ld(rr, k + 1), k);
        skip = true;
      } else m = put(nn, src, m, medMs, k);
      continue;
    }
    if (code == 2) {
      // missed: split in two
      m = put(nn, src, m, rrK / 2, k);
      m = put(nn, src, m, rrK / 2, k);
      continue;
    }
    if ((code == 1 || code == 4) && hasNext) {
      const rrNext = ld(rr, k + 1);
      const compensated = (rrK - medMs) * (rrNext - medMs) < 0 && Math.abs(rrK + rrNext - 2 * medMs) < ld(th2, k);
      if (compensated) {
        const mean = (rrK + rrNext) / 2;
        m = put(nn, src, m, mean, k);
        m = put(nn, src, m, mean, k);
        skip = true;
        continue;
      }
    }
    m = put(nn, src, m, medMs, k);
  }
  store<i32>(res, m);
  store<i32>(res + 4, f);
}

// ---- time-domain sums -----------------------------------------------------------------------

/** Math.round as JavaScript defines it (halves toward +∞). */
function roundJs(x: f64): f64 {
  const f = Math.floor(x);
  return x - f >= 0.5 ? f + 1 : f;
}

/**
 * The first pass of shared/hrv/compute-time-domain.ts (rawSums) over x[from … to − 1], resumable:
 * acc = [Σ NN, Σ ΔNN, Σ ΔNN², #(|ΔNN| > thresholdMs, ΔNN rounded to 1/roundPerMs ms)], zero at the
 * start; the caller goes through the series in chunks (see CHUNK), so the sums add the same terms
 * in the same order as one loop.
 */
export function timeDomainRawSums(x: usize, from: i32, to: i32, thresholdMs: f64, roundPerMs: f64, acc: usize): void {
  let sum = ld(acc, 0);
  let sumD = ld(acc, 1);
  let sumD2 = ld(acc, 2);
  let nn50 = ld(acc, 3);
  let i = from;
  if (i == 0 && to > 0) {
    sum += ld(x, 0);
    i = 1;
  }
  for (; i < to; i++) {
    const v = ld(x, i);
    sum += v;
    const d = v - ld(x, i - 1);
    sumD += d;
    sumD2 += d * d;
    if (Math.abs(roundJs(d * roundPerMs) / roundPerMs) > thresholdMs) nn50 += 1;
  }
  st(acc, 0, sum);
  st(acc, 1, sumD);
  st(acc, 2, sumD2);
  st(acc, 3, nn50);
}

/** The second pass (deviationSums), resumable: acc = [Σ (NN − mean)², Σ (ΔNN − meanΔ)²]. */
export function timeDomainDeviationSums(x: usize, from: i32, to: i32, mean: f64, meanD: f64, acc: usize): void {
  let ss = ld(acc, 0);
  let ssD = ld(acc, 1);
  let i = from;
  if (i == 0 && to > 0) {
    const e = ld(x, 0) - mean;
    ss += e * e;
    i = 1;
  }
  for (; i < to; i++) {
    const v = ld(x, i);
    const e = v - mean;
    ss += e * e;
    const g = v - ld(x, i - 1) - meanD;
    ssD += g * g;
  }
  st(acc, 0, ss);
  st(acc, 1, ssD);
}

// ---- not-a-knot cubic spline on an even grid ---------------------------------------------

// The second derivatives M of the not-a-knot spline through (x, y), n ≥ 4, as solveNotAKnot in
// shared/hrv/interpolate-cubic-spline.ts computes them, in steps the caller runs in chunks (see
// CHUNK): splineSpacings, splineRows, splineEndRows, splineEliminate, splineBack (descending),
// splineEnds. Scratch: h, d (n − 1 each; h is kept for splineEvaluate), b, r (n − 2 each; r may
// be d: each r[k] is written after d[k] and d[k + 1] are read), M (n).

/** hᵢ = xᵢ₊₁ − xᵢ, dᵢ = (yᵢ₊₁ − yᵢ)/hᵢ for i in [from, to); returns 0, or i + 1 at the first hᵢ ≤ 0. */
export function splineSpacings(x: usize, y: usize, h: usize, d: usize, from: i32, to: i32): i32 {
  for (let i = from; i < to; i++) {
    const hi = ld(x, i + 1) - ld(x, i);
    if (!(hi > 0)) return i + 1;
    st(h, i, hi);
    st(d, i, (ld(y, i + 1) - ld(y, i)) / hi);
  }
  return 0;
}

/** Rows k in [from, to): diagonal 2(hₖ + hₖ₊₁), right-hand side 6(dₖ₊₁ − dₖ). */
export function splineRows(h: usize, d: usize, b: usize, r: usize, from: i32, to: i32): void {
  for (let k = from; k < to; k++) {
    st(b, k, 2 * (ld(h, k) + ld(h, k + 1)));
    st(r, k, 6 * (ld(d, k + 1) - ld(d, k)));
  }
}

// The end conditions (c0, aLast) for splineEliminate / splineBack, set by splineEndRows.
let splineC0 = 0.0;
let splineALast = 0.0;

/** The not-a-knot end rows (b₀, b_m−1 adjusted; c0 and aLast kept). */
export function splineEndRows(h: usize, b: usize, n: i32): void {
  const m = n - 2;
  const h0 = ld(h, 0);
  const h1 = ld(h, 1);
  st(b, 0, ld(b, 0) + (h0 * (h0 + h1)) / h1);
  splineC0 = ld(h, 1) - (h0 * h0) / h1;
  const hl = ld(h, n - 2);
  const hp = ld(h, n - 3);
  st(b, m - 1, ld(b, m - 1) + (hl * (hl + hp)) / hp);
  splineALast = ld(h, m - 1) - (hl * hl) / hp;
}

/** Thomas forward elimination for rows k in [from, to), from ≥ 1. */
export function splineEliminate(h: usize, b: usize, r: usize, m: i32, from: i32, to: i32): void {
  const c0 = splineC0;
  const aLast = splineALast;
  for (let k = from; k < to; k++) {
    const w = (k == m - 1 ? aLast : ld(h, k)) / ld(b, k - 1);
    st(b, k, ld(b, k) - w * (k == 1 ? c0 : ld(h, k)));
    st(r, k, ld(r, k) - w * ld(r, k - 1));
  }
}

/** Back substitution for k from `from` down to `to` + 1 (descending); k = m − 1 sets M[m]. */
export function splineBack(h: usize, b: usize, r: usize, M: usize, m: i32, from: i32, to: i32): void {
  const c0 = splineC0;
  for (let k = from; k > to; k--) {
    if (k == m - 1) st(M, m, ld(r, m - 1) / ld(b, m - 1));
    else st(M, k + 1, (ld(r, k) - (k == 0 ? c0 : ld(h, k + 1)) * ld(M, k + 2)) / ld(b, k));
  }
}

/** M₀ and Mₙ₋₁ from the not-a-knot conditions. */
export function splineEnds(h: usize, M: usize, n: i32): void {
  const h0 = ld(h, 0);
  const h1 = ld(h, 1);
  const hl = ld(h, n - 2);
  const hp = ld(h, n - 3);
  st(M, 0, ((h0 + h1) * ld(M, 1) - h0 * ld(M, 2)) / h1);
  st(M, n - 1, ((hl + hp) * ld(M, n - 2) - hl * ld(M, n - 3)) / hp);
}

/**
 * The spline of splineSpacings … splineEnds at t = j / rateHz into out[j] for j = from … to − 1, starting the search
 * at knot interval seg0; returns the interval it ended in (the next call's seg0). The caller goes
 * through the grid in chunks (see CHUNK).
 */
export function splineEvaluate(x: usize, y: usize, n: i32, h: usize, M: usize, rateHz: f64, out: usize, seg0: i32, from: i32, to: i32): i32 {
  let seg = seg0;
  let x0 = ld(x, seg);
  let x1 = ld(x, seg + 1);
  let y0 = ld(y, seg);
  let y1 = ld(y, seg + 1);
  let m0 = ld(M, seg);
  let m1 = ld(M, seg + 1);
  let hs = ld(h, seg);
  for (let j = from; j < to; j++) {
    const t = <f64>j / rateHz;
    if (seg < n - 2 && t > x1) {
      while (seg < n - 2 && t > ld(x, seg + 1)) seg += 1;
      x0 = ld(x, seg);
      x1 = ld(x, seg + 1);
      y0 = ld(y, seg);
      y1 = ld(y, seg + 1);
      m0 = ld(M, seg);
      m1 = ld(M, seg + 1);
      hs = ld(h, seg);
    }
    const A = (x1 - t) / hs;
    const B = (t - x0) / hs;
    st(out, j, A * y0 + B * y1 + (((A * A * A - A) * m0 + (B * B * B - B) * m1) * hs * hs) / 6);
  }
  return seg;
}

// ---- RSA: peak-to-trough heart rate per breath cycle from the NN grid -----------------------

/**
 * peakToTroughSumFromNn of shared/hrv/estimate-rsa.ts for the cycles starting at sample
 * fromStart … < toStart (multiples of cycleSamples), resumable: res = [Σ, cycles], zero at the start.
 */
export function nnPeakToTroughRange(x: usize, count: i32, cycleSamples: i32, fromStart: i32, toStart: i32, res: usize): void {
  let sum = ld(res, 0);
  let cycles = ld(res, 1);
  for (let start = fromStart; start < toStart && start + cycleSamples <= count; start += cycleSamples) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let j = start; j < start + cycleSamples; j++) {
      const v = ld(x, j);
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (lo > 0) sum += 60000 / lo - 60000 / hi;
    else {
      let hrHi = -Infinity;
      let hrLo = Infinity;
      for (let j = start; j < start + cycleSamples; j++) {
        const hr = 60000 / ld(x, j);
        if (hr > hrHi) hrHi = hr;
        if (hr < hrLo) hrLo = hr;
      }
      sum += hrHi - hrLo;
    }
    cycles += 1;
  }
  st(res, 0, sum);
  st(res, 1, cycles);
}

// ---- Welch, power-of-two segments --------------------------------------------------------

function segmentMean(x: usize, start: i32, l: i32): f64 {
  let mean = 0.0;
  for (let i = 0; i < l; i++) mean += ld(x, start + i);
  return mean / <f64>l;
}

function spanOneStage(re: usize, im: usize, n: i32): void {
  for (let a = 0; a < n; a += 2) {
    const b = a + 1;
    const xr = ld(re, b);
    const xi = ld(im, b);
    st(re, b, ld(re, a) - xr);
    st(im, b, ld(im, a) - xi);
    st(re, a, ld(re, a) + xr);
    st(im, a, ld(im, a) + xi);
  }
}

function radix22Stages(re: usize, im: usize, n: i32, cos: usize, sin: usize, half: i32, s: i32): void {
  for (let start = 0; start < n; start += 4 * half) {
    for (let k = 0; k < half; k++) {
      const i0 = start + k;
      const i1 = i0 + half;
      const i2 = i1 + half;
      const i3 = i2 + half;
      const w1r = ld(cos, 2 * k * s);
      const w1i = ld(sin, 2 * k * s);
      let br = ld(re, i1);
      let bi = ld(im, i1);
      let xr = br * w1r - bi * w1i;
      let xi = br * w1i + bi * w1r;
      const r0 = ld(re, i0);
      const j0 = ld(im, i0);
      const a0r = r0 + xr;
      const a0i = j0 + xi;
      const a1r = r0 - xr;
      const a1i = j0 - xi;
      br = ld(re, i3);
      bi = ld(im, i3);
      xr = br * w1r - bi * w1i;
      xi = br * w1i + bi * w1r;
      const r2 = ld(re, i2);
      const j2 = ld(im, i2);
      const a2r = r2 + xr;
      const a2i = j2 + xi;
      const a3r = r2 - xr;
      const a3i = j2 - xi;
      const w2r = ld(cos, k * s);
      const w2i = ld(sin, k * s);
      xr = a2r * w2r - a2i * w2i;
      xi = a2r * w2i + a2i * w2r;
      st(re, i0, a0r + xr);
      st(im, i0, a0i + xi);
      st(re, i2, a0r - xr);
      st(im, i2, a0i - xi);
      const w3r = ld(cos, (k + half) * s);
      const w3i = ld(sin, (k + half) * s);
      xr = a3r * w3r - a3i * w3i;
      xi = a3r * w3i + a3i * w3r;
      st(re, i1, a1r + xr);
      st(im, i1, a1i + xi);
      st(re, i3, a1r - xr);
      st(im, i3, a1i - xi);
    }
  }
}

/** firstRadix22Stages of shared/hrv/compute-fft.ts (half = 1: twiddles 1 and −i, no multiplications). */
function firstRadix22Stages(re: usize, im: usize, n: i32): void {
  for (let i0 = 0; i0 + 3 < n; i0 += 4) {
    const r0 = ld(re, i0);
    const j0 = ld(im, i0);
    const br = ld(re, i0 + 1);
    const bi = ld(im, i0 + 1);
    const a0r = r0 + br;
    const a0i = j0 + bi;
    const a1r = r0 - br;
    const a1i = j0 - bi;
    const r2 = ld(re, i0 + 2);
    const j2 = ld(im, i0 + 2);
    const dr = ld(re, i0 + 3);
    const di = ld(im, i0 + 3);
    const a2r = r2 + dr;
    const a2i = j2 + di;
    const a3r = r2 - dr;
    const a3i = j2 - di;
    st(re, i0, a0r + a2r);
    st(im, i0, a0i + a2i);
    st(re, i0 + 2, a0r - a2r);
    st(im, i0 + 2, a0i - a2i);
    st(re, i0 + 1, a1r + a3i);
    st(im, i0 + 1, a1i - a3r);
    st(re, i0 + 3, a1r - a3i);
    st(im, i0 + 3, a1i + a3r);
  }
}

function pairOf(p: usize, a: i32, b: i32): v128 {
  return f64x2.replace_lane(f64x2.splat(ld(p, a)), 1, ld(p, b));
}

/**
 * radix22Stages for half ≥ 2, two values of k per step in the two lanes of a v128: each lane does
 * the scalar version's operations in the same order (WebAssembly SIMD has no fused multiply-add),
 * so the numbers are the same to the bit.
 */
function radix22StagesSimd(re: usize, im: usize, n: i32, cos: usize, sin: usize, half: i32, s: i32): void {
  const hb = (<usize>half) << 3;
  for (let start = 0; start < n; start += 4 * half) {
    for (let k = 0; k < half; k += 2) {
      const o0 = (<usize>(start + k)) << 3;
      const o1 = o0 + hb;
      const o2 = o1 + hb;
      const o3 = o2 + hb;
      const w1r = pairOf(cos, 2 * k * s, 2 * (k + 1) * s);
      const w1i = pairOf(sin, 2 * k * s, 2 * (k + 1) * s);
      let br = v128.load(re + o1);
      let bi = v128.load(im + o1);
      let xr = f64x2.sub(f64x2.mul(br, w1r), f64x2.mul(bi, w1i));
      let xi = f64x2.add(f64x2.mul(br, w1i), f64x2.mul(bi, w1r));
      const r0 = v128.load(re + o0);
      const j0 = v128.load(im + o0);
      const a0r = f64x2.add(r0, xr);
      const a0i = f64x2.add(j0, xi);
      const a1r = f64x2.sub(r0, xr);
      const a1i = f64x2.sub(j0, xi);
      br = v128.load(re + o3);
      bi = v128.load(im + o3);
      xr = f64x2.sub(f64x2.mul(br, w1r), f64x2.mul(bi, w1i));
      xi = f64x2.add(f64x2.mul(br, w1i), f64x2.mul(bi, w1r));
      const r2 = v128.load(re + o2);
      const j2 = v128.load(im + o2);
      const a2r = f64x2.add(r2, xr);
      const a2i = f64x2.add(j2, xi);
      const a3r = f64x2.sub(r2, xr);
      const a3i = f64x2.sub(j2, xi);
      const w2r = pairOf(cos, k * s, (k + 1) * s);
      const w2i = pairOf(sin, k * s, (k + 1) * s);
      xr = f64x2.sub(f64x2.mul(a2r, w2r), f64x2.mul(a2i, w2i));
      xi = f64x2.add(f64x2.mul(a2r, w2i), f64x2.mul(a2i, w2r));
      v128.store(re + o0, f64x2.add(a0r, xr));
      v128.store(im + o0, f64x2.add(a0i, xi));
      v128.store(re + o2, f64x2.sub(a0r, xr));
      v128.store(im + o2, f64x2.sub(a0i, xi));
      const w3r = pairOf(cos, (k + half) * s, (k + 1 + half) * s);
      const w3i = pairOf(sin, (k + half) * s, (k + 1 + half) * s);
      xr = f64x2.sub(f64x2.mul(a3r, w3r), f64x2.mul(a3i, w3i));
      xi = f64x2.add(f64x2.mul(a3r, w3i), f64x2.mul(a3i, w3r));
      v128.store(re + o1, f64x2.add(a1r, xr));
      v128.store(im + o1, f64x2.add(a1i, xi));
      v128.store(re + o3, f64x2.sub(a1r, xr));
      v128.store(im + o3, f64x2.sub(a1i, xi));
    }
  }
}

/** Butterfly stages on bit-reversed input of length n; twiddles read every `stride`-th entry. */
function fftStages(re: usize, im: usize, n: i32, cos: usize, sin: usize, stride: i32): void {
  let half: i32;
  if ((ctz<i32>(n) & 1) == 1) {
    spanOneStage(re, im, n);
    half = 2;
  } else {
    firstRadix22Stages(re, im, n);
    half = 4;
  }
  for (; half < n; half *= 4) {
    const s = (n * stride) / (4 * half);
    if (half >= 2) radix22StagesSimd(re, im, n, cos, sin, half, s);
    else radix22Stages(re, im, n, cos, sin, half, s);
  }
}

function zero(p: usize, n: i32): void {
  memory.fill(p, 0, (<usize>n) << 3);
}

/** acc[k] += |A_k|² + |B_k|² of two windowed, mean-removed segments (one complex FFT of size n). */
function addSegmentPair(x: usize, startA: i32, startB: i32, l: i32, w: usize, n: i32, rev: usize, cos: usize, sin: usize, re: usize, im: usize, acc: usize): void {
  if (l < n) {
    zero(re, n);
    zero(im, n);
  }
  const meanA = segmentMean(x, startA, l);
  const meanB = segmentMean(x, startB, l);
  for (let i = 0; i < l; i++) {
    const r = ldU32(rev, i);
    st(re, r, (ld(x, startA + i) - meanA) * ld(w, i));
    st(im, r, (ld(x, startB + i) - meanB) * ld(w, i));
  }
  fftStages(re, im, n, cos, sin, 1);
  st(acc, 0, ld(acc, 0) + ld(re, 0) * ld(re, 0) + ld(im, 0) * ld(im, 0));
  for (let k = 1; k <= n / 2; k++) {
    const c = n - k;
    st(acc, k, ld(acc, k) + (ld(re, k) * ld(re, k) + ld(im, k) * ld(im, k) + ld(re, c) * ld(re, c) + ld(im, c) * ld(im, c)) / 2);
  }
}

/** acc[k] += |X_k|² of one windowed, mean-removed real segment (a complex FFT of size n/2, n ≥ 4). */
function addRealSegment(x: usize, start: i32, l: i32, w: usize, n: i32, revHalf: usize, cos: usize, sin: usize, re: usize, im: usize, acc: usize): void {
  const mean = segmentMean(x, start, l);
  const m = n / 2;
  zero(re, m);
  zero(im, m);
  const pairs = min(l >> 1, m);
  for (let j = 0; j < pairs; j++) {
    const r = ldU32(revHalf, j);
    st(re, r, (ld(x, start + 2 * j) - mean) * ld(w, 2 * j));
    st(im, r, (ld(x, start + 2 * j + 1) - mean) * ld(w, 2 * j + 1));
  }
  if (pairs < m && 2 * pairs < l) st(re, ldU32(revHalf, pairs), (ld(x, start + 2 * pairs) - mean) * ld(w, 2 * pairs));
  fftStages(re, im, m, cos, sin, 2);
  for (let k = 0; k <= m; k++) {
    const kk = k == m ? 0 : k;
    const kc = k == 0 ? 0 : m - k;
    const a = ld(re, kk);
    const b = ld(im, kk);
    const c = ld(re, kc);
    const d = ld(im, kc);
    const er = (a + c) / 2;
    const ei = (b - d) / 2;
    const or = (b + d) / 2;
    const oi = (c - a) / 2;
    const wr = k == m ? -1.0 : ld(cos, k);
    const wi = k == m ? 0.0 : ld(sin, k);
    const xr = er + wr * or - wi * oi;
    const xi = ei + wr * oi + wi * or;
    st(acc, k, ld(acc, k) + (xr * xr + xi * xi));
  }
}

/**
 * acc[k] (k ≤ n/2, zeroed by the caller) += |X_k|² summed over `segments` Hann-windowed segments
 * of length l starting every `step` samples of x; n a power of two ≥ 4 and ≥ l. rev: bit reversal
 * for n, revHalf for n/2; cos/sin: the size-n base twiddles; re/im: scratch of n each.
 */
export function welchPow2(x: usize, l: i32, step: i32, segments: i32, w: usize, n: i32, rev: usize, revHalf: usize, cos: usize, sin: usize, re: usize, im: usize, acc: usize): void {
  let s = 0;
  for (; s + 1 < segments; s += 2) addSegmentPair(x, s * step, (s + 1) * step, l, w, n, rev, cos, sin, re, im, acc);
  if (s < segments) addRealSegment(x, s * step, l, w, n, revHalf, cos, sin, re, im, acc);
}
