/**
 * Soothe's own Bluetooth picker (used in Electron, which has no chooser) in Chromium: it opens
 * when main relays devices, takes focus, works from the keyboard (Tab, Enter, Escape), and
 * answers 'ble:select' once with the pick or '' to cancel.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM_MISSING, HAVE_CHROMIUM, launchChromium } from '../helpers/chromium';

if (!HAVE_CHROMIUM) console.warn(`skipping Bluetooth picker e2e: ${CHROMIUM_MISSING}`);

describe.skipIf(!HAVE_CHROMIUM)('BlePicker in Chromium', () => {
  let dir: string;
  let server: Server;
  let browser: Browser;
  let page: Page;
  const selected = (): Promise<string[]> => page.evaluate('window.__selected') as Promise<string[]>;
  const emit = (devices: { deviceId: string; name: string }[]): Promise<unknown> => page.evaluate(`window.__emitDevices(${JSON.stringify(devices)})`);
  const focused = (): Promise<string> => page.evaluate('document.activeElement ? document.activeElement.textContent : ""') as Promise<string>;
  const dialog = () => page.getByRole('dialog', { name: 'Choose your heart-rate strap' });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'soothe-picker-'));
    await build({
      entryPoints: [fileURLToPath(new URL('../fixtures/ble-picker-page.tsx', import.meta.url))],
      bundle: true,
      format: 'esm',
      jsx: 'automatic',
      platform: 'browser',
      target: 'es2022',
      define: { 'process.env.NODE_ENV': '"production"' },
      outfile: join(dir, 'page.js'),
      logLevel: 'warning',
    });
    writeFileSync(join(dir, 'index.html'), '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>picker</title></head><body><script type="module" src="page.js"></script></body></html>');
    server = createServer((req, res) => {
      const file = req.url === '/page.js' ? 'page.js' : 'index.html';
      res.writeHead(200, { 'content-type': file.endsWith('.js') ? 'text/javascript' : 'text/html' }).end(readFileSync(join(dir, file)));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    browser = await launchChromium();
    page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => server?.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  it('opens on the relayed list with focus on the first strap; Tab and Enter pick the second', async () => {
    expect(await dialog().count()).toBe(0);
    await emit([
      { deviceId: 'AA', name: 'Polar H10 1234' },
      { deviceId: 'BB', name: 'Wahoo TICKR 42' },
    ]);
    await dialog().waitFor();
    expect(await page.getByRole('list', { name: 'Straps found' }).getByRole('button').allTextContents()).toEqual(['Polar H10 1234', 'Wahoo TICKR 42']);
    await expect.poll(focused).toBe('Polar H10 1234');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('Wahoo TICKR 42');
    await page.keyboard.press('Enter');
    await expect.poll(selected).toEqual(['BB']);
    expect(await dialog().count()).toBe(0);
  });

  it('Escape cancels (answers an empty id); an update of the list does not move the focus', async () => {
    await emit([{ deviceId: 'AA', name: 'Polar H10 1234' }]);
    await dialog().waitFor();
    await expect.poll(focused).toBe('Polar H10 1234');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('Cancel');
    await emit([
      { deviceId: 'AA', name: 'Polar H10 1234' },
      { deviceId: 'CC', name: 'Coospo H6' },
    ]);
    await page.getByRole('button', { name: 'Coospo H6' }).waitFor();
    expect(await focused()).toBe('Cancel');
    await page.keyboard.press('Escape');
    await expect.poll(selected).toEqual(['BB', '']);
    expect(await dialog().count()).toBe(0);
  });

  it('while nothing is found it says what to do; Cancel answers; a refused answer is shown', async () => {
    await emit([]);
    await dialog().waitFor();
    expect(await dialog().textContent()).toMatch(/Searching… Put the strap on and moisten the electrodes/);
    await expect.poll(focused).toBe('Cancel');
    await page.evaluate('window.__selectFails = true');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(selected).toEqual(['BB', '', '']);
    await expect.poll(async () => page.getByText("The device list could not be answered: the browser's own chooser is used").count()).toBe(1);
  });
});
