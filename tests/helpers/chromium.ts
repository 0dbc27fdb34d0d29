/**
 * Debian's Chromium driven by playwright-core (never a downloaded browser). Tests that need it
 * skip with a message naming what is missing.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type LaunchOptions } from 'playwright-core';

export const CHROMIUM_PATH = process.env.SOOTHE_CHROMIUM ?? '/usr/bin/chromium';
export const HAVE_CHROMIUM = existsSync(CHROMIUM_PATH);
export const CHROMIUM_MISSING = `Chromium not found at ${CHROMIUM_PATH} (apt-get install chromium; .ci/run does this)`;

/** Flags that keep Chromium quiet on a machine with a closed network (see notes/platform-facts.md). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  '--autoplay-policy=no-user-gesture-required',
];

export async function launchChromium(extra: LaunchOptions = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    ...extra,
    args: [...CHROMIUM_ARGS, ...(extra.args ?? [])],
  });
}

export const freshProfileDir = (): string => mkdtempSync(join(tmpdir(), 'soothe-chromium-'));
