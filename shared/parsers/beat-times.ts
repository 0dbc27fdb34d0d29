/**
 * Beat times for a Bluetooth heart-rate strap: a strap sends RR intervals but no timestamps.
 *
 * The Heart Rate Measurement characteristic is notified "approximately 1 time per second" (Heart
 * Rate Service 1.0 §3.1.1.5) and carries the RR intervals measured since the previous
 * notification, oldest first (§3.1.1.4). So each beat's data time is rebuilt from the cumulative
 * RR sum, and the chain is anchored to packet arrival times (read from an injected clock by the
 * caller; this file never reads a clock):
 *
 * - The first packet anchors the chain: its last beat is placed at its arrival time.
 * - Later beats continue the chain: tMs = previous beat + rrMs, so consecutive tMs differ by
 *   exactly the RR the strap measured.
 * - lagMs = arrival − (previous beat + RR carried). A beat cannot happen after the packet that
 *   reports it arrives, so lagMs < 0 means the chain runs late (it was anchored on a slow
 *   packet, or the strap's clock runs slow): the packet's beats are pulled back to end at the
 *   arrival ("clamped"), which keeps the chain on the earliest arrivals. A packet whose RR sum
 *   overshoots the elapsed time by more than the jitter allows (e.g. RR 0xFFFF, 64 s, one second
 *   after the previous beat) is inconsistent: it is re-anchored at its arrival, marked
 *   `afterGap`, and reported as a 'quality' diagnostic.
 * - Lost packets: when the arrival time has advanced by more than the RR carried, by more than
 *   one notification period or one RR plus a tolerance, beats are missing. The chain is
 *   re-anchored at the arrival, the first interval after the hole gets `afterGap: true`, and a
 *   'gap' diagnostic gives the hole's exact start (last beat before) and end (beat that starts
 *   the first interval after). Nothing is stitched across it.
 * - `interrupt()` (link loss, or a packet the caller dropped as malformed) forces the same
 *   treatment on the next packet whatever the lag.
 *
 *   The jitter allowed adapts to the link: the threshold is also at least the largest lag of the
 *   last JITTER_PACKETS packets plus JITTER_MARGIN_MS. A real H10 recording made through a phone
 *   (datasets rr/polar_h10) has notifications arriving 0–2 s after their beats with no beat lost
 *   (its RR sequence matches the strap's ECG one to one); a fixed 1 s tolerance called two
 *   "lost packets" gaps there that were not.
 * Limits: a single lost packet can go unnoticed when the lag it adds fits in the normal jitter
 * (the strap sends no sequence number); the missing beat then shortens nothing, it only joins
 * two intervals that were not adjacent. Two such losses in a row exceed the tolerance.
 */
import type { RrInterval } from '../types/rr';
import type { SourceDiagnostic } from '../types/beat-source';

/** The strap's nominal notification period, ms (HRS 1.0 §3.1.1.5: "approximately 1 time per second"). */
export const HRM_NOTIFY_PERIOD_MS = 1000;
/** Lag allowed beyond one notification period or one RR before packets count as lost, ms (BLE connection-interval and OS batching jitter). */
export const DEFAULT_GAP_TOLERANCE_MS = 1000;
/** Packets whose lags set the link's own jitter allowance (about a minute of notifications). */
export const JITTER_PACKETS = 60;
/** A packet counts as late beyond the link's own jitter when its lag exceeds the recent largest by this, ms (half a notification period). */
export const JITTER_MARGIN_MS = 500;

export interface BeatTimesOptions {
  /** Default {@link DEFAULT_GAP_TOLERANCE_MS}. */
  readonly gapToleranceMs?: number;
  /** Default {@link HRM_NOTIFY_PERIOD_MS}. */
  readonly notifyPeriodMs?: number;
  /** Source label on the emitted intervals; default 'ble'. */
  readonly source?: RrInterval['source'];
}

