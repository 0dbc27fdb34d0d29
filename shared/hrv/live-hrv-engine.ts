/**
 * The live HRV engine: one `next(rr)` per beat, one `LiveHrv` snapshot out, over data time.
 *
 *   RR → StreamingArtifactCorrector (Lipponen & Tarvainen 2019, look-ahead L beats, see
 *        stream-artifacts.ts) → NN beats (labelled) →
 *     RMSSD + mean HR over 60 s (RollingRmssd, O(1) per beat);
 *     coherence over 64 s recomputed every 5 s of data time (compute-sliding-coherence.ts: 4 Hz
 *       cubic spline, Hann periodogram, nfft 1024, HeartMath ratio);
 *     spectrum (Welch as analyzeRr: 256 s Hann segments, 50 % overlap) over the last 5 min,
 *       shown once 2 min are collected, recomputed every 5 s;
 *     breathing rate and RSA peak-to-trough over 60 s, every 5 s (estimate-rsa.ts);
 *     artifact share over the RMSSD window: labelled input intervals / input intervals, with
 *       `unreliable` above 5 %;
 *     premature-beat share over the same window (premature-beats.ts: an input interval > 20 %
 *       shorter than both neighbours), also `unreliable` above 10 %: frequent ectopic beats (e.g.
 *       bigeminy) dominate RMSSD and the spectra while an adaptive corrector flags few of them.
 * A metric is null ("collecting…") until its window holds that much data time, never an early
 * number. Metrics describe data up to the last *corrected* beat, L beats behind the input
 * (`delayBeats`). Everything is pure and synchronous: a file replay drives it in a loop.
 */
import type { RrInterval } from '../types/rr';
import { RollingRmssd } from './rolling-rmssd';
import { StreamingArtifactCorrector, DEFAULT_LOOKAHEAD_BEATS, type NnBeat } from './stream-artifacts';
import type { BeatLabel } from './correct-artifacts';
import { computeWindowCoherence, COHERENCE_WINDOW_S } from './compute-sliding-coherence';
import { computeFrequencyDomain } from './compute-frequency-domain';
import { estimateRsa } from './estimate-rsa';
import { resampleTachogram, TACHOGRAM_RATE_HZ } from './resample-tachogram';
import { FREQUENT_PREMATURE_SHARE, isPremature } from './premature-beats';

export interface LiveHrvOptions {
  readonly rmssdWindowMs: number;
  readonly coherenceWindowMs: number;
  readonly coherenceStepMs: number;
  /** Spectrum shown once this much is collected… */
  readonly spectrumMinMs: number;
  /** …and computed over at most this much. */
  readonly spectrumWindowMs: number;
  readonly spectrumStepMs: number;
  readonly rsaWindowMs: number;
  /** Artifact share above which a window is unreliable (0.05 = 5 %). */
  readonly unreliableAbove: number;
  readonly lookaheadBeats: number;
}

export const DEFAULT_LIVE_HRV: LiveHrvOptions = {
  rmssdWindowMs: 60_000,
  coherenceWindowMs: COHERENCE_WINDOW_S * 1000,
  coherenceStepMs: 5_000,
  spectrumMinMs: 120_000,
  spectrumWindowMs: 300_000,
  spectrumStepMs: 5_000,
  rsaWindowMs: 60_000,
  unreliableAbove: 0.05,
  lookaheadBeats: DEFAULT_LOOKAHEAD_BEATS,
};

export interface LiveHrv {
  /** Data time of the input beat that produced this snapshot, ms. */
  readonly tMs: number;
  /** Heart rate of that input beat (uncorrected), beats/min. */
  readonly hrBpm: number;
  /** Corrected beats finalised by this input (L beats behind). */
  readonly nn: readonly NnBeat[];
  /** Input intervals labelled as artifacts by this input. */
  readonly labels: readonly BeatLabel[];
  readonly delayBeats: number;
  readonly rmssdMs: number | null;
  readonly meanHrBpm: number | null;
  readonly coherence: { readonly ratio: number | null; readonly peakHz: number | null } | null;
  readonly spectrum: { readonly lfMs2: number; readonly hfMs2: number; readonly lfHf: number | null; readonly vlfMs2: number; readonly windowS: number } | null;
  readonly rsa: { readonly breathsPerMin: number | null; readonly peakToTroughBpm: number | null } | null;
  /** Labelled input intervals in the RMSSD window, percent. */
  readonly artifactPct: number;
  /** Premature input intervals (premature-beats.ts) in the RMSSD window, percent. */
  readonly prematurePct: number;
  readonly unreliable: boolean;
  /** Why the window is unreliable: too many corrected beats, or frequent premature beats; null when reliable. */
  readonly unreliableReason: 'artifacts' | 'ectopy' | null;
}

