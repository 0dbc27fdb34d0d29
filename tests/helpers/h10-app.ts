/**
 * The built app in Chromium with an emulated Polar H10 (strap emulator with the PMD service), as
 * the H10 end-to-end tests use it: one call in beforeAll, one in afterAll.
 */
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { launchChromium } from './chromium';
import { readRecordedLines, startWebApp, type RecordedLine, type RunningWebApp } from './web-app';
import { BLE_CHROMIUM_ARGS, BleStrapEmulator } from './ble-strap-emulator';

export interface H10App {
  readonly app: RunningWebApp;
  readonly browser: Browser;
  readonly page: Page;
  readonly emu: BleStrapEmulator;
  /** Uncaught page errors so far (tests expect none). */
  readonly pageErrors: string[];
  /** The session's recorded lines so far. */
  recording(): RecordedLine[];
  /** The text of the element with this data-testid ('' when empty). */
  testId(id: string): Promise<string>;
  /** Picks the H10 in the browser's chooser (the person's Connect, then their choice). */
  connect(): Promise<void>;
  /** Turns a PMD stream on from the source panel and waits until the panel says it is on. */
  startStream(stream: 'ecg' | 'chest'): Promise<void>;
  /**
   * Heart-rate notifications in session time (`speed`× real time): RR 1000 ± 80 ms swinging at
   * 6 /min (RSA), for up to `maxS` s of session time or until `until()` holds.
   */
  sendSwingingBeats(o: { speed: number; maxS: number; until: () => boolean }): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts the app, opens it with `query` (e.g. 'view=therapist&speed=10') and adds an emulated H10
 * called `name` with `battery` %. Page errors go to `pageErrors` when given.
 */
export async function openAppWithH10(opts: { query: string; name: string; battery: number; viewport?: { width: number; height: number }; pageErrors?: string[] }): Promise<H10App> {
  const app = await startWebApp();
  const browser = await launchChromium({ args: BLE_CHROMIUM_ARGS });
  const page = await browser.newPage({ viewport: opts.viewport ?? { width: 1300, height: 1000 } });
  const pageErrors = opts.pageErrors ?? [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(app.url.replace('/#', `/?${opts.query}#`));
  const emu = await BleStrapEmulator.start(browser, page, { name: opts.name, battery: opts.battery, pmd: true });
  const testId = async (id: string): Promise<string> => (await page.getByTestId(id).textContent()) ?? '';
  return {
    app,
    browser,
    page,
    emu,
    pageErrors,
    recording: () => readRecordedLines(app.dataDir),
    testId,
    connect: async () => {
      emu.answerNextPrompt('select');
      await page.getByRole('button', { name: /^Connect/ }).click();
    },
    startStream: async (stream) => {
      await page.getByRole('button', { name: stream === 'ecg' ? 'Stream raw ECG' : 'Breathing from chest movement' }).click();
      await expect.poll(() => testId('pmd-status'), { timeout: 10_000 }).toMatch(stream === 'ecg' ? /raw ECG: on/ : /chest movement: on/);
    },
    sendSwingingBeats: async ({ speed, maxS, until }) => {
      const t0 = Date.now();
      let tS = 0;
      while (tS < maxS) {
        const rrMs = 1000 + 80 * Math.sin((2 * Math.PI * tS) / 10);
        tS += rrMs / 1000;
        await new Promise((r) => setTimeout(r, Math.max(0, (tS * 1000) / speed - (Date.now() - t0))));
        const u = Math.round(rrMs * 1.024);
        await emu.sendNotification(Uint8Array.of(0x10, Math.round(60_000 / rrMs), u & 0xff, (u >> 8) & 0xff));
        if (until()) return;
      }
    },
    close: async () => {
      await emu.stop();
      await browser.close();
      await app.stop();
    },
  };
}
