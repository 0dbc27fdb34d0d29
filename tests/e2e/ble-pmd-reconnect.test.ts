/**
 * A Polar H10's raw streams survive a link loss (issue 9), in the real app in Chromium with the
 * project's emulated H10 (tests/helpers/ble-strap-emulator.ts): the emulation's link loss wipes the
 * strap's GATT tree and ends its streams, as on a real H10. After the app reconnects by itself, the
 * streams the person had on (raw ECG and breathing from chest movement) are started again with the
 * same commands, frames flow again, and the recording says so; a stream the person had turned off
 * stays off after the next loss.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CHROMIUM_MISSING, HAVE_CHROMIUM } from '../helpers/chromium';
import { WEB_BUILT, WEB_MISSING, type RunningWebApp, readRecordedLines, type RecordedLine } from '../helpers/web-app';
import type { BleStrapEmulator } from '../helpers/ble-strap-emulator';
import { openAppWithH10, type H10App } from '../helpers/h10-app';
import { ecgFrameBytes } from '../fixtures/h10-ecg-frames';
import { accFrameBytes } from '../fixtures/h10-acc-frames';

const ready = HAVE_CHROMIUM && WEB_BUILT;
if (!ready) console.warn(`skipping Polar PMD reconnect e2e: ${!HAVE_CHROMIUM ? CHROMIUM_MISSING : WEB_MISSING}`);

/** H10 test frames: ECG a 1 Hz sine; ACC the chest at rest. */
const ecgFrame = (k: number): Uint8Array => ecgFrameBytes(k, (j) => Math.round(800 * Math.sin((2 * Math.PI * j) / 130)));
const accFrame = (k: number): Uint8Array => accFrameBytes(k, () => 0);
/** START commands as the H10 needs them (every setting; ACC at 25 Hz, 16 bit, ±2 g), as in ble-pmd.test.ts. */
const START_ECG = 'pmd:02000001820001010e00';
const START_ACC = 'pmd:0202000119000101100002010200';

describe.skipIf(!ready)('Polar H10 raw streams after a link loss (Chromium, emulated H10)', () => {
  let h: H10App;
  let app: RunningWebApp;
  let page: Page;
  let emu: BleStrapEmulator;
  const pageErrors: string[] = [];
  const testId = async (id: string): Promise<string> => (await page.getByTestId(id).textContent()) ?? '';
  const recording = (): RecordedLine[] => readRecordedLines(app.dataDir);
  const diagnostics = (): string[] => recording().filter((e) => e.kind === 'device' && e.event === 'diagnostic').map((e) => String(e.message));

  beforeAll(async () => {
    h = await openAppWithH10({ query: 'speed=1', name: 'Polar H10 1A2B3C4D', battery: 80, viewport: { width: 1100, height: 900 }, pageErrors });
    ({ app, page, emu } = h);
  }, 30_000);

  afterAll(async () => {
    await h?.close();
  });

  it('ECG and breathing that were on start again by themselves after reconnection', async () => {
    await h.connect();
    await h.startStream('ecg');
    await h.startStream('chest');
    expect([...emu.pmdStreaming].sort()).toEqual([0, 2]);

    const lostAt = emu.log.length;
    await emu.disconnect();
    expect(emu.pmdStreaming.size).toBe(0);
    await expect.poll(() => testId('source-status'), { timeout: 5000 }).toMatch(/^Reconnecting…/);
    await expect.poll(() => testId('source-status'), { timeout: 10_000 }).toBe('Polar H10 1A2B3C4D');
    // The PMD service is found again and both streams are started with the same commands, one after the other.
    await expect.poll(() => [...emu.pmdStreaming].sort(), { timeout: 10_000 }).toEqual([0, 2]);
    const after = emu.log.slice(lostAt);
    expect(after).toEqual(expect.arrayContaining(['subscribe-to-notifications:cp', 'subscribe-to-notifications:data', 'read:cp']));
    expect(after.filter((x) => x.startsWith('pmd:'))).toEqual(['pmd:0100', START_ECG, 'pmd:0102', START_ACC]);
    await expect.poll(() => testId('pmd-status'), { timeout: 5000 }).toMatch(/^raw ECG: on · chest movement: on$/);
    expect(await testId('pmd-message')).toBe('The link was lost for a moment; raw ECG and breathing from chest movement started again.');

    // Frames flow again on the new link.
    await emu.sendPmdFrame(ecgFrame(0));
    await emu.sendPmdFrame(accFrame(0));
    await expect.poll(() => testId('pmd-status'), { timeout: 5000 }).toBe('raw ECG: on (73 samples) · chest movement: on (36 samples)');
    await expect.poll(diagnostics, { timeout: 5000 }).toContain('after reconnection, started again: raw ECG and breathing from chest movement');
    expect(pageErrors).toEqual([]);
  }, 40_000);

  it('a stream the person turned off stays off after the next link loss', async () => {
    await page.getByRole('button', { name: 'Stop breathing from chest movement' }).click();
    await expect.poll(() => [...emu.pmdStreaming], { timeout: 5000 }).toEqual([0]);
    await expect.poll(() => testId('pmd-status'), { timeout: 5000 }).toMatch(/chest movement: off/); // the STOP was answered
    const lostAt = emu.log.length;
    await emu.disconnect();
    try {
      await expect.poll(() => testId('source-status'), { timeout: 10_000 }).toMatch(/^Reconnecting…/);
      await expect.poll(() => testId('source-status'), { timeout: 10_000 }).toBe('Polar H10 1A2B3C4D');
      await expect.poll(() => [...emu.pmdStreaming], { timeout: 10_000 }).toEqual([0]);
    } catch (e) {
      console.error('after the second link loss:', emu.log.slice(lostAt), await testId('pmd-status'), diagnostics());
      throw e;
    }
    await expect.poll(() => testId('pmd-status'), { timeout: 5000 }).toBe('raw ECG: on · chest movement: off');
    expect(emu.log.slice(lostAt).filter((x) => x.startsWith('pmd:'))).toEqual(['pmd:0100', START_ECG]);
    expect(pageErrors).toEqual([]);
  }, 30_000);
});
