/**
 * Breathing from a chest accelerometer: synthetic paced breathing (known rate, lag and I:E), both
 * strap orientations, a posture change; then the validation on accelerometer signals built from
 * real respiration-belt recordings (tests/helpers/resp-acc-validation.ts; not real H10 data).
 */
import { describe, expect, it } from 'vitest';
import { AccelerometerBreathing, MAX_REPORT_DELAY_MS, type Breath } from '../../../shared/signal/accelerometer-breathing';
import { DEFAULT_PACER, pacerPhase, startPacer } from '../../../shared/pacer/phase';
import { createRng } from '../../../shared/sim/prng';
import { HAVE_RESP, RESP_FILES, RESP_MISSING, validateFile } from '../../helpers/resp-acc-validation';

const FS_HZ = 25; // the H10's lowest ACC rate

/** Chest tilt, degrees: rises over inhaleMs (raised cosine), falls over the rest of the cycle. */
function chestTiltDeg(tMs: number, cycleMs: number, inhaleMs: number, lagMs: number, ampDeg: number): number {
  const t = (((tMs - lagMs) % cycleMs) + cycleMs) % cycleMs;
  const x = t < inhaleMs ? (1 - Math.cos((Math.PI * t) / inhaleMs)) / 2 : (1 + Math.cos((Math.PI * (t - inhaleMs)) / (cycleMs - inhaleMs))) / 2;
  return ampDeg * x;
}

function run(opts: { sign: 1 | -1; lagMs: number; seconds: number; turnAtS?: number }): { breaths: Breath[]; det: AccelerometerBreathing } {
  const schedule = startPacer(0, { ...DEFAULT_PACER, breathsPerMin: 6, inhaleShare: 0.4 });
  const det = new AccelerometerBreathing({ sampleRateHz: FS_HZ, pacerCyclesAt: (t) => pacerPhase(schedule, t).cycles });
  const rng = createRng(3);
  const breaths: Breath[] = [];
  for (let i = 0; i < opts.seconds * FS_HZ; i++) {
    const tMs = (i * 1000) / FS_HZ;
    const th = (opts.sign * chestTiltDeg(tMs, 10_000, 4000, opts.lagMs, 2) * Math.PI) / 180;
    const turn = opts.turnAtS !== undefined && tMs >= opts.turnAtS * 1000 ? (40 * Math.PI) / 180 : 0;
    // Gravity −1000 mG on y, tilted about x by the chest, turned about z by the posture change.
    const y0 = -1000 * Math.cos(th);
    const z0 = -1000 * Math.sin(th);
    const x = -y0 * Math.sin(turn) + 2 * rng.gaussian();
    const y = y0 * Math.cos(turn) + 2 * rng.gaussian();
    breaths.push(...det.next({ tMs, xMg: x, yMg: y, zMg: z0 + 2 * rng.gaussian() }));
  }
  return { breaths, det };
}

describe('AccelerometerBreathing (synthetic paced breathing)', () => {
  it('6 breaths/min, 40 % in, 1 s behind the pacer: rate, phase +36°, depth, bounded delay', () => {
    const { breaths } = run({ sign: 1, lagMs: 1000, seconds: 180 });
    const known = breaths.filter((b) => b.polarityKnown);
    expect(known.length).toBeGreaterThanOrEqual(12);
    // A trough is flat: with 2 mG noise on a 35 mG movement, single onsets move by a few hundred ms.
    const meanRate = known.reduce((a, b) => a + b.breathsPerMin, 0) / known.length;
    expect(Math.abs(meanRate - 6)).toBeLessThan(0.1);
    const meanPhase = known.reduce((a, b) => a + (b.pacerPhaseDeg ?? Number.NaN), 0) / known.length;
    expect(meanPhase).toBeGreaterThan(28);
    expect(meanPhase).toBeLessThan(50);
    for (const b of known) {
      expect(b.breathsPerMin).toBeGreaterThan(5.6);
      expect(b.breathsPerMin).toBeLessThan(6.4);
      // Inhale onset 1 s after the pacer's: +36° of a 10 s cycle (± the trough jitter, 36° per second).
      expect(b.pacerPhaseDeg).toBeGreaterThan(10);
      expect(b.pacerPhaseDeg).toBeLessThan(65);
      expect(b.depthRelative).toBeGreaterThan(0.9);
      expect(b.depthRelative).toBeLessThan(1.1);
      expect(b.delayMs).toBeGreaterThan(0);
      expect(b.delayMs).toBeLessThanOrEqual(MAX_REPORT_DELAY_MS);
      // The exhale onset lies 4 s (the inhale) after the inhale onset, within the filter's smear.
      expect(b.exhaleOnsetTMs - b.onsetTMs).toBeGreaterThan(3000);
      expect(b.exhaleOnsetTMs - b.onsetTMs).toBeLessThan(5000);
    }
  });

  it('the strap upside down gives the same inhale onsets (the shorter slope is the inhale)', () => {
    const a = run({ sign: 1, lagMs: 0, seconds: 150 }).breaths.filter((b) => b.polarityKnown);
    const b = run({ sign: -1, lagMs: 0, seconds: 150 }).breaths.filter((x) => x.polarityKnown);
    expect(b.length).toBeGreaterThanOrEqual(8);
    for (const x of b) {
      const nearest = Math.min(...a.map((y) => Math.abs(y.onsetTMs - x.onsetTMs)));
      expect(nearest).toBeLessThan(600);
    }
  });

  it('a posture change is not a breath: detection restarts after settling', () => {
    const { breaths, det } = run({ sign: 1, lagMs: 0, seconds: 200, turnAtS: 100 });
    expect(det.postureChanges).toBeGreaterThanOrEqual(1);
    expect(breaths.filter((b) => b.onsetTMs > 99_000 && b.onsetTMs < 108_000)).toEqual([]);
    const after = breaths.filter((b) => b.onsetTMs > 110_000);
    expect(after.length).toBeGreaterThanOrEqual(5);
    for (const b of after) expect(Math.abs(b.breathsPerMin - 6)).toBeLessThan(0.3);
  });
});

if (!HAVE_RESP) console.warn(`skipping accelerometer-breathing validation: ${RESP_MISSING}`);

describe.skipIf(!HAVE_RESP)('AccelerometerBreathing on signals built from respiration-belt recordings (not real H10 data)', () => {
  it.each(RESP_FILES.map((f) => [f]))('%s: sensitivity ≥ 0.8, PPV ≥ 0.9, median breath-rate error ≤ 1 /min', (file) => {
    const r = validateFile(file);
    expect(r.referenceBreaths).toBeGreaterThan(50);
    expect(r.sensitivity).toBeGreaterThanOrEqual(0.8);
    expect(r.ppv).toBeGreaterThanOrEqual(0.9);
    expect(r.rateErrorMedian).toBeLessThanOrEqual(1);
    expect(r.delayMaxMs).toBeLessThanOrEqual(MAX_REPORT_DELAY_MS);
  });
});
