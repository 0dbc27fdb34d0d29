/**
 * Scoring a resonance-frequency assessment: one result per paced rate, then a recommended rate.
 *
 * Per rate, over the scored window of the step (NN intervals after artifact correction):
 *  - lfPowerMs2: power 0.04–0.15 Hz of the 4 Hz cubic-spline tachogram, one Hann-windowed
 *    periodogram over the window (Welch with a single segment, nfft ≥ 4096), trapezoid rule;
 *  - lfPeakMs2PerHz / lfPeakHz: the highest PSD value in 0.04–0.15 Hz and where it is;
 *  - lfPeaks: local maxima in 0.04–0.15 Hz at least 20 % of the highest (fewer = one clean rhythm);
 *  - peakToTroughBpm: mean max − min heart rate per breath cycle (estimate-rsa.ts; Lehrer,
 *    Vaschillo & Vaschillo 2000);
 *  - synchrony / lagDeg: how closely HR follows the pacer (pacer-locked correlation, 0–1) and
 *    the phase of the HR peak after the end of the pacer's in-breath (reward/pacer-synchrony.ts);
 *  - with breaths measured by a chest accelerometer (Polar H10): hrBreathPhaseDeg, the phase of
 *    the HR oscillation against the breathing actually taken (HR peak relative to the end of the
 *    measured in-breath; 0° = HR rises with the in-breath, in phase as at resonance), its
 *    strength and inPhaseScore = strength · (1 + cos phase) / 2 (hr-breath-phase.ts: event-based
 *    breathing phase after Schäfer et al. 1998, lock-in demodulation);
 *  - smoothness: share of total power (0.0033–0.4 Hz) within ±0.015 Hz of the pacer rate: a
 *    pure, smooth wave at the pacer gives 1;
 *  - breathing compliance: the breathing rate against the step's rate, 1 / (1 + (Δ / 0.5)²); the
 *    rate is the median of the measured breaths when a chest accelerometer gave at least
 *    MIN_PHASE_BREATHS in the window, else the rate seen in the heart rhythm (estimate-rsa.ts);
 *    `breathingSource` says which.
 * Recommendation (Shaffer & Meehan 2020, Front Neurosci 14:570400: compare the criteria across
 * rates, in this order of importance: 1 phase synchrony, 2 peak-to-trough HR, 3 LF power, 4 LF
 * peak, 5 smoothness, 6 fewest LF peaks): each criterion is scaled to 0–1 relative to the best
 * rate and weighted 6, 5, 4, 3, 2, 1; rates the person could not follow (compliance < 0.5) are
 * only considered when no rate was followed.
 * Criterion 1 is scored from the measured HR–breathing phase (inPhaseScore) when every compared
 * rate has one (Shaffer & Meehan's criterion as stated: HR and breathing in phase); otherwise,
 * without a respiration signal, from the pacer-locked synchrony strength, and the pacer-locked
 * phase angle is then only reported, not scored: it mixes the person's lag behind the pacer with
 * the heart's lag behind the breath. `Recommendation.phaseCriterion` says which was used.
 */
import { computeWelchPsd, type Psd } from '../hrv/compute-welch-psd';
import { integrateBandPower } from '../hrv/integrate-band-power';
import { resampleTachogram, TACHOGRAM_RATE_HZ } from '../hrv/resample-tachogram';
import { estimateRsa } from '../hrv/estimate-rsa';
import { LF_HZ } from '../hrv/compute-frequency-domain';
import { computePacerSynchrony } from '../reward/pacer-synchrony';
import type { PacerSchedule } from '../pacer/phase';
import { breathsInWindow, computeHrBreathPhase, MIN_PHASE_BREATHS, type BreathEvent } from './hr-breath-phase';

