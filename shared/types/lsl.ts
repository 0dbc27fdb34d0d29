/**
 * Plain data of the Lab Streaming Layer feature over the contract (`lsl:*` channels in
 * shared/ipc/contract.ts; main/services/lsl/lsl-service.ts).
 */
import type { RecordEvent } from '../ipc/contract';

/** The persisted LSL settings (Settings.lsl). Off by default. */
export interface LslSettings {
  readonly enabled: boolean;
  /** A marker stream to record beside Soothe's own markers, or null. */
  readonly markerInlet: LslStreamPick | null;
}

export const DEFAULT_LSL_SETTINGS: LslSettings = { enabled: false, markerInlet: null };

/** Identifies a stream across restarts (liblsl recovers streams by name + source_id). */
export interface LslStreamPick {
  readonly name: string;
  readonly sourceId: string;
}

/** A marker stream found on the network, for the picker. */
export interface LslStreamChoice extends LslStreamPick {
  readonly type: string;
  readonly hostname: string;
  readonly channelCount: number;
}

export interface LslOutletStatus {
  readonly name: string;
  readonly type: string;
  readonly sourceId: string;
  readonly channels: number;
  readonly nominalSrateHz: number;
  /** Inlets (LabRecorder…) reading it now. */
  readonly consumers: number;
  readonly samples: number;
}

export interface LslStatus {
  readonly enabled: boolean;
  /** 'off' | 'on' | 'unavailable' (e.g. the discovery port could not be bound). */
  readonly state: 'off' | 'on' | 'unavailable';
  /** One sentence for the person. */
  readonly message: string;
  readonly discoveryPort: number | null;
  readonly streams: readonly LslOutletStatus[];
  readonly inlet: {
    readonly pick: LslStreamPick;
    readonly state: 'searching' | 'connected' | 'stopped';
    readonly markers: number;
    /** Last time correction, s (added to the remote timestamps). */
    readonly correctionS: number | null;
  } | null;
}

/**
 * What the renderer publishes (`lsl:push`), batched: the session's events (same shapes as
 * `recording:append`: beat, metric, reward, pacer, marker, trainer…) and the session time at the
 * moment of sending, which lets main place session time on the LSL clock.
 */
export interface LslPushBatch {
  readonly sessionId: string;
  /** Session time when the batch was sent, ms. */
  readonly nowMs: number;
  readonly events: readonly RecordEvent[];
}
