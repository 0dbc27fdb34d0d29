/**
 * Streaming ECG R-peak detector: NeuroKit2's default ("neurokit") QRS detector run causally with a
 * bounded look-ahead, for the Polar H10's raw ECG (130 Hz, µV) and any other single-lead ECG.
 *
 * Method
 *   D. Makowski, T. Pham, Z. J. Lau, J. C. Brammer, F. Lespinasse, H. Pham, C. Schölzel,
 *   S. H. A. Chen, "NeuroKit2: A Python toolbox for neurophysiological signal processing",
 *   Behavior Research Methods 53 (2021) 1689–1696, doi:10.3758/s13428-020-01516-y; the detector is
 *   `neurokit2/ecg/ecg_findpeaks.py: _ecg_findpeaks_neurokit` (MIT), preceded by
 *   `ecg_clean(method='neurokit')`:
 *   0. cleaning: high-pass Butterworth at HIGHPASS_HZ = 0.5 Hz (NeuroKit: order 5, zero-phase),
 *      then the power-line moving average of int(fs / 50) samples (NeuroKit: `powerline = 50`);
 *   1. g = |gradient(x)| (central difference);
 *   2. smoothgrad = boxcar mean of g over SMOOTH_WINDOW_S = 0.1 s (`smoothwindow`);
 *   3. avggrad = boxcar mean of smoothgrad over AVG_WINDOW_S = 0.75 s (`avgwindow`);
 *   4. QRS = smoothgrad > GRAD_THRESH_WEIGHT × avggrad, GRAD_THRESH_WEIGHT = 1.5 (`gradthreshweight`);
 *   5. QRS segments shorter than MIN_LEN_WEIGHT = 0.4 (`minlenweight`) × the mean QRS length are
 *      ignored;
 *   6. the R-peak is the most prominent local maximum of the cleaned signal inside the segment
 *      (scipy `find_peaks` prominence, computed within the segment);
 *   7. a peak closer than MIN_DELAY_S = 0.3 s (`mindelay`) to the previous one is dropped.
 *
 * Causal form (our adaptation; NeuroKit runs offline):
 *   - the cleaning filters run forward only: a 2nd-order Butterworth high-pass (RBJ biquad) instead
 *     of the order-5 zero-phase one, and a causal power-line mean (its half-sample delay is
 *     compensated when the peak is located on the high-passed signal, see below);
 *   - the centred boxcars (NeuroKit `signal_smooth(kernel='boxcar')`) keep their centring, so each
 *     decision waits for half of each window: the look-ahead is 1 + ⌊(Ks−1)/2⌋ + ⌊(Ka−1)/2⌋
 *     samples (Ks, Ka: window lengths in samples; 0.42 s at 100 Hz, 0.43 s at 130 Hz), plus the
 *     QRS segment itself, which is cut at MAX_QRS_S (a longer run is movement, not a QRS: ours);
 *   - step 5's mean QRS length is the running mean of the last MIN_LEN_HISTORY segments (NeuroKit
 *     uses the whole recording's mean);
 *   - the peak is located on the high-passed signal before the power-line mean (that mean, causal,
 *     would shift it by half a sample) and refined to a sub-sample time by the vertex of the
 *     parabola through the peak and its two neighbours (ours; at 130 Hz a whole sample is 7.7 ms).
 *   A peak is therefore reported at most `maxLookAheadS` after it happened.
 * Memory is bounded: rings of RING_S seconds of signal.
 */

