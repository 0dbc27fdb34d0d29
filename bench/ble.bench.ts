/**
 * Bluetooth heart-rate strap: parser cost per packet (Node), and the latency from Chromium's
 * `characteristicvaluechanged` to the adapter's rr$ emission, measured in a real headless
 * Chromium with the project's strap emulator (tests/helpers/ble-strap-emulator.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseHeartRateMeasurement } from '../shared/parsers/heart-rate-measurement';
import { summarize, type BenchSection } from './types';

const ROOT = process.cwd();
const CHROMIUM = process.env.SOOTHE_CHROMIUM ?? '/usr/bin/chromium';

function capturePackets(): Uint8Array[] {
  const json = JSON.parse(readFileSync(join(ROOT, 'tests/fixtures/ble-hrm-captures.json'), 'utf8')) as { captures: { packets: { hex: string }[] }[] };
  return json.captures.flatMap((c) => c.packets.map((p) => Uint8Array.from(p.hex.split(' ').map((h) => Number.parseInt(h, 16)))));
}

function parseCost(): string {
  const caps = capturePackets();
  const n = 200_000;
  const asU8 = Array.from({ length: n }, (_, i) => caps[i % caps.length] ?? new Uint8Array(0));
  const asDv = asU8.map((b) => new DataView(b.buffer, b.byteOffset, b.byteLength));
  const rounds = (packets: readonly (Uint8Array | DataView)[]): number[] => {
    const out: number[] = [];
    let sink = 0;
    for (let r = 0; r < 20; r++) {
      const t0 = performance.now();
      for (const p of packets) {
        const res = parseHeartRateMeasurement(p);
        if (res.ok) sink += res.value.hrBpm;
      }
      out.push(((performance.now() - t0) * 1e6) / packets.length);
    }
    if (sink < 0) throw new Error('unreachable');
    return out.slice(3); // warm-up rounds dropped
  };
  const u8 = summarize(rounds(asU8));
  const dv = summarize(rounds(asDv));
  // Single calls with the ns clock: includes the clock's own cost, measured alongside.
  const single: number[] = [];
  const overhead: number[] = [];
  for (let i = 0; i < 100_000; i++) {
    const p = asDv[i % asDv.length] ?? new DataView(new ArrayBuffer(0));
    const a = process.hrtime.bigint();
    parseHeartRateMeasurement(p);
    const b = process.hrtime.bigint();
    const c = process.hrtime.bigint();
    single.push(Number(b - a));
    overhead.push(Number(c - b));
  }
  const s = summarize(single);
  const o = summarize(overhead);
  return [
    `Packets: the ${caps.length} real-capture payloads of tests/fixtures/ble-hrm-captures.json (3 malformed), cycled.`,
    '',
    '| measure | median | p99 |',
    '|---|---|---|',
    `| mean ns/packet, Uint8Array input, 200 000 packets × 17 rounds | ${u8.median.toFixed(1)} | ${u8.p99.toFixed(1)} |`,
    `| mean ns/packet, DataView input (as Web Bluetooth delivers), 200 000 × 17 | ${dv.median.toFixed(1)} | ${dv.p99.toFixed(1)} |`,
    `| single call ns, DataView, 100 000 calls (includes clock cost) | ${s.median} | ${s.p99} |`,
    `| clock cost alone ns (process.hrtime.bigint pair) | ${o.median} | ${o.p99} |`,
  ].join('\n');
}

async function chromiumLatency(): Promise<string> {
  if (!existsSync(CHROMIUM)) return `Latency in Chromium not measured: ${CHROMIUM} missing.`;
  const { launchChromium } = await import('../tests/helpers/chromium');
  const { BLE_CHROMIUM_ARGS, BleStrapEmulator } = await import('../tests/helpers/ble-strap-emulator');
  const { serveBleTestPage } = await import('../tests/helpers/ble-test-page-server');
  const server = await serveBleTestPage(join(ROOT, 'tests/fixtures/ble-test-page.ts'));
  const browser = await launchChromium({ args: BLE_CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    await page.goto(server.url);
    const emu = await BleStrapEmulator.start(browser, page, { battery: 80 });
    await page.evaluate('__ble.setNow(0)');
    emu.answerNextPrompt('select');
    await page.getByRole('button', { name: /^Connect/ }).click();
    await page.getByLabel('Status', { exact: true }).filter({ hasText: 'streaming' }).waitFor({ timeout: 10_000 });
    const isolated = await page.evaluate('crossOriginIsolated');
    // Our own listener on the same characteristic records each event's timeStamp (creation time,
    // same clock as performance.now()); the page records performance.now() at each rr$ emission.
    await page.evaluate(`(async () => {
      const [device] = await navigator.bluetooth.getDevices();
      const ch = await (await device.gatt.getPrimaryService('heart_rate')).getCharacteristic('heart_rate_measurement');
      window.__evTs = [];
      ch.addEventListener('characteristicvaluechanged', (e) => window.__evTs.push(e.timeStamp));
    })()`);
    const n = 400;
    const packet = Uint8Array.of(0x16, 0x3c, 0x00, 0x04); // one RR of 1000 ms per packet
    for (let i = 1; i <= n; i++) {
      await page.evaluate(`__ble.setNow(${i * 1000})`);
      await emu.sendNotification(packet);
    }
    const { ev, rr } = (await page.evaluate('({ ev: window.__evTs, rr: __ble.rrAt })')) as { ev: number[]; rr: number[] };
    if (ev.length !== n || rr.length !== n) throw new Error(`latency bench: ${ev.length} events, ${rr.length} rr$ emissions, expected ${n}`);
    const lat = summarize(ev.map((t, i) => ((rr[i] ?? Number.NaN) - t) * 1000).slice(20));
    await emu.stop();
    return [
      `Chromium ${browser.version()}, headless, emulated strap (CDP BluetoothEmulation), ${n - 20} packets after 20 warm-up, one RR each.`,
      `Clock: performance.now() in the page, crossOriginIsolated = ${String(isolated)} (resolution 5 µs when isolated, 100 µs otherwise).`,
      'Measured from the event\'s `timeStamp` (when Chromium created the `characteristicvaluechanged` event) to the `rr$` emission',
      '(parse + beat times + RxJS). Not measured: radio and OS stack before Chromium, and the metric update downstream of rr$.',
      '',
      '| measure | median | p99 |',
      '|---|---|---|',
      `| characteristicvaluechanged → rr$ (µs) | ${lat.median.toFixed(0)} | ${lat.p99.toFixed(0)} |`,
    ].join('\n');
  } finally {
    await browser.close();
    await server.close();
  }
}

/**
 * The real app: `characteristicvaluechanged` → the "Last RR interval" metric on screen. The
 * built app (dist/web, served by dist/node/web.mjs) runs in Chromium at real time; each packet
 * carries one RR that changes the displayed value; a MutationObserver stamps the moment React
 * writes it. The UI store refreshes every 250 ms (renderer/session/session.ts, UI_INTERVAL_MS),
 * so this latency is mostly the wait for the next refresh, by design.
 */
