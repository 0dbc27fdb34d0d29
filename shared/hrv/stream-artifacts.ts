/**
 * Streaming artifact correction: Lipponen & Tarvainen (2019, J Med Eng Technol 43(3):173–181; see
 * detect-artifacts.ts) beat by beat, with a fixed look-ahead.
 *
 * Definition: the label of interval i is the one the batch method gives when the series ends at
 * interval i + L (L = `lookaheadBeats`), using the intervals from i − CONTEXT on (CONTEXT = 100
 * ≥ every window reaching back from i: Th1/Th2 45 beats + S12 1 + median 5). So
 *  - with L ≥ 47 (Th1 of dRR'ᵢ₊₂ reaches i + 47) the labels equal the batch labels exactly,
 *    except in the first ~46 beats: there the virtual first interval (NeuroKit2's mean(RR)) is
 *    the mean of the data so far, not of the whole series;
 *  - with smaller L the windows near the newest beat are truncated as at the end of a batch
 *    series (centred 91-beat quartiles use ≥ 46 beats, the 11-beat median ≥ 5 + L + 1);
 *  - L ≥ 2 is the minimum the decision rule allows (S22 and the extra test look at RRᵢ₊₁, RRᵢ₊₂).
 * Default L = 5 (the 11-beat median is then complete): corrected beats come out 5 beats late,
 * about 4 s at 75 beats/min (5 × 800 ms). Corrections use correctInterval (same numbers as batch).
 * A gap (afterGap) flushes the pending beats and starts a new context: nothing is differenced
 * across it.
 */
import type { RrInterval } from '../types/rr';
import { correctInterval, type BeatLabel } from './correct-artifacts';
import { ARTIFACT_CODES, detectArtifacts, type ArtifactType, type LipponenOptions } from './detect-artifacts';

export const DEFAULT_LOOKAHEAD_BEATS = 5;
export const EXACT_LOOKAHEAD_BEATS = 47;
const CONTEXT_BEATS = 100;

export interface NnBeat {
  /** Corrected interval, ms. */
  readonly rrMs: number;
  /** Data time of the beat ending it, ms. */
  readonly tMs: number;
  /** Index (0-based, since reset) of the input interval it came from. */
  readonly sourceIndex: number;
  /** 'none' for an untouched interval, else the artifact class of its source interval. */
  readonly fix: ArtifactType | 'none';
  /** The input interval, ms. */
  readonly originalRrMs: number;
  readonly afterGap: boolean;
}

export interface CorrectionStep {
  /** Corrected beats that became final with this input (0, 1 or more). */
  readonly nn: NnBeat[];
  /** Input intervals labelled as artifacts in this step (type and original value). */
  readonly labels: BeatLabel[];
}

export class StreamingArtifactCorrector {
  private rr: number[] = [];
  private t: number[] = [];
  private gapAt: boolean[] = [];
  /** Global index of rr[0]. */
  private offset = 0;
  /** Global index of the next interval to label. */
  private nextLabel = 0;
  private total = 0;
  private skipNext = false;

  constructor(
    readonly lookaheadBeats = DEFAULT_LOOKAHEAD_BEATS,
    private readonly options: Partial<LipponenOptions> = {},
  ) {
    if (!Number.isInteger(lookaheadBeats) || lookaheadBeats < 2) throw new RangeError(`lookaheadBeats must be an integer ≥ 2, got ${lookaheadBeats}`);
  }

  reset(): void {
    this.rr = [];
    this.t = [];
    this.gapAt = [];
    this.offset = this.nextLabel = this.total = 0;
    this.skipNext = false;
  }

  /** Feed one interval; returns the corrected beats and labels that became final. */
  next(beat: RrInterval): CorrectionStep {
    const out: NnBeat[] = [];
    const labels: BeatLabel[] = [];
    if (beat.afterGap && this.total > this.offset) this.drain(out, labels, this.total);
    if (beat.afterGap) {
      // New context: forget the buffer, keep global numbering.
      this.rr = [];
      this.t = [];
      this.gapAt = [];
      this.offset = this.total;
      this.nextLabel = this.total;
      this.skipNext = false;
    }
    this.rr.push(beat.rrMs);
    this.t.push(beat.tMs);
    this.gapAt.push(beat.afterGap === true);
    this.total += 1;
    this.drain(out, labels, this.total - this.lookaheadBeats);
    this.trim();
    return { nn: out, labels };
  }

  /** Label and emit everything still pending (end of stream). */
  flush(): CorrectionStep {
    const out: NnBeat[] = [];
    const labels: BeatLabel[] = [];
    this.drain(out, labels, this.total);
    return { nn: out, labels };
  }

  /** Label intervals nextLabel … upTo − 1 with the data available now. */
  private drain(out: NnBeat[], labels: BeatLabel[], upTo: number): void {
    while (this.nextLabel < upTo) {
      const i = this.nextLabel;
      const local = i - this.offset;
      const from = Math.max(0, local - CONTEXT_BEATS);
      const det = detectArtifacts(this.rr.slice(from), this.options);
      const j = local - from;
      const code = det.types[j] as number;
      const rrI = this.rr[local] as number;
      const tI = this.t[local] as number;
      const fix = code === 0 ? 'none' : (ARTIFACT_CODES[code] as ArtifactType);
      if (fix !== 'none') labels.push({ index: i, type: fix, originalRrMs: rrI });
      if (this.skipNext) {
        this.skipNext = false;
      } else {
        const nextRr = this.rr[local + 1];
        const r = correctInterval(rrI, nextRr, code, det.medRrMs[j] as number, det.th2Ms[j] as number);
        const gap = this.gapAt[local] === true;
        if (r.consumesNext) {
          const tEnd = this.t[local + 1] as number;
          if (r.values.length === 1) out.push({ rrMs: r.values[0]!, tMs: tEnd, sourceIndex: i, fix, originalRrMs: rrI, afterGap: gap });
          else {
            out.push({ rrMs: r.values[0]!, tMs: tEnd - r.values[1]!, sourceIndex: i, fix, originalRrMs: rrI, afterGap: gap });
            out.push({ rrMs: r.values[1]!, tMs: tEnd, sourceIndex: i, fix, originalRrMs: rrI, afterGap: false });
          }
          this.skipNext = true;
        } else if (r.values.length === 2) {
          out.push({ rrMs: r.values[0]!, tMs: tI - r.values[1]!, sourceIndex: i, fix, originalRrMs: rrI, afterGap: gap });
          out.push({ rrMs: r.values[1]!, tMs: tI, sourceIndex: i, fix, originalRrMs: rrI, afterGap: false });
        } else {
          out.push({ rrMs: r.values[0]!, tMs: tI, sourceIndex: i, fix, originalRrMs: rrI, afterGap: gap });
        }
      }
      this.nextLabel += 1;
    }
  }

  /** Keep only what the next labels can need. */
  private trim(): void {
    const keepFrom = this.nextLabel - this.offset - CONTEXT_BEATS - 1;
    if (keepFrom > 256) {
      this.rr.splice(0, keepFrom);
      this.t.splice(0, keepFrom);
      this.gapAt.splice(0, keepFrom);
      this.offset += keepFrom;
    }
  }
}
