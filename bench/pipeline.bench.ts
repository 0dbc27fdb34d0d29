/** Per-beat cost of the skeleton's live pipeline (simulator beat → rolling RMSSD/HR → snapshot). */
import { performance } from 'node:perf_hooks';
import { RrSimulator } from '../shared/sim/rr-simulator';
import { RollingRmssd } from '../shared/hrv/rolling-rmssd';
import { summarize, type BenchSection } from './types';

export const pipelineBench: BenchSection = {
  id: 'pipeline',
  title: 'Skeleton pipeline: cost per beat',
  async run() {
    const sim = new RrSimulator({ seed: 7 });
    const beats = Array.from({ length: 200_000 }, () => sim.next());
    const rounds: number[] = [];
    const perBeat: number[] = [];
    for (let r = 0; r < 15; r++) {
      const proc = new RollingRmssd(60_000);
      const t0 = performance.now();
      for (const b of beats) proc.next(b);
      rounds.push(((performance.now() - t0) * 1000) / beats.length);
    }
    // Per-beat latency tail: time single beats (timer resolution limits this to a few hundred ns).
    const proc = new RollingRmssd(60_000);
    for (const b of beats.slice(0, 50_000)) {
      const t0 = performance.now();
      proc.next(b);
      perBeat.push((performance.now() - t0) * 1000);
    }
    const a = summarize(rounds);
    const b = summarize(perBeat);
    return `| measure | median | p99 |\n|---|---|---|\n| mean µs/beat over 200 000 beats (15 rounds) | ${a.median.toFixed(3)} | ${a.p99.toFixed(3)} |\n| single-beat µs (50 000 beats, timer-limited) | ${b.median.toFixed(3)} | ${b.p99.toFixed(3)} |\n`;
  },
};
