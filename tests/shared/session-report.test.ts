import { describe, expect, it } from 'vitest';
import { buildSessionReport, type ReportEvent } from '../../shared/report/session-report';

/** A synthetic recording: two phases, beats at 60 and 75 bpm, metrics every 5 s. */
function recording(): ReportEvent[] {
  const ev: ReportEvent[] = [{ kind: 'pacer', tMs: 0, breathsPerMin: 6 }];
  ev.push({ kind: 'marker', tMs: 0, label: 'Baseline', category: 'phase' });
  for (let t = 1000; t < 60_000; t += 1000) ev.push({ kind: 'beat', tMs: t, rrMs: 1000 });
  for (let t = 5000; t < 60_000; t += 5000) ev.push({ kind: 'metric', tMs: t, rmssdMs: 40, coherence: 0.5, breathsPerMin: 12 });
  ev.push({ kind: 'marker', tMs: 60_000, label: 'Soothing rhythm breathing', category: 'phase' });
  ev.push({ kind: 'pacer', tMs: 60_000, breathsPerMin: 5.5 });
  for (let t = 60_800; t <= 120_000; t += 800) ev.push({ kind: 'beat', tMs: t, rrMs: 800 });
  for (let t = 65_000; t <= 120_000; t += 5000) ev.push({ kind: 'metric', tMs: t, rmssdMs: 80, coherence: 2, breathsPerMin: t < 90_000 ? 7 : 5.6 });
  for (let t = 65_000; t <= 120_000; t += 5000) ev.push({ kind: 'reward', tMs: t, value: 0.6 });
  ev.push({ kind: 'artifact', tMs: 70_000, index: 80, type: 'ectopic', originalRrMs: 500 });
  ev.push({ kind: 'marker', tMs: 80_000, label: 'Client spoke', category: 'therapist' });
  ev.push({ kind: 'note', tMs: 90_000, text: 'Breathing settled after a minute.' });
  ev.push({ kind: 'rating', tMs: 1, when: 'before', calm: 3, safe: 4, selfCritical: 7 });
  ev.push({ kind: 'marker', tMs: 120_000, label: 'Script finished', category: 'phase' });
  return ev;
}

describe('buildSessionReport', () => {
  it('summarises each phase from the recorded events', () => {
    const r = buildSessionReport(recording());
    expect(r.phases.map((p) => p.title)).toEqual(['Baseline', 'Soothing rhythm breathing']);
    const [a, b] = r.phases;
    expect(a).toMatchObject({ startS: 0, durationS: 60, beats: 59, meanRmssdMs: 40, meanCoherence: 0.5, meanBreathsPerMin: 12, nearPacerShare: 0, artifacts: 0, meanReward: null });
    expect(a?.meanHrBpm).toBeCloseTo(60, 9);
    expect(b?.meanHrBpm).toBeCloseTo(75, 9);
    expect(b?.meanRmssdMs).toBe(80);
    // Breathing 7 /min for 5 estimates (65–85 s), then 5.6 /min (within 0.5 of 5.5) for 6 (90–115 s;
    // the phase ends at the finishing marker at 120 s).
    expect(b?.nearPacerShare).toBeCloseTo(6 / 11, 9);
    expect(b?.artifacts).toBe(1);
    expect(b?.beats).toBe(74);
    expect(b?.artifactPct).toBeCloseTo(100 / 74, 9);
    expect(b?.meanReward).toBeCloseTo(0.6, 12);
  });

  it('keeps markers, notes and ratings; a session without phase markers is one phase', () => {
    const r = buildSessionReport(recording());
    expect(r.markers.map((m) => m.label)).toContain('Client spoke');
    expect(r.notes).toEqual(['Breathing settled after a minute.']);
    expect(r.ratings).toEqual([{ when: 'before', values: { calm: 3, safe: 4, selfCritical: 7 } }]);
    const plain = buildSessionReport(recording().filter((e) => e.category !== 'phase'));
    expect(plain.phases).toHaveLength(1);
    expect(plain.phases[0]?.title).toBe('Whole session');
    expect(plain.phases[0]?.beats).toBe(59 + 75);
  });

  it('reports time recorded before the script started as its own phase', () => {
    const early: ReportEvent[] = [{ kind: 'beat', tMs: 500, rrMs: 900 }, ...recording().map((e) => ({ ...e, tMs: e.tMs + 10_000 }))];
    expect(buildSessionReport(early).phases.map((p) => p.title)).toEqual(['Before the script', 'Baseline', 'Soothing rhythm breathing']);
  });

  it('copes with an empty recording', () => {
    expect(buildSessionReport([])).toMatchObject({ durationS: 0, phases: [{ title: 'Whole session', beats: 0, meanHrBpm: null }] });
  });
});
