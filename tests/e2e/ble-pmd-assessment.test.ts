/**
 * The resonance assessment with breathing measured by the H10 (issue 9), in the real app in
 * Chromium with the emulated H10 and accelerated session time: the chest breathes at each paced
 * rate (6.5 → 4.5 /min, 2 min each, no rests) and the heart rhythm swings with the breath. The
 * results say the breathing rate came from chest movement at every rate, criterion 1 was scored
 * from the measured HR–breathing phase (table caption and the recorded 'resonance' event), and
 * the recorded per-rate results carry that phase.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CHROMIUM_MISSING, HAVE_CHROMIUM } from '../helpers/chromium';
import { WEB_BUILT, WEB_MISSING, type RunningWebApp, readRecordedLines, type RecordedLine } from '../helpers/web-app';
import type { BleStrapEmulator } from '../helpers/ble-strap-emulator';
import { openAppWithH10, type H10App } from '../helpers/h10-app';
import { accFrameBytes } from '../fixtures/h10-acc-frames';

const ready = HAVE_CHROMIUM && WEB_BUILT;
if (!ready) console.warn(`skipping H10 measured-breathing assessment e2e: ${!HAVE_CHROMIUM ? CHROMIUM_MISSING : WEB_MISSING}`);

const SPEED = 24;
const RATES = [6.5, 6, 5.5, 5, 4.5];
const STEP_S = 120;
/** Samples per ACC frame (25 Hz): 80 × 6 bytes + 10 fits one 512-byte attribute value. */
const ACC_PER_FRAME = 80;

/** The person's breath at protocol time `pS`: the paced rate of that step, breaths restarting at each step. */
function breathAt(pS: number): { cycle: number; periodS: number } {
  const i = Math.min(RATES.length - 1, Math.floor(pS / STEP_S));
  const periodS = 60 / (RATES[i] as number);
  const q = pS - i * STEP_S;
  return { cycle: (q % periodS) / periodS, periodS };
}
/** Chest tilt, degrees: rises over the first 40 % of each breath (in-breath), falls over the rest. */
function chestTiltDeg(pS: number): number {
  const { cycle } = breathAt(pS);
  const x = cycle < 0.4 ? (1 - Math.cos((Math.PI * cycle) / 0.4)) / 2 : (1 + Math.cos((Math.PI * (cycle - 0.4)) / 0.6)) / 2;
  return 2 * x;
}
/** Heart rate swinging with the breath, peaking as the in-breath ends (in phase), beats/min. */
const hrBpm = (pS: number): number => 62 + 6 * Math.cos(2 * Math.PI * (breathAt(pS).cycle - 0.4));

const accFrame = (k: number): Uint8Array => accFrameBytes(k, chestTiltDeg, ACC_PER_FRAME);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, Math.max(0, ms)));

describe.skipIf(!ready)('resonance assessment with breathing measured by the H10 (Chromium, emulated H10, accelerated time)', () => {
  let h: H10App;
  let app: RunningWebApp;
  let page: Page;
  let emu: BleStrapEmulator;
  const pageErrors: string[] = [];
  const recording = (): RecordedLine[] => readRecordedLines(app.dataDir);

  beforeAll(async () => {
    h = await openAppWithH10({ query: `speed=${SPEED}`, name: 'Polar H10 3B4C5D6E', battery: 85, viewport: { width: 1300, height: 1000 }, pageErrors });
    ({ app, page, emu } = h);
  }, 30_000);

  afterAll(async () => {
    await h?.close();
  });

  it('scores "heart rate and breathing in phase" from the measured breath at every rate', async () => {
    await h.connect();
    await h.startStream('chest');
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Resonance' }).click();
    await page.getByLabel('Minutes per rate').selectOption('2');
    await page.getByLabel('Rest between rates (s)').selectOption('0');
    await page.getByRole('button', { name: 'Begin the assessment' }).click();

    // Beats (two RR intervals per notification, as an H10 often sends) and ACC frames, in order of protocol time.
    const endS = RATES.length * STEP_S + 2;
    const t0 = Date.now();
    let beatS = 0;
    let k = 0;
    let behindMs = 0;
    while (beatS < endS) {
      const accS = ((k + 1) * ACC_PER_FRAME) / 25;
      const rr1 = 60_000 / hrBpm(beatS);
      const rr2 = 60_000 / hrBpm(beatS + rr1 / 1000);
      if (accS <= beatS + (rr1 + rr2) / 1000) {
        await sleep((accS * 1000) / SPEED - (Date.now() - t0));
        await emu.sendPmdFrame(accFrame(k++));
        continue;
      }
      beatS += (rr1 + rr2) / 1000;
      const wait = (beatS * 1000) / SPEED - (Date.now() - t0);
      behindMs = Math.max(behindMs, -wait);
      await sleep(wait);
      const u1 = Math.round(rr1 * 1.024);
      const u2 = Math.round(rr2 * 1.024);
      await emu.sendNotification(Uint8Array.of(0x10, Math.round(hrBpm(beatS)), u1 & 0xff, (u1 >> 8) & 0xff, u2 & 0xff, (u2 >> 8) & 0xff));
    }
    console.info(`sent ${k} ACC frames; the sender fell behind session time by at most ${((behindMs * SPEED) / 1000).toFixed(1)} s of session time`);

    await expect.poll(async () => (await page.getByTestId('resonance-recommendation').textContent()) ?? '', { timeout: 10_000 }).toMatch(/Your suggested rate/);
    expect(await page.getByTestId('resonance-phase-criterion').textContent()).toMatch(/scored from your breathing measured by chest movement/);
    const rows = page.getByTestId('resonance-table').locator('tbody tr');
    expect(await rows.count()).toBe(5);
    for (let i = 0; i < 5; i++) expect(await rows.nth(i).locator('td').nth(9).textContent()).toBe('chest movement');

    await expect.poll(() => recording().filter((e) => e.kind === 'resonance').length, { timeout: 5000 }).toBe(1);
    const res = recording().find((e) => e.kind === 'resonance') as RecordedLine & {
      phaseCriterion: string;
      results: { breathsPerMin: number; breathingSource: string; measuredBreathsPerMin: number; hrBreathPhaseDeg: number; lagDeg: number }[];
    };
    console.info(res.results.map((r) => `${r.breathsPerMin}: chest ${r.measuredBreathsPerMin?.toFixed(2)} /min, HR–breath ${r.hrBreathPhaseDeg?.toFixed(0)}°, HR–pacer ${r.lagDeg?.toFixed(0)}°`).join(' | '));
    expect(res.phaseCriterion).toBe('hr-breath-phase');
    for (const r of res.results) {
      expect(r.breathingSource).toBe('chest-acc');
      expect(Math.abs(r.measuredBreathsPerMin - r.breathsPerMin)).toBeLessThan(0.3);
      // The heart swings in phase with the breath (a generous bound: the app's clocks, the
      // detector's onsets and the emulation's delivery all add a little).
      expect(Math.abs(r.hrBreathPhaseDeg)).toBeLessThan(45);
    }
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
