/**
 * The narrow interface every beat source produces: one interval between two heartbeats.
 *
 * `tMs` is the time of the beat that *ends* the interval, in data time (milliseconds on the
 * session's clock: the sensor's reconstructed beat time, never the arrival time of a packet).
 */
export type BeatSourceKind = 'simulator' | 'ble' | 'serial-ppg' | 'replay';

export interface RrInterval {
  /** Interval length in milliseconds (ECG RR, or PPG inter-beat interval). */
  readonly rrMs: number;
  /** Data time of the beat that ends this interval, ms since the session's time origin. */
  readonly tMs: number;
  readonly source: BeatSourceKind;
  /** True for optical (PPG) pulse intervals: pulse-rate variability, not ECG RR. */
  readonly ppg?: boolean;
  /** Set on the first interval after a gap (lost packets, link loss): do not difference across it. */
  readonly afterGap?: boolean;
}
