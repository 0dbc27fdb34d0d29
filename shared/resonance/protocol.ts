/**
 * The resonance-frequency assessment protocol: paced breathing at a descending series of rates,
 * a fixed time each, with a short rest between (Lehrer et al. 2000, Appl Psychophysiol Biofeedback
 * 25:177–191; Lehrer et al. 2013; Shaffer & Meehan 2020, Front Neurosci 14:570400: 6.5, 6.0, 5.5,
 * 5.0, 4.5 breaths/min, 2 min each; notes/domain-facts.md §4.3).
 * The first `settleS` of every step are not scored: breathing and heart rate need a few breaths to
 * settle into a new rate. The step's state is a pure function of the time since the start.
 */

export interface ResonanceProtocol {
  readonly ratesBreathsPerMin: readonly number[];
  /** Paced breathing per rate, s. */
  readonly stepS: number;
  /** Free breathing between steps, s (0 = none). */
  readonly restS: number;
  /** Not scored at the start of each step, s. */
  readonly settleS: number;
}

export const DEFAULT_RESONANCE_PROTOCOL: ResonanceProtocol = { ratesBreathsPerMin: [6.5, 6, 5.5, 5, 4.5], stepS: 120, restS: 30, settleS: 45 };

export type ProtocolStage =
  | { readonly kind: 'breathe'; readonly index: number; readonly breathsPerMin: number; readonly remainingS: number }
  | { readonly kind: 'rest'; readonly index: number; readonly nextBreathsPerMin: number; readonly remainingS: number }
  | { readonly kind: 'done' };

/** Clean up a protocol from settings or a form. */
export function normalizeProtocol(p: Partial<ResonanceProtocol>): ResonanceProtocol {
  const d = DEFAULT_RESONANCE_PROTOCOL;
  const rates = (p.ratesBreathsPerMin ?? d.ratesBreathsPerMin).filter((r) => Number.isFinite(r) && r >= 3 && r <= 10).map((r) => Math.round(r * 10) / 10);
  const stepS = Math.min(600, Math.max(60, p.stepS ?? d.stepS));
  return {
    ratesBreathsPerMin: rates.length >= 2 ? rates : d.ratesBreathsPerMin,
    stepS,
    restS: Math.min(300, Math.max(0, p.restS ?? d.restS)),
    // At least 45 s are scored: the breathing rate needs two cycles of the slowest band (estimate-rsa.ts).
    settleS: Math.min(stepS - 45, Math.max(0, p.settleS ?? d.settleS)),
  };
}

/** Total length, s. */
export const protocolDurationS = (p: ResonanceProtocol): number => p.ratesBreathsPerMin.length * p.stepS + (p.ratesBreathsPerMin.length - 1) * p.restS;

/** Where the protocol is `elapsedMs` after its start. */
export function protocolStageAt(p: ResonanceProtocol, elapsedMs: number): ProtocolStage {
  let t = Math.max(0, elapsedMs) / 1000;
  const n = p.ratesBreathsPerMin.length;
  for (let i = 0; i < n; i++) {
    const rate = p.ratesBreathsPerMin[i] as number;
    if (t < p.stepS) return { kind: 'breathe', index: i, breathsPerMin: rate, remainingS: p.stepS - t };
    t -= p.stepS;
    if (i === n - 1) break;
    if (t < p.restS) return { kind: 'rest', index: i, nextBreathsPerMin: p.ratesBreathsPerMin[i + 1] as number, remainingS: p.restS - t };
    t -= p.restS;
  }
  return { kind: 'done' };
}

/** The scored window of each step, ms relative to the protocol's start. */
export function protocolWindows(p: ResonanceProtocol): { breathsPerMin: number; fromMs: number; toMs: number }[] {
  return p.ratesBreathsPerMin.map((breathsPerMin, i) => {
    const startS = i * (p.stepS + p.restS);
    return { breathsPerMin, fromMs: (startS + p.settleS) * 1000, toMs: (startS + p.stepS) * 1000 };
  });
}
