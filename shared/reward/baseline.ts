/**
 * The person's own recent baseline for the reward: their usual RSA peak-to-trough HR and
 * coherence, kept as an exponential moving average over sessions (saved in settings).
 *
 * Defaults before the first update are typical spontaneous-breathing values of resting adults:
 * RSA peak-to-trough ~5 beats/min at 12–15 breaths/min (Lehrer, Vaschillo & Vaschillo 2000 report
 * several-fold larger amplitudes at resonance), coherence ratio ~0.5 (HeartMath's lowest
 * challenge threshold, notes/domain-facts.md §4.1).
 * Only reliable windows update it, and by a small weight, so one odd session moves it little.
 */
export interface RewardBaseline {
  readonly peakToTroughBpm: number;
  readonly coherence: number;
  /** Number of updates so far (0 = defaults). */
  readonly updates: number;
}

export const DEFAULT_REWARD_BASELINE: RewardBaseline = { peakToTroughBpm: 5, coherence: 0.5, updates: 0 };

/** Weight of a new observation in the moving average. */
export const BASELINE_WEIGHT = 0.25;

/** Keep a stored baseline within sensible bounds. */
export function sanitizeBaseline(raw: unknown): RewardBaseline {
  const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const num = (v: unknown, d: number, lo: number, hi: number): number => (typeof v === 'number' && Number.isFinite(v) ? Math.min(hi, Math.max(lo, v)) : d);
  return {
    peakToTroughBpm: num(r.peakToTroughBpm, DEFAULT_REWARD_BASELINE.peakToTroughBpm, 1, 40),
    coherence: num(r.coherence, DEFAULT_REWARD_BASELINE.coherence, 0.05, 20),
    updates: Math.round(num(r.updates, 0, 0, 1e6)),
  };
}

/**
 * Fold a session's typical values (medians of reliable windows) into the baseline.
 * The first update replaces half of the default, later ones move it by BASELINE_WEIGHT.
 */
export function updateBaseline(b: RewardBaseline, observed: { readonly peakToTroughBpm: number | null; readonly coherence: number | null }): RewardBaseline {
  const w = b.updates === 0 ? 0.5 : BASELINE_WEIGHT;
  const mix = (old: number, x: number | null): number => (x === null || !Number.isFinite(x) ? old : old + (x - old) * w);
  if (observed.peakToTroughBpm === null && observed.coherence === null) return b;
  return sanitizeBaseline({ peakToTroughBpm: mix(b.peakToTroughBpm, observed.peakToTroughBpm), coherence: mix(b.coherence, observed.coherence), updates: b.updates + 1 });
}
