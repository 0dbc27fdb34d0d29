/**
 * The Lab streaming screen as a user meets it: `npm run web`'s server with an lsl_api.cfg
 * ($LSLAPICFG, as liblsl reads it) that keeps LSL on 127.0.0.1, Debian's Chromium, the simulator.
 * The person turns LSL on from the keyboard; the project's own inlet (standing in for LabRecorder)
 * discovers the streams by unicast to 127.0.0.1 and reads the session's beats; an "experiment"
 * outlet in this process sends markers that the person picks on the screen and that end up in the
 * session file. Loopback only: every socket binds to 127.0.0.1.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM_MISSING, HAVE_CHROMIUM, launchChromium } from '../helpers/chromium';
import { ROOT, WEB_BUILT, WEB_MISSING, startWebApp, type RunningWebApp } from '../helpers/web-app';
import { LslOutletHost, type LslOutlet } from '../../main/services/lsl/outlet-host';
import { resolveStreams, StreamInlet } from '../../main/services/lsl/inlet';

const ARTIFACTS = join(ROOT, 'test-artifacts', 'e2e-lsl');
const LOOPBACK = '127.0.0.1';
const ready = HAVE_CHROMIUM && WEB_BUILT;
if (!ready) console.warn(`skipping e2e LSL view: ${!HAVE_CHROMIUM ? CHROMIUM_MISSING : WEB_MISSING}`);

describe.skipIf(!ready)('Lab streaming screen in Chromium', () => {
  let dir = '';
  let app: RunningWebApp;
  let browser: Browser;
  let page: Page;
  let experiment: LslOutletHost;
  let markers: LslOutlet;
  let discoveryPort = 0;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), 'soothe-lsl-e2e-'));
    experiment = await LslOutletHost.start({ config: { multicastPort: 0, basePort: 0, listenAddress: LOOPBACK, interfaces: [LOOPBACK], addresses: [LOOPBACK] }, hostname: 'stimulus-pc' });
    markers = await experiment.createOutlet({ name: 'ExperimentMarkers', type: 'Markers', channelCount: 1, channelFormat: 'string', sourceId: 'exp-42', nominalSrateHz: 0, desc: [] });
    const cfg = join(dir, 'lsl_api.cfg');
    writeFileSync(cfg, ['[ports]', 'MulticastPort = 0', 'BasePort = 0', '[multicast]', 'ResolveScope = machine', 'ListenAddress = 127.0.0.1', 'Interfaces = {127.0.0.1}', '[lab]', `KnownPeers = {127.0.0.1:${experiment.discoveryPort}}`, ''].join('\n'));
    process.env.LSLAPICFG = cfg; // the server process inherits it
    app = await startWebApp();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
    await page.goto(app.url.replace('/#', '/?view=lsl#'));
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await experiment?.close();
    delete process.env.LSLAPICFG;
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('is off until the person turns it on (keyboard), then lists the streams', async () => {
    const share = page.getByLabel("Share Soothe's streams on the lab network");
    await expect.poll(() => share.isEnabled(), { timeout: 10_000 }).toBe(true);
    expect(await share.isChecked()).toBe(false);
    await share.focus();
    await page.keyboard.press('Space');
    const message = page.getByTestId('lsl-message');
    await expect.poll(async () => (await message.textContent()) ?? '', { timeout: 10_000 }).toMatch(/discovery on UDP \d+/);
    discoveryPort = Number(/discovery on UDP (\d+)/.exec((await message.textContent()) ?? '')?.[1]);
    for (const name of ['SootheRR', 'SootheHeartRate', 'SoothePacer', 'SootheReward', 'SootheMarkers']) await expect.poll(() => page.getByRole('cell', { name, exact: true }).count()).toBe(1);
    expect(JSON.parse(readFileSync(join(app.dataDir, 'settings.json'), 'utf8')).lsl.enabled).toBe(true);
  });

  it("a recorder on this machine finds Soothe by unicast and reads the session's beats", async () => {
    const streams = await resolveStreams({ query: "session_id='default'", targets: [{ address: LOOPBACK, port: discoveryPort }], bindAddress: LOOPBACK, timeoutMs: 600 });
    const rrInfo = streams.find((s) => s.name === 'SootheRR');
    expect(rrInfo).toBeDefined();
    const rr = await StreamInlet.open(rrInfo!);
    const beats = await rr.pull(2, 10_000);
    for (const b of beats) expect(b.values[0]).toBeGreaterThan(300);
    const row = page.getByRole('row').filter({ hasText: 'SootheRR' });
    await expect.poll(async () => (await row.textContent()) ?? '', { timeout: 6000 }).toMatch(/RR1irregular1\d+/);
    rr.close();
  });

  it("records an experiment's markers picked on the screen", async () => {
    await page.getByRole('button', { name: 'Find marker streams' }).click();
    await expect.poll(() => page.getByLabel('ExperimentMarkers on stimulus-pc').count(), { timeout: 5000 }).toBe(1);
    await page.getByLabel('ExperimentMarkers on stimulus-pc').check();
    await page.getByRole('button', { name: "Record this stream's markers" }).click();
    const inlet = page.getByTestId('lsl-inlet');
    await expect.poll(async () => (await inlet.textContent()) ?? '', { timeout: 10_000 }).toMatch(/connected/);
    await expect.poll(() => markers.consumerCount, { timeout: 5000 }).toBe(1);
    markers.push(['stimulus: calm-face']);
    await expect.poll(async () => (await inlet.textContent()) ?? '', { timeout: 5000 }).toMatch(/1 marker received/);
    const sessions = join(app.dataDir, 'sessions');
    const found = async (): Promise<boolean> => {
      for (const s of readdirSync(sessions)) {
        const lines = readFileSync(join(sessions, s, 'events.ndjson'), 'utf8').split('\n').filter(Boolean);
        if (lines.some((l) => (JSON.parse(l) as { kind: string; text?: string }).kind === 'lsl-marker' && l.includes('stimulus: calm-face'))) return true;
      }
      return false;
    };
    await expect.poll(found, { timeout: 5000 }).toBe(true);
    writeFileSync(join(ARTIFACTS, 'lsl-screen.png'), await page.screenshot({ fullPage: true }));
  });
});
