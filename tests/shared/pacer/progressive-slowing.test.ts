import { describe, expect, it } from 'vitest';
import { MAX_SLOWING_BREATHS_PER_MIN_PER_MIN, advanceSlowing, slowingOptions, slowingPacerRate, startSlowing, stepSlowing, type SlowingState } from '../../../shared/pacer/progressive-slowing';
import { chooseBreathing, summarizeMeasuredBreathing, type MeasuredBreath } from '../../../shared/reward/measured-breathing';
import { changePacer, pacerCycles, startPacer } from '../../../shared/pacer/phase';

/** Run the slowing every `stepMs` for `minutes`, with the person's measured rate given by `measured(tMs, pacerRate)`. */
function run(start: number | null, target: number, minutes: number, measured: (tMs: number, pacer: number) => number | null, stepMs = 5000, speed?: number) {
  const o = slowingOptions(target, speed === undefined ? {} : { maxStepBreathsPerMinPerMin: speed });
  let s: SlowingState = startSlowing(start, 0, o);
  const out: { tMs: number; rate: number; state: SlowingState }[] = [{ tMs: 0, rate: slowingPacerRate(s), state: s }];
  for (let t = stepMs; t <= minutes * 60_000; t += stepMs) {
    s = stepSlowing(s, t, measured(t, s.rateBreathsPerMin), o);
    out.push({ tMs: t, rate: slowingPacerRate(s), state: s });
  }
  return out;
}

describe('progressive slowing', () => {
  it('starts at the measured rate (clamped to the pacer range) and reaches the target in (start − target) / 0.5 minutes', () => {
    const steps = run(9, 6, 10, (_t, p) => p);
    expect(steps[0]?.rate).toBe(9);
    const reached = steps.find((s) => s.rate === 6);
    expect(reached?.tMs).toBeGreaterThanOrEqual(5.9 * 60_000);
    expect(reached?.tMs).toBeLessThanOrEqual(6.1 * 60_000);
    expect(steps.at(-1)?.state.done).toBe(true);
    expect(run(13, 6, 1, () => null)[0]?.rate).toBe(10); // pacer range is 3–10
  });

  it('only ever slows, in 0.1 steps, never faster than the comfortable step', () => {
    const steps = run(10, 4.5, 20, (_t, p) => p + 0.5, 1000);
    for (let i = 1; i < steps.length; i++) {
      const a = steps[i - 1]!;
      const b = steps[i]!;
      expect(b.rate).toBeLessThanOrEqual(a.rate);
      expect(Math.abs(b.rate * 10 - Math.round(b.rate * 10))).toBeLessThan(1e-9);
      expect(a.state.rateBreathsPerMin - b.state.rateBreathsPerMin).toBeLessThanOrEqual((0.5 * (b.tMs - a.tMs)) / 60_000 + 1e-12);
    }
    // Settings cannot make it faster than the cap.
    const fast = run(10, 4, 2, () => null, 1000, 5);
    expect(10 - fast.at(-1)!.state.rateBreathsPerMin).toBeCloseTo(2 * MAX_SLOWING_BREATHS_PER_MIN_PER_MIN, 9);
  });

  it('waits while the person breathes much faster than the pacer, then goes on', () => {
    // The person stays at 9/min for the first 5 minutes, then follows.
    const steps = run(9, 6, 12, (t, p) => (t < 5 * 60_000 ? 9 : p));
    expect(steps.some((s) => s.state.holding)).toBe(true);
    for (const s of steps.filter((x) => x.tMs >= 3.5 * 60_000 && x.tMs <= 5 * 60_000)) {
      expect(s.rate).toBeGreaterThanOrEqual(7.4); // held near 9 − 1.5
      expect(s.rate).toBeLessThanOrEqual(7.6);
    }
    expect(steps.at(-1)?.rate).toBe(6);
  });

  it('never starts above the target when the person already breathes slowly', () => {
    expect(run(4, 6, 1, () => 4)[0]?.rate).toBe(6);
    expect(run(null, 5.5, 1, () => null).every((s) => s.rate === 5.5)).toBe(true);
  });

  it('drives the pacer schedule without a jump in its phase', () => {
    const steps = run(8, 6, 5, (_t, p) => p, 5000);
    let sched = startPacer(0, { breathsPerMin: 8, inhaleShare: 0.4, pauseAfterInhaleS: 0, pauseAfterExhaleS: 0 });
    let last = 8;
    for (const s of steps) {
      if (s.rate !== last) {
        sched = changePacer(sched, s.tMs, { breathsPerMin: s.rate, inhaleShare: 0.4, pauseAfterInhaleS: 0, pauseAfterExhaleS: 0 });
        last = s.rate;
      }
    }
    for (let t = 1; t < 5 * 60_000; t += 997) {
      const d = pacerCycles(sched, t + 1) - pacerCycles(sched, t);
      expect(d).toBeGreaterThan(0);
      expect(d).toBeLessThan(8 / 60_000 + 1e-9);
    }
  });
});

