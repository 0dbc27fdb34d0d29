/**
 * A Bluetooth heart-rate strap end to end in Debian's Chromium: the real Web Bluetooth stack,
 * the real device chooser (answered over CDP), our adapter bundled into a tiny page, and the
 * project's strap emulator (tests/helpers/ble-strap-emulator.ts) fed with real-capture packets.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM_MISSING, HAVE_CHROMIUM, launchChromium } from '../helpers/chromium';
import { BLE_CHROMIUM_ARGS, BleStrapEmulator } from '../helpers/ble-strap-emulator';
import { serveBleTestPage, type BleTestPageServer } from '../helpers/ble-test-page-server';
import { MESSAGES } from '../../renderer/devices/web-bluetooth-hr';
import { parseHeartRateMeasurement } from '../../shared/parsers/heart-rate-measurement';
import { BeatTimes } from '../../shared/parsers/beat-times';
import type { SourceDiagnostic, SourceStatus } from '../../shared/types/beat-source';
import type { RrInterval } from '../../shared/types/rr';

if (!HAVE_CHROMIUM) console.warn(`skipping Bluetooth e2e: ${CHROMIUM_MISSING}`);

interface Capture {
  readonly id: string;
  readonly packets: readonly { readonly hex: string; readonly reject?: string }[];
}
const captures = (JSON.parse(readFileSync(new URL('../fixtures/ble-hrm-captures.json', import.meta.url), 'utf8')) as { captures: Capture[] }).captures;
const hexBytes = (hex: string): Uint8Array => Uint8Array.from(hex.split(' ').map((h) => Number.parseInt(h, 16)));
/** Real packets in capture order, valid ones only: Polar H10, Polar H7, Garmin HRM-Dual, an unbranded strap. */
const STREAM = ['polar-h10-auuki', 'polar-h7-gatttool', 'garmin-hrm-dual', 'unbranded-ble-ant-strap-gatttool', 'polar-h7-corebluetooth'].flatMap(
  (id) => captures.find((c) => c.id === id)?.packets.filter((p) => p.reject === undefined).map((p) => hexBytes(p.hex)) ?? [],
);

interface PageBle {
  rr: RrInterval[];
  diagnostics: SourceDiagnostic[];
  statuses: SourceStatus[];
}

