/**
 * The H10's raw streams in the therapist console (issue 9), in Chromium with the emulated H10
 * (tests/helpers/ble-strap-emulator.ts): a synthetic ECG (R waves every second) streamed in real
 * time beside heart-rate notifications whose RR intervals are the same beats; the console shows
 * the live ECG strip, the R-peaks found and the strap-RR quality check; the signal panel shows
 * its one-line summary; chest-movement breathing draws its live trace under the pacer and the
 * breathing line says it is measured.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CHROMIUM_MISSING, HAVE_CHROMIUM } from '../helpers/chromium';
import { WEB_BUILT, WEB_MISSING } from '../helpers/web-app';
import type { BleStrapEmulator } from '../helpers/ble-strap-emulator';
import { openAppWithH10, type H10App } from '../helpers/h10-app';
import { ECG_FRAME_SAMPLES, ecgFrameBytes, syntheticEcgUv } from '../fixtures/h10-ecg-frames';
import { accFrameBytes, pacedChestTiltDeg } from '../fixtures/h10-acc-frames';

const ready = HAVE_CHROMIUM && WEB_BUILT;
if (!ready) console.warn(`skipping H10 console e2e: ${!HAVE_CHROMIUM ? CHROMIUM_MISSING : WEB_MISSING}`);

const FS = 130;
const PER_FRAME = ECG_FRAME_SAMPLES;
/** ECG: an R wave (with S and T) every 1000 ms from 0.5 s on a slow sway; ACC as in ble-pmd.test.ts (6 breaths/min). */
const ecgFrame = (k: number): Uint8Array => ecgFrameBytes(k, syntheticEcgUv);
const accFrame = (k: number): Uint8Array => accFrameBytes(k, (tS) => pacedChestTiltDeg(tS, 6));
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, Math.max(0, ms)));

describe.skipIf(!ready)('Polar H10 raw streams in the therapist console (Chromium, emulated H10)', () => {
  let h: H10App;
  let page: Page;
  let emu: BleStrapEmulator;
  const pageErrors: string[] = [];
  const testId = async (id: string): Promise<string> => (await page.getByTestId(id).textContent()) ?? '';

  beforeAll(async () => {
    h = await openAppWithH10({ query: 'view=therapist&speed=1', name: 'Polar H10 1A2B3C4D', battery: 80, viewport: { width: 1300, height: 1000 }, pageErrors });
    ({ page, emu } = h);
  }, 30_000);

  afterAll(async () => {
    await h?.close();
  });

  it('live ECG strip, R-peaks and the strap-RR check while raw ECG streams', async () => {
    await h.connect();
    await page.getByRole('button', { name: 'Stream raw ECG' }).click();
    await page.getByTestId('ecg-panel').waitFor({ timeout: 15_000 });
    // 15 s in real time: an ECG frame when its last sample is due, a heart-rate notification
    // (RR 1024/1024 s = 1000 ms) shortly after each R wave.
    const events: { atMs: number; send: () => Promise<void> }[] = [];
    for (let k = 0; (k + 1) * PER_FRAME * (1000 / FS) <= 15_000; k++) events.push({ atMs: ((k + 1) * PER_FRAME * 1000) / FS, send: () => emu.sendPmdFrame(ecgFrame(k)) });
    for (let m = 0; 500 + m * 1000 <= 15_000; m++) events.push({ atMs: 520 + m * 1000, send: () => emu.sendNotification(Uint8Array.of(0x10, 60, 0x00, 0x04)) });
    events.sort((a, b) => a.atMs - b.atMs);
    const t0 = Date.now();
    for (const e of events) {
      await sleep(e.atMs - (Date.now() - t0));
      await e.send();
    }
    // The strip draws the last 5 s at the ECG rate (its canvas says how many samples it drew).
    await expect.poll(async () => Number(await page.getByTestId('ecg-strip').getAttribute('data-samples')), { timeout: 5000 }).toBeGreaterThanOrEqual(5 * FS - 2);
    // The last 5 s hold 5 R waves; the newest is still inside the detector's look-ahead.
    expect(Number(await page.getByTestId('ecg-strip').getAttribute('data-marks'))).toBeGreaterThanOrEqual(4);
    await expect.poll(() => testId('ecg-quality'), { timeout: 8000 }).toMatch(/Strap beats matched in the ECG\d+ of \d+/);
    const table = await testId('ecg-quality');
    const found = Number(/R-peaks found(\d+)/.exec(table)?.[1]);
    expect(found).toBeGreaterThanOrEqual(12); // 15 R waves; the first is inside the detector's warm-up
    expect(found).toBeLessThanOrEqual(15);
    const [, matched, judged] = /matched in the ECG(\d+) of (\d+)/.exec(table) ?? [];
    expect(Number(judged)).toBeGreaterThanOrEqual(5);
    expect(Number(matched)).toBe(Number(judged));
    const notConfirmed = Number(/not confirmed by the ECG([\d.]+) %/.exec(table)?.[1]);
    expect(notConfirmed).toBeLessThanOrEqual(20);
    const median = Number(/median \/ p95([\d.]+) ms/.exec(table)?.[1]);
    expect(median).toBeLessThan(10);
    expect(await testId('ecg-quality-line')).toMatch(/^ECG R-peaks: \d+ · strap RR confirmed by the ECG: \d+ of \d+ \(difference median [\d.]+ ms, p95 [\d.]+ ms\)$/);
    expect(pageErrors).toEqual([]);
  }, 40_000);

  it('chest-movement breathing: a live trace under the pacer, measured breathing named as such', async () => {
    await page.getByRole('button', { name: 'Breathing from chest movement' }).click();
    await page.getByTestId('breathing-trace-panel').waitFor({ timeout: 10_000 });
    for (let k = 0; k < 60; k++) await emu.sendPmdFrame(accFrame(k));
    await expect.poll(async () => Number(await page.getByTestId('breathing-strip').getAttribute('data-samples')), { timeout: 5000 }).toBeGreaterThan(25 * 50);
    await expect.poll(() => testId('console-breathing-measured'), { timeout: 8000 }).toMatch(/^Breathing (5\.[7-9]|6\.[0-3]) \/min vs pacer [\d.]+ · breathing \(measured from chest movement\)$/);
    expect(await testId('breathing-trace-panel')).toMatch(/from the pacer/);
    if (process.env['SHOT']) await page.screenshot({ path: process.env['SHOT'], fullPage: true });
    expect(pageErrors).toEqual([]);
  }, 30_000);
});