export interface RateResult {
  readonly breathsPerMin: number;
  readonly beats: number;
  readonly lfPowerMs2: number | null;
  readonly lfPeakMs2PerHz: number | null;
  readonly lfPeakHz: number | null;
  readonly lfPeaks: number | null;
  readonly peakToTroughBpm: number | null;
  readonly synchrony: number | null;
  readonly lagDeg: number | null;
  readonly smoothness: number | null;
  readonly measuredBreathsPerMin: number | null;
  readonly compliance: number | null;
  /** Where measuredBreathsPerMin came from: breaths measured by a chest accelerometer, or RSA; null when neither. */
  readonly breathingSource?: 'chest-acc' | 'rsa' | null;
  /** HR peak relative to the end of the measured in-breath, degrees (−180, 180]; null without measured breaths. */
  readonly hrBreathPhaseDeg?: number | null;
  /** Correlation of HR with the breath-locked wave, 0–1; null without measured breaths. */
  readonly hrBreathStrength?: number | null;
  /** Criterion 1 from measured breathing: strength · (1 + cos phase) / 2, 0–1; null without measured breaths. */
  readonly inPhaseScore?: number | null;
}

/** What criterion 1 (HR and breathing in phase) was scored from. */
export type PhaseCriterion = 'hr-breath-phase' | 'pacer-synchrony';

export interface Recommendation {
  readonly breathsPerMin: number;
  /** Weighted score per rate (same order as the results), 0–21. */
  readonly scores: readonly number[];
  readonly reasons: readonly string[];
  /** Criterion 1 came from the measured HR–breathing phase, or (without measured breaths at every compared rate) from the pacer-locked synchrony. */
  readonly phaseCriterion: PhaseCriterion;
}

const MIN_NFFT = 4096;
const TOTAL_HZ = [0.0033, 0.4] as const;
const SMOOTH_HALF_WIDTH_HZ = 0.015;
export const CRITERIA_WEIGHTS = { synchrony: 6, peakToTrough: 5, lfPower: 4, lfPeak: 3, smoothness: 2, fewPeaks: 1 } as const;

function countPeaks(psd: Psd, loHz: number, hiHz: number, share: number): { count: number; max: number; atHz: number | null } {
  let max = 0;
  let atHz: number | null = null;
  for (let k = 0; k < psd.freqHz.length; k++) {
    const f = psd.freqHz[k] as number;
    if (f >= loHz && f < hiHz && (psd.psd[k] as number) > max) {
      max = psd.psd[k] as number;
      atHz = f;
    }
  }
  let count = 0;
  for (let k = 1; k + 1 < psd.freqHz.length; k++) {
    const f = psd.freqHz[k] as number;
    const v = psd.psd[k] as number;
    if (f >= loHz && f < hiHz && v >= share * max && v > (psd.psd[k - 1] as number) && v >= (psd.psd[k + 1] as number)) count++;
  }
  return { count, max, atHz };
}

/**
 * Score one step. `beatTMs`/`nnMs`: corrected beats (beat time at the end of each interval, ms);
 * `schedule`: the pacer the person followed; the window is [fromMs, toMs]; `breaths`: breaths
 * measured by a chest accelerometer (same clock as the beats), when there were any.
 */
