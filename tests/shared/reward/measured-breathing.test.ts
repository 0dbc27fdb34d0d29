import { describe, expect, it } from 'vitest';
import { chooseBreathing, summarizeMeasuredBreathing, MIN_BREATHS, STALE_MS, WINDOW_MS, type MeasuredBreath } from '../../../shared/reward/measured-breathing';
import { computeReward } from '../../../shared/reward/compute-reward';
import { DEFAULT_REWARD_BASELINE } from '../../../shared/reward/baseline';

/** Breaths of `durationMs` back to back from `fromMs`, each with the phase given by `phase(k)`. */
const train = (n: number, durationMs: number, phase: (k: number) => number | null, fromMs = 0): MeasuredBreath[] =>
  Array.from({ length: n }, (_, k) => ({ onsetTMs: fromMs + k * durationMs, durationMs, breathsPerMin: 60_000 / durationMs, pacerPhaseDeg: phase(k) }));

describe('summarizeMeasuredBreathing', () => {
  it('in step with the pacer: the median rate, phase ≈ 0°, consistency 1, phaseScore 1', () => {
    const b = train(6, 10_000, () => 0);
    const s = summarizeMeasuredBreathing(b, 60_000);
    expect(s?.breathsPerMin).toBe(6);
    expect(s?.breaths).toBe(3); // breaths ending in (30 s, 60 s]
    expect(s?.meanPhaseDeg).toBeCloseTo(0, 9);
    expect(s?.phaseConsistency).toBeCloseTo(1, 12);
    expect(s?.phaseScore).toBeCloseTo(1, 12);
  });
  it('a steady lag lowers the score by (1 + cos φ)/2; breathing out while the pacer says in scores 0', () => {
    expect(summarizeMeasuredBreathing(train(6, 10_000, () => 90), 60_000)?.phaseScore).toBeCloseTo(0.5, 9);
    expect(summarizeMeasuredBreathing(train(6, 10_000, () => 180), 60_000)?.phaseScore).toBeCloseTo(0, 9);
    // Four breaths in the window, alternately 30° early and late: mean 0°, R = cos 30°.
    const s = summarizeMeasuredBreathing(train(8, 7500, (k) => (k % 2 ? 30 : -30)), 60_000);
    expect(s?.breaths).toBe(4);
    expect(s?.meanPhaseDeg).toBeCloseTo(0, 9);
    expect(s?.phaseConsistency).toBeCloseTo(Math.cos(Math.PI / 6), 9);
  });
  it('no relation to the pacer (phases spread evenly) scores 0; wrapped phases average across ±180°', () => {
    const spread = summarizeMeasuredBreathing(train(12, 5000, (k) => [0, 120, -120][k % 3] ?? 0), 60_000);
    expect(spread?.phaseScore).toBeCloseTo(0, 9);
    const wrap = summarizeMeasuredBreathing(train(8, 7500, (k) => (k % 2 ? 170 : -170)), 60_000);
    expect(Math.abs(wrap?.meanPhaseDeg ?? 0)).toBeCloseTo(180, 9);
  });
  it('rate is the median (one merged breath does not move it); phases unknown → phase null', () => {
    const b = [...train(4, 6000, () => null, 55_000), { onsetTMs: 79_000, durationMs: 12_000, breathsPerMin: 5, pacerPhaseDeg: null }];
    const s = summarizeMeasuredBreathing(b, 91_000); // breaths ending at 67, 73, 79 and 91 s
    expect(s?.breaths).toBe(4);
    expect(s?.breathsPerMin).toBe(10);
    expect(s?.phaseScore).toBeNull();
    expect(s?.meanPhaseDeg).toBeNull();
  });
  it('too few breaths, breaths from the future, or a stale sensor → null', () => {
    expect(summarizeMeasuredBreathing(train(MIN_BREATHS - 1, 10_000, () => 0), 10_000)).toBeNull();
    expect(summarizeMeasuredBreathing(train(6, 10_000, () => 0, 100_000), 60_000)).toBeNull();
    // The last breath ended at 60 s: still used until 60 s + STALE_MS, then not.
    const b = train(12, 5000, () => 0);
    expect(summarizeMeasuredBreathing(b, 60_000 + STALE_MS)).not.toBeNull();
    expect(summarizeMeasuredBreathing(b, 60_000 + STALE_MS + 1)).toBeNull();
    expect(STALE_MS).toBeLessThan(WINDOW_MS);
  });
});

describe('chooseBreathing', () => {
  it('prefers the measured rate, falls back to RSA, says which', () => {
    const measured = summarizeMeasuredBreathing(train(6, 10_000, () => 0), 60_000);
    expect(chooseBreathing(measured, 9)).toEqual({ breathsPerMin: 6, source: 'chest-acc', phaseScore: 1 });
    expect(chooseBreathing(null, 9)).toEqual({ breathsPerMin: 9, source: 'rsa', phaseScore: null });
    expect(chooseBreathing(null, null)).toEqual({ breathsPerMin: null, source: null, phaseScore: null });
  });
});

describe('computeReward with measured breathing', () => {
  const base = { pacerBreathsPerMin: 6, peakToTroughBpm: null, synchrony: null, coherence: null, coherencePeakBreathsPerMin: null } as const;
  it('the breathing term averages rate and timing; without a phase it is the rate alone', () => {
    const onTime = computeReward({ ...base, measuredBreathsPerMin: 6, breathPhaseScore: 1 }, DEFAULT_REWARD_BASELINE, 1);
    const offTime = computeReward({ ...base, measuredBreathsPerMin: 6, breathPhaseScore: 0 }, DEFAULT_REWARD_BASELINE, 1);
    const noPhase = computeReward({ ...base, measuredBreathsPerMin: 6 }, DEFAULT_REWARD_BASELINE, 1);
    expect(onTime.value).toBe(1);
    expect(offTime.value).toBeCloseTo(0.5, 12);
    expect(offTime.phaseScore).toBe(0);
    expect(noPhase.value).toBe(1);
    expect(noPhase.phaseScore).toBeNull();
  });
  it('a measured rate far from the pacer scores low even when the RSA estimate would have matched', () => {
    const measured = chooseBreathing(summarizeMeasuredBreathing(train(8, 5000, () => 0), 40_000), 6);
    const r = computeReward({ ...base, measuredBreathsPerMin: measured.breathsPerMin, breathPhaseScore: measured.phaseScore }, DEFAULT_REWARD_BASELINE, 2);
    expect(measured.source).toBe('chest-acc');
    expect(r.rateScore).toBeCloseTo(1 / (1 + 36), 12); // 12 vs 6 breaths/min, tolerance 1
  });
});
