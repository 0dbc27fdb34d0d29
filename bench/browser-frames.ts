/**
 * Frame timing of the running app in headless Debian Chromium: the real page from the browser
 * edition's server, measured from requestAnimationFrame timestamps inside the page, plus the CPU
 * time of Chromium's whole process tree over the same interval (from /proc; Linux only).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { launchChromium, HAVE_CHROMIUM, CHROMIUM_MISSING } from '../tests/helpers/chromium';
import { startWebApp, WEB_BUILT, WEB_MISSING } from '../tests/helpers/web-app';
import { summarize } from './types';

const CLK_TCK = 100; // Linux USER_HZ

/** CPU seconds used so far by the Chromium processes below `rootPid` (this Node process). */
export function processTreeCpuS(rootPid: number): number {
  const parents = new Map<number, number>();
  const cpu = new Map<number, number>();
  const isChromium = new Set<number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (/chrom/i.test(stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')))) isChromium.add(Number(name));
      parents.set(Number(name), Number(fields[1]));
      cpu.set(Number(name), (Number(fields[11]) + Number(fields[12])) / CLK_TCK);
    } catch {
      // process ended while reading
    }
  }
  let total = 0;
  for (const [pid, t] of cpu) {
    if (!isChromium.has(pid)) continue;
    let p: number | undefined = pid;
    for (let depth = 0; p && depth < 10; depth++) {
      if (p === rootPid) {
        total += t;
        break;
      }
      p = parents.get(p);
    }
  }
  return total;
}

export interface FrameOptions {
  readonly durationS: number;
  /** Extra query parameters for the page (e.g. renderer choice). */
  readonly query?: string;
}

export async function measurePacerFrames(opts: FrameOptions): Promise<string> {
  if (!HAVE_CHROMIUM || !WEB_BUILT) return `Not measured: ${!HAVE_CHROMIUM ? CHROMIUM_MISSING : WEB_MISSING}.`;
  const app = await startWebApp();
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(app.url.replace('/#', `/?${opts.query ?? ''}#`));
    await page.getByTestId('pacer-canvas').waitFor();
    await page.waitForTimeout(2000); // warm-up
    const pid = process.pid;
    const cpu0 = processTreeCpuS(pid);
    const t0 = performance.now();
    const intervals = await page.evaluate(
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
      opts.durationS * 1000,
    );
    const wallS = (performance.now() - t0) / 1000;
    const cpuShare = (processTreeCpuS(pid) - cpu0) / wallS;
    const renderer = await page.evaluate(() => {
      const c = document.querySelector('[data-testid="pacer-canvas"]') as HTMLCanvasElement | null;
      return c ? `${c.dataset.renderer ?? '?'} (${c.dataset.rendererReason ?? ''})` : 'no pacer canvas';
    });
    const s = summarize(intervals);
    const frameMs = 1000 / 60;
    const dropped = intervals.reduce((n, dt) => n + Math.max(0, Math.round(dt / frameMs) - 1), 0);
    return [
      `Page: the app's first screen (simulator, pacer, tachogram), 1280×800, headless Chromium; pacer renderer: ${renderer}. Frame intervals are requestAnimationFrame intervals in the page. Load average (1 min) at the end: ${loadavg()[0]?.toFixed(1)} on 2 cores (other work was running).`,
      '',
      '| frames | frame interval median (ms) | p99 (ms) | dropped frames (≥ 1 vsync missed) | Chromium CPU (cores, all processes) |',
      '|---|---|---|---|---|',
      `| ${s.n} in ${opts.durationS} s | ${s.median.toFixed(2)} | ${s.p99.toFixed(2)} | ${dropped} (${((100 * dropped) / (s.n + dropped)).toFixed(1)} %) | ${cpuShare.toFixed(2)} |`,
    ].join('\n');
  } finally {
    await browser.close();
    await app.stop();
  }
}
