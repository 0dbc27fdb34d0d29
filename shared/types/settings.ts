import type { PacerSettings } from '../pacer/phase';

export interface Settings {
  readonly pacer: PacerSettings;
  /** RMSSD window shown live, ms of data time. */
  readonly rmssdWindowMs: number;
  readonly reducedMotion: 'system' | 'on' | 'off';
}
