import { describe, expect, it } from 'vitest';
import { RrSimulator, rsaAmplitudeMs, DEFAULT_SIMULATOR } from '../../shared/sim/rr-simulator';
import type { RrInterval } from '../../shared/types/rr';

function run(sim: RrSimulator, durationMs: number): RrInterval[] {
  const out: RrInterval[] = [];
  for (let rr = sim.next(); rr.tMs <= durationMs; rr = sim.next()) out.push(rr);
  return out;
}

const mean = (x: readonly number[]): number => x.reduce((s, v) => s + v, 0) / x.length;
const rmssd = (x: readonly number[]): number => Math.sqrt(mean(x.slice(1).map((v, i) => (v - (x[i] ?? 0)) ** 2)));

/** Power of the RR series at frequency f (Hz) by a direct Fourier sum over beat times. */
function powerAt(beats: readonly RrInterval[], fHz: number): number {
  const m = mean(beats.map((b) => b.rrMs));
  let re = 0;
  let im = 0;
  for (const b of beats) {
    const w = 2 * Math.PI * fHz * (b.tMs / 1000);
    re += (b.rrMs - m) * Math.cos(w);
    im += (b.rrMs - m) * Math.sin(w);
  }
  return (re * re + im * im) / beats.length;
}

describe('RrSimulator', () => {
  it('is reproducible from its seed and differs between seeds', () => {
    const a = run(new RrSimulator({ seed: 3 }), 60_000);
    const b = run(new RrSimulator({ seed: 3 }), 60_000);
    const c = run(new RrSimulator({ seed: 4 }), 60_000);
    expect(a).toEqual(b);
    expect(c.map((x) => x.rrMs)).not.toEqual(a.map((x) => x.rrMs));
  });

  it('beats at the resting heart rate with strictly increasing data time', () => {
    const beats = run(new RrSimulator({ seed: 5, restingHrBpm: 60, ectopicPerBeat: 0 }), 600_000);
    expect(60_000 / mean(beats.map((b) => b.rrMs))).toBeGreaterThan(55);
    expect(60_000 / mean(beats.map((b) => b.rrMs))).toBeLessThan(65);
    for (let i = 1; i < beats.length; i++) {
      const b = beats[i];
      const p = beats[i - 1];
      expect(b && p && b.tMs - p.tMs).toBeCloseTo(b?.rrMs ?? 0, 9);
    }
  });

  it('oscillates at the breathing rate (RSA): dominant frequency = breaths/min ÷ 60', () => {
    const sim = new RrSimulator({ seed: 9, breathsPerMin: 6, ectopicPerBeat: 0 });
    sim.setBreathing(6, true);
    const beats = run(sim, 300_000);
    const freqs = Array.from({ length: 100 }, (_, i) => 0.02 + i * 0.005); // 0.02–0.52 Hz
    const powers = freqs.map((f) => powerAt(beats, f));
    const peak = freqs[powers.indexOf(Math.max(...powers))] ?? 0;
    expect(peak).toBeCloseTo(0.1, 2);
  });

  it('gives a larger, smoother oscillation at slow paced breathing than at spontaneous breathing', () => {
    const slow = new RrSimulator({ seed: 11, breathsPerMin: 6, ectopicPerBeat: 0 });
    slow.setBreathing(6, true);
    const fast = new RrSimulator({ seed: 11, breathsPerMin: 15, ectopicPerBeat: 0 });
    fast.setBreathing(15, false);
    const s = run(slow, 300_000);
    const f = run(fast, 300_000);
    const sd = (x: readonly number[]): number => Math.sqrt(mean(x.map((v) => (v - mean(x)) ** 2)));
    expect(sd(s.map((b) => b.rrMs))).toBeGreaterThan(2 * sd(f.map((b) => b.rrMs)));
    // Smoothness: the oscillation's share of the beat-to-beat change is larger when slow.
    expect(powerAt(s, 0.1) / rmssd(s.map((b) => b.rrMs)) ** 2).toBeGreaterThan(powerAt(f, 0.25) / rmssd(f.map((b) => b.rrMs)) ** 2);
    expect(rsaAmplitudeMs(DEFAULT_SIMULATOR, 5.5)).toBeGreaterThan(3 * rsaAmplitudeMs(DEFAULT_SIMULATOR, 15));
  });

  it('eases breathing toward a new target over tens of seconds', () => {
    const sim = new RrSimulator({ seed: 2, breathsPerMin: 14, breathingAdaptS: 20 });
    sim.setBreathing(6, true);
    run(sim, 5_000);
    expect(sim.breathsPerMin).toBeGreaterThan(10);
    run(sim, 120_000);
    expect(sim.breathsPerMin).toBeLessThan(6.2);
  });

  it('produces occasional ectopic beats: a short interval followed by a compensatory long one', () => {
    const beats = run(new RrSimulator({ seed: 21, ectopicPerBeat: 0.01 }), 3_600_000);
    let premature = 0;
    for (let i = 2; i < beats.length - 1; i++) {
      const prev = beats[i - 1]?.rrMs ?? 0;
      const cur = beats[i]?.rrMs ?? 0;
      const next = beats[i + 1]?.rrMs ?? 0;
      if (cur < 0.8 * prev && next > 1.15 * prev) premature++;
    }
    const expected = beats.length * 0.01;
    expect(premature).toBeGreaterThan(expected * 0.6);
    expect(premature).toBeLessThan(expected * 1.4);
  });
});
