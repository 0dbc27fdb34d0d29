/**
 * The soothing-rhythm trainer as a person meets it, in Debian's Chromium: the built browser
 * edition, the simulator (whose breathing starts at 13/min and slows toward the pacer's 6/min),
 * accelerated session time, and the renderer the app picks by itself (headless Chromium's WebGL
 * is SwiftShader, so the app must fall back to Pixi's Canvas renderer). Screenshots are saved
 * in test-artifacts/e2e-trainer.
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM_MISSING, HAVE_CHROMIUM, launchChromium } from '../helpers/chromium';
import { ROOT, WEB_BUILT, WEB_MISSING, startWebApp, type RunningWebApp } from '../helpers/web-app';
import { decodePng } from '../helpers/png';

const ARTIFACTS = join(ROOT, 'test-artifacts', 'e2e-trainer');
/** 10× real time: the 2-minute simulated session lasts 12 s of wall time. */
const SPEED = 10;

const ready = HAVE_CHROMIUM && WEB_BUILT;
if (!ready) console.warn(`skipping e2e trainer: ${!HAVE_CHROMIUM ? CHROMIUM_MISSING : WEB_MISSING}`);

/** Warm pixels (red clearly above blue: candle light, sun, motes) and mean brightness of a PNG. */
function warmth(png: Buffer): { warm: number; brightness: number } {
  const img = decodePng(png);
  let warm = 0;
  let sum = 0;
  for (let i = 0; i < img.data.length; i += 4) {
    const r = img.data[i] ?? 0;
    const g = img.data[i + 1] ?? 0;
    const b = img.data[i + 2] ?? 0;
    if (r > b + 20 && r > 50) warm++;
    sum += (r + g + b) / 3;
  }
  return { warm, brightness: sum / (img.width * img.height) };
}

