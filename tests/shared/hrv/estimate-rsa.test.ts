import { describe, expect, it } from 'vitest';
import { estimateRsa, LONG_RECORD_S } from '../../../shared/hrv/estimate-rsa';
import { analyzeRr } from '../../../shared/hrv/analyze-rr';

/** RR (ms) of a heart whose interval swings ±ampMs around meanMs at breathHz(t), for durationS. */
function breathingRr(durationS: number, breathHz: (tS: number) => number, meanMs = 1000, ampMs = 50): number[] {
  const rr: number[] = [];
  let t = 0;
  let phase = 0;
  while (t < durationS) {
    const v = meanMs + ampMs * Math.sin(phase);
    rr.push(v);
    phase += 2 * Math.PI * breathHz(t) * (v / 1000);
    t += v / 1000;
  }
  return rr;
}

// HR = 60000 / RR swings between 60000/1050 and 60000/950 beats/min.
const TRUE_PEAK_TO_TROUGH = 60_000 / 950 - 60_000 / 1050;

describe('estimateRsa', () => {
  it('short record (10 min): the breathing rate and the peak-to-trough heart rate of a known oscillation', () => {
    const r = estimateRsa(breathingRr(600, () => 0.1));
    expect(r.breathsPerMin!).toBeCloseTo(6, 1);
    expect(Math.abs(r.peakToTroughBpm! - TRUE_PEAK_TO_TROUGH) / TRUE_PEAK_TO_TROUGH).toBeLessThan(0.05);
    expect(r.peakShare!).toBeGreaterThan(0.8);
  });

  it.each([4.8, 6.2, 10.9])('long record (40 min at %f breaths/min): Welch-averaged peak, refined between bins', (bpm) => {
    const rr = breathingRr(2400, () => bpm / 60);
    const own = estimateRsa(rr);
    // Welch bins are 1/256 Hz = 0.234 breaths/min apart; these rates lie about halfway between two
    // bins, so only the interpolated peak comes within 0.05.
    expect(Math.abs(own.breathsPerMin! - bpm)).toBeLessThan(0.05);
    expect(Math.abs(own.peakToTroughBpm! - TRUE_PEAK_TO_TROUGH) / TRUE_PEAK_TO_TROUGH).toBeLessThan(0.05);
    // analyze-rr hands over its NN tachogram and Welch PSD: same answer within the bin refinement.
    const viaReport = analyzeRr(rr, { correction: 'none' }).rsa;
    expect(Math.abs(viaReport.breathsPerMin! - bpm)).toBeLessThan(0.05);
    expect(Math.abs(viaReport.peakToTroughBpm! - own.peakToTroughBpm!) / own.peakToTroughBpm!).toBeLessThan(0.02);
  });

  it('long record: the rhythm that dominates the record wins (10 min at 12/min, then 30 min at 6/min)', () => {
    const rr = breathingRr(2400, (t) => (t < 600 ? 0.2 : 0.1));
    expect(rr.reduce((a, b) => a + b, 0) / 1000).toBeGreaterThan(LONG_RECORD_S);
    expect(estimateRsa(rr).breathsPerMin!).toBeCloseTo(6, 1);
    expect(analyzeRr(rr, { correction: 'none' }).rsa.breathsPerMin!).toBeCloseTo(6, 1);
  });

  it('too short for two cycles of the slowest breathing: no estimate', () => {
    expect(estimateRsa(breathingRr(30, () => 0.1)).breathsPerMin).toBeNull();
  });
});