export interface BeatGap {
  /** Data time of the last beat before the hole, ms. */
  readonly startMs: number;
  /** Data time of the beat that starts the first interval after the hole, ms. */
  readonly endMs: number;
  readonly cause: BeatGapCause;
}

/** Why beats are missing: detected from arrival times, link loss, or a packet the caller dropped (malformed). */
export type BeatGapCause = 'lost-packets' | 'interrupted' | 'dropped-packet';

const GAP_WORDS: Record<BeatGapCause, string> = {
  'lost-packets': 'lost packets',
  interrupted: 'link lost',
  'dropped-packet': 'malformed packet dropped',
};

export interface BeatTimesStep {
  readonly beats: readonly RrInterval[];
  readonly gap: BeatGap | null;
  readonly diagnostics: readonly SourceDiagnostic[];
}

const fmtS = (ms: number): string => `${(ms / 1000).toFixed(3)} s`;

/** Tiny processor: `next(packet, arrivalMs)` per notification, `interrupt()` on link loss, `reset()` for a new session. */
export class BeatTimes {
  private readonly toleranceMs: number;
  private readonly periodMs: number;
  private readonly source: RrInterval['source'];
  private lastBeatMs: number | null = null;
  private lastRrMs = 0;
  private interrupted: BeatGapCause | null = null;
  /** Set when an interval was dropped: the next kept interval must not be differenced with the one before. */
  private broken = false;
  /** Lags (≥ 0) of the last JITTER_PACKETS packets that continued the chain, ms. */
  private readonly recentLagsMs: number[] = [];

  constructor(opts: BeatTimesOptions = {}) {
    this.toleranceMs = opts.gapToleranceMs ?? DEFAULT_GAP_TOLERANCE_MS;
    this.periodMs = opts.notifyPeriodMs ?? HRM_NOTIFY_PERIOD_MS;
    this.source = opts.source ?? 'ble';
    if (!(this.toleranceMs >= 0) || !(this.periodMs > 0)) throw new RangeError('BeatTimes: gapToleranceMs must be ≥ 0 and notifyPeriodMs > 0');
  }