describe.skipIf(!ready)('soothing-rhythm trainer in Chromium', () => {
  let app: RunningWebApp;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    app = await startWebApp();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1100, height: 760 } });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(app.url.replace('/#', `/?speed=${SPEED}&seed=7#`));
    await page.getByTestId('pacer-canvas').waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('falls back to the Canvas renderer on software WebGL, and shows the safety note on first use', async () => {
    const canvas = page.getByTestId('pacer-canvas');
    expect(await canvas.getAttribute('data-renderer')).toBe('canvas');
    expect(await canvas.getAttribute('data-renderer-reason')).toMatch(/software WebGL.*SwiftShader/i);
    expect(await canvas.getAttribute('data-max-fps')).toBe('30');
    const note = page.getByTestId('safety-note');
    await expect.poll(() => note.textContent()).toMatch(/stop, let your breath go its own way/);
    await page.getByRole('button', { name: 'I understand' }).click();
    await expect.poll(() => note.count()).toBe(0);
    await expect
      .poll(() => {
        try {
          return (JSON.parse(readFileSync(join(app.dataDir, 'settings.json'), 'utf8')) as { trainer?: { safetyNoteSeen: boolean } }).trainer?.safetyNoteSeen;
        } catch {
          return undefined; // not written yet
        }
      })
      .toBe(true);
  });

  it('the scene warms and brightens as the simulated breathing slows toward the pacer (2 min of session time)', async () => {
    const canvas = page.getByTestId('pacer-canvas');
    // Quiet while collecting (the first 60 s of session time) …
    const quiet = await canvas.screenshot();
    const q = warmth(quiet);
    const early = Number(await canvas.getAttribute('data-reward'));
    writeFileSync(join(ARTIFACTS, 'quiet.png'), quiet);
    expect(early).toBeLessThan(0.2);
    // … then, as breathing approaches 6/min, the reward rises and the scene answers within seconds.
    await expect.poll(async () => Number(await canvas.getAttribute('data-reward')), { timeout: 15_000, interval: 250 }).toBeGreaterThan(0.6);
    const warm = await canvas.screenshot();
    const w = warmth(warm);
    writeFileSync(join(ARTIFACTS, 'warm.png'), warm);
    console.info(`warm pixels ${q.warm} → ${w.warm}, mean brightness ${q.brightness.toFixed(1)} → ${w.brightness.toFixed(1)}`);
    expect(w.warm).toBeGreaterThan(q.warm * 2 + 1000);
    // (Mean brightness is only logged: it also rises and falls with the breath itself.)
    // The reward and its inputs are shown in numbers too.
    expect(await page.getByTestId('reward-value').textContent()).toMatch(/^\d+ %$/);
    expect(Number(await page.getByTestId('breathing-rate').textContent())).toBeLessThan(8);
    expect(errors).toEqual([]);
  });

  it('records the reward as events', async () => {
    await page.waitForTimeout(1500); // one flush
    const [id] = readdirSync(join(app.dataDir, 'sessions'));
    const lines = readFileSync(join(app.dataDir, 'sessions', id ?? '', 'events.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { kind: string; tMs: number; value?: number });
    const rewards = lines.filter((l) => l.kind === 'reward');
    expect(rewards.length).toBeGreaterThan(3);
    expect(rewards.every((r) => typeof r.value === 'number' && r.value >= 0 && r.value <= 1)).toBe(true);
    expect(Math.max(...rewards.map((r) => r.value ?? 0))).toBeGreaterThan(0.6);
  });

  it('eyes-closed mode (keyboard E) plays the breath as sound through a running AudioContext and dims the screen', async () => {
    const before = warmth(await page.screenshot()).brightness;
    await page.locator('body').focus();
    await page.keyboard.press('e');
    const dim = page.getByTestId('eyes-closed-dim');
    await dim.waitFor();
    const status = page.getByTestId('audio-status');
    await expect.poll(() => status.getAttribute('data-state'), { timeout: 5000 }).toBe('running');
    // The analyser at the end of the graph sees a non-silent signal: the graph is connected.
    await expect.poll(async () => Number(await status.getAttribute('data-level')), { timeout: 5000 }).toBeGreaterThan(0.001);
    const dimmed = await page.screenshot();
    writeFileSync(join(ARTIFACTS, 'eyes-closed.png'), dimmed);
    const after = warmth(dimmed).brightness;
    console.info(`page brightness ${before.toFixed(1)} → ${after.toFixed(1)} with eyes closed`);
    expect(after).toBeLessThan(before * 0.4);
    await page.keyboard.press('Escape');
    await expect.poll(() => dim.count()).toBe(0);
    await expect.poll(() => status.getAttribute('data-state')).toBe('off');
  });

  it('switches to the horizon wave and to full-screen focus from the keyboard', async () => {
    await page.getByText('Look, sound and challenge').click();
    await page.getByLabel('Look').selectOption('wave');
    await page.waitForTimeout(500);
    const canvas = page.getByTestId('pacer-canvas');
    const png = decodePng(await canvas.screenshot());
    // The horizon: teal fills the lower part of the scene, the sky above stays night blue.
    let tealLow = 0;
    let tealHigh = 0;
    for (let y = 0; y < png.height; y++) {
      for (let x = 0; x < png.width; x += 2) {
        const i = (y * png.width + x) * 4;
        const g = png.data[i + 1] ?? 0;
        const b = png.data[i + 2] ?? 0;
        if (g > 120 && b > 110) {
          if (y > png.height * 0.8) tealLow++;
          else if (y < png.height * 0.25) tealHigh++;
        }
      }
    }
    expect(tealLow).toBeGreaterThan(tealHigh * 5 + 100);
    await page.locator('body').focus();
    await page.keyboard.press('f');
    const pacer = page.getByRole('region', { name: 'Breathing pacer' });
    await expect.poll(() => pacer.getAttribute('data-focus')).toBe('on');
    const box = await pacer.boundingBox();
    expect(box?.width).toBe(1100);
    expect(box?.height).toBe(760);
    // The scene itself follows: the canvas grows to the whole screen.
    await expect.poll(async () => (await page.getByTestId('pacer-canvas').boundingBox())?.width).toBe(1100);
    writeFileSync(join(ARTIFACTS, 'focus-wave.png'), await page.screenshot());
    await page.keyboard.press('Escape');
    await expect.poll(() => pacer.getAttribute('data-focus')).toBe('off');
  });
  it('guides a soothing rhythm breathing session: ratings before, settle (pacer rests), breathe, ratings after, all recorded', async () => {
    await page.getByRole('button', { name: 'Begin a soothing session' }).click();
    const before = page.getByTestId('ratings-before');
    await before.waitFor();
    expect(await page.getByTestId('srb-guidance').getAttribute('open')).not.toBeNull(); // guidance shown before the session
    await before.getByLabel('How calm do you feel?').focus();
    await page.keyboard.press('Home');
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
    await before.getByRole('button', { name: 'Save' }).click();
    const phase = page.getByTestId('soothing-phase');
    await expect.poll(() => phase.textContent()).toMatch(/^Settle/);
    await expect.poll(() => page.locator('.cue').first().textContent()).toBe('Breathe freely');
    await page.getByRole('button', { name: 'Next phase' }).click();
    await expect.poll(() => phase.textContent()).toMatch(/^Breathe/);
    await page.getByRole('button', { name: 'End session' }).click();
    const after = page.getByTestId('ratings-after');
    await after.getByLabel('How safe do you feel?').focus();
    await page.keyboard.press('End');
    for (let i = 0; i < 2; i++) await page.keyboard.press('ArrowLeft');
    await after.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => after.count()).toBe(0);
    await page.waitForTimeout(1500); // one flush
    const [id] = readdirSync(join(app.dataDir, 'sessions'));
    const lines = readFileSync(join(app.dataDir, 'sessions', id ?? '', 'events.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { kind: string; when?: string; calm?: number; safe?: number; event?: string; phase?: string });
    expect(lines.find((l) => l.kind === 'rating' && l.when === 'before')?.calm).toBe(3);
    expect(lines.find((l) => l.kind === 'rating' && l.when === 'after')?.safe).toBe(8);
    expect(lines.filter((l) => l.kind === 'trainer' && l.event === 'phase').map((l) => l.phase)).toEqual(['settle', 'breathe']);
  });
});

describe.skipIf(!ready)('resonance-frequency assessment in Chromium', () => {
  let app: RunningWebApp;
  let browser: Browser;

  beforeAll(async () => {
    app = await startWebApp();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('runs a short protocol (1 min per rate, no rests) at 32× speed, shows the table, chart and a recommended rate, and saves it as the pacer default', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    await page.goto(app.url.replace('/#', `/?speed=32&seed=3&view=assessment#`));
    await page.getByLabel('Minutes per rate').selectOption('1');
    await page.getByLabel('Rest between rates (s)').selectOption('0');
    await page.getByRole('button', { name: 'Begin the assessment' }).click();
    await expect.poll(() => page.getByTestId('assessment-stage').textContent()).toMatch(/Breathe with the pacer: 6\.5 \/min/);
    const rec = page.getByTestId('resonance-recommendation');
    await rec.waitFor({ timeout: 25_000 });
    const text = (await rec.textContent()) ?? '';
    const rate = Number(/rate: ([0-9.]+)/.exec(text)?.[1]);
    expect([6.5, 6, 5.5, 5, 4.5]).toContain(rate);
    expect(await page.getByTestId('resonance-table').locator('tbody tr').count()).toBe(5);
    expect(await page.getByTestId('resonance-chart').locator('canvas').count()).toBeGreaterThan(0);
    writeFileSync(join(ARTIFACTS, 'assessment.png'), await page.screenshot({ fullPage: true }));
    await expect
      .poll(() => {
        try {
          return (JSON.parse(readFileSync(join(app.dataDir, 'settings.json'), 'utf8')) as { resonance?: { breathsPerMin: number } }).resonance?.breathsPerMin;
        } catch {
          return undefined;
        }
      })
      .toBe(rate);
    const saved = JSON.parse(readFileSync(join(app.dataDir, 'settings.json'), 'utf8')) as { pacer: { breathsPerMin: number }; resonance: { reasons: string[] } };
    expect(saved.pacer.breathsPerMin).toBe(rate);
    expect(saved.resonance.reasons.length).toBeGreaterThan(1);
  });
});

