/**
 * Progress over weeks from the session list: per calendar week (Monday 00:00 UTC), the mean
 * resting RMSSD (each session's first 2 minutes, see SessionSummary.restingRmssdMs), the mean
 * coherence, and the minutes practised. Imported sessions count like the others; sessions being
 * recorded are left out.
 */
import type { SessionListEntry } from './library-types';

export interface WeekProgress {
  /** Monday 00:00 UTC of the week, s since 1970 (uPlot's time unit). */
  readonly weekStartS: number;
  readonly sessions: number;
  readonly minutesPractised: number;
  readonly restingRmssdMs: number | null;
  readonly meanCoherence: number | null;
}

const DAY_MS = 86_400_000;

export function weekStartMs(wallClockMs: number): number {
  const day = Math.floor(wallClockMs / DAY_MS);
  // 1970-01-01 was a Thursday: (day + 3) mod 7 is 0 on Mondays.
  return (day - (((day + 3) % 7) + 7) % 7) * DAY_MS;
}

export function weeklyProgress(entries: readonly SessionListEntry[]): WeekProgress[] {
  const weeks = new Map<number, { sessions: number; ms: number; rmssd: number[]; coh: number[] }>();
  for (const e of entries) {
    const t = Date.parse(e.wallClockStartIso);
    if (!Number.isFinite(t) || !e.summary || e.recording) continue;
    const k = weekStartMs(t);
    const w = weeks.get(k) ?? { sessions: 0, ms: 0, rmssd: [], coh: [] };
    w.sessions++;
    w.ms += e.summary.durationMs;
    if (e.summary.restingRmssdMs !== null) w.rmssd.push(e.summary.restingRmssdMs);
    if (e.summary.meanCoherence !== null) w.coh.push(e.summary.meanCoherence);
    weeks.set(k, w);
  }
  const mean = (v: number[]): number | null => (v.length ? v.reduce((s, x) => s + x, 0) / v.length : null);
  return [...weeks.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([k, w]) => ({ weekStartS: k / 1000, sessions: w.sessions, minutesPractised: w.ms / 60_000, restingRmssdMs: mean(w.rmssd), meanCoherence: mean(w.coh) }));
}
