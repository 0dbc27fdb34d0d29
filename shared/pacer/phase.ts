/**
 * Breathing pacer as a pure function of absolute time.
 *
 * The pacer never integrates frame deltas (Pixi's ticker caps deltaMS at 100 ms after a stall,
 * so integration drifts and jumps); instead the phase is computed from the time since the
 * schedule's origin. A rate change starts a new *segment* that begins at the cycle count the
 * old segment had reached, so the breath continues without a jump (see `changePacer`).
 *
 * Breath shape: the cycle is split into inhale, optional hold, exhale, optional hold. Volume
 * follows a raised-cosine ease (0 → 1 on the in-breath, 1 → 0 on the out-breath), which has zero
 * velocity at the turning points: smoother to follow than a bare sine with equal halves, and it
 * allows the longer out-breath CFT scripts describe (default 40 % in, 60 % out).
 */

export const PACER_MIN_BREATHS_PER_MIN = 3;
export const PACER_MAX_BREATHS_PER_MIN = 10;
export const PACER_RATE_STEP = 0.1; // breaths/min
export const INHALE_SHARE_MIN = 0.3;
export const INHALE_SHARE_MAX = 0.7;

export interface PacerSettings {
  /** Breaths per minute, 3–10 in 0.1 steps. */
  readonly breathsPerMin: number;
  /** Share of the breathing (non-pause) time spent breathing in, 0.3–0.7. */
  readonly inhaleShare: number;
  /** Pause after the in-breath, s (0 = off, the default: no breath holds by default). */
  readonly pauseAfterInhaleS: number;
  /** Pause after the out-breath, s. */
  readonly pauseAfterExhaleS: number;
}

export const DEFAULT_PACER: PacerSettings = {
  breathsPerMin: 6,
  inhaleShare: 0.4,
  pauseAfterInhaleS: 0,
  pauseAfterExhaleS: 0,
};

export type BreathStage = 'inhale' | 'hold-in' | 'exhale' | 'hold-out';

export interface PacerPhase {
  /** Completed cycles plus the fraction of the current one (continuous across rate changes). */
  readonly cycles: number;
  readonly stage: BreathStage;
  /** Progress through the current stage, 0–1. */
  readonly stageProgress: number;
  /** Lung volume cue, 0 (empty) – 1 (full), eased. */
  readonly volume: number;
  /** Seconds left in the current stage (for counting cues). */
  readonly stageRemainingS: number;
}

/** A schedule segment: from `startMs` on, the pacer runs `settings`, starting at `startCycles`. */
export interface PacerSegment {
  readonly startMs: number;
  readonly startCycles: number;
  readonly settings: PacerSettings;
}

/** Pacer schedule: segments in time order. Plain data, so it can be recorded and sent. */
export type PacerSchedule = readonly PacerSegment[];

/** Clamp and round settings to what the pacer supports. */
export function normalizePacer(s: PacerSettings): PacerSettings {
  const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, Number.isFinite(x) ? x : lo));
  return {
    breathsPerMin: Math.round(clamp(s.breathsPerMin, PACER_MIN_BREATHS_PER_MIN, PACER_MAX_BREATHS_PER_MIN) * 10) / 10,
    inhaleShare: clamp(s.inhaleShare, INHALE_SHARE_MIN, INHALE_SHARE_MAX),
    pauseAfterInhaleS: clamp(s.pauseAfterInhaleS, 0, 10),
    pauseAfterExhaleS: clamp(s.pauseAfterExhaleS, 0, 10),
  };
}

/** A schedule that starts at `startMs` with `settings`. */
export function startPacer(startMs: number, settings: PacerSettings = DEFAULT_PACER): PacerSchedule {
  return [{ startMs, startCycles: 0, settings: normalizePacer(settings) }];
}

function segmentAt(schedule: PacerSchedule, tMs: number): PacerSegment {
  let seg = schedule[0];
  if (!seg) throw new Error('empty pacer schedule');
  for (const s of schedule) {
    if (s.startMs <= tMs) seg = s;
    else break;
  }
  return seg;
}

/** Cycle length in ms: breathing time given by the rate, plus pauses. */
export function cycleMs(s: PacerSettings): number {
  return 60_000 / s.breathsPerMin;
}

/** Total cycles elapsed at `tMs` (continuous, monotonic). */
export function pacerCycles(schedule: PacerSchedule, tMs: number): number {
  const seg = segmentAt(schedule, tMs);
  return seg.startCycles + Math.max(0, tMs - seg.startMs) / cycleMs(seg.settings);
}

/**
 * Change the pacer at `atMs` without a jump: the new segment starts at the cycle count reached.
 * Earlier segments stay, so past phases remain reproducible (recordings replay exactly).
 */
export function changePacer(schedule: PacerSchedule, atMs: number, settings: PacerSettings): PacerSchedule {
  const kept = schedule.filter((s) => s.startMs < atMs);
  const base = kept.length > 0 ? kept : schedule.slice(0, 1);
  const startCycles = pacerCycles(base, atMs);
  return [...base, { startMs: atMs, startCycles, settings: normalizePacer(settings) }];
}

const ease = (x: number): number => 0.5 - 0.5 * Math.cos(Math.PI * x);

/** The pacer's state at absolute time `tMs`. Pure: the same inputs always give the same phase. */
export function pacerPhase(schedule: PacerSchedule, tMs: number): PacerPhase {
  const seg = segmentAt(schedule, tMs);
  const cycles = pacerCycles(schedule, tMs);
  const s = seg.settings;
  const totalS = cycleMs(s) / 1000;
  const pauses = Math.min(s.pauseAfterInhaleS + s.pauseAfterExhaleS, totalS * 0.5);
  const pauseScale = s.pauseAfterInhaleS + s.pauseAfterExhaleS > 0 ? pauses / (s.pauseAfterInhaleS + s.pauseAfterExhaleS) : 0;
  const holdInS = s.pauseAfterInhaleS * pauseScale;
  const holdOutS = s.pauseAfterExhaleS * pauseScale;
  const breathingS = totalS - holdInS - holdOutS;
  const inS = breathingS * s.inhaleShare;
  const outS = breathingS - inS;
  const u = (cycles - Math.floor(cycles)) * totalS; // seconds into this cycle
  if (u < inS) return { cycles, stage: 'inhale', stageProgress: u / inS, volume: ease(u / inS), stageRemainingS: inS - u };
  if (u < inS + holdInS) {
    const p = (u - inS) / holdInS;
    return { cycles, stage: 'hold-in', stageProgress: p, volume: 1, stageRemainingS: inS + holdInS - u };
  }
  if (u < inS + holdInS + outS) {
    const p = (u - inS - holdInS) / outS;
    return { cycles, stage: 'exhale', stageProgress: p, volume: 1 - ease(p), stageRemainingS: inS + holdInS + outS - u };
  }
  const p = holdOutS > 0 ? (u - inS - holdInS - outS) / holdOutS : 1;
  return { cycles, stage: 'hold-out', stageProgress: p, volume: 0, stageRemainingS: totalS - u };
}