export class LiveHrvEngine {
  private readonly o: LiveHrvOptions;
  private readonly corrector: StreamingArtifactCorrector;
  private readonly rmssd: RollingRmssd;
  /** Corrected NN history (values, times), trimmed to the longest window. */
  private nnMs: number[] = [];
  private nnT: number[] = [];
  private nnHead = 0;
  /** Input beat times and whether each was labelled, for the artifact share. */
  private inT: number[] = [];
  private inFlag: number[] = [];
  /** Per input beat: 1 when premature (known one beat later, when its right neighbour arrives). */
  private inPrem: number[] = [];
  private inHead = 0;
  private flaggedInWindow = 0;
  private prematureInWindow = 0;
  /** The last two input RR (ms) since the last gap (NaN: none yet). */
  private inRrBefore = Number.NaN;
  private inRrLast = Number.NaN;
  private firstNnT: number | null = null;
  private lastRmssd: { rmssdMs: number | null; meanHrBpm: number | null } = { rmssdMs: null, meanHrBpm: null };
  private coherence: LiveHrv['coherence'] = null;
  private spectrum: LiveHrv['spectrum'] = null;
  private rsa: LiveHrv['rsa'] = null;
  private nextCoherenceT = 0;
  private nextSpectrumT = 0;
  private nextRsaT = 0;

  constructor(options: Partial<LiveHrvOptions> = {}) {
    this.o = { ...DEFAULT_LIVE_HRV, ...options };
    this.corrector = new StreamingArtifactCorrector(this.o.lookaheadBeats);
    this.rmssd = new RollingRmssd(this.o.rmssdWindowMs);
  }

  reset(): void {
    this.corrector.reset();
    this.rmssd.reset();
    this.nnMs = [];
    this.nnT = [];
    this.nnHead = 0;
    this.inT = [];
    this.inFlag = [];
    this.inPrem = [];
    this.inHead = 0;
    this.flaggedInWindow = 0;
    this.prematureInWindow = 0;
    this.inRrBefore = this.inRrLast = Number.NaN;
    this.firstNnT = null;
    this.lastRmssd = { rmssdMs: null, meanHrBpm: null };
    this.coherence = this.spectrum = this.rsa = null;
    this.nextCoherenceT = this.nextSpectrumT = this.nextRsaT = 0;
    this.totalIn = 0;
  }

  next(rr: RrInterval): LiveHrv {
    const step = this.corrector.next(rr);
    // Artifact share over the RMSSD window of input beats (labels arrive L beats late; an input
    // beat counts as flagged once its label is known).
    this.inT.push(rr.tMs);
    this.inFlag.push(0);
    this.inPrem.push(0);
    const base = this.inT.length - 1;
    // The previous input interval is judged premature now that its right neighbour is here.
    if (rr.afterGap) this.inRrBefore = this.inRrLast = Number.NaN;
    // (NaN neighbours compare false: no judgement until two intervals since the last gap.)
    if (base - 1 >= this.inHead && isPremature(this.inRrBefore, this.inRrLast, rr.rrMs)) {
      this.inPrem[base - 1] = 1;
      this.prematureInWindow += 1;
    }
    this.inRrBefore = this.inRrLast;
    this.inRrLast = rr.rrMs;
    for (const l of step.labels) {
      const at = l.index - (this.totalIn - base);
      if (at >= this.inHead && at < this.inFlag.length && this.inFlag[at] === 0) {
        this.inFlag[at] = 1;
        this.flaggedInWindow += 1;
      }
    }
    this.totalIn += 1;
    const cutoff = rr.tMs - this.o.rmssdWindowMs;
    while (this.inHead < this.inT.length && (this.inT[this.inHead] as number) <= cutoff) {
      this.flaggedInWindow -= this.inFlag[this.inHead] as number;
      this.prematureInWindow -= this.inPrem[this.inHead] as number;
      this.inHead += 1;
    }
    if (this.inHead > 4096) {
      this.inT = this.inT.slice(this.inHead);
      this.inFlag = this.inFlag.slice(this.inHead);
      this.inPrem = this.inPrem.slice(this.inHead);
      this.inHead = 0;
    }
    for (const b of step.nn) this.addNn(b);
    const nIn = this.inT.length - this.inHead;
    const share = nIn > 0 ? this.flaggedInWindow / nIn : 0;
    const prematureShare = nIn > 2 ? this.prematureInWindow / nIn : 0;
    // Frequent premature beats are the more specific reason (the corrections then mostly "fix" them).
    const unreliableReason = prematureShare > FREQUENT_PREMATURE_SHARE ? 'ectopy' : share > this.o.unreliableAbove ? 'artifacts' : null;
    return {
      tMs: rr.tMs,
      hrBpm: 60_000 / rr.rrMs,
      nn: step.nn,
      labels: step.labels,
      delayBeats: this.o.lookaheadBeats,
      rmssdMs: this.lastRmssd.rmssdMs,
      meanHrBpm: this.lastRmssd.meanHrBpm,
      coherence: this.coherence,
      spectrum: this.spectrum,
      rsa: this.rsa,
      artifactPct: 100 * share,
      prematurePct: 100 * prematureShare,
      unreliable: unreliableReason !== null,
      unreliableReason,
    };
  }