/** Chest-accelerometer breaths at `breathsPerMin`, back to back from `fromMs` to `toMs`. */
const chest = (breathsPerMin: number, fromMs: number, toMs: number): MeasuredBreath[] => {
  const d = 60_000 / breathsPerMin;
  const out: MeasuredBreath[] = [];
  for (let t = fromMs; t + d <= toMs; t += d) out.push({ onsetTMs: t, durationMs: d, breathsPerMin, pacerPhaseDeg: 0 });
  return out;
};

describe('progressive slowing with measured breathing (chest accelerometer, issue 9)', () => {
  const o = slowingOptions(6);
  /** What the session does each step: chest breaths win over the RSA estimate. */
  const step = (s: SlowingState | null, tMs: number, breaths: readonly MeasuredBreath[], rsa: number | null) =>
    advanceSlowing(s, tMs, chooseBreathing(summarizeMeasuredBreathing(breaths, tMs), rsa), o);

  it('starts at the measured chest rate, not the RSA estimate, and says so', () => {
    const r = step(null, 60_000, chest(8, 0, 60_000), 11);
    expect(r.source).toBe('chest-acc');
    expect(r.measuredBreathsPerMin).toBe(8);
    expect(r.state && slowingPacerRate(r.state)).toBe(8);
    // Without chest breaths the same call uses RSA.
    const rsa = step(null, 60_000, [], 11);
    expect(rsa.source).toBe('rsa');
    expect(rsa.state && slowingPacerRate(rsa.state)).toBe(10); // 11 clamped to the pacer range
  });

  it('holds when the chest says the person lags, even when RSA says they follow', () => {
    // Pacer at 7/min; the person really breathes at 9/min (chest), RSA wrongly reports 7.
    let s: SlowingState | null = startSlowing(7, 0, o);
    const r = step(s, 30_000, chest(9, 0, 30_000), 7);
    expect(r.source).toBe('chest-acc');
    expect(r.state?.holding).toBe(true);
    expect(r.state?.rateBreathsPerMin).toBe(7);
    // Trusting RSA would have slowed on.
    s = startSlowing(7, 0, o);
    expect(advanceSlowing(s, 30_000, { breathsPerMin: 7, source: 'rsa' }, o).state?.rateBreathsPerMin).toBeCloseTo(7 - 0.25, 9);
  });

  it('falls back to RSA when the chest breaths go stale, and waits while nothing is known', () => {
    const breaths = chest(8, 0, 60_000);
    const later = step(startSlowing(8, 60_000, o), 120_000, breaths, 7.5);
    expect(later.source).toBe('rsa');
    expect(later.measuredBreathsPerMin).toBe(7.5);
    const none = step(null, 10_000, [], null);
    expect(none).toEqual({ state: null, measuredBreathsPerMin: null, source: null });
  });
});
