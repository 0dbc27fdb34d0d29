import { describe, expect, it } from 'vitest';
import { computeReward, easeReward, REWARD_LEVELS, type Reward, type RewardLevel } from '../../../shared/reward/compute-reward';
import { DEFAULT_REWARD_BASELINE, updateBaseline } from '../../../shared/reward/baseline';
import { computePacerSynchrony } from '../../../shared/reward/pacer-synchrony';
import { LiveHrvEngine } from '../../../shared/hrv/live-hrv-engine';
import { RrSimulator } from '../../../shared/sim/rr-simulator';
import { DEFAULT_PACER, startPacer } from '../../../shared/pacer/phase';

/**
 * A simulated person breathing at `breathsPerMin` (settled, following a pacer when it matches)
 * while the pacer runs at `pacerBreathsPerMin`; the live HRV engine and the pacer-locked
 * synchrony give the reward's inputs after `seconds`.
 */
function simulate(seed: number, breathsPerMin: number, pacerBreathsPerMin: number, seconds = 180, level: RewardLevel = 1) {
  const sim = new RrSimulator({ seed, breathsPerMin });
  sim.setBreathing(breathsPerMin, breathsPerMin === pacerBreathsPerMin);
  const engine = new LiveHrvEngine();
  const schedule = startPacer(0, { ...DEFAULT_PACER, breathsPerMin: pacerBreathsPerMin });
  const beatT: number[] = [];
  const nn: number[] = [];
  let last = engine.next(sim.next());
  const rewards: Reward[] = [];
  while (last.tMs < seconds * 1000) {
    last = engine.next(sim.next());
    for (const b of last.nn) {
      beatT.push(b.tMs);
      nn.push(b.rrMs);
    }
    if (last.rsa && nn.length % 20 === 0) {
      const sync = computePacerSynchrony(beatT, nn, schedule, last.tMs - 60_000, last.tMs);
      rewards.push(
        computeReward(
          { measuredBreathsPerMin: last.rsa.breathsPerMin, pacerBreathsPerMin, peakToTroughBpm: last.rsa.peakToTroughBpm, synchrony: sync?.strength ?? null, coherence: last.coherence?.ratio ?? null, coherencePeakBreathsPerMin: last.coherence?.peakHz == null ? null : last.coherence.peakHz * 60 },
          DEFAULT_REWARD_BASELINE,
          level,
        ),
      );
    }
  }
  const sync = computePacerSynchrony(beatT, nn, schedule, last.tMs - 60_000, last.tMs);
  return { last, sync, rewards, reward: rewards.at(-1)! };
}

describe('pacer synchrony', () => {
  it('is strong when heart rate oscillates at the pacer rate and weak when it does not', () => {
    const paced = simulate(11, 6, 6);
    const free = simulate(11, 13, 6);
    console.info(`synchrony paced ${paced.sync?.strength.toFixed(2)} (lag ${paced.sync?.lagDeg.toFixed(0)}°, ${paced.sync?.peakToTroughBpm.toFixed(1)} bpm), free ${free.sync?.strength.toFixed(2)}`);
    expect(paced.sync!.strength).toBeGreaterThan(0.7);
    // The simulator's Mayer wave runs at 0.1 Hz = 6/min, so some HR power is pacer-locked even then.
    expect(free.sync!.strength).toBeLessThan(0.45);
    expect(paced.sync!.strength - free.sync!.strength).toBeGreaterThan(0.4);
    expect(paced.sync!.peakToTroughBpm).toBeGreaterThan(4 * free.sync!.peakToTroughBpm);
  });

  it('finds the phase of a pure HR wave exactly (HR peak at the end of the in-breath = 0°)', () => {
    const schedule = startPacer(0, { ...DEFAULT_PACER, breathsPerMin: 6, inhaleShare: 0.4 });
    // HR = 70 + 5·cos(2π(f·t − 0.4 − lag)): peaks at cycle fraction 0.4 + lag.
    for (const lagCycles of [0, 0.1, -0.2]) {
      const t: number[] = [];
      const nn: number[] = [];
      const hrAt = (tMs: number): number => 70 + 5 * Math.cos(2 * Math.PI * ((6 * tMs) / 60_000 - 0.4 - lagCycles));
      for (let tMs = 0; tMs < 60_000; ) {
        // The interval from tMs to tMs + rr has mean HR 60000/rr ≈ HR at its midpoint (fixed point).
        let rr = 60_000 / hrAt(tMs);
        for (let k = 0; k < 5; k++) rr = 60_000 / hrAt(tMs + rr / 2);
        tMs += rr;
        t.push(tMs);
        nn.push(rr);
      }
      const s = computePacerSynchrony(t, nn, schedule, 0, 60_000)!;
      expect(s.strength).toBeGreaterThan(0.98);
      expect(s.lagDeg).toBeCloseTo(lagCycles * 360, -1); // within ±5°
      expect(s.peakToTroughBpm).toBeGreaterThan(9);
      expect(s.peakToTroughBpm).toBeLessThan(11);
    }
  });

  it('returns null with less than two pacer cycles', () => {
    const schedule = startPacer(0);
    expect(computePacerSynchrony([1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000], [1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000], schedule, 0, 10_000)).toBeNull();
  });
});

