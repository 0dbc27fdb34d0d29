import type { Observable } from 'rxjs';
import type { RrInterval } from './rr';

/** Connection state of a beat source, shown to the person in plain words. */
export type SourceStatus =
  | { readonly state: 'idle' }
  | { readonly state: 'connecting'; readonly detail?: string }
  | { readonly state: 'streaming'; readonly detail?: string }
  | { readonly state: 'reconnecting'; readonly detail?: string; readonly attempt: number }
  | { readonly state: 'stopped'; readonly detail?: string }
  | { readonly state: 'error'; readonly message: string };

/** A diagnostic from a source: a rejected packet, a gap, a quality warning. Counted in the UI's signal panel. */
export interface SourceDiagnostic {
  readonly kind: 'malformed' | 'gap' | 'contact' | 'quality' | 'info';
  readonly message: string;
  /** Data time, ms, when known. */
  readonly tMs?: number;
}

/**
 * Anything that produces beats: simulator, BLE strap, serial PPG, file replay. The session
 * subscribes to `rr$` and never learns which device produced it (STYLE.md §2).
 */
export interface BeatSource {
  readonly kind: RrInterval['source'];
  /** Human name for the UI ("Simulator", "Polar H10 ABCD1234"). */
  readonly label: string;
  readonly rr$: Observable<RrInterval>;
  readonly status$: Observable<SourceStatus>;
  readonly diagnostics$: Observable<SourceDiagnostic>;
  /** Latest heart rate the device itself reports (BLE), bpm; optional. */
  readonly deviceHr$?: Observable<number>;
  /** Stop streaming and release the device. */
  stop(): Promise<void>;
}
