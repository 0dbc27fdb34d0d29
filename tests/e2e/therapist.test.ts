/**
 * Therapist mode as a therapist meets it: the console and the client view as two pages of the
 * browser edition, a scripted session on the simulator at accelerated time, the pacer changed
 * from the console and followed by the client view, markers, notes, the report, and its PDF.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CHROMIUM_MISSING, HAVE_CHROMIUM, launchChromium } from '../helpers/chromium';
import { ROOT, WEB_BUILT, WEB_MISSING, startWebApp, type RunningWebApp } from '../helpers/web-app';
import { renderPdfInChromium } from '../helpers/pdf-in-chromium';

const ARTIFACTS = join(ROOT, 'test-artifacts', 'e2e-therapist');
const ready = HAVE_CHROMIUM && WEB_BUILT;
if (!ready) console.warn(`skipping e2e therapist: ${!HAVE_CHROMIUM ? CHROMIUM_MISSING : WEB_MISSING}`);

describe.skipIf(!ready)('therapist console and client view in Chromium', () => {
  let app: RunningWebApp;
  let browser: Browser;
  let context: BrowserContext;
  let consolePage: Page;
  let clientPage: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    app = await startWebApp();
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    consolePage = await context.newPage();
    consolePage.on('pageerror', (e) => errors.push(`console: ${e.message}`));
    await consolePage.goto(app.url.replace('/#', '/?view=therapist&speed=20&seed=7#'));
    clientPage = await context.newPage();
    clientPage.on('pageerror', (e) => errors.push(`client: ${e.message}`));
    await clientPage.goto(app.url.replace('/#', '/?view=client#'));
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('runs a scripted session that the client view follows', async () => {
    const client = clientPage.getByTestId('client-view');
    // The console publishes at once: the client leaves "waiting" and shows the pacer.
    await expect.poll(async () => Number(await client.getAttribute('data-seq')), { timeout: 10_000 }).toBeGreaterThan(0);
    await consolePage.getByLabel('Script', { exact: true }).selectOption('srb-short');
    // The therapist edits a copy of the script: a longer settling phase, saved as their own.
    await consolePage.getByRole('button', { name: 'Edit a copy of this script' }).click();
    const editor = consolePage.getByRole('form', { name: 'Script editor' });
    await editor.getByLabel('Script title').fill('Short SRB for C-014');
    await editor.getByLabel('Minutes').first().fill('2');
    await editor.getByRole('button', { name: 'Save script' }).click();
    await expect.poll(() => consolePage.getByLabel('Script', { exact: true }).inputValue()).toBe('srb-short-mine');
    expect(await consolePage.getByText('Settling · 2:00').count()).toBe(1);
    await consolePage.getByLabel(/Client code/).fill('C-014');
    await consolePage.getByRole('button', { name: 'Use this client' }).click();
    await expect.poll(() => consolePage.getByTestId('client-code').textContent()).toContain('C-014');
    // Before/after self-ratings, recorded with the session.
    await consolePage.getByRole('button', { name: 'Self-ratings before' }).click();
    await consolePage.getByTestId('ratings-before').getByLabel(/How calm/).fill('3');
    await consolePage.getByTestId('ratings-before').getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => consolePage.getByRole('button', { name: 'Rated before ✓' }).count()).toBe(1);
    await consolePage.getByRole('button', { name: 'Start the script' }).click();
    await expect.poll(() => consolePage.getByTestId('script-phase').textContent()).toContain('Settling');
    await expect.poll(() => clientPage.getByTestId('client-caption').textContent()).toBe('Settling');
    // Settling has no pacer: the client sees a calm resting screen.
    expect(await clientPage.getByRole('img', { name: /Resting: no pacer/ }).count()).toBe(1);

    await consolePage.getByRole('button', { name: 'Next phase' }).click();
    await expect.poll(() => clientPage.getByTestId('client-caption').textContent(), { timeout: 5000 }).toBe('Soothing rhythm breathing');
    await expect.poll(() => clientPage.getByRole('img', { name: /Breathing pacer at 6 breaths per minute/ }).count(), { timeout: 5000 }).toBe(1);

    // The therapist slows the pacer; the client's screen follows at once.
    const rate = consolePage.getByLabel('Client pacer rate (breaths per minute)');
    await rate.focus();
    for (let i = 0; i < 5; i++) await consolePage.keyboard.press('ArrowLeft');
    await expect.poll(() => consolePage.getByTestId('console-rate').textContent()).toBe('5.5');
    const t0 = Date.now();
    await expect.poll(() => clientPage.getByRole('img', { name: /Breathing pacer at 5.5 breaths per minute/ }).count(), { timeout: 3000 }).toBe(1);
    const followMs = Date.now() - t0;
    console.info(`client view followed the console's pacer change in ${followMs} ms (poll resolution)`);

    // Breath sound on the client's screen: its AudioContext runs there, not on the console.
    await consolePage.getByLabel('Breath sound on the client screen').check();
    await expect.poll(() => client.getAttribute('data-audio'), { timeout: 5000 }).toBe('running');
    await consolePage.getByLabel('Breath sound on the client screen').uncheck();
    await expect.poll(() => client.getAttribute('data-audio'), { timeout: 5000 }).toBe('off');

    await consolePage.getByLabel('Eyes-closed mode (screen dimmed)').check();
    await expect.poll(async () => (await client.getAttribute('class')) ?? '').toContain('eyes-closed');
    await consolePage.getByLabel('Eyes-closed mode (screen dimmed)').uncheck();

    await consolePage.getByRole('button', { name: 'Client spoke' }).click();
    await consolePage.getByLabel('Marker label').fill('Tearful, then settled');
    await consolePage.getByRole('button', { name: 'Add marker' }).click();
    await expect.poll(() => consolePage.getByTestId('console-markers').textContent()).toContain('Tearful, then settled');
    // Phase changes and the therapist's markers are drawn on the live tachogram.
    await expect.poll(async () => Number(await consolePage.getByTestId('tachogram').getAttribute('data-markers'))).toBeGreaterThanOrEqual(4);
    await consolePage.getByLabel(/^Notes/).fill('Found the slower rhythm after about a minute.');
    await consolePage.getByRole('button', { name: 'Next phase' }).focus(); // leaving the notes box saves them
    // Let the breathing phase run a little (20× speed: 3 s ≈ 1 min) so it has beats and metrics.
    await consolePage.waitForTimeout(3000);
    await consolePage.getByRole('button', { name: 'Next phase' }).click();
    await expect.poll(() => clientPage.getByTestId('client-caption').textContent(), { timeout: 5000 }).toBe('Resting');
    writeFileSync(join(ARTIFACTS, 'console.png'), await consolePage.screenshot());
    writeFileSync(join(ARTIFACTS, 'client.png'), await clientPage.screenshot());
  }, 90_000);

  it('finishes with a report per phase, with markers and notes, printable to PDF', async () => {
    await consolePage.waitForTimeout(1500);
    await consolePage.getByRole('button', { name: 'Finish and show the report' }).click();
    await expect.poll(() => clientPage.locator('.client-caption').textContent(), { timeout: 5000 }).toContain('ended');
    const report = consolePage.getByTestId('report');
    await report.waitFor({ timeout: 10_000 });
    const rows = consolePage.getByTestId('report-phase');
    // The minutes before the script started are reported too, as their own phase.
    await expect.poll(() => rows.count()).toBe(4);
    const titles = await rows.locator('th').allTextContents();
    expect(titles).toEqual(['Before the script', 'Settling', 'Soothing rhythm breathing', 'Resting']);
    const breathingRow = (await rows.nth(2).locator('td').allTextContents()).map((s) => s.trim());
    expect(Number(breathingRow[1])).toBeGreaterThan(40); // mean HR of the breathing phase
    const markers = await consolePage.getByTestId('report-markers').textContent();
    expect(markers).toContain('Client spoke');
    expect(markers).toContain('Tearful, then settled');
    expect(await report.textContent()).toContain('Found the slower rhythm after about a minute.');
    expect(await report.textContent()).toContain('client C-014');
    expect(await report.textContent()).toContain('before: calm 3/10');
    writeFileSync(join(ARTIFACTS, 'report.png'), await consolePage.screenshot({ fullPage: true }));

    // Print to PDF (the print stylesheet), then render the PDF in Chromium and read its pages.
    await consolePage.emulateMedia({ media: 'print' });
    const pdf = await consolePage.pdf({ format: 'A4', printBackground: true });
    writeFileSync(join(ARTIFACTS, 'report.pdf'), pdf);
    const viewer = await context.newPage();
    const rendered = await renderPdfInChromium(viewer, app.origin, pdf);
    expect(rendered.numPages).toBeGreaterThanOrEqual(1);
    const allText = rendered.pages.map((p) => p.text).join(' ');
    expect(allText).toContain('Soothing rhythm breathing');
    expect(allText).toContain('Tearful, then settled');
    expect(allText).not.toContain('Print or save as PDF'); // the print stylesheet leaves the controls out
    for (const p of rendered.pages) expect(p.inkPixels).toBeGreaterThan(500);
    expect(errors).toEqual([]);
  }, 90_000);
});
