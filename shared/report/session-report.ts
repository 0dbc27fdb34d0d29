/**
 * The after-session report: one row per phase of the session, computed from the recorded event
 * stream (events.ndjson), so a report can be rebuilt from any recording at any time.
 *
 * Phases are delimited by phase markers (kind 'marker', category 'phase', written by the script
 * runner); beats before the first of them form a phase "Before the script"; a session without
 * them is one phase, "Whole session". Per phase:
 * - duration: from the phase marker to the next one (or the last event);
 * - mean HR: 60000 / mean RR of the beats recorded in the phase (uncorrected);
 * - RMSSD and coherence: means of the live values recorded in the phase ('metric' events: 60 s
 *   RMSSD after artifact correction; 64 s HeartMath-style coherence ratio) — the same numbers the
 *   person saw;
 * - breathing rate: mean of the RSA-based estimate; time near the pacer: share of those
 *   estimates within ±0.5 breaths/min of the pacer rate in force at that moment, weighted by time;
 * - artifacts: corrected beats ('artifact' events) per recorded beat;
 * - reward: mean of the recorded reward signal (0–1).
 */
export type ReportEvent = { readonly kind: string; readonly tMs: number } & Readonly<Record<string, unknown>>;

export const NEAR_PACER_BREATHS_PER_MIN = 0.5;

export interface PhaseReport {
  readonly title: string;
  readonly startS: number;
  readonly durationS: number;
  readonly beats: number;
  readonly meanHrBpm: number | null;
  readonly meanRmssdMs: number | null;
  readonly meanCoherence: number | null;
  readonly meanBreathsPerMin: number | null;
  /** Share (0–1) of the phase's breathing estimates within ±0.5 /min of the pacer; null without estimates. */
  readonly nearPacerShare: number | null;
  readonly artifacts: number;
  readonly artifactPct: number;
  readonly meanReward: number | null;
}

export interface SessionReport {
  readonly durationS: number;
  readonly phases: readonly PhaseReport[];
  readonly markers: readonly { readonly tS: number; readonly label: string; readonly category: string }[];
  readonly notes: readonly string[];
  readonly ratings: readonly { readonly when: string; readonly values: Readonly<Record<string, number>> }[];
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const mean = (xs: readonly number[]): number | null => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length);

export function buildSessionReport(events: readonly ReportEvent[]): SessionReport {
  const sorted = [...events].sort((a, b) => a.tMs - b.tMs);
  const endMs = sorted.length > 0 ? (sorted[sorted.length - 1]?.tMs ?? 0) : 0;
  const phaseMarks = sorted.filter((e) => e.kind === 'marker' && e.category === 'phase');
  const bounds: { title: string; fromMs: number }[] = phaseMarks.length > 0 ? phaseMarks.map((m) => ({ title: String(m.label ?? 'Phase'), fromMs: m.tMs })) : [{ title: 'Whole session', fromMs: 0 }];
  // Time recorded before a script started is a phase of its own, so nothing recorded goes unreported.
  const firstFrom = bounds[0]?.fromMs ?? 0;
  if (phaseMarks.length > 0 && sorted.some((e) => e.kind === 'beat' && e.tMs < firstFrom)) bounds.unshift({ title: 'Before the script', fromMs: 0 });
  // Pacer rate in force over time (for "near the pacer").
  const pacerChanges = sorted.filter((e) => e.kind === 'pacer' && num(e.breathsPerMin) !== null).map((e) => ({ tMs: e.tMs, rate: num(e.breathsPerMin) as number }));
  const pacerAt = (tMs: number): number | null => {
    let r: number | null = null;
    for (const c of pacerChanges) {
      if (c.tMs <= tMs) r = c.rate;
      else break;
    }
    return r;
  };
  const phases: PhaseReport[] = [];
  bounds.forEach((b, i) => {
    const toMs = bounds[i + 1]?.fromMs ?? endMs + 1; // the last phase includes the last event
    if (b.title === 'Script finished') return;
    const inPhase = sorted.filter((e) => e.tMs >= b.fromMs && e.tMs < toMs);
    const rr = inPhase.filter((e) => e.kind === 'beat').map((e) => num(e.rrMs)).filter((x): x is number => x !== null);
    const metrics = inPhase.filter((e) => e.kind === 'metric');
    const breathing = metrics.map((e) => ({ tMs: e.tMs, v: num(e.breathsPerMin) })).filter((x): x is { tMs: number; v: number } => x.v !== null);
    let near = 0;
    let judged = 0;
    for (const x of breathing) {
      const p = pacerAt(x.tMs);
      if (p === null) continue;
      judged++;
      if (Math.abs(x.v - p) <= NEAR_PACER_BREATHS_PER_MIN) near++;
    }
    const artifacts = inPhase.filter((e) => e.kind === 'artifact').length;
    const meanRr = mean(rr);
    phases.push({
      title: b.title,
      startS: b.fromMs / 1000,
      durationS: Math.max(0, Math.min(toMs, endMs) - b.fromMs) / 1000,
      beats: rr.length,
      meanHrBpm: meanRr === null ? null : 60_000 / meanRr,
      meanRmssdMs: mean(metrics.map((e) => num(e.rmssdMs)).filter((x): x is number => x !== null)),
      meanCoherence: mean(metrics.map((e) => num(e.coherence)).filter((x): x is number => x !== null)),
      meanBreathsPerMin: mean(breathing.map((x) => x.v)),
      nearPacerShare: judged === 0 ? null : near / judged,
      artifacts,
      artifactPct: rr.length === 0 ? 0 : (100 * artifacts) / rr.length,
      meanReward: mean(inPhase.filter((e) => e.kind === 'reward').map((e) => num(e.value)).filter((x): x is number => x !== null)),
    });
  });
  return {
    durationS: endMs / 1000,
    phases,
    markers: sorted.filter((e) => e.kind === 'marker').map((e) => ({ tS: e.tMs / 1000, label: String(e.label ?? ''), category: String(e.category ?? '') })),
    notes: sorted.filter((e) => e.kind === 'note' && typeof e.text === 'string').map((e) => e.text as string),
    ratings: sorted
      .filter((e) => e.kind === 'rating')
      .map((e) => {
        const values: Record<string, number> = {};
        for (const [k, v] of Object.entries(e)) if (typeof v === 'number' && k !== 'tMs') values[k] = v;
        return { when: String(e.when ?? ''), values };
      }),
  };
}
