/**
 * Progressive slowing: the pacer starts where the person already breathes and eases toward the
 * target rate over minutes, never faster than a comfortable step.
 *
 * Why: people asked to jump straight to 6 breaths/min often cannot keep it and breathe faster
 * than the pacer (Steffen et al. 2021, Front Psychol 12:624254: the 6/min pacer group averaged
 * ~12/min); CFT scripts say "start a little quicker, then slow down" to a rhythm "slower and
 * deeper than usual, but comfortable" (Balanced Minds soothing-rhythm scripts; see
 * notes/domain-facts.md §4.5). So:
 *  - start rate = the person's breathing rate, clamped to the pacer's range, or the target when
 *    nothing is measured yet. The rate is measured from chest movement when a Polar H10's
 *    accelerometer reports breaths, else estimated from RSA (estimate-rsa.ts): the same preference
 *    as the reward (reward/measured-breathing.ts `chooseBreathing`); `advanceSlowing` reports which
 *    one each step used;
 *  - the rate falls linearly by at most `maxStepBreathsPerMinPerMin` (default 0.5 breaths/min per
 *    minute: 12 → 6 takes 12 min, 10 → 6 takes 8 min);
 *  - it waits while the person lags behind: when the measured rate is more than
 *    `holdWhenLagBreathsPerMin` above the pacer, the pacer holds its rate until they catch up;
 *  - the pacer receives the rate rounded to its 0.1 steps, so it changes in 0.1 steps at least
 *    6 s apart at the default speed.
 * A step function `(state, input) → state`, pure; the session calls it every few seconds.
 */
import { PACER_MAX_BREATHS_PER_MIN, PACER_MIN_BREATHS_PER_MIN, PACER_RATE_STEP } from './phase';

/** Comfortable slowing, breaths/min per minute (default). */
export const DEFAULT_SLOWING_BREATHS_PER_MIN_PER_MIN = 0.5;
/** Slowing is never faster than this, whatever the settings say, breaths/min per minute. */
export const MAX_SLOWING_BREATHS_PER_MIN_PER_MIN = 1;
/** The pacer waits when the person breathes this much faster than it, breaths/min. */
export const DEFAULT_HOLD_WHEN_LAG_BREATHS_PER_MIN = 1.5;

export interface SlowingOptions {
  readonly targetBreathsPerMin: number;
  readonly maxStepBreathsPerMinPerMin: number;
  readonly holdWhenLagBreathsPerMin: number;
}

export interface SlowingState {
  /** Unrounded pacer rate now, breaths/min. */
  readonly rateBreathsPerMin: number;
  /** Time of the last step, ms. */
  readonly tMs: number;
  /** True while the pacer waits for the person to catch up. */
  readonly holding: boolean;
  /** True once the target is reached. */
  readonly done: boolean;
}

const clampRate = (r: number): number => Math.min(PACER_MAX_BREATHS_PER_MIN, Math.max(PACER_MIN_BREATHS_PER_MIN, r));

/** Round to the pacer's 0.1 breaths/min steps. */
export const roundToPacerStep = (r: number): number => Math.round(clampRate(r) / PACER_RATE_STEP) * PACER_RATE_STEP;

export function slowingOptions(targetBreathsPerMin: number, patch: Partial<Omit<SlowingOptions, 'targetBreathsPerMin'>> = {}): SlowingOptions {
  return {
    targetBreathsPerMin: clampRate(targetBreathsPerMin),
    maxStepBreathsPerMinPerMin: Math.min(MAX_SLOWING_BREATHS_PER_MIN_PER_MIN, Math.max(0.05, patch.maxStepBreathsPerMinPerMin ?? DEFAULT_SLOWING_BREATHS_PER_MIN_PER_MIN)),
    holdWhenLagBreathsPerMin: Math.max(0.5, patch.holdWhenLagBreathsPerMin ?? DEFAULT_HOLD_WHEN_LAG_BREATHS_PER_MIN),
  };
}

/**
 * Start slowing at `tMs` from the person's measured rate (breaths/min, null when unknown).
 * A measured rate below the target starts at the target: the pacer never speeds the person up
 * past their target, it only guides down toward it.
 */
export function startSlowing(measuredBreathsPerMin: number | null, tMs: number, o: SlowingOptions): SlowingState {
  const from = measuredBreathsPerMin === null || !Number.isFinite(measuredBreathsPerMin) ? o.targetBreathsPerMin : clampRate(measuredBreathsPerMin);
  const rate = Math.max(from, o.targetBreathsPerMin);
  return { rateBreathsPerMin: rate, tMs, holding: false, done: rate <= o.targetBreathsPerMin };
}

/**
 * Advance to `tMs` given the latest measured rate (breaths/min or null). The rate only falls,
 * by at most `maxStepBreathsPerMinPerMin × elapsed minutes`, and not while the person lags.
 */
export function stepSlowing(s: SlowingState, tMs: number, measuredBreathsPerMin: number | null, o: SlowingOptions): SlowingState {
  const dtMin = Math.max(0, tMs - s.tMs) / 60_000;
  if (s.done) return { ...s, tMs };
  const lagging = measuredBreathsPerMin !== null && Number.isFinite(measuredBreathsPerMin) && measuredBreathsPerMin - s.rateBreathsPerMin > o.holdWhenLagBreathsPerMin;
  if (lagging) return { ...s, tMs, holding: true };
  const rate = Math.max(o.targetBreathsPerMin, s.rateBreathsPerMin - o.maxStepBreathsPerMinPerMin * dtMin);
  return { rateBreathsPerMin: rate, tMs, holding: false, done: rate <= o.targetBreathsPerMin };
}

/** The rate to give the pacer now (0.1 steps). */
export const slowingPacerRate = (s: SlowingState): number => roundToPacerStep(s.rateBreathsPerMin);

/** Where a slowing step's breathing rate came from (same names as reward/measured-breathing.ts). */
export type SlowingBreathingSource = 'chest-acc' | 'rsa';

/** The person's breathing for one slowing step: a rate (breaths/min or null) and its source. */
export interface SlowingBreathing {
  readonly breathsPerMin: number | null;
  readonly source: SlowingBreathingSource | null;
}

/** One slowing step and what it was based on (for the recording). */
export interface SlowingStepResult {
  /** null while waiting for a first measured rate. */
  readonly state: SlowingState | null;
  /** The rate the step used, breaths/min; null when none was known. */
  readonly measuredBreathsPerMin: number | null;
  /** Which measurement that rate came from; null when none was known. */
  readonly source: SlowingBreathingSource | null;
}

/**
 * One step of slowing from the chosen breathing (pass `chooseBreathing(...)` of
 * reward/measured-breathing.ts, so chest-accelerometer breaths win over the RSA estimate): starts
 * slowing at the first known rate, then steps it. Before any rate is known the state stays null.
 */
export function advanceSlowing(s: SlowingState | null, tMs: number, breathing: SlowingBreathing, o: SlowingOptions): SlowingStepResult {
  const rate = breathing.breathsPerMin !== null && Number.isFinite(breathing.breathsPerMin) ? breathing.breathsPerMin : null;
  const source = rate === null ? null : breathing.source;
  if (s === null) return { state: rate === null ? null : startSlowing(rate, tMs, o), measuredBreathsPerMin: rate, source };
  return { state: stepSlowing(s, tMs, rate, o), measuredBreathsPerMin: rate, source };
}
