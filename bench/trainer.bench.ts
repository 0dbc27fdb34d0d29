/**
 * The trainer's full scene (pacer + reward layer: warm light, glow, rising motes) in headless
 * Debian Chromium, per Pixi renderer: frame intervals from requestAnimationFrame inside the page,
 * dropped frames, and the CPU share of Chromium's whole process tree from /proc over the same
 * 60 s. Then memory over 30 minutes of session time with the scene animating.
 *
 * The page is the real app (simulator source, React panels at 4 Hz, tachogram) in real time,
 * measured once the reward is high (the simulated person breathes with the pacer: after ~70 s),
 * so every reward element is drawn. Headless Chromium's WebGL is SwiftShader (software), as on a remote desktop or an old
 * laptop without a GPU driver; `?renderer=` forces each renderer.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import type { BenchSection } from './types';
import { summarize } from './types';
import { processTreeCpuS } from './browser-frames';
import { launchChromium, HAVE_CHROMIUM, CHROMIUM_MISSING } from '../tests/helpers/chromium';
import { startWebApp, WEB_BUILT, WEB_MISSING } from '../tests/helpers/web-app';

const FRAME_S = 60;

function loadAverage(): string {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return 'unknown';
  }
}

async function rafIntervals(page: Page, durationS: number): Promise<number[]> {
  return page.evaluate(
    (ms) =>
      new Promise<number[]>((resolve) => {
        const out: number[] = [];
        let last = -1;
        const start = performance.now();
        const step = (t: number): void => {
          if (last >= 0) out.push(t - last);
          last = t;
          if (t - start < ms) requestAnimationFrame(step);
          else resolve(out);
        };
        requestAnimationFrame(step);
      }),
    durationS * 1000,
  );
}

async function frames(renderer: 'webgl' | 'canvas' | 'auto'): Promise<string> {
  const app = await startWebApp();
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(app.url.replace('/#', `/?seed=5${renderer === 'auto' ? '' : `&renderer=${renderer}`}#`));
    const canvas = page.getByTestId('pacer-canvas');
    await canvas.waitFor();
    // Warm-up until the reward is high (≥ 0.6), so the whole reward layer is drawn.
    const t0 = Date.now();
    while (Number(await canvas.getAttribute('data-reward')) < 0.6 && Date.now() - t0 < 150_000) await page.waitForTimeout(1000);
    const reward0 = Number(await canvas.getAttribute('data-reward'));
    const load0 = loadAverage();
    const drawn0 = Number(await canvas.getAttribute('data-frames'));
    const cpu0 = processTreeCpuS(process.pid);
    const w0 = performance.now();
    const intervals = await rafIntervals(page, FRAME_S);
    const wallS = (performance.now() - w0) / 1000;
    const cpu = (processTreeCpuS(process.pid) - cpu0) / wallS;
    const drawnFps = (Number(await canvas.getAttribute('data-frames')) - drawn0) / wallS;
    const used = `${await canvas.getAttribute('data-renderer')}, cap ${await canvas.getAttribute('data-max-fps')}`;
    const s = summarize(intervals);
    const frameMs = 1000 / 60;
    const dropped = intervals.reduce((n, dt) => n + Math.max(0, Math.round(dt / frameMs) - 1), 0);
    return `| ${renderer} (${used}) | ${drawnFps.toFixed(1)} | ${s.n} | ${(s.n / FRAME_S).toFixed(1)} | ${s.median.toFixed(2)} | ${s.p99.toFixed(2)} | ${dropped} (${((100 * dropped) / (s.n + dropped)).toFixed(1)} %) | ${cpu.toFixed(2)} | ${reward0.toFixed(2)} | ${load0} → ${loadAverage()} |`;
  } finally {
    await browser.close();
    await app.stop();
  }
}

async function memory(sessionMinutes = 30, speed = 10, samplesN = 10): Promise<string> {
  const app = await startWebApp();
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(app.url.replace('/#', `/?speed=${speed}&seed=5#`));
    await page.getByTestId('pacer-canvas').waitFor();
    const cdp = await page.context().newCDPSession(page);
    const heapMiB = async (): Promise<number> => {
      await cdp.send('HeapProfiler.collectGarbage');
      const h = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
      return h.usedSize / 2 ** 20;
    };
    const sessionMin = async (): Promise<number> => page.evaluate(() => performance.now());
    const samples: { sessionMin: number; heapMiB: number; domNodes: number }[] = [];
    const pageT0 = await sessionMin();
    const wallMs = (sessionMinutes * 60_000) / speed;
    const everyMs = wallMs / samplesN;
    const start = Date.now();
    for (;;) {
      const dom = (await cdp.send('Memory.getDOMCounters')) as { nodes: number };
      samples.push({ sessionMin: (((await sessionMin()) - pageT0) * speed) / 60_000, heapMiB: await heapMiB(), domNodes: dom.nodes });
      if (Date.now() - start >= wallMs) break;
      await page.waitForTimeout(everyMs);
    }
    const frames = await rafIntervals(page, 2);
    const rows = samples.map((x) => `| ${x.sessionMin.toFixed(1)} | ${x.heapMiB.toFixed(2)} | ${x.domNodes} |`);
    // Growth after the first 5 minutes (the tachogram's 2-min window and the coherence/RSA windows fill by then).
    const settled = samples.filter((x) => x.sessionMin >= 5);
    const first = settled[0];
    const last = settled[settled.length - 1];
    const growth = first && last ? `${(last.heapMiB - first.heapMiB).toFixed(2)} MiB from ${first.sessionMin.toFixed(0)} to ${last.sessionMin.toFixed(0)} min of session time` : 'n/a';
    return [
      `Memory: the app at \`?speed=${speed}\` (${sessionMinutes} min of session time in ${(wallMs / 60_000).toFixed(0)} min of wall time), default renderer (Canvas here), reward scene animating; JS heap after a forced GC (CDP HeapProfiler.collectGarbage + Runtime.getHeapUsage) and DOM nodes, ${samples.length} samples. Accelerated time exercises everything that grows with *session* time (beats, metrics, reward events, pacer schedule segments, tachogram, recording queue) ${speed}× faster; per-*frame* work runs at the real frame rate, so it sees ${speed}× fewer frames than real time (the scene allocates nothing per frame by design).`,
      '',
      '| session time (min) | JS heap used (MiB) | DOM nodes |',
      '|---|---|---|',
      ...rows,
      '',
      `Growth: ${growth}. Frame rate at the end: ${(frames.length / 2).toFixed(0)} fps.`,
    ].join('\n');
  } finally {
    await browser.close();
    await app.stop();
  }
}

export const trainerBench: BenchSection = {
  id: 'trainer',
  title: 'Trainer scene (pacer + reward) per renderer in headless Chromium (60 s) and memory over 30 min',
  run: async () => {
    if (!HAVE_CHROMIUM || !WEB_BUILT) return `Not measured: ${!HAVE_CHROMIUM ? CHROMIUM_MISSING : WEB_MISSING}.`;
    const rows: string[] = [];
    for (const r of ['auto', 'canvas', 'webgl'] as const) rows.push(await frames(r));
    return [
      `Page: the practice screen at 1280×800 in real time (speed 1), measured once the reward is high (≥ 0.6: warm light, glow and rising motes all drawn; reached after ~70 s), seed 5. \`auto\` = no \`?renderer=\`: what the app picks by itself here (software WebGL → Canvas at 30 fps); the other rows force a renderer at the display rate. Scene frames drawn = Pixi ticker callbacks (the canvas's data-frames counter) per second. rAF interval = time between requestAnimationFrame callbacks over ${FRAME_S} s (the page's frame clock, 60 Hz even when the scene is capped); dropped = vsyncs missed (interval / 16.7 ms − 1); CPU = utime + stime of all Chromium processes / wall time (1.00 = one core; this machine has 2 cores shared with other work, load average shown before → after).`,
      '',
      '| renderer (used, fps cap) | scene frames drawn /s | page frames (rAF) | rAF fps | rAF interval median (ms) | p99 (ms) | dropped frames | Chromium CPU (cores) | reward at start | load average |',
      '|---|---|---|---|---|---|---|---|---|---|',
      ...rows,
      '',
      await memory(),
    ].join('\n');
  },
};

/** Memory over three hours of session time at 60× (3 min of wall time): does the heap level off? */
export const trainerLongMemoryBench: BenchSection = {
  id: 'trainer-memory-long',
  title: 'Trainer: memory over 3 hours of session time',
  run: () => memory(180, 60, 18),
};