  private totalIn = 0;

  private addNn(b: NnBeat): void {
    const r = this.rmssd.next({ rrMs: b.rrMs, tMs: b.tMs, source: 'replay', afterGap: b.afterGap });
    this.lastRmssd = { rmssdMs: r.rmssdMs, meanHrBpm: r.meanHrBpm };
    if (b.afterGap) {
      // Spectra are not formed across a gap: start the history again.
      this.nnMs = [];
      this.nnT = [];
      this.nnHead = 0;
      this.firstNnT = null;
      this.coherence = this.spectrum = this.rsa = null;
    }
    if (this.firstNnT === null) {
      this.firstNnT = b.tMs - b.rrMs;
      this.nextCoherenceT = this.firstNnT + this.o.coherenceWindowMs;
      this.nextSpectrumT = this.firstNnT + this.o.spectrumMinMs;
      this.nextRsaT = this.firstNnT + this.o.rsaWindowMs;
    }
    this.nnMs.push(b.rrMs);
    this.nnT.push(b.tMs);
    const keep = b.tMs - Math.max(this.o.spectrumWindowMs, this.o.coherenceWindowMs, this.o.rsaWindowMs) - 10_000;
    while (this.nnHead < this.nnT.length && (this.nnT[this.nnHead] as number) < keep) this.nnHead += 1;
    if (this.nnHead > 4096) {
      this.nnMs = this.nnMs.slice(this.nnHead);
      this.nnT = this.nnT.slice(this.nnHead);
      this.nnHead = 0;
    }
    if (b.tMs >= this.nextCoherenceT) {
      this.coherence = this.computeCoherenceNow(b.tMs);
      while (this.nextCoherenceT <= b.tMs) this.nextCoherenceT += this.o.coherenceStepMs;
    }
    if (b.tMs >= this.nextSpectrumT) {
      const nn = this.since(b.tMs - this.o.spectrumWindowMs);
      const f = computeFrequencyDomain(nn).frequency;
      this.spectrum = { lfMs2: f.lfMs2, hfMs2: f.hfMs2, lfHf: f.lfHf, vlfMs2: f.vlfMs2, windowS: f.windowS ?? 0 };
      while (this.nextSpectrumT <= b.tMs) this.nextSpectrumT += this.o.spectrumStepMs;
    }
    if (b.tMs >= this.nextRsaT) {
      const e = estimateRsa(this.since(b.tMs - this.o.rsaWindowMs));
      this.rsa = { breathsPerMin: e.breathsPerMin, peakToTroughBpm: e.peakToTroughBpm };
      while (this.nextRsaT <= b.tMs) this.nextRsaT += this.o.coherenceStepMs;
    }
  }

  /** NN intervals whose beat time is > fromMs (with their preceding interval as the spline's start). */
  private since(fromMs: number): Float64Array {
    let i = this.nnT.length - 1;
    while (i > this.nnHead && (this.nnT[i - 1] as number) > fromMs) i -= 1;
    return Float64Array.from(this.nnMs.slice(Math.max(this.nnHead, i - 1)));
  }

  private computeCoherenceNow(tMs: number): LiveHrv['coherence'] {
    // Spline over a little more than the window, then the last 64 s of 4 Hz samples.
    const nn = this.since(tMs - this.o.coherenceWindowMs - 5_000);
    const x = resampleTachogram(nn);
    const perWindow = Math.round((this.o.coherenceWindowMs / 1000) * TACHOGRAM_RATE_HZ);
    if (x.length < perWindow) return this.coherence;
    return computeWindowCoherence(x.subarray(x.length - perWindow));
  }
}