/** Cleaning high-pass, Hz (NeuroKit `ecg_clean`: `lowcut=0.5`). */
export const HIGHPASS_HZ = 0.5;
/** Power-line frequency for the cleaning moving average, Hz (NeuroKit default 50). */
export const POWERLINE_HZ = 50;
/** Gradient smoothing window, s (NeuroKit `smoothwindow=0.1`). */
export const SMOOTH_WINDOW_S = 0.1;
/** Gradient averaging window, s (NeuroKit `avgwindow=0.75`). */
export const AVG_WINDOW_S = 0.75;
/** Threshold on smoothgrad as a multiple of avggrad (NeuroKit `gradthreshweight=1.5`). */
export const GRAD_THRESH_WEIGHT = 1.5;
/** Segments shorter than this share of the mean QRS length are ignored (NeuroKit `minlenweight=0.4`). */
export const MIN_LEN_WEIGHT = 0.4;
/** Minimum time between R-peaks, s (NeuroKit `mindelay=0.3`). */
export const MIN_DELAY_S = 0.3;
/** QRS segments whose lengths are averaged for step 5 (ours). */
export const MIN_LEN_HISTORY = 20;
/** A QRS segment longer than this is abandoned (movement or saturation), s (ours). */
export const MAX_QRS_S = 0.5;
/** Signal history kept, s. */
const RING_S = 2.5;

export interface EcgRPeak {
  /** Peak position in samples since the detector's start (or last reset), fractional. */
  readonly sample: number;
  /** Peak time, ms, interpolated between the times given with the samples. */
  readonly tMs: number;
  /** R-peak amplitude on the cleaned (high-passed) signal, in the input's unit. */
  readonly amplitude: number;
}

export interface EcgRPeakOptions {
  readonly sampleRateHz: number;
}

/** RBJ cookbook high-pass biquad (Q = 1/√2: 2nd-order Butterworth), direct form I. */
class HighPass2 {
  private readonly b0: number;
  private readonly b1: number;
  private readonly b2: number;
  private readonly a1: number;
  private readonly a2: number;
  private x1 = 0;
  private x2 = 0;
  private y1 = 0;
  private y2 = 0;
  private primed = false;
  constructor(fcHz: number, fsHz: number) {
    const w = (2 * Math.PI * fcHz) / fsHz;
    const alpha = Math.sin(w) / (2 * Math.SQRT1_2);
    const c = Math.cos(w);
    const a0 = 1 + alpha;
    this.b0 = (1 + c) / 2 / a0;
    this.b1 = -(1 + c) / a0;
    this.b2 = (1 + c) / 2 / a0;
    this.a1 = (-2 * c) / a0;
    this.a2 = (1 - alpha) / a0;
  }
  next(x: number): number {
    if (!this.primed) {
      // Start from steady state on the first value (no step transient from a DC offset).
      this.x1 = this.x2 = x;
      this.primed = true;
    }
    const y = this.b0 * x + this.b1 * this.x1 + this.b2 * this.x2 - this.a1 * this.y1 - this.a2 * this.y2;
    this.x2 = this.x1;
    this.x1 = x;
    this.y2 = this.y1;
    this.y1 = y;
    return y;
  }
}

/** Most prominent strict local maximum of xs[lo..hi) (scipy find_peaks prominence within the slice); -1 if none. */
export function mostProminentMax(xs: ArrayLike<number>, lo: number, hi: number): number {
  let best = -1;
  let bestProm = -Infinity;
  for (let i = lo + 1; i < hi - 1; i++) {
    const v = xs[i] as number;
    if (!(v > (xs[i - 1] as number))) continue;
    // Plateaus: scipy takes the middle; here the first sample of a plateau that then falls.
    let j = i + 1;
    while (j < hi && (xs[j] as number) === v) j++;
    if (j >= hi || !((xs[j] as number) < v)) continue;
    let leftMin = v;
    for (let k = i - 1; k >= lo; k--) {
      const u = xs[k] as number;
      if (u > v) break;
      if (u < leftMin) leftMin = u;
    }
    let rightMin = v;
    for (let k = j; k < hi; k++) {
      const u = xs[k] as number;
      if (u > v) break;
      if (u < rightMin) rightMin = u;
    }
    const prom = v - Math.max(leftMin, rightMin);
    if (prom > bestProm) {
      bestProm = prom;
      best = i;
    }
  }
  return best;
}

/**
 * The detector. Feed samples in order with `push(value, tMs)`; it returns the R-peaks confirmed by
 * that sample (usually none, at most one).
 */
