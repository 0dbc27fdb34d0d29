import { describe, expect, it } from 'vitest';
import { DEFAULT_PACER, changePacer, normalizePacer, pacerCycles, pacerPhase, startPacer } from '../../shared/pacer/phase';

describe('pacerPhase', () => {
  it('runs 6 breaths a minute by default, 40 % in and 60 % out', () => {
    const s = startPacer(0);
    expect(pacerCycles(s, 60_000)).toBeCloseTo(6, 12);
    expect(pacerPhase(s, 0)).toMatchObject({ stage: 'inhale', volume: 0 });
    expect(pacerPhase(s, 2000).stage).toBe('inhale');
    expect(pacerPhase(s, 3999).stage).toBe('inhale');
    expect(pacerPhase(s, 4001).stage).toBe('exhale');
    expect(pacerPhase(s, 4000).volume).toBeCloseTo(1, 9);
    expect(pacerPhase(s, 9999).stage).toBe('exhale');
    expect(pacerPhase(s, 10_000)).toMatchObject({ stage: 'inhale' });
    expect(pacerPhase(s, 10_000).volume).toBeCloseTo(0, 12);
  });

  it('is a pure function of time: the same time gives the same phase in any order', () => {
    const s = startPacer(1000, { ...DEFAULT_PACER, breathsPerMin: 5.5 });
    const times = [77_123, 1000, 5000, 77_123, 3_600_000];
    const a = times.map((t) => pacerPhase(s, t));
    const b = [...times].reverse().map((t) => pacerPhase(s, t)).reverse();
    expect(a).toEqual(b);
  });

  it('eases: volume is smooth with zero slope at the turning points', () => {
    const s = startPacer(0);
    const v = (t: number): number => pacerPhase(s, t).volume;
    // Slope near the top of the breath (t = 4 s) is much smaller than mid-inhale.
    const slopeTop = Math.abs(v(4000) - v(3990)) / 10;
    const slopeMid = Math.abs(v(2005) - v(1995)) / 10;
    expect(slopeTop).toBeLessThan(slopeMid / 50);
    for (let t = 0; t < 20_000; t += 7) {
      expect(Math.abs(v(t + 7) - v(t))).toBeLessThan(0.01);
    }
  });

  it('changes rate without a jump in phase or volume', () => {
    let s = startPacer(0);
    const at = 12_345;
    const before = pacerPhase(s, at);
    s = changePacer(s, at, { ...DEFAULT_PACER, breathsPerMin: 4.5 });
    const after = pacerPhase(s, at);
    expect(after.cycles).toBeCloseTo(before.cycles, 12);
    expect(after.volume).toBeCloseTo(before.volume, 1);
    // Past phases are unchanged (a recording replays exactly).
    expect(pacerPhase(s, 5000)).toEqual(pacerPhase(startPacer(0), 5000));
    // After the change, one cycle takes 60/4.5 s.
    expect(pacerCycles(s, at + 60_000 / 4.5) - pacerCycles(s, at)).toBeCloseTo(1, 9);
  });

  it('honours the inhale share and optional pauses', () => {
    const s = startPacer(0, { breathsPerMin: 6, inhaleShare: 0.5, pauseAfterInhaleS: 1, pauseAfterExhaleS: 1 });
    // 10 s cycle: 4 s in, 1 s rest, 4 s out, 1 s rest.
    expect(pacerPhase(s, 3900).stage).toBe('inhale');
    expect(pacerPhase(s, 4500)).toMatchObject({ stage: 'hold-in', volume: 1 });
    expect(pacerPhase(s, 6000).stage).toBe('exhale');
    expect(pacerPhase(s, 9500)).toMatchObject({ stage: 'hold-out', volume: 0 });
  });

  it('clamps settings to the supported range and 0.1 steps', () => {
    expect(normalizePacer({ breathsPerMin: 1, inhaleShare: 0.9, pauseAfterInhaleS: -1, pauseAfterExhaleS: 0 })).toEqual({
      breathsPerMin: 3,
      inhaleShare: 0.7,
      pauseAfterInhaleS: 0,
      pauseAfterExhaleS: 0,
    });
    expect(normalizePacer({ ...DEFAULT_PACER, breathsPerMin: 5.4321 }).breathsPerMin).toBe(5.4);
    expect(normalizePacer({ ...DEFAULT_PACER, breathsPerMin: Number.NaN }).breathsPerMin).toBe(3);
  });
});
