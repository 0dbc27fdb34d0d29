import type { PacerSchedule } from '../pacer/phase';
import type { PacerStyle } from './settings';

/**
 * What the client's screen shows, published by the therapist console and relayed by the main
 * process to every window ('client:publish' → 'client:state'), in Electron and in the browser
 * edition alike. The client window computes the pacer phase itself from the schedule and the
 * shared session clock, so it needs one message per change, not one per frame.
 */
export interface ClientViewState {
  /** Session time origin as epoch ms (performance.timeOrigin + performance.now() at t0): the same clock in every window of this machine. */
  readonly sessionEpochStartMs: number;
  /** Session-time speed-up (1 = real time). */
  readonly speed: number;
  readonly schedule: PacerSchedule;
  /** The pacer is hidden in phases without it (baseline, recall, recovery). */
  readonly pacerVisible: boolean;
  /** A short, kind line for the client (phase title or instruction), or null. */
  readonly caption: string | null;
  /** Reward signal 0–1 (the scene warms and brightens as it rises), null when unknown. */
  readonly reward: number | null;
  readonly eyesClosed: boolean;
  readonly style: PacerStyle;
  /** Breath sound on the client's computer (always on with the eyes closed), volume 0–1. */
  readonly audio: { readonly on: boolean; readonly volume: number };
  readonly ended: boolean;
  /** Increments with each publication, so a late message never overwrites a newer one. */
  readonly seq: number;
}

export interface DisplayInfo {
  readonly id: number;
  readonly label: string;
  readonly primary: boolean;
  readonly width: number;
  readonly height: number;
}
