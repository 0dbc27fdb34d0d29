/**
 * Plain data the serial PPG service (main/services/serial-ppg.ts) sends over the contract
 * (`serial:*` channels in shared/ipc/contract.ts). Times are data times in ms since the serial
 * session started (the session's clock); intervals are PPG pulse intervals, not ECG RR.
 */
import type { RrInterval } from './rr';

/** Baud rates offered in the UI; DEFAULT_BAUD first choice (most sketches). */
export const SERIAL_BAUD_RATES = [9600, 57600, 115200, 230400, 250000, 500000] as const;
export const DEFAULT_BAUD = 115200;

export interface SerialPortChoice {
  readonly path: string;
  readonly manufacturer?: string;
  /** USB vendor:product, 4 hex digits each ("2341:0043"), when known. */
  readonly vidPid?: string;
  readonly serialNumber?: string;
  /** What the board probably is, from its USB vendor ID ("Arduino", "CH340 USB-serial (clone boards)"). */
  readonly hint?: string;
}

export interface SerialListResult {
  readonly ports: readonly SerialPortChoice[];
  /** Why the list may be incomplete (e.g. no udevadm; virtual ports are never listed: type a path). */
  readonly note?: string;
}

export type SerialFormatKind =
  | 'pulsesensor-processing'
  | 'pulsesensor-plotter'
  | 'single-value'
  | 'delimited'
  | 'key-value'
  | 'beat-interval';

export interface SerialOpenRequest {
  /** Device path, listed or typed (/dev/ttyACM0, COM3, a socat pty link). */
  readonly path: string;
  readonly baudRate?: number;
  /** Sample rate the sketch prints at, Hz; omitted = from time stamps, else measured. */
  readonly fsHz?: number;
  /** Override of the recognised format. */
  readonly format?: SerialFormatKind;
  /** Override of the value column (header name or 0-based index) or key. */
  readonly column?: string | number;
}

export type SerialState = 'opening' | 'detecting' | 'streaming' | 'waiting-for-device' | 'closed' | 'error';

export interface SerialCounts {
  readonly lines: number;
  readonly samples: number;
  readonly malformedLines: number;
  /** Lines longer than the framer's bound (no newline), dropped. */
  readonly droppedLines: number;
  readonly beats: number;
  readonly gaps: number;
}

export interface SerialStatus {
  readonly state: SerialState;
  readonly path: string;
  readonly baudRate: number;
  /** One sentence for the person: what is happening or what to check. */
  readonly message: string;
  /** Recognised format, described. */
  readonly format?: string;
  readonly fsHz?: number | null;
  /** Where fsHz came from: 'timestamps' | 'configured' | 'measured'. */
  readonly rateSource?: string;
  /** Configured and measured rates disagree, or the data have no recognisable format. */
  readonly warning?: string;
  /** Median quality index of the last beats (0..1); below SQI_ACCEPTABLE HRV should not be trusted. */
  readonly recentSqi?: number | null;
  readonly counts: SerialCounts;
}

/** A batch of raw samples (about every 50 ms): sample k is at tMs0 + k · 1000 / fsHz. */
export interface SerialSamplesBatch {
  readonly tMs0: number;
  readonly fsHz: number;
  readonly values: readonly number[];
  /** Index of values[0] since the session started (continuity check). */
  readonly firstIndex: number;
  /** The first batch after an unplug/replug or a reset. */
  readonly afterGap?: boolean;
}

export interface SerialBeat {
  /** Data time of the pulse peak, ms. */
  readonly tMs: number;
  readonly ibiMs: number | null;
  /** Template-correlation quality index 0..1 (null for beats reported by the device itself). */
  readonly sqi: number | null;
}

export interface SerialBeatsBatch {
  readonly beats: readonly SerialBeat[];
  /** The same intervals as RrInterval (source 'serial-ppg', ppg: true). */
  readonly rr: readonly RrInterval[];
}
