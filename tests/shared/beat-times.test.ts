import { describe, expect, it } from 'vitest';
import { BeatTimes } from '../../shared/parsers/beat-times';
import { createRng } from '../../shared/sim/prng';
import type { RrInterval } from '../../shared/types/rr';

interface Packet {
  readonly rrMs: number[];
  readonly arrivalMs: number;
  /** True beat times of the packet's intervals (end beat), for checking. */
  readonly trueTMs: number[];
}

/**
 * A strap as HRS 1.0 describes it: beats at true times; every `periodMs` (from `phaseMs`) it
 * notifies the RR intervals that ended since the previous notification; the packet arrives after
 * a latency drawn from `latency()`.
 */
function strap(rr: readonly number[], opts: { periodMs?: number; phaseMs?: number; latency?: () => number; clockScale?: number } = {}): Packet[] {
  const periodMs = opts.periodMs ?? 1000;
  const latency = opts.latency ?? (() => 30);
  const scale = opts.clockScale ?? 1;
  const beatTimes: number[] = [];
  let t = 0;
  for (const r of rr) beatTimes.push((t += r * scale));
  const packets: Packet[] = [];
  let i = 0;
  for (let send = opts.phaseMs ?? 400; i < rr.length; send += periodMs) {
    const p: Packet = { rrMs: [], arrivalMs: send + latency(), trueTMs: [] };
    while (i < rr.length && (beatTimes[i] ?? Infinity) <= send) {
      p.rrMs.push(rr[i] ?? 0);
      p.trueTMs.push(beatTimes[i] ?? 0);
      i++;
    }
    packets.push(p);
  }
  return packets;
}

function run(proc: BeatTimes, packets: readonly Packet[]) {
  const beats: RrInterval[] = [];
  const gaps = [];
  const diagnostics = [];
  for (const p of packets) {
    const s = proc.next(p, p.arrivalMs);
    beats.push(...s.beats);
    if (s.gap) gaps.push(s.gap);
    diagnostics.push(...s.diagnostics);
  }
  return { beats, gaps, diagnostics };
}

const constant = (n: number, rrMs: number): number[] => Array.from({ length: n }, () => rrMs);

function expectIncreasing(beats: readonly RrInterval[]): void {
  for (let i = 1; i < beats.length; i++) expect((beats[i]?.tMs ?? 0) > (beats[i - 1]?.tMs ?? 0), `beat ${i}`).toBe(true);
}

