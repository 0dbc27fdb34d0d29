/**
 * Batch HRV analysis of a whole RR series: artifact detection and correction, then time-domain,
 * frequency-domain (Welch by default) and coherence metrics of the corrected (NN) series — the
 * same functions the live engine uses. Stages stay separate: RR → labelled NN → metrics.
 */
import { correctArtifacts, type BeatLabel } from './correct-artifacts';
import { detectArtifacts, type ArtifactDetection } from './detect-artifacts';
import { detectThresholdArtifacts, type ThresholdLevel } from './detect-threshold-artifacts';
import { computeFrequencyDomain, WELCH_SEGMENT_S, type FrequencyDomain, type FrequencyOptions } from './compute-frequency-domain';
import { computeTimeDomain, type TimeDomain } from './compute-time-domain';
import { estimateRsa, type RsaEstimate } from './estimate-rsa';
import { countPrematureBeats, type PrematureBeats } from './premature-beats';

export type CorrectionMethod = 'auto' | 'none' | ThresholdLevel;

export const CORRECTION_METHODS: readonly CorrectionMethod[] = ['auto', 'none', 'very-low', 'low', 'medium', 'strong', 'very-strong'];

export interface AnalyzeOptions {
  readonly correction: CorrectionMethod;
  readonly frequency: Partial<FrequencyOptions>;
}

export interface HrvReport {
  readonly beats: number;
  readonly artifacts: {
    readonly method: string;
    readonly count: number;
    readonly percent: number;
    readonly beats: BeatLabel[];
  };
  readonly nnCount: number;
  readonly time: TimeDomain;
  readonly frequency: FrequencyDomain;
  readonly coherence: { readonly ratio: number | null; readonly peakHz: number | null };
  readonly rsa: RsaEstimate;
  /** Premature-beat pattern of the input (premature-beats.ts): is this mostly ectopic rhythm? */
  readonly premature: PrematureBeats;
  readonly nnMs: Float64Array;
}

export const MIN_BEATS_FOR_ANALYSIS = 8;

export function describeCorrection(m: CorrectionMethod): string {
  if (m === 'auto') return 'Lipponen & Tarvainen 2019 (automatic)';
  if (m === 'none') return 'none';
  return `threshold ${m}`;
}

/** Detection for a method ('none': nothing flagged). */
export function detectByMethod(rrMs: ArrayLike<number>, m: CorrectionMethod): ArtifactDetection {
  if (m === 'auto') return detectArtifacts(rrMs);
  if (m === 'none') return { types: new Uint8Array(rrMs.length), medRrMs: new Float64Array(rrMs.length), th2Ms: new Float64Array(rrMs.length) };
  return detectThresholdArtifacts(rrMs, m);
}

export function analyzeRr(rrMs: ArrayLike<number>, options: Partial<AnalyzeOptions> = {}): HrvReport {
  const correction = options.correction ?? 'auto';
  if (rrMs.length < MIN_BEATS_FOR_ANALYSIS) throw new RangeError(`need at least ${MIN_BEATS_FOR_ANALYSIS} RR intervals, got ${rrMs.length}`);
  const det = detectByMethod(rrMs, correction);
  const corrected = correctArtifacts(rrMs, det);
  const nn = corrected.nnMs;
  const f = computeFrequencyDomain(nn, options.frequency ?? {});
  return {
    beats: rrMs.length,
    artifacts: {
      method: describeCorrection(correction),
      count: corrected.labels.length,
      percent: (100 * corrected.labels.length) / rrMs.length,
      beats: corrected.labels,
    },
    nnCount: nn.length,
    time: computeTimeDomain(nn),
    frequency: f.frequency,
    coherence: { ratio: f.coherence.ratio, peakHz: f.coherence.peakHz },
    premature: countPrematureBeats(rrMs),
    rsa: estimateRsa(nn, f.nnGridMs && f.nnGridSpanS !== null && f.frequency.windowS === WELCH_SEGMENT_S ? { nnGridMs: f.nnGridMs, spanS: f.nnGridSpanS, nnWelchPsd: f.psd } : undefined),
    nnMs: nn,
  };
}
