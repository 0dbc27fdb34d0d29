import type { PacerSettings } from '../pacer/phase';
import type { LslSettings } from './lsl';

export interface Settings {
  readonly pacer: PacerSettings;
  /** RMSSD window shown live, ms of data time. */
  readonly rmssdWindowMs: number;
  readonly reducedMotion: 'system' | 'on' | 'off';
  /** Lab Streaming Layer: Soothe's streams on the lab network (off by default; main/services/lsl). */
  readonly lsl?: LslSettings;
}
