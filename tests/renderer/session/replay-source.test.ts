import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { tap } from 'rxjs';
import { createReplaySource } from '../../../renderer/session/replay-source';
import { liveHrv } from '../../../shared/rx/live-hrv';
import type { StreamRecord } from '../../../shared/session-format/session-format';
import type { RrInterval } from '../../../shared/types/rr';
import { RrSimulator } from '../../../shared/sim/rr-simulator';

describe('replay source', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const recorded = (): StreamRecord[] => {
    const sim = new RrSimulator({ seed: 9, breathsPerMin: 6, startMs: 5000 });
    const out: StreamRecord[] = [{ kind: 'pacer', tMs: 0, breathsPerMin: 6 }];
    for (let b = sim.next(); b.tMs < 5000 + 120_000; b = sim.next()) out.push({ kind: 'beat', tMs: b.tMs, rrMs: b.rrMs, source: 'simulator', ...(out.length === 50 ? { afterGap: true } : {}) });
    return out;
  };

  it('plays every recorded beat in order, at 10× speed, with its interval and spacing kept', async () => {
    const events = recorded();
    const beats = events.filter((e) => e.kind === 'beat');
    let nowMs = 1000;
    const src = createReplaySource(events, { clock: () => nowMs, speed: 10, name: 'test' });
    expect(src).toMatchObject({ kind: 'replay', label: 'Replay: test (10×)', total: beats.length });
    const got: RrInterval[] = [];
    let lastRmssdMs: number | null = null;
    let completed = false;
    // Through the same pipeline as a live source.
    src.rr$.pipe(tap((b) => got.push(b)), liveHrv({ rmssdWindowMs: 60_000 })).subscribe({ next: (m) => (lastRmssdMs = m.rmssdMs), complete: () => (completed = true) });
    // 60 s of recording at 10× = 6 s of session time: about half the beats.
    for (let i = 0; i < 120; i++) {
      nowMs += 50;
      await vi.advanceTimersByTimeAsync(50);
    }
    expect(got.length).toBeGreaterThan(beats.length * 0.4);
    expect(got.length).toBeLessThan(beats.length * 0.6);
    for (let i = 0; i < 200 && !completed; i++) {
      nowMs += 50;
      await vi.advanceTimersByTimeAsync(50);
    }
    expect(completed).toBe(true);
    expect(got.map((b) => b.rrMs)).toEqual(beats.map((b) => b.rrMs));
    expect(got.every((b) => b.source === 'replay')).toBe(true);
    expect(got.filter((b) => b.afterGap).length).toBe(1);
    // Spacing in data time is the recording's (the HRV windows need it), shifted to the replay's start.
    got.forEach((b, i) => expect(b.tMs - (got[0]?.tMs ?? 0)).toBeCloseTo((beats[i]?.tMs ?? 0) - (beats[0]?.tMs ?? 0), 9));
    expect(lastRmssdMs).toBeGreaterThan(5);
  });
});
