import { describe, expect, it } from 'vitest';
import { DEFAULT_RESONANCE_PROTOCOL, normalizeProtocol, protocolDurationS, protocolStageAt, protocolWindows, type ResonanceProtocol } from '../../../shared/resonance/protocol';
import { recommendRate, scoreRate, type RateResult } from '../../../shared/resonance/score-resonance';
import { LiveHrvEngine } from '../../../shared/hrv/live-hrv-engine';
import { RrSimulator, DEFAULT_SIMULATOR } from '../../../shared/sim/rr-simulator';
import { DEFAULT_PACER, changePacer, startPacer, type PacerSchedule } from '../../../shared/pacer/phase';

/**
 * The whole protocol on a simulated person whose resonance rate is known: they follow the pacer
 * during steps and breathe freely (13/min) during rests, as the app's session makes them; beats
 * go through the live engine's artifact correction, as in the app.
 */
function assess(resonanceBreathsPerMin: number, seed: number, p: ResonanceProtocol = DEFAULT_RESONANCE_PROTOCOL): RateResult[] {
  const sim = new RrSimulator({ seed, resonanceBreathsPerMin });
  const engine = new LiveHrvEngine();
  let schedule: PacerSchedule = startPacer(0, { ...DEFAULT_PACER, breathsPerMin: p.ratesBreathsPerMin[0] ?? 6 });
  const t: number[] = [];
  const nn: number[] = [];
  let stageKey = '';
  const endMs = protocolDurationS(p) * 1000;
  for (let b = sim.next(); b.tMs < endMs; b = sim.next()) {
    const st = protocolStageAt(p, b.tMs);
    const key = st.kind === 'breathe' ? `b${st.index}` : st.kind === 'rest' ? `r${st.index}` : 'done';
    if (key !== stageKey) {
      stageKey = key;
      if (st.kind === 'breathe') {
        schedule = changePacer(schedule, b.tMs, { ...DEFAULT_PACER, breathsPerMin: st.breathsPerMin });
        sim.setBreathing(st.breathsPerMin, true);
      } else sim.setBreathing(DEFAULT_SIMULATOR.breathsPerMin, false);
    }
    for (const x of engine.next(b).nn) {
      t.push(x.tMs);
      nn.push(x.rrMs);
    }
  }
  return protocolWindows(p).map((w) => scoreRate(w.breathsPerMin, t, nn, schedule, w.fromMs, w.toMs));
}

describe('resonance protocol', () => {
  it('runs 6.5 → 4.5 breaths/min, 2 min each with 30 s rests, scoring after 45 s of settling', () => {
    const p = DEFAULT_RESONANCE_PROTOCOL;
    expect(protocolDurationS(p)).toBe(5 * 120 + 4 * 30);
    expect(protocolStageAt(p, 0)).toMatchObject({ kind: 'breathe', index: 0, breathsPerMin: 6.5 });
    expect(protocolStageAt(p, 125_000)).toMatchObject({ kind: 'rest', index: 0, nextBreathsPerMin: 6 });
    expect(protocolStageAt(p, 150_000)).toMatchObject({ kind: 'breathe', index: 1, breathsPerMin: 6 });
    expect(protocolStageAt(p, 720_000)).toEqual({ kind: 'done' });
    expect(protocolWindows(p)[1]).toEqual({ breathsPerMin: 6, fromMs: 195_000, toMs: 270_000 });
    expect(normalizeProtocol({ ratesBreathsPerMin: [6, 99], stepS: 5 })).toMatchObject({ ratesBreathsPerMin: [6.5, 6, 5.5, 5, 4.5], stepS: 60 });
  });
});

describe('resonance scoring on simulated sessions with a known resonance rate', () => {
  for (const resonance of [6, 5.5, 5, 4.5]) {
    it(`recommends ${resonance}/min for a person whose resonance is ${resonance}/min (3 seeds)`, () => {
      for (const seed of [1, 2, 3]) {
        const results = assess(resonance, seed);
        const rec = recommendRate(results)!;
        console.info(
          `resonance ${resonance}, seed ${seed}: ` +
            results.map((r, i) => `${r.breathsPerMin}: LF ${Math.round(r.lfPowerMs2 ?? 0)} ptt ${r.peakToTroughBpm?.toFixed(1)} sync ${r.synchrony?.toFixed(2)} smooth ${r.smoothness?.toFixed(2)} peaks ${r.lfPeaks} comp ${r.compliance?.toFixed(2)} → ${rec.scores[i]?.toFixed(1)}`).join(' | '),
        );
        expect(rec.breathsPerMin).toBe(resonance);
        expect(rec.reasons[0]).toContain(`${resonance.toFixed(1)}/min`);
      }
    });
  }

  it('every result carries all six criteria and breathing compliance, and the peak sits at the paced rate', () => {
    for (const r of assess(5.5, 9)) {
      for (const v of [r.lfPowerMs2, r.lfPeakMs2PerHz, r.peakToTroughBpm, r.synchrony, r.smoothness, r.lfPeaks, r.compliance]) expect(v).not.toBeNull();
      expect(Math.abs((r.lfPeakHz ?? 0) * 60 - r.breathsPerMin)).toBeLessThan(0.5);
      expect(r.compliance!).toBeGreaterThan(0.5);
    }
  });

  it('does not recommend a rate the person did not follow, and says so', () => {
    const results = assess(5, 4).map((r) => (r.breathsPerMin === 5 ? { ...r, measuredBreathsPerMin: 9, compliance: 0.03 } : r));
    const rec = recommendRate(results)!;
    expect(rec.breathsPerMin).not.toBe(5);
    expect(rec.reasons.join(' ')).toMatch(/did not follow the pacer there: 5\.0\/min/);
  });

  it('returns null without data', () => {
    expect(recommendRate([scoreRate(6, [], [], startPacer(0), 0, 60_000)])).toBeNull();
  });
});
