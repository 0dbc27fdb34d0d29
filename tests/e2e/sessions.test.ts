/**
 * Sessions as a person meets them, in Debian's Chromium on the built browser edition: a short
 * accelerated simulated session, markers from the button, a preset and the M key, the Sessions
 * screen with the session and its markers on uPlot charts, a CSV export (a real download), and a
 * replay through the live pipeline.
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM_MISSING, HAVE_CHROMIUM, launchChromium } from '../helpers/chromium';
import { ROOT, WEB_BUILT, WEB_MISSING, startWebApp, type RunningWebApp } from '../helpers/web-app';

const ARTIFACTS = join(ROOT, 'test-artifacts', 'e2e-sessions');
const SPEED = 20;
const ready = HAVE_CHROMIUM && WEB_BUILT;
if (!ready) console.warn(`skipping e2e sessions: ${!HAVE_CHROMIUM ? CHROMIUM_MISSING : WEB_MISSING}`);

describe.skipIf(!ready)('sessions in Chromium', () => {
  let app: RunningWebApp;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    app = await startWebApp();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1200, height: 900 }, acceptDownloads: true });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(app.url.replace('/#', `/?speed=${SPEED}&seed=5#`));
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('adds markers with the button, a preset and the M key during a live session', async () => {
    await expect.poll(async () => Number(await page.getByLabel('Heart rate', { exact: true }).textContent()), { timeout: 10_000 }).toBeGreaterThan(40);
    await page.getByLabel('Label (optional)').fill('settling');
    await page.getByRole('button', { name: 'Add marker (M)' }).click();
    await page.getByRole('group', { name: 'Preset markers' }).getByRole('button', { name: 'compassionate imagery' }).click();
    await page.getByLabel('Label (optional)').blur();
    await page.keyboard.press('m');
    // Typing an "m" into the label field is text, not a marker.
    await page.getByLabel('Label (optional)').fill('');
    await page.getByLabel('Label (optional)').press('m');
    await expect.poll(() => page.getByTestId('marker-count').textContent()).toMatch(/^3 markers; last: \d+ s, \d+ s compassionate imagery, \d+ s settling$/);
    await page.getByLabel('Label (optional)').fill('');
    await page.waitForTimeout(1500); // one recording flush
    const [id] = readdirSync(join(app.dataDir, 'sessions'));
    const lines = readFileSync(join(app.dataDir, 'sessions', id ?? '', 'events.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { kind: string; label?: string });
    expect(lines.filter((l) => l.kind === 'marker').map((l) => l.label)).toEqual(['settling', 'compassionate imagery', '']);
  });

  it('lists the session in the Sessions screen and opens it with its charts and markers', async () => {
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Sessions' }).click();
    const list = page.getByTestId('session-list');
    await expect.poll(() => list.locator('tbody tr').count(), { timeout: 5000 }).toBe(1);
    expect(await list.locator('tbody tr').first().textContent()).toMatch(/recording/);
    await list.getByRole('button', { name: /^Open session/ }).click();
    const review = page.getByTestId('session-review');
    await review.waitFor();
    const markers = review.getByTestId('session-markers');
    expect(await markers.locator('tbody td:nth-child(2)').allTextContents()).toEqual(['settling', 'compassionate imagery', '—']);
    for (const id of ['session-tachogram', 'session-hr', 'session-hrv', 'session-pacer']) {
      const chart = review.getByTestId(id);
      expect(await chart.getAttribute('aria-label')).toMatch(/3 markers/);
      expect(await chart.locator('canvas').count()).toBe(1); // uPlot's canvas
      expect(await chart.locator('.u-axis').count()).toBeGreaterThanOrEqual(2); // uPlot's own axes
    }
    expect(await review.getByTestId('session-tachogram').getAttribute('aria-label')).toMatch(/^Tachogram: [1-9]\d* beats/);
    writeFileSync(join(ARTIFACTS, 'session-review.png'), await page.screenshot({ fullPage: true }));
  });

  it('exports CSV as a download with beats, metrics and markers', async () => {
    const review = page.getByTestId('session-review');
    const [download] = await Promise.all([page.waitForEvent('download'), review.getByRole('button', { name: 'Export CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^soothe-.*\.csv$/);
    const file = join(ARTIFACTS, 'export.csv');
    await download.saveAs(file);
    const rows = readFileSync(file, 'utf8').trim().split('\r\n');
    expect(rows[0]).toBe('t_ms,type,rr_ms,artifact,after_gap,rmssd_ms,coherence,breaths_per_min,artifact_pct,label');
    expect(rows.filter((r) => r.split(',')[1] === 'beat').length).toBeGreaterThan(20);
    expect(rows.filter((r) => r.split(',')[1] === 'metric').length).toBeGreaterThan(0);
    expect(rows.filter((r) => r.split(',')[1] === 'marker').map((r) => r.split(',').slice(9).join(','))).toEqual(['settling', 'compassionate imagery', '']);
  });

  it('replays the session as the live source through the same pipeline', async () => {
    const review = page.getByTestId('session-review');
    await review.getByLabel('Replay speed').selectOption('10');
    await review.getByRole('button', { name: 'Replay' }).click();
    await expect.poll(() => review.getByTestId('session-message').textContent()).toMatch(/^Replaying \d+ beats at 10×/);
    await expect.poll(() => page.locator('header .status').textContent()).toMatch(/Replay: .*\(10×\)/);
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Practice' }).click();
    await expect.poll(async () => Number(await page.getByLabel('Heart rate', { exact: true }).textContent()), { timeout: 10_000 }).toBeGreaterThan(40);
    await page.waitForTimeout(1500);
    const [id] = readdirSync(join(app.dataDir, 'sessions'));
    const beats = readFileSync(join(app.dataDir, 'sessions', id ?? '', 'events.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { kind: string; source?: string }).filter((l) => l.kind === 'beat');
    expect(beats.filter((b) => b.source === 'replay').length).toBeGreaterThan(5);
    expect(errors).toEqual([]);
  });

  it('imports an RR file from another app as a session; progress over weeks appears', async () => {
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Sessions' }).click();
    const rr = Array.from({ length: 200 }, (_, i) => (850 + 40 * Math.sin((2 * Math.PI * i) / 10)).toFixed(1)).join('\n');
    await page.getByLabel('Import an RR file or a Soothe export:').setInputFiles({ name: 'elite-hrv.txt', mimeType: 'text/plain', buffer: Buffer.from(rr + '\n') });
    await expect.poll(() => page.getByText(/^Imported \d+ beats from elite-hrv\.txt\.$/).textContent()).toBe('Imported 200 beats from elite-hrv.txt.');
    const list = page.getByTestId('session-list');
    await expect.poll(() => list.locator('tbody tr').count()).toBe(2);
    expect(await list.locator('tbody tr', { hasText: 'elite-hrv.txt' }).locator('td').nth(3).textContent()).toBe('import');
    for (const id of ['progress-hrv', 'progress-minutes']) expect(await page.getByTestId(id).locator('canvas').count()).toBe(1);
    expect(await page.getByTestId('progress-minutes').getAttribute('aria-label')).toMatch(/^Time practised per week; 3 minutes in all$/);
    writeFileSync(join(ARTIFACTS, 'sessions-list.png'), await page.screenshot({ fullPage: true }));
    expect(errors).toEqual([]);
  });
});