describe('reward', () => {
  it('rises with slower, deeper breathing at the pacer and stays quiet without it', () => {
    for (const seed of [3, 17, 29]) {
      const slow = simulate(seed, 6, 6).reward;
      const fast = simulate(seed, 13, 6).reward;
      console.info(`seed ${seed}: reward at 6/min ${slow.value?.toFixed(2)} (rate ${slow.rateScore?.toFixed(2)}, follow ${slow.followScore?.toFixed(2)}, coherence ${slow.coherenceScore?.toFixed(2)}); at 13/min ${fast.value?.toFixed(2)} (rate ${fast.rateScore?.toFixed(2)}, amp ${fast.amplitudeScore?.toFixed(2)}, sync ${fast.synchronyScore?.toFixed(2)}, coherence ${fast.coherenceScore?.toFixed(2)})`);
      const mid = simulate(seed, 8.5, 6).reward; // on the way down: slower than at rest, not yet at the pacer
      expect(slow.value!).toBeGreaterThan(0.7);
      expect(fast.value!).toBeLessThan(0.3);
      expect(mid.value!).toBeGreaterThan(fast.value!);
      expect(mid.value!).toBeLessThan(slow.value!);
    }
  });

  it('is never negative and never above 1, at every level and every moment', () => {
    for (const level of [1, 2, 3, 4] as const) {
      for (const rate of [13, 9, 6]) {
        for (const r of simulate(5, rate, 6, 150, level).rewards) {
          for (const v of [r.value, r.rateScore, r.amplitudeScore, r.synchronyScore, r.followScore, r.coherenceScore]) {
            expect(v).not.toBeNull();
            expect(v!).toBeGreaterThanOrEqual(0);
            expect(v!).toBeLessThanOrEqual(1);
          }
        }
      }
    }
    const extreme = computeReward({ measuredBreathsPerMin: 40, pacerBreathsPerMin: 3, peakToTroughBpm: 0, synchrony: -1, coherence: 0, coherencePeakBreathsPerMin: 30 }, DEFAULT_REWARD_BASELINE, 4);
    expect(extreme.value).toBeGreaterThanOrEqual(0);
  });

  it('higher challenge levels ask for more: the same breathing earns less or equal', () => {
    const inputs = { measuredBreathsPerMin: 6.6, pacerBreathsPerMin: 6, peakToTroughBpm: 11, synchrony: 0.8, coherence: 2.2, coherencePeakBreathsPerMin: 6 };
    const values = ([1, 2, 3, 4] as const).map((l) => computeReward(inputs, DEFAULT_REWARD_BASELINE, l).value!);
    for (let i = 1; i < values.length; i++) expect(values[i]!).toBeLessThanOrEqual(values[i - 1]!);
    expect(values[0]! - values[3]!).toBeGreaterThan(0.1);
    expect(Object.keys(REWARD_LEVELS)).toHaveLength(4);
  });

  it('is relative to the person: the same amplitude earns more for someone whose baseline is small', () => {
    const inputs = { measuredBreathsPerMin: 6, pacerBreathsPerMin: 6, peakToTroughBpm: 8, synchrony: 0.8, coherence: 1.5, coherencePeakBreathsPerMin: null };
    const small = computeReward(inputs, { peakToTroughBpm: 3, coherence: 0.3, updates: 5 }, 2);
    const large = computeReward(inputs, { peakToTroughBpm: 8, coherence: 1.2, updates: 5 }, 2);
    expect(small.value!).toBeGreaterThan(large.value!);
    expect(large.value!).toBeGreaterThan(0); // still something, never a penalty
  });

  it('says "collecting" (null) until an input exists, and uses what exists', () => {
    expect(computeReward({ measuredBreathsPerMin: null, pacerBreathsPerMin: 6, peakToTroughBpm: null, synchrony: null, coherence: null, coherencePeakBreathsPerMin: null }, DEFAULT_REWARD_BASELINE, 1).value).toBeNull();
    expect(computeReward({ measuredBreathsPerMin: 6, pacerBreathsPerMin: 6, peakToTroughBpm: null, synchrony: null, coherence: null, coherencePeakBreathsPerMin: null }, DEFAULT_REWARD_BASELINE, 1).value).toBe(1);
  });

  it('baseline moves toward what is observed, a little at a time', () => {
    let b = DEFAULT_REWARD_BASELINE;
    b = updateBaseline(b, { peakToTroughBpm: 9, coherence: 1.5 });
    expect(b.peakToTroughBpm).toBeCloseTo(7, 9);
    b = updateBaseline(b, { peakToTroughBpm: 11, coherence: null });
    expect(b.peakToTroughBpm).toBeCloseTo(8, 9);
    expect(b.coherence).toBeCloseTo(1, 9);
    expect(updateBaseline(b, { peakToTroughBpm: null, coherence: null })).toBe(b);
  });

  it('the shown value eases toward the signal within a few seconds, independent of frame rate', () => {
    const at = (fps: number): number => {
      let v = 0;
      for (let t = 0; t < 5000; t += 1000 / fps) v = easeReward(v, 1, 1000 / fps);
      return v;
    };
    expect(at(60)).toBeGreaterThan(0.8);
    expect(Math.abs(at(60) - at(20))).toBeLessThan(0.02);
  });
});
