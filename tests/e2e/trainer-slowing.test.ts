/**
 * Progressive slowing in the real app (Chromium, simulator): in a guided soothing session the
 * person settles breathing freely (the simulator at its own 13/min), then the pacer starts at the
 * rate measured from their heart rhythm (clamped to the pacer's 10/min) and eases toward the
 * 6/min target in 0.1 steps, never faster than 0.5 breaths/min per minute of session time.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM_MISSING, HAVE_CHROMIUM, launchChromium } from '../helpers/chromium';
import { WEB_BUILT, WEB_MISSING, startWebApp, type RunningWebApp } from '../helpers/web-app';

const SPEED = 20;
const ready = HAVE_CHROMIUM && WEB_BUILT;
if (!ready) console.warn(`skipping e2e trainer-slowing: ${!HAVE_CHROMIUM ? CHROMIUM_MISSING : WEB_MISSING}`);

describe.skipIf(!ready)('progressive slowing in Chromium', () => {
  let app: RunningWebApp;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    app = await startWebApp();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    await page.goto(app.url.replace('/#', `/?speed=${SPEED}&seed=11#`));
    await page.getByTestId('pacer-canvas').waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('starts the pacer at the measured rate after settling and eases it toward the target in small steps', async () => {
    await page.getByLabel('Start at my own breathing rate and slow down gently').check();
    await page.getByRole('button', { name: 'Begin a soothing session' }).click();
    await page.getByTestId('ratings-before').getByRole('button', { name: 'Skip' }).click();
    const phase = page.getByTestId('soothing-phase');
    await expect.poll(() => phase.textContent()).toMatch(/^Settle/);
    // Settling lasts 90 s of session time (4.5 s here); then the pacer starts near the person's own rate.
    await expect.poll(() => phase.textContent(), { timeout: 15_000 }).toMatch(/^Breathe/);
    const rate = page.getByTestId('pacer-rate');
    await expect.poll(async () => Number(await rate.textContent()), { timeout: 5000 }).toBeGreaterThanOrEqual(9);
    const r1 = Number(await rate.textContent());
    expect(await page.getByTestId('slowing-status').textContent()).toMatch(/Slowing gently toward 6\.0 \/min( \(waiting for you\))?\. Your breathing is estimated from your heart rhythm\./);
    await page.waitForTimeout(6000); // 2 min of session time: at most 1 breath/min slower
    const r2 = Number(await rate.textContent());
    console.info(`pacer ${r1} → ${r2} breaths/min over 6 s (${(6 * SPEED) / 60} min of session time)`);
    expect(r2).toBeLessThan(r1 - 0.4);
    expect(r2).toBeGreaterThan(6);
    await page.waitForTimeout(1500); // one flush
    const [id] = readdirSync(join(app.dataDir, 'sessions'));
    const events = readFileSync(join(app.dataDir, 'sessions', id ?? '', 'events.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { kind: string; tMs: number; breathsPerMin?: number });
    const pacer = events.filter((e) => e.kind === 'pacer' && (e.breathsPerMin ?? 0) < 10 && (e.breathsPerMin ?? 0) > 6);
    expect(pacer.length).toBeGreaterThan(3);
    for (let i = 1; i < pacer.length; i++) {
      const a = pacer[i - 1]!;
      const b = pacer[i]!;
      const step = (a.breathsPerMin ?? 0) - (b.breathsPerMin ?? 0);
      expect(step).toBeGreaterThan(0); // only slower
      // Never faster than 0.5 breaths/min per minute (plus one 0.1 rounding step).
      expect(step).toBeLessThanOrEqual((0.5 * (b.tMs - a.tMs)) / 60_000 + 0.1 + 1e-9);
    }
  });
});
