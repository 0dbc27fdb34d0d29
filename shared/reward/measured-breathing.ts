/**
 * Breathing measured, not inferred: when a chest accelerometer (Polar H10, shared/signal/
 * accelerometer-breathing.ts) reports breaths, the reward uses their rate and their phase against
 * the pacer instead of the rate estimated from RSA (shared/hrv/estimate-rsa.ts). RSA infers
 * breathing from the heart, so exactly when the heart does not follow the breath (the thing the
 * reward is about) its rate estimate is least reliable; a measured breath has no such circularity.
 *
 * Over the last WINDOW_MS of breaths (by their end, onset + duration):
 *  - rate: median of the breaths' rates (robust to one merged or split breath);
 *  - phase: the pacer phase at each inhale onset (0° = the person started breathing in with the
 *    pacer), summarised by circular statistics (Fisher, "Statistical analysis of circular data",
 *    CUP 1993, §2.3.1): mean direction φ̄ and mean resultant length R = |mean e^{iφ}| (1 = every
 *    breath at the same phase, 0 = no relation to the pacer);
 *  - phaseScore = R · (1 + cos φ̄) / 2: consistently breathing in with the pacer scores 1, a steady
 *    half-cycle offset (breathing in while the pacer says out) or no relation scores 0.
 * At least MIN_BREATHS breaths are needed; fewer (or breaths whose phase is unknown) → the RSA
 * estimate is used, and the choice is reported so it can be recorded.
 */

/** Breaths considered, by their end, ms before now. */
export const WINDOW_MS = 30_000;
/** Fewest breaths for a measured rate. */
export const MIN_BREATHS = 2;
/** Breaths are stale when the newest ended longer ago than this, ms (the sensor stopped). */
export const STALE_MS = 20_000;

export interface MeasuredBreath {
  readonly onsetTMs: number;
  readonly durationMs: number;
  readonly breathsPerMin: number;
  /** Pacer phase at the inhale onset, degrees −180…180; null without a pacer. */
  readonly pacerPhaseDeg: number | null;
}

export interface MeasuredBreathing {
  readonly breathsPerMin: number;
  readonly breaths: number;
  /** Circular mean of the pacer phases, degrees −180…180; null when no breath had one. */
  readonly meanPhaseDeg: number | null;
  /** Mean resultant length of the phases, 0–1; null when no breath had one. */
  readonly phaseConsistency: number | null;
  /** R · (1 + cos φ̄) / 2, 0–1; null when no breath had a phase. */
  readonly phaseScore: number | null;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

/** Summary of the measured breaths that ended in (nowMs − WINDOW_MS, nowMs]; null when too few or stale. */
export function summarizeMeasuredBreathing(breaths: readonly MeasuredBreath[], nowMs: number): MeasuredBreathing | null {
  const recent = breaths.filter((b) => {
    const end = b.onsetTMs + b.durationMs;
    return end > nowMs - WINDOW_MS && end <= nowMs && Number.isFinite(b.breathsPerMin);
  });
  if (recent.length < MIN_BREATHS) return null;
  const newestEnd = Math.max(...recent.map((b) => b.onsetTMs + b.durationMs));
  if (nowMs - newestEnd > STALE_MS) return null;
  let c = 0;
  let s = 0;
  let n = 0;
  for (const b of recent) {
    if (b.pacerPhaseDeg === null || !Number.isFinite(b.pacerPhaseDeg)) continue;
    const r = (b.pacerPhaseDeg * Math.PI) / 180;
    c += Math.cos(r);
    s += Math.sin(r);
    n++;
  }
  const consistency = n ? Math.hypot(c, s) / n : null;
  const mean = n && consistency !== null && consistency > 1e-12 ? (Math.atan2(s, c) * 180) / Math.PI : null;
  const phaseScore = consistency === null ? null : mean === null ? 0 : consistency * ((1 + Math.cos((mean * Math.PI) / 180)) / 2);
  return { breathsPerMin: median(recent.map((b) => b.breathsPerMin)), breaths: recent.length, meanPhaseDeg: mean, phaseConsistency: consistency, phaseScore };
}

export type BreathingSource = 'chest-acc' | 'rsa';

export interface ChosenBreathing {
  readonly breathsPerMin: number | null;
  /** Which measurement the rate came from; null when neither has one. */
  readonly source: BreathingSource | null;
  /** The breathing phase score (only from measured breaths). */
  readonly phaseScore: number | null;
}

/** Prefers the measured breathing rate over the RSA estimate. */
export function chooseBreathing(measured: MeasuredBreathing | null, rsaBreathsPerMin: number | null): ChosenBreathing {
  if (measured) return { breathsPerMin: measured.breathsPerMin, source: 'chest-acc', phaseScore: measured.phaseScore };
  if (rsaBreathsPerMin !== null && Number.isFinite(rsaBreathsPerMin)) return { breathsPerMin: rsaBreathsPerMin, source: 'rsa', phaseScore: null };
  return { breathsPerMin: null, source: null, phaseScore: null };
}
