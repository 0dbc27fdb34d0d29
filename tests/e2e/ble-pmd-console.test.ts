/**
 * The H10's raw streams in the therapist console (issue 9), in Chromium with the emulated H10
 * (tests/helpers/ble-strap-emulator.ts): a synthetic ECG (R waves every second) streamed in real
 * time beside heart-rate notifications whose RR intervals are the same beats; the console shows
 * the live ECG strip, the R-peaks found and the strap-RR quality check; the signal panel shows
 * its one-line summary; chest-movement breathing draws its live trace under the pacer and the
 * breathing line says it is measured.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM_MISSING, HAVE_CHROMIUM, launchChromium } from '../helpers/chromium';
import { WEB_BUILT, WEB_MISSING, startWebApp, type RunningWebApp } from '../helpers/web-app';
import { BLE_CHROMIUM_ARGS, BleStrapEmulator } from '../helpers/ble-strap-emulator';

const ready = HAVE_CHROMIUM && WEB_BUILT;
if (!ready) console.warn(`skipping H10 console e2e: ${!HAVE_CHROMIUM ? CHROMIUM_MISSING : WEB_MISSING}`);

const T0_NS = 599_616_000_000_000_000n;
const FS = 130;
const PER_FRAME = 73;
const header = (type: number, tsNs: bigint, frameType: number): number[] => {
  const b = new DataView(new ArrayBuffer(8));
  b.setBigUint64(0, tsNs, true);
  return [type, ...new Uint8Array(b.buffer), frameType];
};
/** ECG at sample j (130 Hz), µV: an R wave (with S and T) every 1000 ms from 0.5 s, on a slow baseline sway. */
function ecgUv(j: number): number {
  const tMs = (j * 1000) / FS;
  let v = 150 * Math.sin((2 * Math.PI * tMs) / 4000);
  const d = ((tMs - 500) % 1000 + 1000) % 1000;
  for (const dd of [d, d - 1000]) v += 1200 * Math.exp(-((dd / 12) ** 2)) - 150 * Math.exp(-(((dd - 25) / 10) ** 2)) + 250 * Math.exp(-(((dd - 250) / 50) ** 2));
  return Math.round(v);
}
function ecgFrame(k: number): Uint8Array {
  const out = header(0x00, T0_NS + BigInt(Math.round(((k + 1) * PER_FRAME * 1e9) / FS)), 0x00);
  for (let i = 0; i < PER_FRAME; i++) {
    const uV = ecgUv(k * PER_FRAME + i);
    out.push(uV & 0xff, (uV >> 8) & 0xff, (uV >> 16) & 0xff);
  }
  return Uint8Array.from(out);
}
/** ACC as in ble-pmd.test.ts: the chest tilts 2° at 6 breaths/min, 40 % in. */
function accFrame(k: number): Uint8Array {
  const out = header(0x02, T0_NS + BigInt((k + 1) * 36) * 40_000_000n, 0x01);
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

describe.skipIf(!ready)('Polar H10 raw streams in the therapist console (Chromium, emulated H10)', () => {
  let app: RunningWebApp;
  let browser: Browser;
  let page: Page;
  let emu: BleStrapEmulator;
  const pageErrors: string[] = [];
  const testId = async (id: string): Promise<string> => (await page.getByTestId(id).textContent()) ?? '';

  beforeAll(async () => {
    app = await startWebApp();
    browser = await launchChromium({ args: BLE_CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1300, height: 1000 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(app.url.replace('/#', '/?view=therapist&speed=1#'));
    emu = await BleStrapEmulator.start(browser, page, { name: 'Polar H10 1A2B3C4D', battery: 80, pmd: true });
  }, 30_000);

  afterAll(async () => {
    await emu?.stop();
    await browser?.close();
    await app?.stop();
  });

  it('live ECG strip, R-peaks and the strap-RR check while raw ECG streams', async () => {
    emu.answerNextPrompt('select');
    await page.getByRole('button', { name: /^Connect/ }).click();
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
