/**
 * The reward signal: one number 0–1 saying, gently, how much the body follows slow breathing.
 *
 * Inputs (all from the live HRV engine and the pacer, updated every 5 s of data time):
 *  - rate: breathing rate measured from RSA (estimate-rsa.ts) against the pacer rate.
 *    rateScore = 1 / (1 + (Δ / tol)²), Δ = |measured − pacer| breaths/min, tol per level.
 *    Why: slow breathing is the lever; being near the pacer is what the person controls.
 *  - heart rate following the breath:
 *    amplitudeScore = clamp((PTT / PTT_base − 1) / (gainFull − 1)), PTT = peak-to-trough HR per
 *    breath (Lehrer, Vaschillo & Vaschillo 2000), PTT_base the person's own baseline;
 *    synchronyScore = pacer-locked strength (pacer-synchrony.ts, 0–1);
 *    followScore = (amplitudeScore + synchronyScore) / 2.
 *    Why: at resonance RSA grows several-fold and HR rises and falls with each breath
 *    (Vaschillo et al. 2002; Shaffer & Meehan 2020 criteria 1 and 2).
 *  - coherence (HeartMath-style ratio, compute-coherence.ts):
 *    coherenceScore = clamp((C − C_base) / (max(cFull, 2·C_base) − C_base)) · near(peak),
 *    near(peak) = 1 / (1 + (Δpeak / tol)²), Δpeak = |coherence peak − pacer| in breaths/min.
 *    Why: one smooth dominant rhythm is the classic biofeedback target (McCraty et al. 2009);
 *    it counts at the rhythm the pacer guides: a smooth peak from fast regular breathing is not the aim.
 *  - breathing measured by a chest accelerometer (Polar H10), when present (measured-breathing.ts):
 *    its rate replaces the RSA estimate in rateScore, and its phase against the pacer gives
 *    phaseScore (0–1: breathing in with the pacer, consistently); the breathing term is then
 *    breathScore = (rateScore + phaseScore) / 2, else breathScore = rateScore.
 *    Why: with the breath itself measured, following the pacer means both its tempo and its timing.
 *  reward = 0.30·breathScore + 0.35·followScore + 0.35·coherenceScore
 * Weights are renormalised over the inputs present (a missing input is "collecting", never 0).
 * Relative to the person: amplitude and coherence are compared with their own baseline
 * (reward/baseline.ts), so a person with naturally small HRV is rewarded for their own growth.
 * Challenge levels tighten the tolerance and raise what counts as full (table below); a level
 * never makes the reward negative: every score is clamped to 0–1, and 0 means "quiet", not "bad".
 */
import type { RewardBaseline } from './baseline';

export type RewardLevel = 1 | 2 | 3 | 4;

export const REWARD_LEVELS: Readonly<Record<RewardLevel, { readonly name: string; readonly rateTolBreathsPerMin: number; readonly gainFull: number; readonly coherenceFull: number }>> = {
  1: { name: 'Gentle', rateTolBreathsPerMin: 1.5, gainFull: 1.8, coherenceFull: 1.5 },
  2: { name: 'Steady', rateTolBreathsPerMin: 1.0, gainFull: 2.3, coherenceFull: 2.5 },
  3: { name: 'Deep', rateTolBreathsPerMin: 0.7, gainFull: 2.8, coherenceFull: 4 },
  4: { name: 'Deepest', rateTolBreathsPerMin: 0.5, gainFull: 3.5, coherenceFull: 6 },
};

export const REWARD_WEIGHTS = { rate: 0.3, follow: 0.35, coherence: 0.35 } as const;

