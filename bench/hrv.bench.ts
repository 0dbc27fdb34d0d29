/**
 * HRV engine: per-beat cost of the live engine (all metrics, default windows) and the batch
 * `soothe analyze` on a 24-hour RR file as a user runs it (whole process: start-up, parsing,
 * correction, time domain, Welch). Peak memory is the child's maximum RSS: from /usr/bin/time -v
 * when present, else from process.resourceUsage().maxRSS printed by a preload (--import) hook.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { LiveHrvEngine } from '../shared/hrv/live-hrv-engine';
import { RrSimulator } from '../shared/sim/rr-simulator';
import { summarize, type BenchSection } from './types';

const exec = promisify(execFile);
const NK_WHOLE_PROCESS_MS = 4000;

async function timeChild(file: string): Promise<{ wallMs: number; maxRssMb: number | null }> {
  const args = ['bin/soothe.mjs', 'analyze', file, '--json'];
  if (existsSync('/usr/bin/time')) {
    const t0 = performance.now();
    const r = await exec('/usr/bin/time', ['-v', process.execPath, ...args], { maxBuffer: 64 << 20 });
    const wallMs = performance.now() - t0;
    const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
    return { wallMs, maxRssMb: m ? Number(m[1]) / 1024 : null };
  }
  const hook = join(tmpdir(), 'soothe-maxrss-hook.mjs');
  writeFileSync(hook, "process.on('exit', () => process.stderr.write(`maxrss_kb=${process.resourceUsage().maxRSS}\\n`));\n");
  const t0 = performance.now();
  const r = await exec(process.execPath, ['--import', hook, ...args], { maxBuffer: 64 << 20 });
  const wallMs = performance.now() - t0;
  const m = /maxrss_kb=(\d+)/.exec(r.stderr);
  return { wallMs, maxRssMb: m ? Number(m[1]) / 1024 : null };
}

export const hrvBench: BenchSection = {
  id: 'hrv',
  title: 'HRV engine: live per-beat cost and 24-hour batch analyze',
  async run() {
    // Live: 2 hours of simulated beats (ectopy on), each next() timed; the first 10 min warm up.
    const sim = new RrSimulator({ seed: 11, breathsPerMin: 6 });
    const beats = Array.from({ length: 9000 }, () => sim.next());
    const engine = new LiveHrvEngine();
    const perBeat: number[] = [];
    beats.forEach((b, i) => {
      const t0 = performance.now();
      engine.next(b);
      const us = (performance.now() - t0) * 1000;
      if (i >= 700) perBeat.push(us);
    });
    const live = summarize(perBeat);
    const mean = perBeat.reduce((s, v) => s + v, 0) / perBeat.length;

    // Batch: 24 h of simulated RR written as a plain ms file.
    const dir = mkdtempSync(join(tmpdir(), 'soothe-bench-'));
    const file = join(dir, 'rr-24h.txt');
    const day = new RrSimulator({ seed: 12 });
    const lines: string[] = [];
    for (let b = day.next(); b.tMs <= 86_400_000; b = day.next()) lines.push(b.rrMs.toFixed(3));
    writeFileSync(file, lines.join('\n') + '\n');
    const runs: { wallMs: number; maxRssMb: number | null }[] = [];
    try {
      await timeChild(file); // warm the file cache
      for (let i = 0; i < 7; i++) runs.push(await timeChild(file));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const wall = summarize(runs.map((r) => r.wallMs));
    const rss = summarize(runs.map((r) => r.maxRssMb ?? Number.NaN));
    // In-process split of the same work, to say what bounds the whole process.
    const { parseRrFile } = await import('../shared/parsers/rr-file');
    const { analyzeRr } = await import('../shared/hrv/analyze-rr');
    const text = lines.join('\n');
    const t0 = performance.now();
    const parsed = parseRrFile(text);
    const t1 = performance.now();
    analyzeRr(parsed.rrMs);
    const t2 = performance.now();
    const baseline = summarize(await Promise.all([0, 1, 2, 3, 4].map(async () => {
      const s = performance.now();
      await exec(process.execPath, ['-e', '0']);
      return performance.now() - s;
    })));
    return [
      `| live engine, per beat (${perBeat.length} beats after 700 warm-up, 6 breaths/min, default windows) | median | p99 | mean |`,
      `|---|---|---|---|`,
      `| µs per next() | ${live.median.toFixed(1)} | ${live.p99.toFixed(1)} | ${mean.toFixed(1)} |`,
      ``,
      `| batch: \`soothe analyze <24 h file> --json\`, ${lines.length} beats, ${runs.length} runs | median | p99 |`,
      `|---|---|---|`,
      `| whole-process wall time, ms | ${wall.median.toFixed(0)} | ${wall.p99.toFixed(0)} |`,
      `| peak memory (max RSS), MiB (${existsSync('/usr/bin/time') ? '/usr/bin/time -v' : 'process.resourceUsage hook'}) | ${rss.median.toFixed(0)} | ${rss.p99.toFixed(0)} |`,
      ``,
      `NeuroKit2 scale from the issue: ~${NK_WHOLE_PROCESS_MS} ms whole process → ${(NK_WHOLE_PROCESS_MS / wall.median).toFixed(1)}× faster (target ≥ 25×, i.e. ≤ 160 ms).`,
      ``,
      `Where the time goes (in-process, one run): parse ${(t1 - t0).toFixed(0)} ms, correction + time domain + Welch + coherence + RSA ${(t2 - t1).toFixed(0)} ms; a bare \`node -e 0\` start-up takes ${baseline.median.toFixed(0)} ms (median of 5).`,
    ].join('\n');
  },
};
