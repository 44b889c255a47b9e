/// <reference types="node" />
/**
 * The one headless Chromium launch shared by the e2e runs (e2e/browser.ts: widget and dashboard) and the launcher
 * cold-load measurement (scripts/launcher-cold-load.ts): Debian's
 * `chromium` (or CHROMIUM_PATH) driven by playwright-core, with nothing running in the background that could add
 * network requests or CPU work to what is being measured.
 */
import type { Browser } from 'playwright-core';
import { chromium } from 'playwright-core';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}
