/**
 * Breathing measured, not inferred (issue 9), in the real app in Chromium with the emulated H10:
 * heart-rate notifications (RR swinging at 6 /min) in accelerated session time (?speed=10) and the
 * chest accelerometer breathing at 6 /min. Once the live engine has RSA and coherence, the reward
 * takes its breathing rate from chest movement, says so in the therapist console, and the
 * recording's reward events name the source.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM_MISSING, HAVE_CHROMIUM, launchChromium } from '../helpers/chromium';
import { WEB_BUILT, WEB_MISSING, startWebApp, type RunningWebApp, readRecordedLines, type RecordedLine } from '../helpers/web-app';
import { BLE_CHROMIUM_ARGS, BleStrapEmulator } from '../helpers/ble-strap-emulator';

const ready = HAVE_CHROMIUM && WEB_BUILT;
if (!ready) console.warn(`skipping H10 measured-breathing reward e2e: ${!HAVE_CHROMIUM ? CHROMIUM_MISSING : WEB_MISSING}`);

const SPEED = 10;
const T0_NS = 599_616_000_000_000_000n;
/** ACC frame (type 0x01, int16 mG), 36 samples at 25 Hz; the chest tilts 2° at 6 breaths/min, 40 % in. */
function accFrame(k: number): Uint8Array {
  const b = new DataView(new ArrayBuffer(8));
  b.setBigUint64(0, T0_NS + BigInt((k + 1) * 36) * 40_000_000n, true);
  const out = [0x02, ...new Uint8Array(b.buffer), 0x01];
  for (let i = 0; i < 36; i++) {
    const tS = (k * 36 + i) / 25;
    const c = tS % 10;
    const x = c < 4 ? (1 - Math.cos((Math.PI * c) / 4)) / 2 : (1 + Math.cos((Math.PI * (c - 4)) / 6)) / 2;
    const th = (2 * x * Math.PI) / 180;
    for (const v of [Math.round(3 * Math.sin(7 * tS)), Math.round(-1000 * Math.cos(th)), Math.round(-1000 * Math.sin(th))]) out.push(v & 0xff, (v >> 8) & 0xff);
  }
  return Uint8Array.from(out);
}
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, Math.max(0, ms)));
type Line = RecordedLine;

describe.skipIf(!ready)('reward from breathing measured by the H10 (Chromium, emulated H10, accelerated time)', () => {
  let app: RunningWebApp;
  let browser: Browser;
  let page: Page;
  let emu: BleStrapEmulator;
  const pageErrors: string[] = [];
  const recording = (): Line[] => readRecordedLines(app.dataDir);

  beforeAll(async () => {
    app = await startWebApp();
    browser = await launchChromium({ args: BLE_CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1300, height: 1000 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(app.url.replace('/#', `/?view=therapist&speed=${SPEED}#`));
    emu = await BleStrapEmulator.start(browser, page, { name: 'Polar H10 5E6F7A8B', battery: 70, pmd: true });
  }, 30_000);

  afterAll(async () => {
    await emu?.stop();
    await browser?.close();
    await app?.stop();
  });

  it('the reward uses the measured breathing rate and records its source', async () => {
    emu.answerNextPrompt('select');
    await page.getByRole('button', { name: /^Connect/ }).click();
    await page.getByRole('button', { name: 'Breathing from chest movement' }).click();
    await page.getByTestId('breathing-trace-panel').waitFor({ timeout: 10_000 });
    // 86 s of chest movement at once (breaths follow sensor time), then 110 s of beats in session time.
    for (let k = 0; k < 60; k++) await emu.sendPmdFrame(accFrame(k));
    const t0 = Date.now();
    let tS = 0;
    while (tS < 110) {
      const rrMs = 1000 + 80 * Math.sin((2 * Math.PI * tS) / 10);
      tS += rrMs / 1000;
      await sleep((tS * 1000) / SPEED - (Date.now() - t0));
      const u = Math.round(rrMs * 1.024);
      await emu.sendNotification(Uint8Array.of(0x10, Math.round(60_000 / rrMs), u & 0xff, (u >> 8) & 0xff));
      if (recording().some((e) => e.kind === 'reward' && e.breathingSource === 'chest-acc')) break;
    }
    await expect.poll(() => recording().filter((e) => e.kind === 'reward' && e.breathingSource === 'chest-acc').length, { timeout: 8000 }).toBeGreaterThan(0);
    const r = recording().find((e) => e.kind === 'reward' && e.breathingSource === 'chest-acc');
    expect(Math.abs((r?.breathsPerMin as number) - 6)).toBeLessThan(0.6);
    expect(r?.phaseScore).toEqual(expect.any(Number));
    await expect.poll(async () => (await page.getByTestId('reward-breathing-source').textContent()) ?? '', { timeout: 5000 }).toMatch(/breathing \(measured from chest movement\)/);
    expect(pageErrors).toEqual([]);
  }, 40_000);
});