describe.skipIf(!HAVE_CHROMIUM)('Bluetooth strap in Chromium (emulated over CDP)', () => {
  let server: BleTestPageServer;
  let browser: Browser;
  let page: Page;
  let emu: BleStrapEmulator;
  const pageErrors: string[] = [];

  const ble = (): Promise<PageBle> => page.evaluate('({ rr: __ble.rr, diagnostics: __ble.diagnostics, statuses: __ble.statuses })') as Promise<PageBle>;
  const setNow = (ms: number): Promise<unknown> => page.evaluate(`__ble.setNow(${ms})`);
  const text = async (label: string): Promise<string> => (await page.getByLabel(label, { exact: true }).textContent()) ?? '';

  beforeAll(async () => {
    server = await serveBleTestPage(fileURLToPath(new URL('../fixtures/ble-test-page.ts', import.meta.url)));
    browser = await launchChromium({ args: BLE_CHROMIUM_ARGS });
    page = await browser.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(server.url);
    emu = await BleStrapEmulator.start(browser, page, { name: 'Polar H10 ABCD1234', battery: 73 });
  });

  afterAll(async () => {
    await emu?.stop();
    await browser?.close();
    await server?.close();
  });

  it('cancelled chooser: the kind message, nothing connected', async () => {
    emu.answerNextPrompt('cancel');
    await page.getByRole('button', { name: /^Connect/ }).click();
    await expect.poll(() => text('Status'), { timeout: 5000 }).toBe('idle');
    await expect.poll(async () => (await page.getByRole('alert').textContent()) ?? '', { timeout: 5000 }).toBe(MESSAGES.cancelled);
    expect(emu.log).toContain('prompt:cancel');
    expect(emu.log).not.toContain('connection');
  });

  it('chooses the strap, subscribes, reads the battery', async () => {
    await setNow(0);
    emu.answerNextPrompt('select');
    await page.getByRole('button', { name: /^Connect/ }).click();
    await expect.poll(() => text('Status'), { timeout: 10_000 }).toBe('streaming');
    expect(await text('Strap')).toBe('Polar H10 ABCD1234');
    expect(await page.getByRole('alert').textContent()).toBe('');
    await expect.poll(() => text('Battery'), { timeout: 5000 }).toBe('73');
    expect(emu.log).toEqual(expect.arrayContaining(['prompt:select', 'connection', 'discovery', 'subscribe-to-notifications:hrm', 'read:battery']));
  });

  it('streams real-capture packets: exact HR and RR on the page, beat times as in Node', async () => {
    expect(STREAM.length).toBeGreaterThanOrEqual(12);
    const reference = new BeatTimes();
    const expected: RrInterval[] = [];
    let lastHr = 0;
    for (let i = 0; i < STREAM.length; i++) {
      const bytes = STREAM[i] ?? new Uint8Array(0);
      const arrival = 1000 * (i + 1);
      await setNow(arrival);
      await emu.sendNotification(bytes);
      const parsed = parseHeartRateMeasurement(bytes);
      if (!parsed.ok) throw new Error('stream packets are valid');
      if (parsed.value.hrBpm > 0) lastHr = parsed.value.hrBpm;
      expected.push(...reference.next(parsed.value, arrival).beats);
    }
    const got = await ble();
    expect(got.rr).toEqual(expected);
    expect(got.rr.map((r) => r.rrMs).slice(0, 4)).toEqual([861.328125, 884.765625, 892.578125, 1136.71875]);
    expect(await text('Heart rate')).toBe(String(lastHr));
    expect(await text('Last RR interval')).toBe(String(expected.at(-1)?.rrMs));
    expect(await text('Sensor contact')).toBe('detected');
    expect(pageErrors).toEqual([]);
  });

  it('counts and skips a malformed packet', async () => {
    const before = (await ble()).rr.length;
    const t0 = STREAM.length * 1000; // the stream's last arrival; time goes on from there
    await setNow(t0 + 1000);
    await emu.sendNotification(hexBytes('10 3e b1 03 de')); // odd RR bytes, as posted in WebBluetoothCG #493
    await setNow(t0 + 2000);
    await emu.sendNotification(hexBytes('10 3b 53 04'));
    expect(await text('Malformed packets')).toBe('1');
    const got = await ble();
    expect(got.rr.length).toBe(before + 1);
    // Skipped, and the next interval is not joined to the one before the dropped packet.
    expect(got.rr.at(-1)).toEqual({ rrMs: 1081.0546875, tMs: t0 + 2000, source: 'ble', afterGap: true });
    expect(got.diagnostics.filter((d) => d.kind === 'malformed')).toEqual([
      { kind: 'malformed', message: 'heart-rate packet skipped: odd number of RR bytes (3): RR intervals are 2 bytes each', tMs: t0 + 1000 },
    ]);
    expect(got.diagnostics.filter((d) => d.kind === 'gap').map((d) => d.message)).toEqual([expect.stringMatching(/^malformed packet dropped: no beats from /)]);
  });

  it('link loss: reconnecting, reconnection with backoff, gap reported with exact start and end', async () => {
    const t0 = STREAM.length * 1000 + 2000;
    const lastBeat = (await ble()).rr.at(-1)?.tMs ?? Number.NaN;
    expect(lastBeat).toBeLessThanOrEqual(t0);
    await setNow(t0 + 500);
    await emu.disconnect();
    await expect.poll(() => text('Status'), { timeout: 5000 }).toBe('reconnecting');
    await setNow(t0 + 3000);
    await expect.poll(() => text('Status'), { timeout: 10_000 }).toBe('streaming');
    expect(emu.log.filter((x) => x === 'connection')).toHaveLength(2);
    expect(emu.log.filter((x) => x === 'subscribe-to-notifications:hrm')).toHaveLength(2);
    await setNow(t0 + 4000);
    await emu.sendNotification(hexBytes('16 3c 11 04 f5 03')); // two Polar H7 intervals: 1016.6 and 989.3 ms
    const got = await ble();
    // Re-anchored at the arrival: the last beat at t0 + 4000, the one before 989.26 ms earlier.
    const firstAfter = t0 + 4000 - 989.2578125;
    expect(got.rr.slice(-2)).toEqual([
      { rrMs: 1016.6015625, tMs: firstAfter, source: 'ble', afterGap: true },
      { rrMs: 989.2578125, tMs: t0 + 4000, source: 'ble' },
    ]);
    const gapEnd = firstAfter - 1016.6015625;
    const s3 = (ms: number): string => (ms / 1000).toFixed(3);
    expect(got.diagnostics.filter((d) => d.kind === 'gap' && d.message.startsWith('link lost'))).toEqual([
      { kind: 'gap', message: `link lost: no beats from ${s3(lastBeat)} s to ${s3(gapEnd)} s (${s3(gapEnd - lastBeat)} s); intervals are not joined across the gap`, tMs: lastBeat },
    ]);
    expect(got.diagnostics.filter((d) => d.kind === 'info').map((d) => d.tMs)).toEqual([t0 + 500, t0 + 3000]);
    expect(got.statuses.map((s) => s.state)).toEqual(['idle', 'connecting', 'streaming', 'reconnecting', 'streaming']);
    expect(await page.getByLabel('Gaps').textContent()).toMatch(/^link lost: no beats from /);
    expect(pageErrors).toEqual([]);
  });
});
