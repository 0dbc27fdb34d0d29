/**
 * The phase between the heart-rate oscillation and breathing measured by a chest accelerometer
 * (Polar H10, shared/signal/accelerometer-breathing.ts): Shaffer & Meehan's first resonance
 * criterion, "heart rate and breathing in phase" (Shaffer & Meehan 2020, Front Neurosci
 * 14:570400; Vaschillo, Lehrer, Rishe & Konstantinov 2002, Appl Psychophysiol Biofeedback
 * 27:1–27: at the resonance frequency HR and respiration oscillate in phase, 0°).
 *
 * Method:
 * 1. Breathing phase from breath events, linear between inhale onsets (the event-based phase of
 *    Schäfer, Rosenblum, Kurths & Abel 1998, Nature 392:239–240): within a breath with inhale
 *    onset o and duration d, ψ(t) = 2π·(t − o)/d. Only time covered by a measured breath is used,
 *    so a missed breath leaves a hole rather than a wrong phase.
 * 2. HR = 60000 / NN placed at the middle of each interval (the interval's mean rate belongs to
 *    its middle; at the beat that ends it, the phase would lag by half a beat, ≈ 17° at 6/min),
 *    linearly interpolated on a 4 Hz grid, least-squares line removed (slow drift is not
 *    breathing), as in reward/pacer-synchrony.ts.
 * 3. Lock-in demodulation at the breathing phase (Scofield 1994, Am J Phys 62:129):
 *    Z = Σ x·e^(−iψ). For x = A·cos(ψ − φ) + noise, arg Z = −φ: HR peaks at ψ = φ; |Z| gives A.
 *    strength = A / (√2·sd(x)) (the correlation of HR with the best breath-locked sinusoid, 0–1).
 * 4. phaseDeg = φ − 2π·inhaleShare, wrapped to (−180, 180]: the HR peak relative to the end of the
 *    in-breath (peak lung volume; inhaleShare is the median measured inspiratory share, from each
 *    breath's exhale onset, else DEFAULT_INHALE_SHARE). 0° = HR rises through the in-breath and
 *    peaks as it ends (HR in phase with lung volume, as at resonance); positive = HR lags the breath.
 * Unlike the pacer-locked phase (reward/pacer-synchrony.ts lagDeg), this does not include the
 * person's own lag behind the pacer: it is the heart against the breath actually taken.
 * `inPhaseScore` = strength · (1 + cos phase) / 2: a strong HR wave in phase with the breath
 * scores 1; 90° scores half the strength, opposite phase or no relation 0.
 */
import { SYNCHRONY_RATE_HZ } from '../reward/pacer-synchrony';

/** Inspiratory share used when breaths carry no exhale onset (Ti/Ttot ≈ 0.42 in normal breathing: Tobin et al. 1983, Chest 84:202; the pacer's default is 0.4). */
export const DEFAULT_INHALE_SHARE = 0.4;
/** Fewest whole breaths in the window for a phase. */
export const MIN_PHASE_BREATHS = 3;
/** Fewest beats in the window for a phase. */
const MIN_BEATS = 8;

/** One measured breath (a subset of accelerometer-breathing.ts `Breath`). */
export interface BreathEvent {
  /** Inhale onset, ms (session time, as beats). */
  readonly onsetTMs: number;
  /** To the next inhale onset, ms. */
  readonly durationMs: number;
  /** End of the in-breath (exhale onset), ms; optional. */
  readonly exhaleOnsetTMs?: number;
}