export class EcgRPeakDetector {
  readonly sampleRateHz: number;
  /** Longest time between an R-peak and the sample that reports it, s (QRS cut at MAX_QRS_S included). */
  readonly maxLookAheadS: number;
  private readonly ks: number;
  private readonly ka: number;
  private readonly bs: number;
  private readonly ba: number;
  private readonly plN: number;
  private readonly ringN: number;
  private readonly minDelay: number;
  private readonly maxQrs: number;
  private hp: HighPass2;
  // Rings indexed by absolute sample number modulo ringN.
  private readonly hpRing: Float64Array;
  private readonly cleanRing: Float64Array;
  private readonly tRing: Float64Array;
  private readonly gradRing: Float64Array;
  private readonly smoothRing: Float64Array;
  private n = 0;
  private gradSum = 0;
  private smoothSum = 0;
  private prevQrs = false;
  private qrsBeg = -1;
  private readonly lengths: number[] = [];
  private lastPeak = -Infinity;

  constructor(opts: EcgRPeakOptions) {
    const fs = opts.sampleRateHz;
    if (!(fs >= 20)) throw new Error(`ECG sample rate ${fs} Hz is too low for R-peak detection`);
    this.sampleRateHz = fs;
    this.ks = Math.max(1, Math.round(SMOOTH_WINDOW_S * fs));
    this.ka = Math.max(1, Math.round(AVG_WINDOW_S * fs));
    this.bs = Math.floor((this.ks - 1) / 2);
    this.ba = Math.floor((this.ka - 1) / 2);
    this.plN = fs >= 100 ? Math.max(1, Math.trunc(fs / POWERLINE_HZ)) : 2;
    this.minDelay = Math.round(MIN_DELAY_S * fs);
    this.maxQrs = Math.round(MAX_QRS_S * fs);
    this.ringN = Math.max(Math.ceil(RING_S * fs), this.ka + this.ks + this.maxQrs + 8);
    this.hpRing = new Float64Array(this.ringN);
    this.cleanRing = new Float64Array(this.ringN);
    this.tRing = new Float64Array(this.ringN);
    this.gradRing = new Float64Array(this.ringN);
    this.smoothRing = new Float64Array(this.ringN);
    this.hp = new HighPass2(HIGHPASS_HZ, fs);
    this.maxLookAheadS = (1 + this.bs + this.ba + this.maxQrs + 1) / fs;
  }

  /** Forget everything (after a gap in the stream). */
  reset(): void {
    this.hp = new HighPass2(HIGHPASS_HZ, this.sampleRateHz);
    this.n = 0;
    this.gradSum = 0;
    this.smoothSum = 0;
    this.prevQrs = false;
    this.qrsBeg = -1;
    this.lengths.length = 0;
    this.lastPeak = -Infinity;
  }

  private at(ring: Float64Array, i: number): number {
    return ring[((i % this.ringN) + this.ringN) % this.ringN] as number;
  }