export interface RewardInputs {
  /** Breathing rate, breaths/min: measured from chest movement when available, else estimated from RSA. */
  readonly measuredBreathsPerMin: number | null;
  /** Measured breathing's phase score against the pacer, 0–1 (measured-breathing.ts); absent/null without a chest sensor. */
  readonly breathPhaseScore?: number | null;
  /** Pacer rate now, breaths/min. */
  readonly pacerBreathsPerMin: number;
  /** RSA peak-to-trough heart rate, beats/min. */
  readonly peakToTroughBpm: number | null;
  /** Pacer-locked HR strength, 0–1. */
  readonly synchrony: number | null;
  /** Coherence ratio. */
  readonly coherence: number | null;
  /** Frequency of the coherence peak, breaths/min (= Hz × 60); null when unknown (then not weighted). */
  readonly coherencePeakBreathsPerMin: number | null;
}

export interface Reward {
  /** 0–1, null while every input is still collecting. */
  readonly value: number | null;
  readonly rateScore: number | null;
  /** Breathing in with the pacer (measured breathing only), 0–1; null without it. */
  readonly phaseScore: number | null;
  readonly amplitudeScore: number | null;
  readonly synchronyScore: number | null;
  readonly followScore: number | null;
  readonly coherenceScore: number | null;
  readonly level: RewardLevel;
}

const clamp01 = (x: number): number => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0);
const ok = (x: number | null): x is number => x !== null && Number.isFinite(x);

export function normalizeRewardLevel(x: unknown): RewardLevel {
  return x === 1 || x === 2 || x === 3 || x === 4 ? x : 1;
}

/** The reward for the latest inputs, against the person's baseline, at a challenge level. */
export function computeReward(i: RewardInputs, baseline: RewardBaseline, level: RewardLevel): Reward {
  const L = REWARD_LEVELS[level];
  const rateScore = ok(i.measuredBreathsPerMin) ? 1 / (1 + ((i.measuredBreathsPerMin - i.pacerBreathsPerMin) / L.rateTolBreathsPerMin) ** 2) : null;
  const amplitudeScore = ok(i.peakToTroughBpm) ? clamp01((i.peakToTroughBpm / Math.max(0.5, baseline.peakToTroughBpm) - 1) / (L.gainFull - 1)) : null;
  const synchronyScore = ok(i.synchrony) ? clamp01(i.synchrony) : null;
  const followScore = amplitudeScore !== null && synchronyScore !== null ? (amplitudeScore + synchronyScore) / 2 : (amplitudeScore ?? synchronyScore);
  const base = Math.max(0.05, baseline.coherence);
  const near = ok(i.coherencePeakBreathsPerMin) ? 1 / (1 + ((i.coherencePeakBreathsPerMin - i.pacerBreathsPerMin) / L.rateTolBreathsPerMin) ** 2) : 1;
  const coherenceScore = ok(i.coherence) ? clamp01(((i.coherence - base) / (Math.max(L.coherenceFull, 2 * base) - base)) * near) : null;
  const phaseScore = ok(i.breathPhaseScore ?? null) ? clamp01(i.breathPhaseScore as number) : null;
  const breathScore = rateScore !== null && phaseScore !== null ? (rateScore + phaseScore) / 2 : (rateScore ?? phaseScore);
  let sum = 0;
  let w = 0;
  if (breathScore !== null) {
    sum += REWARD_WEIGHTS.rate * breathScore;
    w += REWARD_WEIGHTS.rate;
  }
  if (followScore !== null) {
    sum += REWARD_WEIGHTS.follow * followScore;
    w += REWARD_WEIGHTS.follow;
  }
  if (coherenceScore !== null) {
    sum += REWARD_WEIGHTS.coherence * coherenceScore;
    w += REWARD_WEIGHTS.coherence;
  }
  return { value: w > 0 ? clamp01(sum / w) : null, rateScore, phaseScore, amplitudeScore, synchronyScore, followScore, coherenceScore, level };
}

/**
 * Ease the displayed reward toward its target with time constant `tauMs` (exact exponential
 * step, so the result does not depend on the frame rate): the scene answers within a few seconds
 * without flicker.
 */
export function easeReward(shownValue: number, targetValue: number, dtMs: number, tauMs = 2500): number {
  const a = 1 - Math.exp(-Math.max(0, dtMs) / tauMs);
  return clamp01(shownValue + (targetValue - shownValue) * a);
}