export interface HrBreathPhase {
  /** HR peak relative to the end of the in-breath, degrees (−180, 180]; 0 = in phase. */
  readonly phaseDeg: number;
  /** 0–1: correlation of HR with a breath-locked wave. */
  readonly strength: number;
  /** strength · (1 + cos phaseDeg) / 2, 0–1. */
  readonly inPhaseScore: number;
  /** Whole breaths used. */
  readonly breaths: number;
  /** Median rate of those breaths, breaths/min. */
  readonly breathsPerMin: number;
  /** Inspiratory share used for the end of the in-breath. */
  readonly inhaleShare: number;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

/** Whole breaths inside [fromMs, toMs], by onset, with a finite positive duration. */
export function breathsInWindow<B extends BreathEvent>(breaths: readonly B[], fromMs: number, toMs: number): B[] {
  return breaths.filter((b) => Number.isFinite(b.onsetTMs) && b.durationMs > 0 && b.onsetTMs >= fromMs && b.onsetTMs + b.durationMs <= toMs).sort((a, b) => a.onsetTMs - b.onsetTMs);
}

/**
 * @param beatTMs beat times (end of each NN interval), ms, increasing
 * @param nnMs NN intervals, ms (same length)
 * @param breaths measured breaths (any order; overlapping ones are skipped)
 * @param fromMs window start, ms; @param toMs window end, ms
 * @returns null with fewer than MIN_PHASE_BREATHS whole breaths or 8 beats in the window
 */
export function computeHrBreathPhase(beatTMs: ArrayLike<number>, nnMs: ArrayLike<number>, breaths: readonly BreathEvent[], fromMs: number, toMs: number): HrBreathPhase | null {
  const inWin = breathsInWindow(breaths, fromMs, toMs);
  const used: BreathEvent[] = [];
  for (const b of inWin) {
    const prev = used[used.length - 1];
    if (!prev || b.onsetTMs >= prev.onsetTMs + prev.durationMs - 1) used.push(b);
  }
  if (used.length < MIN_PHASE_BREATHS) return null;
  const n = Math.min(beatTMs.length, nnMs.length);
  let i0 = 0;
  while (i0 < n && (beatTMs[i0] as number) < fromMs) i0++;
  let i1 = n;
  while (i1 > i0 && (beatTMs[i1 - 1] as number) > toMs) i1--;
  if (i1 - i0 < MIN_BEATS) return null;
  // Interval midpoints (beat time minus half the interval), increasing.
  const mid = (i: number): number => (beatTMs[i] as number) - (nnMs[i] as number) / 2;
  const tFirst = mid(i0);
  const tLast = mid(i1 - 1);
  // Grid samples inside measured breaths and inside the beats' span: time and breathing phase.
  const stepMs = 1000 / SYNCHRONY_RATE_HZ;
  const ts: number[] = [];
  const psi: number[] = [];
  for (const b of used) {
    const start = Math.max(b.onsetTMs, tFirst);
    const end = Math.min(b.onsetTMs + b.durationMs, tLast);
    for (let t = Math.ceil(start / stepMs) * stepMs; t < end; t += stepMs) {
      ts.push(t);
      psi.push((2 * Math.PI * (t - b.onsetTMs)) / b.durationMs);
    }
  }
  if (ts.length < 4) return null;
  const x = new Float64Array(ts.length);
  let k = i0;
  ts.forEach((t, j) => {
    while (k + 1 < i1 - 1 && mid(k + 1) < t) k++;
    const kb = Math.min(k + 1, i1 - 1);
    const ta = mid(k);
    const tb = mid(kb);
    const ha = 60_000 / (nnMs[k] as number);
    const hb = 60_000 / (nnMs[kb] as number);
    const u = tb > ta ? Math.min(1, Math.max(0, (t - ta) / (tb - ta))) : 0;
    x[j] = ha + (hb - ha) * u;
  });
  // Remove the least-squares line (in time: the grid may have holes).
  const m = ts.length;
  const tMean = ts.reduce((a, b) => a + b, 0) / m;
  let sx = 0;
  let sxy = 0;
  let stt = 0;
  for (let j = 0; j < m; j++) {
    const dt = (ts[j] as number) - tMean;
    sx += x[j] as number;
    sxy += dt * (x[j] as number);
    stt += dt * dt;
  }
  const mean = sx / m;
  const slope = stt > 0 ? sxy / stt : 0;
  let re = 0;
  let im = 0;
  let ss = 0;
  for (let j = 0; j < m; j++) {
    const v = (x[j] as number) - mean - slope * ((ts[j] as number) - tMean);
    const th = psi[j] as number;
    re += v * Math.cos(th);
    im -= v * Math.sin(th);
    ss += v * v;
  }
  const shares = used.filter((b) => b.exhaleOnsetTMs !== undefined && b.exhaleOnsetTMs > b.onsetTMs && b.exhaleOnsetTMs < b.onsetTMs + b.durationMs).map((b) => ((b.exhaleOnsetTMs as number) - b.onsetTMs) / b.durationMs);
  const inhaleShare = shares.length > 0 ? median(shares) : DEFAULT_INHALE_SHARE;
  const breathsPerMin = median(used.map((b) => 60_000 / b.durationMs));
  const sd = Math.sqrt(ss / m);
  if (!(sd > 0)) return { phaseDeg: 0, strength: 0, inPhaseScore: 0, breaths: used.length, breathsPerMin, inhaleShare };
  const amplitude = (2 * Math.hypot(re, im)) / m;
  const strength = Math.min(1, amplitude / (Math.SQRT2 * sd));
  const phi = Math.atan2(-im, re); // HR peaks at ψ = φ
  let phaseDeg = ((phi - 2 * Math.PI * inhaleShare) * 180) / Math.PI;
  phaseDeg = ((((phaseDeg + 180) % 360) + 360) % 360) - 180;
  if (phaseDeg === -180) phaseDeg = 180;
  const inPhaseScore = (strength * (1 + Math.cos((phaseDeg * Math.PI) / 180))) / 2;
  return { phaseDeg, strength, inPhaseScore, breaths: used.length, breathsPerMin, inhaleShare };
}