  /** One ECG sample (any unit; µV for the H10) and its time, ms. */
  push(value: number, tMs: number): EcgRPeak[] {
    const N = this.ringN;
    const i = this.n++;
    const slot = i % N;
    const h = this.hp.next(value);
    this.hpRing[slot] = h;
    this.tRing[slot] = tMs;
    // Causal power-line mean over plN samples.
    let c = 0;
    const m = Math.min(this.plN, i + 1);
    for (let k = 0; k < m; k++) c += this.at(this.hpRing, i - k);
    this.cleanRing[slot] = c / m;
    // 1. gradient at i−1 (central difference; one-sided at the very start).
    if (i < 1) return [];
    const gI = i - 1;
    const g = i >= 2 ? Math.abs(this.at(this.cleanRing, i) - this.at(this.cleanRing, i - 2)) / 2 : Math.abs(this.at(this.cleanRing, 1) - this.at(this.cleanRing, 0));
    this.gradRing[gI % N] = g;
    this.gradSum += g;
    if (gI - this.ks >= 0) this.gradSum -= this.at(this.gradRing, gI - this.ks);
    // 2. smoothgrad at s = gI − bs: mean of grad[s − (ks−1−bs) .. s + bs].
    const s = gI - this.bs;
    if (gI < this.ks - 1 || s < 0) return [];
    const sm = this.gradSum / this.ks;
    this.smoothRing[s % N] = sm;
    this.smoothSum += sm;
    const firstS = this.ks - 1 - this.bs;
    if (s - this.ka >= firstS) this.smoothSum -= this.at(this.smoothRing, s - this.ka);
    // 3. avggrad at p = s − ba.
    const p = s - this.ba;
    if (s - firstS < this.ka - 1) return [];
    const avg = this.smoothSum / this.ka;
    // 4. QRS flag at p.
    const qrs = this.at(this.smoothRing, p) > GRAD_THRESH_WEIGHT * avg;
    const out: EcgRPeak[] = [];
    if (qrs && !this.prevQrs) this.qrsBeg = p - 1;
    else if (qrs && this.qrsBeg >= 0 && p - this.qrsBeg > this.maxQrs) this.qrsBeg = -1; // abandoned
    else if (!qrs && this.prevQrs && this.qrsBeg >= 0) {
      const peak = this.segmentPeak(this.qrsBeg, p - 1);
      if (peak) out.push(peak);
      this.qrsBeg = -1;
    }
    this.prevQrs = qrs;
    return out;
  }

  /** Steps 5–7 on the segment [beg, end) (NeuroKit: `signal[beg:end]`). */
  private segmentPeak(beg: number, end: number): EcgRPeak | null {
    const len = end - beg;
    this.lengths.push(len);
    if (this.lengths.length > MIN_LEN_HISTORY) this.lengths.shift();
    let mean = 0;
    for (const l of this.lengths) mean += l;
    mean /= this.lengths.length;
    if (len < mean * MIN_LEN_WEIGHT) return null;
    const lo = Math.max(beg, this.n - this.ringN + 1);
    const seg = new Float64Array(end - lo);
    for (let k = lo; k < end; k++) seg[k - lo] = this.at(this.cleanRing, k);
    const rel = mostProminentMax(seg, 0, seg.length);
    if (rel < 0) return null;
    // Locate on the high-passed signal (no power-line delay): the larger of the two samples the
    // causal mean combined, then a 3-point parabola.
    let k = lo + rel;
    const plShift = Math.floor((this.plN - 1) / 2);
    k -= plShift;
    let best = k;
    for (let d = -1; d <= 1; d++) if (this.at(this.hpRing, k + d) > this.at(this.hpRing, best)) best = k + d;
    if (best - this.lastPeak <= this.minDelay) return null;
    const y0 = this.at(this.hpRing, best - 1);
    const y1 = this.at(this.hpRing, best);
    const y2 = this.at(this.hpRing, best + 1);
    const den = y0 - 2 * y1 + y2;
    const off = den < 0 ? Math.max(-0.5, Math.min(0.5, (0.5 * (y0 - y2)) / den)) : 0;
    this.lastPeak = best;
    const t0 = this.at(this.tRing, best);
    const t1 = off >= 0 ? this.at(this.tRing, best + 1) : this.at(this.tRing, best - 1);
    const tMs = t0 + Math.abs(off) * (t1 - t0);
    return { sample: best + off, tMs, amplitude: y1 - (off * (y0 - y2)) / 4 };
  }
}

/** Offline convenience: every R-peak of a whole recording (times = sample / fs × 1000). */
export function detectEcgRPeaks(samples: ArrayLike<number>, sampleRateHz: number): EcgRPeak[] {
  const det = new EcgRPeakDetector({ sampleRateHz });
  const out: EcgRPeak[] = [];
  const dt = 1000 / sampleRateHz;
  for (let i = 0; i < samples.length; i++) for (const p of det.push(samples[i] as number, i * dt)) out.push(p);
  return out;
}
