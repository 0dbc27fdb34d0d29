import type { PacerSettings } from '../pacer/phase';
import type { LslSettings } from './lsl';
import type { RewardBaseline } from '../reward/baseline';
import type { RewardLevel } from '../reward/compute-reward';

/** The pacer's look: a breathing orb or a flowing horizon wave. */
export type PacerStyle = 'orb' | 'wave';

/** How the trainer guides: look, sound, slowing, first-use note. */
export interface TrainerSettings {
  readonly pacerStyle: PacerStyle;
  /** Soft tones for in and out. */
  readonly audioEnabled: boolean;
  /** 0–1. */
  readonly audioVolume: number;
  /** Start at the person's own breathing rate and ease toward the pacer rate. */
  readonly progressiveSlowing: boolean;
  /** The safety note ("stop if you feel dizzy…") was shown and acknowledged once. */
  readonly safetyNoteSeen: boolean;
}

export const DEFAULT_TRAINER: TrainerSettings = { pacerStyle: 'orb', audioEnabled: false, audioVolume: 0.5, progressiveSlowing: false, safetyNoteSeen: false };

/** The outcome of a resonance-frequency assessment (shared/resonance). */
export interface ResonanceResult {
  readonly breathsPerMin: number;
  readonly assessedAtIso: string;
  readonly reasons: readonly string[];
}

export interface Settings {
  readonly pacer: PacerSettings;
  /** RMSSD window shown live, ms of data time. */
  readonly rmssdWindowMs: number;
  readonly reducedMotion: 'system' | 'on' | 'off';
  /** Lab Streaming Layer: Soothe's streams on the lab network (off by default; main/services/lsl). */
  readonly lsl?: LslSettings;
  /** Reward challenge level, 1 (gentle) – 4. */
  readonly rewardLevel?: RewardLevel;
  /** The person's own baseline for the reward (moving average over sessions). */
  readonly rewardBaseline?: RewardBaseline;
  readonly trainer?: TrainerSettings;
  /** Last resonance-frequency assessment; its rate becomes the pacer's default. */
  readonly resonance?: ResonanceResult | null;
}
