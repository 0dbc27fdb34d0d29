/**
 * A Polar H10's raw streams (PMD) in the real app, in Chromium, with the project's strap
 * emulator extended to a PMD-capable H10 (tests/helpers/ble-strap-emulator.ts): control-point
 * writes arrive as CDP write operations, the H10's answers and data frames come through the
 * read-based notification workaround (../shared/notes/web-bluetooth-emulation.md, polar-pmd.md §9).
 *
 * Covered: PMD found on an optional service; the MTU error in plain words while heart rate goes
 * on; START of raw ECG with every setting, frames recorded losslessly; the accelerometer at 25 Hz
 * ±2 g turned into breaths; STOP of every stream before the strap is released.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CHROMIUM_MISSING, HAVE_CHROMIUM } from '../helpers/chromium';
import { WEB_BUILT, WEB_MISSING, type RunningWebApp, readRecordedLines, type RecordedLine } from '../helpers/web-app';
import type { BleStrapEmulator } from '../helpers/ble-strap-emulator';
import { openAppWithH10, type H10App } from '../helpers/h10-app';
import { ecgFrameBytes } from '../fixtures/h10-ecg-frames';
import { accFrameBytes, pacedChestTiltDeg } from '../fixtures/h10-acc-frames';
import { describePmdStatus } from '../../shared/parsers/polar-pmd/control-point';

const ready = HAVE_CHROMIUM && WEB_BUILT;
if (!ready) console.warn(`skipping Polar PMD e2e: ${!HAVE_CHROMIUM ? CHROMIUM_MISSING : WEB_MISSING}`);

/** H10 test frames: ECG a 1 Hz sine (−400 µV offset), ACC a chest tilting 2° at 6 breaths/min, 40 % in. */
const ecgFrame = (k: number): Uint8Array => ecgFrameBytes(k, (j) => Math.round(800 * Math.sin((2 * Math.PI * j) / 130)) - 400);
const accFrame = (k: number): Uint8Array => accFrameBytes(k, (tS) => pacedChestTiltDeg(tS, 6));
const spaced = (b: Uint8Array): string => [...b].map((x) => x.toString(16).padStart(2, '0')).join(' ');

type Line = RecordedLine;

