import { describe, expect, it } from 'vitest';
import { computeHrBreathPhase, type BreathEvent } from '../../../shared/resonance/hr-breath-phase';
import { recommendRate, scoreRate } from '../../../shared/resonance/score-resonance';
import { DEFAULT_PACER, changePacer, startPacer, type PacerSchedule } from '../../../shared/pacer/phase';
import { createRng } from '../../../shared/sim/prng';

/**
 * A person breathing in segments, each at a rate with a known heart-rate phase against their
 * breath: HR(t) = 65 + A·cos(2π(t − peak)/T) beats/min, where the HR peak sits `phaseDeg` of a
 * cycle after the end of the in-breath (onset + 0.4 T). Beats are integrated from HR (each interval
 * at the HR of its middle), with seeded
 * beat-to-beat noise. `breathLagDeg` delays the person's breaths behind the pacer.
 */
interface Segment {
  readonly breathsPerMin: number;
  readonly fromMs: number;
  readonly toMs: number;
  readonly phaseDeg: number;
  readonly amplitudeBpm: number;
  readonly breathLagDeg?: number;
  /** Breaths the chest sees (default: the paced rate). */
  readonly chestBreathsPerMin?: number;
}

function person(segments: readonly Segment[], seed = 1) {
  const rng = createRng(seed);
  const breaths: (BreathEvent & { breathsPerMin: number })[] = [];
  let schedule: PacerSchedule = startPacer(0, { ...DEFAULT_PACER, breathsPerMin: segments[0]?.breathsPerMin ?? 6 });
  for (const s of segments) {
    schedule = changePacer(schedule, s.fromMs, { ...DEFAULT_PACER, breathsPerMin: s.breathsPerMin });
    const T = 60_000 / (s.chestBreathsPerMin ?? s.breathsPerMin);
    for (let o = s.fromMs + ((s.breathLagDeg ?? 0) / 360) * T; o + T <= s.toMs; o += T) breaths.push({ onsetTMs: o, durationMs: T, exhaleOnsetTMs: o + 0.4 * T, breathsPerMin: 60_000 / T });
  }
  const hrAt = (t: number): number => {
    const s = segments.find((x) => t >= x.fromMs && t < x.toMs) ?? segments[segments.length - 1]!;
    const T = 60_000 / (s.chestBreathsPerMin ?? s.breathsPerMin);
    const lag = ((s.breathLagDeg ?? 0) / 360) * T;
    const peak = s.fromMs + lag + 0.4 * T + (s.phaseDeg / 360) * T;
    return 65 + s.amplitudeBpm * Math.cos((2 * Math.PI * (t - peak)) / T);
  };
  const tMs: number[] = [];
  const nnMs: number[] = [];
  const end = segments[segments.length - 1]!.toMs;
  for (let t = 0; t < end; ) {
    // The interval's rate is the HR at its middle (two fixed-point steps), plus beat-to-beat noise.
    let rr = 60_000 / hrAt(t);
    for (let it = 0; it < 2; it++) rr = 60_000 / hrAt(t + rr / 2);
    rr += (rng.uniform() - 0.5) * 10;
    t += rr;
    tMs.push(t);
    nnMs.push(rr);
  }
  return { tMs, nnMs, breaths, schedule };
}

describe('computeHrBreathPhase', () => {
  it('finds the true phase between HR and the measured breath (0°, 90°, −60°, 180°)', () => {
    for (const phaseDeg of [0, 90, -60, 180]) {
      const p = person([{ breathsPerMin: 6, fromMs: 0, toMs: 120_000, phaseDeg, amplitudeBpm: 8 }], 3);
      const r = computeHrBreathPhase(p.tMs, p.nnMs, p.breaths, 0, 120_000)!;
      const err = ((((r.phaseDeg - phaseDeg + 180) % 360) + 360) % 360) - 180;
      console.info(`true ${phaseDeg}°: measured ${r.phaseDeg.toFixed(1)}°, strength ${r.strength.toFixed(3)}`);
      expect(Math.abs(err)).toBeLessThan(5);
      expect(r.strength).toBeGreaterThan(0.9);
      expect(r.inhaleShare).toBeCloseTo(0.4, 9);
      expect(r.breathsPerMin).toBeCloseTo(6, 9);
      expect(r.inPhaseScore).toBeCloseTo((r.strength * (1 + Math.cos((r.phaseDeg * Math.PI) / 180))) / 2, 12);
    }
  });

  it("measures the heart against the breath taken, not against the pacer: a person 90° behind the pacer whose heart follows the breath is in phase", () => {
    const p = person([{ breathsPerMin: 6, fromMs: 0, toMs: 120_000, phaseDeg: 0, amplitudeBpm: 8, breathLagDeg: 90 }], 5);
    const r = computeHrBreathPhase(p.tMs, p.nnMs, p.breaths, 0, 120_000)!;
    expect(Math.abs(r.phaseDeg)).toBeLessThan(12);
    const paced = scoreRate(6, p.tMs, p.nnMs, p.schedule, 0, 120_000);
    // The pacer-locked phase mixes in the person's 90° lag (plus ≈ 17°: pacer-synchrony.ts places each
    // interval's HR at the beat that ends it, half a beat after its middle).
    expect(paced.lagDeg).toBeGreaterThan(80);
    expect(paced.lagDeg).toBeLessThan(115);
  });

  it('needs three whole breaths in the window; no beats or no breaths → null', () => {
    const p = person([{ breathsPerMin: 6, fromMs: 0, toMs: 120_000, phaseDeg: 0, amplitudeBpm: 8 }]);
    expect(computeHrBreathPhase(p.tMs, p.nnMs, p.breaths, 0, 25_000)).toBeNull(); // two whole breaths
    expect(computeHrBreathPhase(p.tMs, p.nnMs, p.breaths, 0, 30_000)).not.toBeNull();
    expect(computeHrBreathPhase(p.tMs, p.nnMs, [], 0, 120_000)).toBeNull();
    expect(computeHrBreathPhase([], [], p.breaths, 0, 120_000)).toBeNull();
  });

  it('a missed breath leaves a hole, not a wrong phase', () => {
    const p = person([{ breathsPerMin: 6, fromMs: 0, toMs: 120_000, phaseDeg: 45, amplitudeBpm: 8 }], 7);
    const holed = p.breaths.filter((_, k) => k !== 4 && k !== 7);
    const r = computeHrBreathPhase(p.tMs, p.nnMs, holed, 0, 120_000)!;
    expect(r.breaths).toBe(p.breaths.length - 2);
    expect(Math.abs(r.phaseDeg - 45)).toBeLessThan(12);
  });
});