  /**
   * @param packet a parsed Heart Rate Measurement (only `rrMs` is read), RR in ms, oldest first
   * @param arrivalMs when the notification arrived, ms on the session clock
   * @returns the packet's intervals with data times, a gap if one ended here, and diagnostics
   */
  next(packet: { readonly rrMs: readonly number[] }, arrivalMs: number): BeatTimesStep {
    const diagnostics: SourceDiagnostic[] = [];
    const rr: number[] = [];
    for (const r of packet.rrMs) {
      if (r > 0 && Number.isFinite(r)) rr.push(r);
      else {
        diagnostics.push({ kind: 'quality', message: `strap sent an RR interval of ${r} ms; dropped, and the next interval is not joined to the previous one`, tMs: arrivalMs });
        this.broken = true;
      }
    }
    if (rr.length === 0) return { beats: [], gap: null, diagnostics };

    const sum = rr.reduce((a, b) => a + b, 0);
    const first = rr[0] ?? 0;
    const last = this.lastBeatMs;
    let gap: BeatGap | null = null;
    let times: number[];
    let restart = false;

    if (last === null) {
      times = backFrom(arrivalMs, rr);
    } else {
      const lagMs = arrivalMs - (last + sum);
      const fixedMaxLagMs = Math.max(this.periodMs, this.lastRrMs) + this.toleranceMs;
      const linkJitterMs = this.recentLagsMs.length ? Math.max(...this.recentLagsMs) + JITTER_MARGIN_MS : 0;
      const maxLagMs = Math.max(fixedMaxLagMs, linkJitterMs);
      if (this.interrupted !== null || lagMs > maxLagMs) {
        times = backFrom(arrivalMs, rr);
        restart = true;
        const cause = this.interrupted ?? 'lost-packets';
        const kept = times.findIndex((t) => t > last);
        const endMs = Math.max(last, (times[kept] ?? arrivalMs) - (rr[kept] ?? 0));
        gap = { startMs: last, endMs, cause };
        diagnostics.push({
          kind: 'gap',
          message: `${GAP_WORDS[cause]}: no beats from ${fmtS(last)} to ${fmtS(endMs)} (${fmtS(endMs - last)}); intervals are not joined across the gap`,
          tMs: last,
        });
      } else if (lagMs >= 0) {
        times = forwardFrom(last, rr);
        this.noteLag(lagMs);
      } else if (lagMs > -first && lagMs >= -fixedMaxLagMs) {
        // Clamp: the chain ran late; end this packet's beats at its arrival.
        times = backFrom(arrivalMs, rr);
        this.noteLag(0);
      } else {
        // The RR carried is longer than the time since the previous beat by more than the
        // jitter allows: strap data or clock inconsistent. Re-anchor and do not join.
        times = backFrom(arrivalMs, rr);
        restart = true;
        diagnostics.push({ kind: 'quality', message: `RR intervals (${fmtS(sum)}) longer than the time since the previous beat (${fmtS(arrivalMs - last)}); times re-anchored`, tMs: arrivalMs });
      }
    }

    const beats: RrInterval[] = [];
    let markNext = restart || this.broken;
    for (let i = 0; i < rr.length; i++) {
      const tMs = times[i] ?? arrivalMs;
      const rrMs = rr[i] ?? 0;
      if (last !== null && tMs <= last) {
        diagnostics.push({ kind: 'quality', message: `interval of ${rrMs.toFixed(1)} ms ends before the previous beat; dropped`, tMs });
        markNext = true;
        continue;
      }
      beats.push(markNext ? { rrMs, tMs, source: this.source, afterGap: true } : { rrMs, tMs, source: this.source });
      markNext = false;
    }
    const lastBeat = beats[beats.length - 1];
    if (lastBeat !== undefined) {
      this.lastBeatMs = lastBeat.tMs;
      this.lastRrMs = lastBeat.rrMs;
      this.interrupted = null;
      this.broken = false;
    } else {
      this.broken = true;
    }
    return { beats, gap, diagnostics };
  }

  private noteLag(lagMs: number): void {
    this.recentLagsMs.push(lagMs);
    if (this.recentLagsMs.length > JITTER_PACKETS) this.recentLagsMs.shift();
  }

  /**
   * Beats were lost for a reason the caller knows: the link dropped ('interrupted', default) or
   * the caller discarded a packet ('dropped-packet', e.g. malformed). The next packet's first
   * interval is marked `afterGap` and the gap is reported with that cause.
   */
  interrupt(cause: Exclude<BeatGapCause, 'lost-packets'> = 'interrupted'): void {
    if (this.lastBeatMs !== null && this.interrupted !== 'interrupted') this.interrupted = cause;
  }

  /** Forget everything (new session or new device). */
  reset(): void {
    this.lastBeatMs = null;
    this.lastRrMs = 0;
    this.interrupted = null;
    this.broken = false;
  }

  /** Data time of the last beat placed, ms; null before the first. */
  get lastBeatTMs(): number | null {
    return this.lastBeatMs;
  }
}

/** Beat times ending at `endMs`: the last interval ends there, earlier ones step back by RR. */
function backFrom(endMs: number, rr: readonly number[]): number[] {
  const times = new Array<number>(rr.length);
  let t = endMs;
  for (let i = rr.length - 1; i >= 0; i--) {
    times[i] = t;
    t -= rr[i] ?? 0;
  }
  return times;
}

/** Beat times continuing a chain whose last beat was at `startMs`. */
function forwardFrom(startMs: number, rr: readonly number[]): number[] {
  const times = new Array<number>(rr.length);
  let t = startMs;
  for (let i = 0; i < rr.length; i++) {
    t += rr[i] ?? 0;
    times[i] = t;
  }
  return times;
}