describe.skipIf(!ready)('Polar H10 raw streams in the app (Chromium, emulated H10 with PMD)', () => {
  let h: H10App;
  let app: RunningWebApp;
  let page: Page;
  let emu: BleStrapEmulator;
  const pageErrors: string[] = [];
  const testId = async (id: string): Promise<string> => (await page.getByTestId(id).textContent()) ?? '';
  const recording = (): Line[] => readRecordedLines(app.dataDir);

  beforeAll(async () => {
    h = await openAppWithH10({ query: 'speed=1', name: 'Polar H10 9A8B7C6D', battery: 90, viewport: { width: 1100, height: 900 }, pageErrors });
    ({ app, page, emu } = h);
  }, 30_000);

  afterAll(async () => {
    await h?.close();
  });

  it('finds the PMD service on the strap and reads its features', async () => {
    await h.connect();
    await page.getByRole('button', { name: 'Stream raw ECG' }).waitFor({ timeout: 15_000 });
    expect(await page.getByRole('button', { name: 'Breathing from chest movement' }).count()).toBe(1);
    expect(emu.log).toEqual(expect.arrayContaining(['subscribe-to-notifications:hrm', 'subscribe-to-notifications:cp', 'subscribe-to-notifications:data', 'read:cp']));
  }, 30_000);

  it('MTU too small: the H10 says ERROR_INVALID_MTU, Soothe says so in plain words, heart rate goes on', async () => {
    emu.pmdMtuTooSmall = true;
    await page.getByRole('button', { name: 'Stream raw ECG' }).click();
    await expect.poll(() => testId('pmd-message'), { timeout: 10_000 }).toBe(describePmdStatus(10, 0));
    expect(emu.log.filter((x) => x.startsWith('pmd:'))).toEqual(['pmd:0100']);
    expect(await testId('pmd-status')).toMatch(/^raw ECG: error/);
    await emu.sendNotification(Uint8Array.of(0x10, 0x3b, 0x53, 0x04));
    await expect.poll(async () => (await page.getByLabel('Last RR interval', { exact: true }).textContent()) ?? '', { timeout: 5000 }).toBe('1081');
  }, 30_000);

  it('starts raw ECG with every setting; frames arrive and are recorded byte for byte', async () => {
    emu.pmdMtuTooSmall = false;
    await page.getByRole('button', { name: 'Stream raw ECG' }).click();
    await expect.poll(() => testId('pmd-status'), { timeout: 10_000 }).toMatch(/^raw ECG: on/);
    expect(emu.log.filter((x) => x.startsWith('pmd:')).slice(1)).toEqual(['pmd:0100', 'pmd:0200000182000101 0e00'.replace(' ', '')]);
    expect([...emu.pmdStreaming]).toEqual([0]);
    const frames = [0, 1, 2].map(ecgFrame);
    for (const f of frames) await emu.sendPmdFrame(f);
    await expect.poll(() => testId('pmd-status'), { timeout: 5000 }).toMatch(/^raw ECG: on \(219 samples\)/);
    await expect.poll(() => recording().filter((e) => e.kind === 'raw-ble' && e.characteristic === 'fb005c82').map((e) => e.hex), { timeout: 5000 }).toEqual(frames.map(spaced));
    expect(pageErrors).toEqual([]);
  }, 30_000);

  it('breathing from chest movement: ACC at 25 Hz ±2 g, breaths at the paced rate, recorded', async () => {
    await page.getByRole('button', { name: 'Breathing from chest movement' }).click();
    await expect.poll(() => testId('pmd-status'), { timeout: 10_000 }).toMatch(/chest movement: on/);
    // All three settings, the breathing choice where offered: 25 Hz, 16 bit, ±2 g.
    expect(emu.log.filter((x) => x.startsWith('pmd:')).slice(-2)).toEqual(['pmd:0102', 'pmd:02020001190001011000020102 00'.replace(' ', '')]);
    // 60 frames = 86 s of sensor time, delivered as fast as the emulation allows (breaths follow sensor time).
    for (let k = 0; k < 60; k++) await emu.sendPmdFrame(accFrame(k));
    await expect.poll(() => testId('chest-breathing'), { timeout: 10_000 }).toMatch(/^breathing \(chest\): (5\.[7-9]|6\.[0-3]) \/min, [+-]?\d+° from the pacer$/);
    await expect.poll(() => recording().filter((e) => e.kind === 'breath').length, { timeout: 5000 }).toBeGreaterThanOrEqual(3);
    for (const b of recording().filter((e) => e.kind === 'breath' && (e.tMs as number) > 0)) {
      expect(Math.abs((b.breathsPerMin as number) - 6)).toBeLessThan(0.6);
      // The out-breath begins inside the breath (recorded so an assessment can be rebuilt from the file).
      expect(b.exhaleOnsetTMs as number).toBeGreaterThan(b.tMs as number);
      expect(b.exhaleOnsetTMs as number).toBeLessThan((b.tMs as number) + (b.durationMs as number));
    }
    expect(pageErrors).toEqual([]);
  }, 40_000);

  it('stops every stream before the strap is released', async () => {
    const before = emu.log.length;
    await page.getByRole('button', { name: 'Use the simulator' }).click();
    await expect.poll(() => testId('source-label'), { timeout: 10_000 }).toMatch(/^Simulator/);
    await expect.poll(() => [...emu.pmdStreaming], { timeout: 5000 }).toEqual([]);
    expect(emu.log.slice(before).filter((x) => x.startsWith('pmd:')).sort()).toEqual(['pmd:0300', 'pmd:0302']);
    expect(pageErrors).toEqual([]);
  }, 30_000);
});
