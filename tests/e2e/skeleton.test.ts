/**
 * The walking skeleton as a user meets it: `npm run web`'s server, Debian's Chromium, the
 * simulator, a real WebGL pacer. Screenshots are saved in test-artifacts/.
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM_MISSING, HAVE_CHROMIUM, launchChromium } from '../helpers/chromium';
import { ROOT, WEB_BUILT, WEB_MISSING, startWebApp, type RunningWebApp } from '../helpers/web-app';
import { countColor, decodePng, pixelAt } from '../helpers/png';

const ARTIFACTS = join(ROOT, 'test-artifacts', 'e2e-skeleton');
const ORB = 0x7fc8c0;
const BACKGROUND = 0x0f1b2d;
/** Accelerated session time: 10× real time, so a 60 s RMSSD window fills in 6 s. */
const SPEED = 10;

const ready = HAVE_CHROMIUM && WEB_BUILT;
if (!ready) console.warn(`skipping e2e skeleton: ${!HAVE_CHROMIUM ? CHROMIUM_MISSING : WEB_MISSING}`);

async function orbArea(page: Page): Promise<{ area: number; png: Buffer }> {
  const png = await page.getByTestId('pacer-canvas').screenshot();
  return { area: countColor(decodePng(png), ORB, 30), png };
}

