import { describe, expect, it } from 'vitest';
import { from, toArray, lastValueFrom } from 'rxjs';
import { RollingRmssd } from '../../shared/hrv/rolling-rmssd';
import { rollingHrv } from '../../shared/rx/rolling-hrv';
import { RrSimulator } from '../../shared/sim/rr-simulator';
import type { RrInterval } from '../../shared/types/rr';

/** Straightforward reference: recompute from scratch over the window. */
function bruteRmssd(beats: readonly RrInterval[], i: number, windowMs: number): number {
  const t = beats[i]?.tMs ?? 0;
  const w = beats.slice(0, i + 1).filter((b) => b.tMs > t - windowMs);
  const d: number[] = [];
  for (let k = 1; k < w.length; k++) if (!w[k]?.afterGap) d.push(((w[k]?.rrMs ?? 0) - (w[k - 1]?.rrMs ?? 0)) ** 2);
  return Math.sqrt(d.reduce((s, x) => s + x, 0) / d.length);
}

describe('RollingRmssd', () => {
  const sim = new RrSimulator({ seed: 13 });
  const beats = Array.from({ length: 1500 }, () => sim.next());

  it('matches a from-scratch computation over the data-time window at every beat once full', () => {
    const proc = new RollingRmssd(60_000);
    let checked = 0;
    beats.forEach((b, i) => {
      const out = proc.next(b);
      if (out.rmssdMs !== null) {
        expect(out.rmssdMs).toBeCloseTo(bruteRmssd(beats, i, 60_000), 6);
        checked++;
      }
    });
    expect(checked).toBeGreaterThan(1300);
  });

  it('says "collecting" (null) until the window is full, never an early number', () => {
    const proc = new RollingRmssd(60_000);
    const outs = beats.map((b) => proc.next(b));
    const firstFull = outs.findIndex((o) => o.rmssdMs !== null);
    expect(beats[firstFull]?.tMs).toBeGreaterThanOrEqual(60_000 - (beats[0]?.rrMs ?? 0));
    expect(outs.slice(0, firstFull).every((o) => o.rmssdMs === null && o.fill < 1)).toBe(true);
  });

  it('does not difference across a gap', () => {
    const proc = new RollingRmssd(5_000);
    const seq: RrInterval[] = [800, 800, 800, 800, 800, 800, 800].map((rr, i) => ({ rrMs: rr, tMs: 800 * (i + 1), source: 'ble' }));
    seq.push({ rrMs: 1200, tMs: 20_000, source: 'ble', afterGap: true }, { rrMs: 1200, tMs: 21_200, source: 'ble' });
    const outs = seq.map((b) => proc.next(b));
    expect(outs[6]?.rmssdMs).toBe(0);
    expect(outs.at(-1)?.rmssdMs).toBe(0);
  });

  it('as an RxJS operator keeps state per subscription', async () => {
    const src = from(beats.slice(0, 200));
    const op = rollingHrv(30_000);
    const a = await lastValueFrom(src.pipe(op, toArray()));
    const b = await lastValueFrom(src.pipe(op, toArray()));
    expect(a).toEqual(b);
    expect(a).toHaveLength(200);
  });
});
