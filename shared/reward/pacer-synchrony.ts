/**
 * How closely the heart-rate oscillation follows the pacer: synchronous (lock-in) demodulation
 * of heart rate at the pacer's own phase.
 *
 * Method: HR(t) = 60000 / NN (beats/min) at the midpoint of each interval (60000/NN is the mean
 * heart rate over the interval, which for a smooth oscillation is its value at the midpoint to
 * second order; placing it at the beat that ends the interval would read the wave half an interval
 * late, ~18° at 6 breaths/min — the same placement as resonance/hr-breath-phase.ts), linearly
 * interpolated on a 4 Hz grid
 * over the window, least-squares linear trend removed (slow drift is not breathing). With the
 * pacer's continuous cycle count c(t) (shared/pacer/phase.ts; it stays continuous across rate
 * changes, so a changing pacer is followed exactly), θ(t) = 2π·c(t) and
 *   Z = Σ x(t)·e^(−iθ(t)).
 * For x = A·cos(θ − φ) + noise, Z ≈ N·A/2·e^(−iφ), so
 *   strength = 2|Z| / (N·√2·sd(x))          (0 = unrelated, 1 = HR is a pure wave at the pacer)
 * is the correlation between HR and the best-fitting pacer-locked sinusoid (it equals |r| of a
 * regression on cos θ, sin θ). Lock-in detection: Scofield 1994, Am J Phys 62:129 ("Frequency-
 * domain description of a lock-in amplifier"); the use of HR–pacer phase for resonance breathing
 * follows Shaffer & Meehan 2020 (Front Neurosci 14:570400, criterion 1: HR peaks at the end of
 * inhalation, ~0° phase).
 *
 * `lagDeg` is the phase of the HR peak after the end of the pacer's in-breath (θ = 2π·inhaleShare),
 * wrapped to (−180, 180]. Without a respiration belt it mixes the person's lag behind the pacer
 * with the heart's lag behind the breath, so the reward uses only `strength`; `lagDeg` is shown.
 */
import { pacerCycles, type PacerSchedule } from '../pacer/phase';

export const SYNCHRONY_RATE_HZ = 4;

export interface PacerSynchrony {
  /** 0–1: correlation of HR with a pacer-locked wave. */
  readonly strength: number;
  /** Phase of the HR peak after the end of the in-breath, degrees (−180, 180]. */
  readonly lagDeg: number;
  /** Amplitude of the pacer-locked HR wave, peak-to-trough beats/min. */
  readonly peakToTroughBpm: number;
}

/**
 * @param beatTMs beat times (end of each NN interval), ms, increasing
 * @param nnMs NN intervals, ms (same length)
 * @param schedule the pacer schedule the person followed
 * @param fromMs window start, ms; @param toMs window end, ms
 * @returns null when the window holds less than two pacer cycles or fewer than 8 beats
 */
export function computePacerSynchrony(beatTMs: ArrayLike<number>, nnMs: ArrayLike<number>, schedule: PacerSchedule, fromMs: number, toMs: number): PacerSynchrony | null {
  const n = Math.min(beatTMs.length, nnMs.length);
  let i0 = 0;
  while (i0 < n && (beatTMs[i0] as number) < fromMs) i0++;
  let i1 = n;
  while (i1 > i0 && (beatTMs[i1 - 1] as number) > toMs) i1--;
  if (i1 - i0 < 8) return null;
  const tStart = beatTMs[i0] as number;
  const tEnd = beatTMs[i1 - 1] as number;
  if (pacerCycles(schedule, tEnd) - pacerCycles(schedule, tStart) < 2) return null;
  const stepMs = 1000 / SYNCHRONY_RATE_HZ;
  const count = Math.floor((tEnd - tStart) / stepMs) + 1;
  const x = new Float64Array(count);
  let k = i0;
  // Interval midpoints (beat time minus half the interval): increasing, as the beats are.
  const midAt = (i: number): number => (beatTMs[i] as number) - (nnMs[i] as number) / 2;
  for (let j = 0; j < count; j++) {
    const t = tStart + j * stepMs;
    while (k + 1 < i1 - 1 && midAt(k + 1) < t) k++;
    const ta = midAt(k);
    const tb = midAt(Math.min(k + 1, i1 - 1));
    const ha = 60_000 / (nnMs[k] as number);
    const hb = 60_000 / (nnMs[Math.min(k + 1, i1 - 1)] as number);
    const u = tb > ta ? Math.min(1, Math.max(0, (t - ta) / (tb - ta))) : 0;
    x[j] = ha + (hb - ha) * u;
  }
  // Remove the least-squares line.
  const mid = (count - 1) / 2;
  let sx = 0;
  let sxy = 0;
  let sxx = 0;
  for (let j = 0; j < count; j++) {
    sx += x[j] as number;
    sxy += (j - mid) * (x[j] as number);
    sxx += (j - mid) * (j - mid);
  }
  const mean = sx / count;
  const slope = sxx > 0 ? sxy / sxx : 0;
  let re = 0;
  let im = 0;
  let ss = 0;
  for (let j = 0; j < count; j++) {
    const v = (x[j] as number) - mean - slope * (j - mid);
    const th = 2 * Math.PI * pacerCycles(schedule, tStart + j * stepMs);
    re += v * Math.cos(th);
    im -= v * Math.sin(th);
    ss += v * v;
  }
  const sd = Math.sqrt(ss / count);
  if (!(sd > 0)) return { strength: 0, lagDeg: 0, peakToTroughBpm: 0 };
  const mag = Math.hypot(re, im);
  const amplitude = (2 * mag) / count; // A in A·cos(θ − φ)
  const strength = Math.min(1, amplitude / (Math.SQRT2 * sd));
  const phi = Math.atan2(-im, re); // HR peaks at θ = φ
  const inhaleShare = schedule[schedule.length - 1]?.settings.inhaleShare ?? 0.4;
  let lag = ((phi - 2 * Math.PI * inhaleShare) * 180) / Math.PI;
  lag = ((((lag + 180) % 360) + 360) % 360) - 180;
  if (lag === -180) lag = 180;
  return { strength, lagDeg: lag, peakToTroughBpm: 2 * amplitude };
}
