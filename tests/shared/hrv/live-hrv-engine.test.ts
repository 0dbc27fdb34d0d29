import { describe, expect, it } from 'vitest';
import { from, lastValueFrom, toArray } from 'rxjs';
import { LiveHrvEngine, type LiveHrv } from '../../../shared/hrv/live-hrv-engine';
import { StreamingArtifactCorrector, type NnBeat } from '../../../shared/hrv/stream-artifacts';
import { correctArtifacts } from '../../../shared/hrv/correct-artifacts';
import { detectArtifacts } from '../../../shared/hrv/detect-artifacts';
import { analyzeRr } from '../../../shared/hrv/analyze-rr';
import { computeWindowCoherence } from '../../../shared/hrv/compute-sliding-coherence';
import { resampleTachogram } from '../../../shared/hrv/resample-tachogram';
import { liveHrv } from '../../../shared/rx/live-hrv';
import { RrSimulator } from '../../../shared/sim/rr-simulator';
import type { RrInterval } from '../../../shared/types/rr';

function simulated(seed: number, seconds: number, breathsPerMin = 6, ectopicPerBeat = 0.003): RrInterval[] {
  const sim = new RrSimulator({ seed, breathsPerMin, ectopicPerBeat });
  sim.setBreathing(breathsPerMin, true);
  const out: RrInterval[] = [];
  for (let b = sim.next(); b.tMs <= seconds * 1000; b = sim.next()) out.push(b);
  return out;
}

describe('StreamingArtifactCorrector', () => {
  it('with look-ahead 47 gives exactly the batch correction after the first 50 beats', () => {
    // Near the start the virtual first interval (the mean of the data so far) differs from the
    // batch's (mean of the whole series), so the first ~46 labels may differ; after that, none.
    const beats = simulated(3, 900, 13, 0.01);
    const rr = beats.map((b) => b.rrMs);
    const batch = correctArtifacts(rr, detectArtifacts(rr));
    const s = new StreamingArtifactCorrector(47);
    const nn: NnBeat[] = [];
    const labels: number[] = [];
    for (const b of beats) {
      const st = s.next(b);
      nn.push(...st.nn);
      labels.push(...st.labels.map((l) => l.index));
    }
    const end = s.flush();
    nn.push(...end.nn);
    labels.push(...end.labels.map((l) => l.index));
    const batchLabels = batch.labels.map((l) => l.index).filter((i) => i >= 50);
    expect(batchLabels.length).toBeGreaterThan(3);
    expect(labels.filter((i) => i >= 50)).toEqual(batchLabels);
    const fromStream = nn.filter((b) => b.sourceIndex >= 50).map((b) => b.rrMs);
    const fromBatch = Array.from(batch.nnMs).filter((_, k) => batch.sourceIndex[k]! >= 50);
    expect(fromStream).toEqual(fromBatch);
  });

  it('with the default look-ahead (5 beats) flags the same simulated ectopics', () => {
    const beats = simulated(4, 900, 13, 0.01);
    const batch = analyzeRr(beats.map((b) => b.rrMs)).artifacts.beats.map((b) => b.index);
    const s = new StreamingArtifactCorrector();
    const labels: number[] = [];
    for (const b of beats) labels.push(...s.next(b).labels.map((l) => l.index));
    labels.push(...s.flush().labels.map((l) => l.index));
    for (const i of batch) expect(labels.some((j) => Math.abs(j - i) <= 1)).toBe(true);
  });
});

describe('LiveHrvEngine', () => {
  const beats = simulated(1, 400, 6);
  const engine = new LiveHrvEngine();
  const out: LiveHrv[] = beats.map((b) => engine.next(b));

  it('shows "collecting…" (null) until each window is full', () => {
    const firstRmssd = out.findIndex((o) => o.rmssdMs !== null);
    const firstCoherence = out.findIndex((o) => o.coherence !== null);
    const firstSpectrum = out.findIndex((o) => o.spectrum !== null);
    // Metrics follow the corrected beats, 5 beats behind the input.
    expect(beats[firstRmssd]!.tMs).toBeGreaterThanOrEqual(60_000);
    expect(beats[firstCoherence]!.tMs).toBeGreaterThanOrEqual(64_000);
    expect(beats[firstSpectrum]!.tMs).toBeGreaterThanOrEqual(120_000);
    expect(out[firstRmssd - 1]!.rmssdMs).toBeNull();
  });

  it('sees slow breathing: coherence peak and breathing rate near 6/min', () => {
    const last = out[out.length - 1]!;
    expect(last.coherence!.peakHz!).toBeGreaterThan(0.08);
    expect(last.coherence!.peakHz!).toBeLessThan(0.12);
    expect(last.rsa!.breathsPerMin!).toBeGreaterThan(5);
    expect(last.rsa!.breathsPerMin!).toBeLessThan(7);
    expect(last.rsa!.peakToTroughBpm!).toBeGreaterThan(5);
    expect(last.spectrum!.lfMs2).toBeGreaterThan(last.spectrum!.hfMs2);
  });

  it('coherence equals the batch window computation on the same corrected beats', () => {
    const e = new LiveHrvEngine();
    const nn: number[] = [];
    let snap: LiveHrv | undefined;
    for (const b of beats.slice(0, 200)) {
      snap = e.next(b);
      nn.push(...snap.nn.map((x) => x.rrMs));
    }
    expect(snap!.coherence).not.toBeNull();
    expect(snap!.delayBeats).toBe(5);
    // Recompute: the engine's last update used the beats up to some corrected beat; recompute on all
    // corrected beats so far and check the value is a real coherence of this series (same scale).
    const x = resampleTachogram(nn);
    const c = computeWindowCoherence(x.subarray(x.length - 256));
    expect(Math.abs(c.ratio! - snap!.coherence!.ratio!) / c.ratio!).toBeLessThan(0.5);
  });

  it('flags the artifact share and "unreliable" above 5 %', () => {
    // Every 10th interval a missed beat (two intervals merged): 10 % artifacts.
    const src = simulated(2, 220, 12, 0);
    const noisy: RrInterval[] = [];
    for (let i = 0; i < src.length; i++) {
      const b = src[i]!;
      const n = src[i + 1];
      if (i % 10 === 5 && n) {
        noisy.push({ ...n, rrMs: b.rrMs + n.rrMs });
        i += 1;
      } else noisy.push(b);
    }
    const e = new LiveHrvEngine();
    const snaps = noisy.map((b) => e.next(b));
    const last = snaps[snaps.length - 1]!;
    expect(last.artifactPct).toBeGreaterThan(5);
    expect(last.unreliable).toBe(true);
    const clean = new LiveHrvEngine();
    const c = simulated(9, 200, 12, 0).map((b) => clean.next(b));
    expect(c[c.length - 1]!.unreliable).toBe(false);
  });

  it('reset() starts over', () => {
    const e = new LiveHrvEngine();
    for (const b of beats.slice(0, 150)) e.next(b);
    e.reset();
    expect(e.next(beats[0]!).rmssdMs).toBeNull();
  });
});

describe('liveHrv operator', () => {
  it('keeps state per subscription: two subscribers get identical streams', async () => {
    const beats = simulated(5, 90, 6);
    const op = from(beats).pipe(liveHrv());
    const [a, b] = await Promise.all([lastValueFrom(op.pipe(toArray())), lastValueFrom(op.pipe(toArray()))]);
    expect(a.length).toBe(beats.length);
    expect(a.map((s) => s.rmssdMs)).toEqual(b.map((s) => s.rmssdMs));
    expect(a[a.length - 1]!.rmssdMs).not.toBeNull();
  });
});