export function scoreRate(breathsPerMin: number, beatTMs: ArrayLike<number>, nnMs: ArrayLike<number>, schedule: PacerSchedule, fromMs: number, toMs: number, breaths: readonly BreathEvent[] = []): RateResult {
  const t: number[] = [];
  const nn: number[] = [];
  for (let i = 0; i < Math.min(beatTMs.length, nnMs.length); i++) {
    const ti = beatTMs[i] as number;
    if (ti >= fromMs && ti <= toMs) {
      t.push(ti);
      nn.push(nnMs[i] as number);
    }
  }
  const empty: RateResult = { breathsPerMin, beats: nn.length, lfPowerMs2: null, lfPeakMs2PerHz: null, lfPeakHz: null, lfPeaks: null, peakToTroughBpm: null, synchrony: null, lagDeg: null, smoothness: null, measuredBreathsPerMin: null, compliance: null, breathingSource: null, hrBreathPhaseDeg: null, hrBreathStrength: null, inPhaseScore: null };
  if (nn.length < 30) return empty;
  const x = resampleTachogram(nn);
  let nfft = MIN_NFFT;
  while (nfft < x.length) nfft *= 2;
  const psd = computeWelchPsd(x, { fsHz: TACHOGRAM_RATE_HZ, segmentSamples: x.length, overlap: 0, nfft });
  const lfPowerMs2 = integrateBandPower(psd, LF_HZ[0], LF_HZ[1]);
  const peaks = countPeaks(psd, LF_HZ[0], LF_HZ[1], 0.2);
  const total = integrateBandPower(psd, TOTAL_HZ[0], TOTAL_HZ[1], true);
  const fHz = breathsPerMin / 60;
  const around = integrateBandPower(psd, fHz - SMOOTH_HALF_WIDTH_HZ, fHz + SMOOTH_HALF_WIDTH_HZ, true);
  const rsa = estimateRsa(nn);
  const sync = computePacerSynchrony(t, nn, schedule, fromMs, toMs);
  const phase = computeHrBreathPhase(t, nn, breaths, fromMs, toMs);
  const chest = breathsInWindow(breaths, fromMs, toMs);
  const chestRate = chest.length >= MIN_PHASE_BREATHS ? (phase?.breathsPerMin ?? median(chest.map((b) => 60_000 / b.durationMs))) : null;
  const measured = chestRate ?? rsa.breathsPerMin;
  const breathingSource = chestRate !== null ? 'chest-acc' : rsa.breathsPerMin !== null ? 'rsa' : null;
  return {
    breathsPerMin,
    beats: nn.length,
    lfPowerMs2,
    lfPeakMs2PerHz: peaks.max,
    lfPeakHz: peaks.atHz,
    lfPeaks: peaks.count,
    peakToTroughBpm: rsa.peakToTroughBpm,
    synchrony: sync?.strength ?? null,
    lagDeg: sync?.lagDeg ?? null,
    smoothness: total > 0 ? Math.min(1, around / total) : null,
    measuredBreathsPerMin: measured,
    compliance: measured === null ? null : 1 / (1 + ((measured - breathsPerMin) / 0.5) ** 2),
    breathingSource,
    hrBreathPhaseDeg: phase?.phaseDeg ?? null,
    hrBreathStrength: phase?.strength ?? null,
    inPhaseScore: phase?.inPhaseScore ?? null,
  };
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

const fmtRate = (r: number): string => `${r.toFixed(1)}/min`;

/** Recommend a rate from the per-rate results; null when no rate has data. */
export function recommendRate(results: readonly RateResult[]): Recommendation | null {
  const scored = results.filter((r) => r.lfPowerMs2 !== null);
  if (scored.length === 0) return null;
  const followed = scored.filter((r) => (r.compliance ?? 0) >= 0.5);
  const pool = followed.length > 0 ? followed : scored;
  const best = (get: (r: RateResult) => number | null, higher = true): number => {
    const v = pool.map(get).filter((x): x is number => x !== null && Number.isFinite(x));
    if (v.length === 0) return Number.NaN;
    return higher ? Math.max(...v) : Math.min(...v);
  };
  const rel = (x: number | null, b: number, higher = true): number => {
    if (x === null || !Number.isFinite(b) || !Number.isFinite(x)) return 0;
    if (higher) return b > 0 ? Math.max(0, x / b) : 0;
    return x > 0 ? Math.min(1, b / x) : 1;
  };
  const W = CRITERIA_WEIGHTS;
  // Criterion 1 from the measured HR–breathing phase only when every compared rate has it: one scale for all.
  const phaseCriterion: PhaseCriterion = pool.every((r) => r.inPhaseScore !== undefined && r.inPhaseScore !== null) ? 'hr-breath-phase' : 'pacer-synchrony';
  const c1 = (r: RateResult): number | null => (phaseCriterion === 'hr-breath-phase' ? (r.inPhaseScore ?? null) : r.synchrony);
  const bSync = best(c1);
  const bPtt = best((r) => r.peakToTroughBpm);
  const bLf = best((r) => r.lfPowerMs2);
  const bPeak = best((r) => r.lfPeakMs2PerHz);
  const bSmooth = best((r) => r.smoothness);
  const bFew = best((r) => r.lfPeaks, false);
  const scores = results.map((r) =>
    pool.includes(r)
      ? W.synchrony * rel(c1(r), bSync) +
        W.peakToTrough * rel(r.peakToTroughBpm, bPtt) +
        W.lfPower * rel(r.lfPowerMs2, bLf) +
        W.lfPeak * rel(r.lfPeakMs2PerHz, bPeak) +
        W.smoothness * rel(r.smoothness, bSmooth) +
        W.fewPeaks * rel(r.lfPeaks, bFew, false)
      : 0,
  );
  let bestI = 0;
  scores.forEach((s, i) => {
    if (s > (scores[bestI] ?? -1)) bestI = i;
  });
  const winner = results[bestI] as RateResult;
  const leader = (get: (r: RateResult) => number | null, higher = true): RateResult | undefined =>
    [...pool].sort((a, b) => (higher ? (get(b) ?? -Infinity) - (get(a) ?? -Infinity) : (get(a) ?? Infinity) - (get(b) ?? Infinity)))[0];
  const reasons: string[] = [`${fmtRate(winner.breathsPerMin)} scored highest over the six criteria (${(scores[bestI] ?? 0).toFixed(1)} of 21).`];
  const say = (name: string, get: (r: RateResult) => number | null, unit: (v: number) => string, higher = true): void => {
    const l = leader(get, higher);
    const v = l ? get(l) : null;
    if (!l || v === null) return;
    reasons.push(l === winner ? `It had the ${name}: ${unit(v)}.` : `The ${name} was at ${fmtRate(l.breathsPerMin)} (${unit(v)}; ${fmtRate(winner.breathsPerMin)}: ${get(winner) === null ? '—' : unit(get(winner) as number)}).`);
  };
  if (phaseCriterion === 'hr-breath-phase') {
    const phaseOf = (r: RateResult): string => (r.hrBreathPhaseDeg === null || r.hrBreathPhaseDeg === undefined ? '' : `, phase ${Math.round(r.hrBreathPhaseDeg)}°`);
    const l = leader(c1);
    if (l && c1(l) !== null) {
      reasons.push(
        l === winner
          ? `Its heart rate was most in phase with your measured breathing (${(c1(l) as number).toFixed(2)}${phaseOf(l)}; 0° = heart rate rises with the in-breath).`
          : `Heart rate was most in phase with your measured breathing at ${fmtRate(l.breathsPerMin)} (${(c1(l) as number).toFixed(2)}${phaseOf(l)}; ${fmtRate(winner.breathsPerMin)}: ${c1(winner) === null ? '—' : (c1(winner) as number).toFixed(2)}${phaseOf(winner)}).`,
      );
    }
  } else say('closest heart-rate following of the pacer', (r) => r.synchrony, (v) => `synchrony ${v.toFixed(2)}`);
  say('largest heart-rate swing per breath', (r) => r.peakToTroughBpm, (v) => `${v.toFixed(1)} beats/min`);
  say('highest LF power', (r) => r.lfPowerMs2, (v) => `${Math.round(v)} ms²`);
  say('smoothest heart-rate wave', (r) => r.smoothness, (v) => `${Math.round(v * 100)} % of power at the pacer`);
  const notFollowed = scored.filter((r) => !pool.includes(r));
  if (notFollowed.length > 0) reasons.push(`Not compared, because breathing did not follow the pacer there: ${notFollowed.map((r) => fmtRate(r.breathsPerMin)).join(', ')}.`);
  return { breathsPerMin: winner.breathsPerMin, scores, reasons, phaseCriterion };
}