describe.skipIf(!ready)('walking skeleton in Chromium', () => {
  let app: RunningWebApp;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    app = await startWebApp();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1100, height: 760 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // renderer=webgl: this test checks the WebGL path (headless Chromium's WebGL is software, so the app would choose Canvas).
    await page.goto(app.url.replace('/#', `/?speed=${SPEED}&seed=42&renderer=webgl#`));
    expect(errors).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('shows heart rate and RMSSD from the simulator within 10 s', async () => {
    const hr = page.getByLabel('Heart rate', { exact: true });
    const rmssd = page.getByLabel('RMSSD', { exact: true });
    await expect.poll(async () => Number(await hr.textContent()), { timeout: 10_000 }).toBeGreaterThan(40);
    await expect.poll(async () => Number(await rmssd.textContent()), { timeout: 10_000 }).toBeGreaterThan(5);
    expect(Number(await hr.textContent())).toBeLessThan(120);
    expect(Number(await rmssd.textContent())).toBeLessThan(200);
    writeFileSync(join(ARTIFACTS, 'first-screen.png'), await page.screenshot());
  });

  it('renders the pacer with WebGL and animates it (pixels, two screenshots)', async () => {
    const renderer = await page.evaluate(() => {
      const c = document.querySelector('[data-testid="pacer-canvas"]') as HTMLCanvasElement | null;
      return c ? (c.getContext('webgl2') ? 'webgl2' : c.getContext('webgl') ? 'webgl' : 'other') : 'none';
    });
    expect(renderer).toMatch(/webgl/);
    // Two screenshots 0.7 s apart (7 s of session time at 6 breaths/min); a few tries, since two
    // moments of a breath can by chance have the same orb size.
    const a = await orbArea(page);
    let b = a;
    for (let i = 0; i < 6 && Math.abs(a.area - b.area) / Math.max(a.area, b.area) <= 0.05; i++) {
      await page.waitForTimeout(700);
      b = await orbArea(page);
    }
    writeFileSync(join(ARTIFACTS, 'pacer-a.png'), a.png);
    writeFileSync(join(ARTIFACTS, 'pacer-b.png'), b.png);
    const img = decodePng(a.png);
    const centre = pixelAt(img, img.width / 2, img.height / 2);
    // The orb is drawn at the centre in the pacer's teal (the background is night blue).
    expect(Math.abs(centre.r - ((ORB >> 16) & 0xff))).toBeLessThan(30);
    expect(countColor(img, BACKGROUND, 6)).toBeGreaterThan(1000);
    expect(a.area).toBeGreaterThan(500);
    expect(b.area).toBeGreaterThan(500);
    expect(Math.abs(a.area - b.area) / Math.max(a.area, b.area)).toBeGreaterThan(0.05);
  });

  it('changes the pacer rate from the keyboard and the pacer follows the new rate', async () => {
    // The renderer the app itself picks here (Canvas on software WebGL): cheap enough for the
    // page to sample every frame. The WebGL path was checked above.
    await page.goto(app.url.replace('/#', `/?speed=${SPEED}&seed=42&renderer=canvas#`));
    await page.getByTestId('pacer-canvas').waitFor();
    const slider = page.getByLabel('Breathing rate (breaths per minute)');
    await slider.focus();
    await page.keyboard.press('Home'); // slowest: 3 breaths/min
    await expect.poll(() => page.getByTestId('pacer-rate').textContent()).toBe('3.0');
    expect(await page.getByRole('img', { name: 'Breathing pacer at 3 breaths per minute' }).count()).toBe(1);
    // Measure the orb's breathing period from pixels: at 3/min and 10× speed a breath lasts 2 s
    // of wall time (at the old 6/min it would be 1 s). Screenshots are too slow for this, so the
    // page copies each rendered frame to a small 2D canvas (same frame, right after Pixi drew it)
    // and counts the orb's pixels.
    const samples = await page.evaluate(
      ({ durationMs, orb }) =>
        new Promise<{ t: number; area: number }[]>((resolve) => {
          const gl = document.querySelector('[data-testid="pacer-canvas"]') as HTMLCanvasElement;
          const small = document.createElement('canvas');
          small.width = small.height = 64;
          const ctx = small.getContext('2d', { willReadFrequently: true }) as CanvasRenderingContext2D;
          const out: { t: number; area: number }[] = [];
          const t0 = performance.now();
          const step = (): void => {
            ctx.drawImage(gl, 0, 0, 64, 64);
            const d = ctx.getImageData(0, 0, 64, 64).data;
            let area = 0;
            for (let i = 0; i < d.length; i += 4) {
              if (Math.abs((d[i] ?? 0) - ((orb >> 16) & 255)) < 30 && Math.abs((d[i + 1] ?? 0) - ((orb >> 8) & 255)) < 30 && Math.abs((d[i + 2] ?? 0) - (orb & 255)) < 30) area++;
            }
            out.push({ t: performance.now() - t0, area });
            if (performance.now() - t0 < durationMs) requestAnimationFrame(step);
            else resolve(out);
          };
          requestAnimationFrame(step);
        }),
      { durationMs: 8000, orb: ORB },
    );
    const mean = samples.reduce((s, x) => s + x.area, 0) / samples.length;
    const upCrossings: number[] = [];
    for (let i = 1; i < samples.length; i++) {
      const p = samples[i - 1];
      const q = samples[i];
      if (p && q && p.area < mean && q.area >= mean) upCrossings.push(q.t);
    }
    expect(samples.length).toBeGreaterThan(16);
    expect(upCrossings.length).toBeGreaterThanOrEqual(2);
    const periods = upCrossings.slice(1).map((t, i) => t - (upCrossings[i] ?? 0));
    const meanPeriodMs = periods.reduce((s, x) => s + x, 0) / periods.length;
    console.info(`pacer period from pixels: ${meanPeriodMs.toFixed(0)} ms over ${samples.length} frames`);
    expect(meanPeriodMs).toBeGreaterThan(1500);
    expect(meanPeriodMs).toBeLessThan(2600);
    writeFileSync(join(ARTIFACTS, 'pacer-3-per-min.png'), await page.screenshot());
  });

  it('records the session through the WebSocket contract (beats and pacer changes on disk)', async () => {
    await page.waitForTimeout(1500); // one flush
    // Two page loads, two sessions; the second one saw the pacer change. Names sort by start time.
    const sessions = readdirSync(join(app.dataDir, 'sessions')).sort();
    expect(sessions.length).toBe(2);
    const lines = readFileSync(join(app.dataDir, 'sessions', sessions[1] ?? '', 'events.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { kind: string; tMs: number; rrMs?: number; breathsPerMin?: number });
    const beats = lines.filter((l) => l.kind === 'beat');
    expect(beats.length).toBeGreaterThan(60);
    expect(beats.every((b, i) => i === 0 || b.tMs > (beats[i - 1]?.tMs ?? 0))).toBe(true);
    expect(lines.some((l) => l.kind === 'pacer' && l.breathsPerMin === 3)).toBe(true);
    const saved = JSON.parse(readFileSync(join(app.dataDir, 'settings.json'), 'utf8')) as { pacer: { breathsPerMin: number } };
    expect(saved.pacer.breathsPerMin).toBe(3);
  });
});
