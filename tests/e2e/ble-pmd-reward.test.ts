/**
 * Breathing measured, not inferred (issue 9), in the real app in Chromium with the emulated H10:
 * heart-rate notifications (RR swinging at 6 /min) in accelerated session time (?speed=10) and the
 * chest accelerometer breathing at 6 /min. Once the live engine has RSA and coherence, the reward
 * takes its breathing rate from chest movement, says so in the therapist console, and the
 * recording's reward events name the source.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CHROMIUM_MISSING, HAVE_CHROMIUM } from '../helpers/chromium';
import { WEB_BUILT, WEB_MISSING, type RunningWebApp, readRecordedLines, type RecordedLine } from '../helpers/web-app';
import type { BleStrapEmulator } from '../helpers/ble-strap-emulator';
import { openAppWithH10, type H10App } from '../helpers/h10-app';
import { accFrameBytes, pacedChestTiltDeg } from '../fixtures/h10-acc-frames';

const ready = HAVE_CHROMIUM && WEB_BUILT;
if (!ready) console.warn(`skipping H10 measured-breathing reward e2e: ${!HAVE_CHROMIUM ? CHROMIUM_MISSING : WEB_MISSING}`);

const SPEED = 10;
/** ACC: the chest tilts 2° at 6 breaths/min, 40 % in. */
const accFrame = (k: number): Uint8Array => accFrameBytes(k, (tS) => pacedChestTiltDeg(tS, 6));
type Line = RecordedLine;

describe.skipIf(!ready)('reward from breathing measured by the H10 (Chromium, emulated H10, accelerated time)', () => {
  let h: H10App;
  let app: RunningWebApp;
  let page: Page;
  let emu: BleStrapEmulator;
  const pageErrors: string[] = [];
  const recording = (): Line[] => readRecordedLines(app.dataDir);

  beforeAll(async () => {
    h = await openAppWithH10({ query: `view=therapist&speed=${SPEED}`, name: 'Polar H10 5E6F7A8B', battery: 70, viewport: { width: 1300, height: 1000 }, pageErrors });
    ({ app, page, emu } = h);
  }, 30_000);

  afterAll(async () => {
    await h?.close();
  });

  it('the reward uses the measured breathing rate and records its source', async () => {
    await h.connect();
    await page.getByRole('button', { name: 'Breathing from chest movement' }).click();
    await page.getByTestId('breathing-trace-panel').waitFor({ timeout: 10_000 });
    // 86 s of chest movement at once (breaths follow sensor time), then 110 s of beats in session time.
    for (let k = 0; k < 60; k++) await emu.sendPmdFrame(accFrame(k));
    await h.sendSwingingBeats({ speed: SPEED, maxS: 110, until: () => recording().some((e) => e.kind === 'reward' && e.breathingSource === 'chest-acc') });
    await expect.poll(() => recording().filter((e) => e.kind === 'reward' && e.breathingSource === 'chest-acc').length, { timeout: 8000 }).toBeGreaterThan(0);
    const r = recording().find((e) => e.kind === 'reward' && e.breathingSource === 'chest-acc');
    expect(Math.abs((r?.breathsPerMin as number) - 6)).toBeLessThan(0.6);
    expect(r?.phaseScore).toEqual(expect.any(Number));
    await expect.poll(async () => (await page.getByTestId('reward-breathing-source').textContent()) ?? '', { timeout: 5000 }).toMatch(/breathing \(measured from chest movement\)/);
    expect(pageErrors).toEqual([]);
  }, 40_000);
});