describe('BeatTimes', () => {
  it('anchors the first packet at its arrival and continues the chain by exact RR sums', () => {
    const proc = new BeatTimes();
    expect(proc.next({ rrMs: [1000, 950] }, 5000)).toEqual({
      beats: [
        { rrMs: 1000, tMs: 4050, source: 'ble' },
        { rrMs: 950, tMs: 5000, source: 'ble' },
      ],
      gap: null,
      diagnostics: [],
    });
    expect(proc.next({ rrMs: [1016.6015625] }, 6100).beats).toEqual([{ rrMs: 1016.6015625, tMs: 6016.6015625, source: 'ble' }]);
    expect(proc.next({ rrMs: [] }, 7100)).toEqual({ beats: [], gap: null, diagnostics: [] });
    expect(proc.next({ rrMs: [990] }, 7150).beats).toEqual([{ rrMs: 990, tMs: 7006.6015625, source: 'ble' }]);
  });

  it('keeps tMs differences equal to RR over a 10-minute stream with jittery latency, no false gaps', () => {
    const rng = createRng(42);
    const rr = Array.from({ length: 700 }, (_, k) => 850 + 120 * Math.sin((2 * Math.PI * k) / 10) + 20 * rng.gaussian());
    const packets = strap(rr, { latency: () => 20 + 280 * rng.uniform() });
    const { beats, gaps, diagnostics } = run(new BeatTimes(), packets);
    expect(gaps).toEqual([]);
    expect(diagnostics).toEqual([]);
    expect(beats.map((b) => b.rrMs)).toEqual(rr);
    expect(beats.some((b) => b.afterGap)).toBe(false);
    expectIncreasing(beats);
    // Every beat lies before the arrival of the packet that carried it; the offset to the true
    // beat time stays within one notification period plus the latency spread.
    const trueT = packets.flatMap((p) => p.trueTMs);
    const offsets = beats.map((b, i) => b.tMs - (trueT[i] ?? 0));
    expect(Math.max(...offsets) - Math.min(...offsets)).toBeLessThan(1300);
    let k = 0;
    for (const p of packets) for (let j = 0; j < p.rrMs.length; j++) expect(beats[k++]?.tMs ?? Infinity).toBeLessThanOrEqual(p.arrivalMs);
  });

  it('slow heart (40 bpm): packets without RR cause no gap', () => {
    const packets = strap(constant(60, 1500));
    expect(packets.filter((p) => p.rrMs.length === 0).length).toBeGreaterThan(20);
    const { beats, gaps } = run(new BeatTimes(), packets);
    expect(gaps).toEqual([]);
    expect(beats).toHaveLength(60);
  });

  it('fast heart (150 bpm): two or three RR per packet, chain exact', () => {
    const packets = strap(constant(300, 400));
    const { beats, gaps } = run(new BeatTimes(), packets);
    expect(gaps).toEqual([]);
    for (let i = 1; i < beats.length; i++) expect((beats[i]?.tMs ?? 0) - (beats[i - 1]?.tMs ?? 0)).toBeCloseTo(400, 9);
  });

  it('strap clock 200 ppm off (either way) over an hour: no false gaps', () => {
    for (const clockScale of [1.0002, 0.9998]) {
      const { gaps, beats } = run(new BeatTimes(), strap(constant(4000, 900), { clockScale }));
      expect(gaps, `scale ${clockScale}`).toEqual([]);
      expectIncreasing(beats);
    }
  });

  it('pulls a chain anchored on a late packet back to the arrivals (clamp), keeping order', () => {
    const proc = new BeatTimes();
    proc.next({ rrMs: [1000] }, 1900); // delayed by 900 ms
    const s = proc.next({ rrMs: [1000] }, 2050); // chain says 2900, but it arrived at 2050
    expect(s.beats).toEqual([{ rrMs: 1000, tMs: 2050, source: 'ble' }]);
    expect(s.gap).toBeNull();
  });

  it('marks lost packets: exact gap start and end, afterGap on the first interval after, nothing stitched', () => {
    const packets = strap(constant(30, 1000), { latency: () => 50 });
    const lost = packets.slice(0, 10).concat(packets.slice(14)); // four notifications (4 beats) lost
    const { beats, gaps, diagnostics } = run(new BeatTimes(), lost);
    expect(beats).toHaveLength(26);
    expect(gaps).toHaveLength(1);
    // Packet k is sent at 400 + 1000k ms and carries beat k (at 1000k); packets 10-13 are lost.
    const before = beats[8];
    const after = beats[9];
    expect(after?.afterGap).toBe(true);
    expect(beats.filter((b) => b.afterGap)).toHaveLength(1);
    expect(gaps[0]).toEqual({ startMs: before?.tMs, endMs: (after?.tMs ?? 0) - 1000, cause: 'lost-packets' });
    // The hole spans the 4 missing beats: 5 intervals of 1000 ms between the beats around it.
    expect((gaps[0]?.endMs ?? 0) - (gaps[0]?.startMs ?? 0)).toBeCloseTo(4000, 6);
    expect(diagnostics).toEqual([{ kind: 'gap', message: expect.stringMatching(/^lost packets: no beats from .* \(4\.000 s\)/), tMs: before?.tMs }]);
  });

  it('a link whose notifications arrive 0–1.9 s late: no false gaps, and a 5-notification loss is still found', () => {
    // The spread of the real H10 recording in the datasets (see ecg-rr-quality-h10.test.ts).
    const rng = createRng(7);
    const rr = Array.from({ length: 400 }, (_, k) => 800 + 300 * (k % 2) + 10 * rng.gaussian());
    // Latency wandering over 0–1.9 s, at most ±300 ms from one notification to the next (BLE keeps order).
    let latencyMs = 950;
    const packets = strap(rr, { latency: () => (latencyMs = Math.min(1900, Math.max(0, latencyMs + 600 * (rng.uniform() - 0.5)))) });
    expect(Math.max(...packets.map((p, k) => p.arrivalMs - 400 - 1000 * k)) - Math.min(...packets.map((p, k) => p.arrivalMs - 400 - 1000 * k))).toBeGreaterThan(1500);
    const clean = run(new BeatTimes(), packets);
    expect(clean.gaps).toEqual([]);
    expect(clean.beats.map((b) => b.rrMs)).toEqual(rr);
    const lost = run(new BeatTimes(), packets.slice(0, 200).concat(packets.slice(205)));
    expect(lost.gaps).toHaveLength(1);
    expect(lost.beats.filter((b) => b.afterGap)).toHaveLength(1);
  });

  it('detects a 2.5 s loss at 60 bpm with tolerance 500 ms', () => {
    const packets = strap(constant(20, 1000));
    const lost = packets.slice(0, 5).concat(packets.slice(8));
    const { gaps } = run(new BeatTimes({ gapToleranceMs: 500 }), lost);
    expect(gaps).toHaveLength(1);
  });

  it('interrupt() (link loss) reports the gap even when the reconnection is quick', () => {
    const proc = new BeatTimes();
    proc.next({ rrMs: [800] }, 1000);
    proc.interrupt();
    const s = proc.next({ rrMs: [820, 810] }, 2700);
    expect(s.gap).toEqual({ startMs: 1000, endMs: 1070, cause: 'interrupted' });
    expect(s.beats).toEqual([
      { rrMs: 820, tMs: 1890, source: 'ble', afterGap: true },
      { rrMs: 810, tMs: 2700, source: 'ble' },
    ]);
    expect(s.diagnostics[0]).toMatchObject({ kind: 'gap', tMs: 1000, message: expect.stringMatching(/^link lost/) });
    // Only once.
    expect(proc.next({ rrMs: [800] }, 3550).gap).toBeNull();
  });

  it("interrupt('dropped-packet') (a malformed packet the caller skipped) marks the next interval", () => {
    const proc = new BeatTimes();
    proc.next({ rrMs: [800] }, 1000);
    proc.interrupt('dropped-packet');
    const s = proc.next({ rrMs: [810] }, 2600);
    expect(s.beats).toEqual([{ rrMs: 810, tMs: 2600, source: 'ble', afterGap: true }]);
    expect(s.gap).toEqual({ startMs: 1000, endMs: 1790, cause: 'dropped-packet' });
    expect(s.diagnostics[0]?.message).toMatch(/^malformed packet dropped: no beats from 1\.000 s to 1\.790 s/);
  });

  it('interrupt() before any beat does nothing', () => {
    const proc = new BeatTimes();
    proc.interrupt();
    expect(proc.next({ rrMs: [800] }, 1000)).toEqual({ beats: [{ rrMs: 800, tMs: 1000, source: 'ble' }], gap: null, diagnostics: [] });
  });

  it('drops an RR of 0 with a diagnostic and does not join across it', () => {
    const proc = new BeatTimes();
    proc.next({ rrMs: [800] }, 1000);
    const s = proc.next({ rrMs: [0, 810] }, 1850);
    expect(s.beats).toEqual([{ rrMs: 810, tMs: 1810, source: 'ble', afterGap: true }]);
    expect(s.diagnostics).toEqual([{ kind: 'quality', message: expect.stringMatching(/RR interval of 0 ms; dropped/), tMs: 1850 }]);
  });

  it('RR 0xFFFF (64 s) arriving 1 s after the previous beat re-anchors at the arrival instead of jumping ahead', () => {
    const proc = new BeatTimes();
    proc.next({ rrMs: [800] }, 1000);
    const s = proc.next({ rrMs: [63999.0234375] }, 2000);
    expect(s.beats).toEqual([{ rrMs: 63999.0234375, tMs: 2000, source: 'ble', afterGap: true }]);
    expect(s.diagnostics[0]).toMatchObject({ kind: 'quality' });
    expect(proc.next({ rrMs: [800] }, 2850).beats).toEqual([{ rrMs: 800, tMs: 2800, source: 'ble' }]);
  });

  it('drops intervals that would end before the previous beat (keeps time increasing)', () => {
    const proc = new BeatTimes();
    proc.next({ rrMs: [800] }, 1000);
    const s = proc.next({ rrMs: [900, 900, 900] }, 1500);
    expectIncreasing(s.beats);
    for (const b of s.beats) expect(b.tMs).toBeGreaterThan(1000);
    expect(s.beats[0]?.afterGap).toBe(true);
  });

  it('reset() forgets the chain', () => {
    const proc = new BeatTimes();
    proc.next({ rrMs: [800] }, 1000);
    proc.reset();
    expect(proc.lastBeatTMs).toBeNull();
    expect(proc.next({ rrMs: [800] }, 90_000)).toEqual({ beats: [{ rrMs: 800, tMs: 90_000, source: 'ble' }], gap: null, diagnostics: [] });
  });

  it('rejects bad options', () => {
    expect(() => new BeatTimes({ gapToleranceMs: -1 })).toThrow(RangeError);
    expect(() => new BeatTimes({ notifyPeriodMs: 0 })).toThrow(RangeError);
  });
});
