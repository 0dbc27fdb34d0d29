import { describe, expect, it } from 'vitest';
import { compareStrapRrWithEcg, RR_AGREE_MS } from '../../../shared/signal/ecg-rr-quality';

/** Beat times every ~800 ms with variation, ms. */
const beats = Array.from({ length: 80 }, (_, k) => 1000 + k * 800 + 40 * Math.sin(k / 2));
const strapFrom = (ts: readonly number[]): { tMs: number; rrMs: number }[] => ts.slice(1).map((t, i) => ({ tMs: t, rrMs: t - (ts[i] as number) }));

describe('compareStrapRrWithEcg', () => {
  it('agreeing streams with a constant offset: every interval confirmed, offset found', () => {
    const q = compareStrapRrWithEcg(strapFrom(beats), beats.map((t) => t + 120));
    expect(q.offsetMs).toBeCloseTo(120, 9);
    expect(q.strapRr).toBe(79);
    expect(q.matchedBeats).toBe(79);
    expect(q.comparedRr).toBe(79);
    expect(q.confirmedRr).toBe(79);
    expect(q.unconfirmedShare).toBe(0);
    expect(q.rrDiffMedianMs).toBeCloseTo(0, 9);
  });
  it('an extra strap beat the ECG does not show (two short RR) is unconfirmed', () => {
    const withExtra = [...beats.slice(0, 40), (beats[39] as number) + 400, ...beats.slice(40)];
    const q = compareStrapRrWithEcg(strapFrom(withExtra), beats);
    expect(q.strapRr).toBe(80);
    expect(q.confirmedRr).toBe(78);
    expect(q.unconfirmedShare).toBeCloseTo(2 / 80, 12);
  });
  it('RR differences beyond the agreement limit are counted and quantified', () => {
    const ecg = beats.map((t, k) => t + (k === 30 ? RR_AGREE_MS + 10 : 0));
    const q = compareStrapRrWithEcg(strapFrom(beats), ecg);
    expect(q.confirmedRr).toBe(77); // the intervals ending at and starting from beat 30
    expect(q.rrDiffP95Ms).toBe(0);
    expect(q.comparedRr).toBe(79);
    const worst = compareStrapRrWithEcg(strapFrom(beats).slice(25, 35), ecg);
    expect(worst.rrDiffP95Ms).toBeCloseTo(RR_AGREE_MS + 10, 9);
  });
  it('beat times that jump with packet arrivals (±0.5 s) do not matter: the RR sums are aligned, bigeminy included', () => {
    // Bigeminy-like rhythm: short–long pairs; the strap's times wobble as arrival anchoring does.
    const ecg: number[] = [1000];
    for (let k = 1; k < 80; k++) ecg.push((ecg[k - 1] as number) + (k % 2 ? 430 : 880) + 10 * Math.sin(k));
    const strap = strapFrom(ecg).map((r, k) => ({ ...r, tMs: r.tMs + 900 + 500 * Math.sin(k * 1.7) }));
    const q = compareStrapRrWithEcg(strap, ecg);
    expect(q.comparedRr).toBe(79);
    expect(q.confirmedRr).toBe(79);
    expect(q.rrDiffMedianMs).toBeCloseTo(0, 9);
    expect(q.offsetMs).toBeCloseTo(-900, 6); // the chain starts at the first strap beat as given (k = 0: +900 ms)
  });
  it('a strap interval spanning two ECG intervals (the strap missed a beat) is counted as joined, not confirmed', () => {
    const joinedStrap = strapFrom([...beats.slice(0, 30), ...beats.slice(31)]);
    const q = compareStrapRrWithEcg(joinedStrap, beats);
    expect(q.strapRr).toBe(78);
    expect(q.joinedRr).toBe(1);
    expect(q.confirmedRr).toBe(77);
  });
  it('strap intervals outside the ECG span are not judged; no ECG gives nulls', () => {
    const q = compareStrapRrWithEcg(strapFrom(beats), beats.slice(40));
    expect(q.strapRr).toBe(39);
    expect(q.unconfirmedShare).toBe(0);
    const none = compareStrapRrWithEcg(strapFrom(beats), []);
    expect(none).toMatchObject({ strapRr: 0, offsetMs: null, unconfirmedShare: null, rrDiffMedianMs: null });
  });
});