async function appLatency(): Promise<string> {
  if (!existsSync(CHROMIUM)) return `App latency not measured: ${CHROMIUM} missing.`;
  if (!existsSync(join(ROOT, 'dist/node/web.mjs')) || !existsSync(join(ROOT, 'dist/web/index.html'))) return 'App latency not measured: build the app first (npm run build:node && npm run build:web).';
  const { launchChromium } = await import('../tests/helpers/chromium');
  const { BLE_CHROMIUM_ARGS, BleStrapEmulator } = await import('../tests/helpers/ble-strap-emulator');
  const { startWebApp } = await import('../tests/helpers/web-app');
  const app = await startWebApp();
  const browser = await launchChromium({ args: BLE_CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    await page.goto(app.url.replace('/#', '/?speed=1#'));
    const emu = await BleStrapEmulator.start(browser, page, { battery: 80 });
    emu.answerNextPrompt('select');
    await page.getByRole('button', { name: /^Connect/ }).click();
    await page.getByTestId('source-label').filter({ hasText: emu.name }).waitFor({ timeout: 15_000 });
    while (!emu.log.includes('subscribe-to-notifications:hrm')) await new Promise((r) => setTimeout(r, 50));
    await page.evaluate(`(async () => {
      const [device] = await navigator.bluetooth.getDevices();
      const ch = await (await device.gatt.getPrimaryService('heart_rate')).getCharacteristic('heart_rate_measurement');
      window.__evTs = [];
      window.__domTs = [];
      ch.addEventListener('characteristicvaluechanged', (e) => window.__evTs.push(e.timeStamp));
      const el = document.querySelector('[data-testid="last-rr"]');
      new MutationObserver(() => window.__domTs.push(performance.now())).observe(el, { childList: true, characterData: true, subtree: true });
    })()`);
    const n = 45;
    for (let i = 0; i < n; i++) {
      // One RR per packet, 500 or ≈510 ms, so the displayed value changes every time; sent at a
      // strap's pace (its RR after the previous delivery) so no beat is dropped as early.
      const rr1024 = i % 2 === 0 ? 512 : 522;
      await new Promise((r) => setTimeout(r, (rr1024 * 1000) / 1024));
      await emu.sendNotification(Uint8Array.of(0x10, 60, rr1024 & 0xff, rr1024 >> 8));
    }
    await new Promise((r) => setTimeout(r, 600));
    const { ev, dom } = (await page.evaluate('({ ev: window.__evTs, dom: window.__domTs })')) as { ev: number[]; dom: number[] };
    const lat: number[] = [];
    for (let i = 5; i < ev.length; i++) {
      const t = ev[i] ?? Number.NaN;
      const next = ev[i + 1] ?? Infinity;
      const shown = dom.find((d) => d >= t && d < next);
      if (shown !== undefined) lat.push(shown - t);
    }
    await emu.stop();
    const s = summarize(lat);
    return [
      `The built app at real time in Chromium ${browser.version()} (headless), emulated strap; ${ev.length} packets, the first 5 dropped as warm-up; ${s.n} matched with a screen update.`,
      'From the event\'s `timeStamp` to the MutationObserver callback after React wrote the new "Last RR interval" (parse, beat times, live HRV,',
      'session store, the 4 Hz UI refresh, React render). The 250 ms refresh period bounds it by design; the rest is processing.',
      '',
      '| measure | median | p99 |',
      '|---|---|---|',
      `| characteristicvaluechanged → "Last RR interval" on screen (ms) | ${s.median.toFixed(1)} | ${s.p99.toFixed(1)} |`,
    ].join('\n');
  } finally {
    await browser.close();
    await app.stop();
  }
}

export const bleBench: BenchSection = {
  id: 'ble',
  title: 'Bluetooth strap: parse cost per packet, notification → rr$ and → metric on screen in Chromium',
  async run() {
    const load = (await import('node:os')).loadavg().map((x) => x.toFixed(2)).join(', ');
    return `Machine load (1, 5, 15 min) at the start: ${load} on ${(await import('node:os')).cpus().length} cores, shared with other work.\n\n${parseCost()}\n\n${await chromiumLatency()}\n\n${await appLatency()}\n`;
  },
};
