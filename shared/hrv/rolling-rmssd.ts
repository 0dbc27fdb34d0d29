/**
 * Live RMSSD and heart rate over a sliding window of data time.
 *
 * RMSSD = sqrt(mean((NN[i] − NN[i−1])²)) over the successive differences inside the window
 * (Task Force of the ESC and NASPE 1996, Circulation 93:1043). Successive differences that span
 * a gap (lost packets, link loss) are not formed. The window holds intervals whose beat time lies
 * in (t − windowMs, t]; the metric is `null` ("collecting…") until the data span reaches the
 * window, so an early, misleading number is never shown.
 *
 * Cost: O(1) amortised per beat (running sums over a ring of the window's intervals).
 */
import type { RrInterval } from '../types/rr';

export interface RollingRmssdOutput {
  readonly tMs: number;
  /** RMSSD over the window, ms; null until the window is full. */
  readonly rmssdMs: number | null;
  /** Mean heart rate over the window, beats/min (60000 / mean NN); null until the window has beats. */
  readonly meanHrBpm: number | null;
  /** Instantaneous heart rate of this beat, beats/min. */
  readonly hrBpm: number;
  /** Share of the window collected, 0–1. */
  readonly fill: number;
}

interface Entry {
  readonly rrMs: number;
  readonly tMs: number;
  /** Squared difference to the previous interval, or NaN when none is formed (first, after gap). */
  readonly sqDiff: number;
}

export class RollingRmssd {
  private entries: Entry[] = [];
  private head = 0;
  private sumRr = 0;
  private sumSq = 0;
  private nSq = 0;
  private firstTMs: number | null = null;

  constructor(private readonly windowMs: number) {
    if (!(windowMs > 0)) throw new RangeError(`windowMs must be positive, got ${windowMs}`);
  }

  reset(): void {
    this.entries = [];
    this.head = 0;
    this.sumRr = this.sumSq = this.nSq = 0;
    this.firstTMs = null;
  }

  next(rr: RrInterval): RollingRmssdOutput {
    const prev = this.entries.length > this.head ? this.entries[this.entries.length - 1] : undefined;
    const sqDiff = prev && !rr.afterGap ? (rr.rrMs - prev.rrMs) ** 2 : Number.NaN;
    if (this.firstTMs === null) this.firstTMs = rr.tMs - rr.rrMs;
    this.entries.push({ rrMs: rr.rrMs, tMs: rr.tMs, sqDiff });
    this.sumRr += rr.rrMs;
    if (!Number.isNaN(sqDiff)) {
      this.sumSq += sqDiff;
      this.nSq += 1;
    }
    const cutoff = rr.tMs - this.windowMs;
    for (;;) {
      const e = this.entries[this.head];
      if (!e || e.tMs > cutoff) break;
      this.sumRr -= e.rrMs;
      this.head += 1;
      // The oldest difference leaves with the entry after it becomes the new oldest.
      const newOldest = this.entries[this.head];
      if (newOldest && !Number.isNaN(newOldest.sqDiff)) {
        this.sumSq -= newOldest.sqDiff;
        this.nSq -= 1;
      }
    }
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
    const n = this.entries.length - this.head;
    const span = rr.tMs - this.firstTMs;
    const fill = Math.min(1, span / this.windowMs);
    return {
      tMs: rr.tMs,
      rmssdMs: fill >= 1 && this.nSq > 0 ? Math.sqrt(Math.max(0, this.sumSq) / this.nSq) : null,
      meanHrBpm: n > 0 ? 60_000 / (this.sumRr / n) : null,
      hrBpm: 60_000 / rr.rrMs,
      fill,
    };
  }
}