describe('resonance criterion 1 from measured breathing', () => {
  // HR in phase with the breath at 6/min; at 5/min HR lags 90° but swings 10 % more (so LF power and
  // peak-to-trough favour 5/min, and the pacer-locked synchrony cannot tell them apart).
  const segs: Segment[] = [
    { breathsPerMin: 6, fromMs: 0, toMs: 120_000, phaseDeg: 0, amplitudeBpm: 8 },
    { breathsPerMin: 5, fromMs: 120_000, toMs: 240_000, phaseDeg: 90, amplitudeBpm: 8.8 },
  ];
  const p = person(segs, 11);
  const windows = segs.map((s) => ({ rate: s.breathsPerMin, fromMs: s.fromMs + 30_000, toMs: s.toMs }));

  it('the in-phase rate wins criterion 1 and the recommendation; the results say phase and source', () => {
    const results = windows.map((w) => scoreRate(w.rate, p.tMs, p.nnMs, p.schedule, w.fromMs, w.toMs, p.breaths));
    const [six, five] = results;
    expect(six?.breathingSource).toBe('chest-acc');
    expect(Math.abs(six?.hrBreathPhaseDeg ?? 99)).toBeLessThan(12);
    expect(Math.abs((five?.hrBreathPhaseDeg ?? 0) - 90)).toBeLessThan(12);
    expect(six!.inPhaseScore!).toBeGreaterThan(1.6 * five!.inPhaseScore!);
    const rec = recommendRate(results)!;
    expect(rec.phaseCriterion).toBe('hr-breath-phase');
    expect(rec.breathsPerMin).toBe(6);
    expect(rec.reasons.join(' ')).toMatch(/most in phase with your measured breathing \(0\.\d\d, phase -?\d+°/);
  });

  it('without measured breaths the pacer-locked synchrony is scored instead, and here the larger swing at 5/min wins', () => {
    const results = windows.map((w) => scoreRate(w.rate, p.tMs, p.nnMs, p.schedule, w.fromMs, w.toMs));
    expect(results.every((r) => r.breathingSource === 'rsa' && r.inPhaseScore === null)).toBe(true);
    const rec = recommendRate(results)!;
    expect(rec.phaseCriterion).toBe('pacer-synchrony');
    expect(rec.breathsPerMin).toBe(5);
  });

  it('falls back to pacer synchrony for all rates when one compared rate has no measured breaths', () => {
    const some = p.breaths.filter((b) => b.onsetTMs < 120_000);
    const results = windows.map((w) => scoreRate(w.rate, p.tMs, p.nnMs, p.schedule, w.fromMs, w.toMs, some));
    expect(results.map((r) => r.breathingSource)).toEqual(['chest-acc', 'rsa']);
    expect(recommendRate(results)?.phaseCriterion).toBe('pacer-synchrony');
  });

  it('compliance uses the measured breathing rate: a heart swinging at the pacer does not hide breathing at 9/min', () => {
    // The chest says 9/min at the 5/min step (HR still oscillates at 5/min there, e.g. a strong LF rhythm).
    const q = person([segs[0]!, { ...segs[1]!, chestBreathsPerMin: 9 }], 13);
    const hrOnly = scoreRate(5, q.tMs, q.nnMs, q.schedule, 150_000, 240_000);
    const withChest = scoreRate(5, q.tMs, q.nnMs, q.schedule, 150_000, 240_000, q.breaths);
    expect(withChest.breathingSource).toBe('chest-acc');
    expect(withChest.measuredBreathsPerMin).toBeCloseTo(9, 6);
    expect(withChest.compliance!).toBeLessThan(0.1);
    expect(hrOnly.breathingSource).toBe('rsa');
    const six = scoreRate(6, q.tMs, q.nnMs, q.schedule, 30_000, 120_000, q.breaths);
    const rec = recommendRate([six, withChest])!;
    expect(rec.breathsPerMin).toBe(6);
    expect(rec.reasons.join(' ')).toMatch(/did not follow the pacer there: 5\.0\/min/);
  });
});
