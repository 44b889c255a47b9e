/// <reference types="node" />
/** Chromium and in-page helpers shared by the widget e2e steps. */
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { launchChromium } from '../scripts/lib/chromium.ts';

export const launch = launchChromium;

/** A context whose pages define esbuild's `__name` helper, which tsx adds to functions passed to page.evaluate. */
export async function newContext(browser: Browser, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 760 }, ...options });
  await context.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  return context;
}

/** Minimum WCAG contrast over the widget's main text/background pairs, computed from the rendered styles. */
export function minContrast(page: Page): Promise<{ min: number; pairs: Record<string, number> }> {
  return page.evaluate(() => {
    const root = document.querySelector('parley-widget')?.shadowRoot;
    const rgb = (value: string) => (value.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
    const lum = (value: string) => {
      const [r, g, b] = rgb(value).map((v) => {
        const c = v / 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      }) as [number, number, number];
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const ratio = (a: string, b: string) => {
      const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p) as [number, number];
      return (x + 0.05) / (y + 0.05);
    };
    const pairs: Record<string, number> = {};
    const check = (name: string, fg: string, bg: string) => {
      const text = root?.querySelector(fg);
      const back = root?.querySelector(bg);
      if (text && back) pairs[name] = ratio(getComputedStyle(text).color, getComputedStyle(back).backgroundColor);
    };
    check('header', '.head h2', '.head');
    check('bot bubble', '.bot .b', '.bot .b');
    check('user bubble', '.me .b', '.me .b');
    check('timestamp', '.meta', '.panel');
    check('input', 'textarea', 'textarea');
    check('send button', '.go', '.go');
    check('launcher', '.launcher', '.launcher');
    check('starter', '.starters button', '.panel');
    return { min: Math.min(...Object.values(pairs)), pairs };
  });
}

export const botTexts = (page: Page) =>
  page.locator('parley-widget .m.bot .b').evaluateAll((nodes) => nodes.map((n) => n.textContent ?? ''));
