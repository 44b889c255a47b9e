/// <reference types="node" />
/// <reference path="./parley.d.ts" />
/**
 * Widget end-to-end run in headless Chromium against a real `wrangler dev` of this project (e2e/harness.ts).
 * Usage: `tsx e2e/widget.e2e.ts` (needs /usr/bin/chromium or CHROMIUM_PATH). Saves docs/screenshots/widget-*.png.
 */
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { root } from '../scripts/build-ui.ts';
import { assertAccessible, axeSummary } from './a11y.ts';
import { botTexts, launch, minContrast, newContext } from './browser.ts';
import { startHarness } from './harness.ts';
import { reliabilitySteps } from './reliability.steps.ts';
import { stepRunner } from './steps.ts';

const shots = resolve(root, 'docs/screenshots');
const harness = await startHarness();
const browser = await launch();
const report: string[] = [];

const { step, tally } = stepRunner();

const context = await newContext(browser);
const page = await context.newPage();
page.on('pageerror', (error) => console.error('[page error]', error));
const w = (selector: string) => page.locator(`parley-widget ${selector}`);
const lastBot = async (p: Page) => (await botTexts(p)).at(-1) ?? '';

/** Waits until the last reply is complete (its feedback buttons appear) and returns its text. */
async function replyDone(p: Page): Promise<string> {
  await p.locator('parley-widget .m.bot:last-child .fb').first().waitFor({ timeout: 20_000 });
  return lastBot(p);
}

await step('launcher appears fast, and host CSS does not reach the widget', async () => {
  // The median of five loads: one sample is at the mercy of whatever else the CI machine is doing.
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) {
    await page.goto(harness.host);
    await w('.launcher').waitFor();
    samples.push(
      await page.evaluate(() => {
        const at = (name: string) => performance.getEntriesByName(name)[0]?.startTime ?? Number.NaN;
        return at('parley:launcher') - at('parley:start');
      }),
    );
  }
  const median = [...samples].sort((x, y) => x - y)[2] as number;
  report.push(
    `launcher in the DOM ${median.toFixed(1)} ms (median; ${samples.map((n) => n.toFixed(1)).join(', ')} ms) after widget.js started executing`,
  );
  assert.ok(median <= 50, `launcher took ${median} ms`);
  const style = await w('.launcher').evaluate((el) => {
    const s = getComputedStyle(el);
    return {
      bg: s.backgroundColor,
      w: s.width,
      border: s.borderStyle,
      svg: getComputedStyle(el.querySelector('svg') as Element).display,
    };
  });
  assert.equal(style.w, '56px');
  assert.equal(style.border, 'none');
  assert.notEqual(style.svg, 'none');
  await page.screenshot({ path: resolve(shots, 'widget-closed.png') });
  await assertAccessible(page, 'widget closed');
});

await step(
  'keyboard: Tab to the launcher, Enter opens with focus in the composer, Enter sends, reply streams',
  async () => {
    let onLauncher = false;
    for (let i = 0; i < 10 && !onLauncher; i++) {
      await page.keyboard.press('Tab');
      onLauncher = await page.evaluate(
        () =>
          document.querySelector('parley-widget')?.shadowRoot?.activeElement?.classList.contains('launcher') ?? false,
      );
    }
    assert.ok(onLauncher, 'Tab never reached the launcher');
    await page.keyboard.press('Enter');
    await w('.starters button').first().waitFor();
    const focused = await page.evaluate(
      () => document.querySelector('parley-widget')?.shadowRoot?.activeElement?.tagName,
    );
    assert.equal(focused, 'TEXTAREA');
    const lengths: number[] = [];
    await page.evaluate(() => {
      (window as unknown as { events: unknown[] }).events = [];
      window.Parley.on('message', (m: unknown) => (window as unknown as { events: unknown[] }).events.push(m));
    });
    await page.keyboard.type('What is Parley?');
    await page.keyboard.press('Enter');
    await w('.m.me').first().waitFor();
    for (let i = 0; i < 40; i++) {
      const texts = await botTexts(page);
      if (texts.length > 1) lengths.push((texts.at(-1) ?? '').length);
      if (lengths.length === 4) {
        await page.screenshot({ path: resolve(shots, 'widget-streaming.png') });
        await assertAccessible(page, 'widget streaming');
      }
      await page.waitForTimeout(40);
    }
    const text = await replyDone(page);
    assert.ok(new Set(lengths.filter((n) => n > 0)).size >= 3, `not streamed: ${lengths.join(',')}`);
    assert.ok(text.length > 20);
    const live = await w('[aria-live]').textContent();
    assert.equal(
      live,
      (await page.evaluate(
        () => document.querySelector('parley-widget')?.shadowRoot?.querySelector('.m.bot:last-child .b')?.textContent,
      )) ?? '',
    );
    const events = await page.evaluate(() =>
      (window as unknown as { events: { role: string }[] }).events.map((e) => e.role),
    );
    assert.deepEqual(events, ['user', 'assistant']);
    await page.screenshot({ path: resolve(shots, 'widget-open.png') });
    await assertAccessible(page, 'widget open');
  },
);

await step('contrast of the rendered light theme passes WCAG AA', async () => {
  const { min, pairs } = await minContrast(page);
  report.push(`light contrast ${JSON.stringify(pairs, (_, v) => (typeof v === 'number' ? +v.toFixed(2) : v))}`);
  assert.ok(min >= 4.5, `min contrast ${min}`);
});

await step('👍 feedback is stored and survives a reload with the history', async () => {
  // Reload only once the rating is stored (a fixed wait loses the race on a busy machine).
  await Promise.all([
    page.waitForResponse((res) => res.url().includes('/feedback') && res.ok()),
    w('.m.bot:last-child .fb').first().click(),
  ]);
  const before = await botTexts(page);
  await page.reload();
  await page.evaluate(() => window.Parley.open());
  await w('.m.me').first().waitFor();
  await page.locator('parley-widget .m.bot:last-child .fb[aria-pressed="true"]').waitFor({ timeout: 5000 });
  assert.deepEqual(await botTexts(page), before);
});

await step('Esc closes and returns focus to the launcher', async () => {
  await w('textarea').focus();
  await page.keyboard.press('Escape');
  assert.equal(await w('.panel').isHidden(), true);
  const focused = await page.evaluate(
    () => document.querySelector('parley-widget')?.shadowRoot?.activeElement?.className,
  );
  assert.equal(focused, 'launcher');
  await page.keyboard.press('Enter');
  assert.equal(await w('.panel').isVisible(), true);
});

await step('losing the network mid-reply and getting it back loses and doubles no text', async () => {
  await page.evaluate(() => window.Parley.setContext({ plan: 'pro', seats: 3 }));
  await w('textarea').fill('Tell me more, please.');
  await page.keyboard.press('Enter');
  const count = (await botTexts(page)).length;
  await page.waitForFunction(
    (n) => (document.querySelector('parley-widget')?.shadowRoot?.querySelectorAll('.m.bot .b').length ?? 0) > n,
    count - 1,
  );
  await context.setOffline(true);
  await w('.net').waitFor({ timeout: 5000 });
  await page.waitForTimeout(1500);
  await context.setOffline(false);
  const text = await replyDone(page);
  await page.reload();
  await page.evaluate(() => window.Parley.open());
  await w('.m.me').nth(1).waitFor();
  await page.waitForTimeout(300);
  assert.equal(await lastBot(page), text);
});

await step('an attached image is uploaded, sent and shown as a thumbnail', async () => {
  const png = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAYAAADED76LAAAAIklEQVR4nGNkYPj/n4EIwESMolGFowpHFY4qHFU4UEoBAOvxBA6fHMD4AAAAAElFTkSuQmCC',
    'base64',
  );
  await w('input[type=file]').setInputFiles({ name: 'dot.png', mimeType: 'image/png', buffer: png });
  await w('.chip').first().waitFor();
  await w('textarea').fill('Here is a picture');
  await page.keyboard.press('Enter');
  await page.locator('parley-widget .m.me img.thumb').waitFor();
  const loaded = await page
    .locator('parley-widget .m.me img.thumb')
    .evaluate((img) => (img as HTMLImageElement).naturalWidth);
  assert.equal(loaded, 8);
  await replyDone(page);
});

await step('falls back to SSE when WebSockets cannot open', async () => {
  const sse = await newContext(browser);
  const p = await sse.newPage();
  await p.addInitScript(() => {
    class Blocked extends EventTarget {
      readyState = 3;
      onopen = null;
      onmessage = null;
      onclose: ((e: Event) => void) | null = null;
      onerror = null;
      constructor() {
        super();
        setTimeout(() => this.onclose?.(new Event('close')), 10);
      }
      send() {}
      close() {}
    }
    Object.defineProperty(window, 'WebSocket', { value: Blocked });
  });
  await p.goto(harness.host);
  await p.evaluate(() => window.Parley.sendMessage('Hello over SSE'));
  await p.locator('parley-widget .m.bot:last-child .fb').first().waitFor({ timeout: 20_000 });
  assert.ok((await lastBot(p)).length > 20);
  await sse.close();
});

await step('mobile: the panel fills a small screen', async () => {
  const mobile = await newContext(browser, { viewport: { width: 375, height: 700 }, isMobile: true, hasTouch: true });
  const p = await mobile.newPage();
  await p.goto(harness.host);
  await p.evaluate(() => window.Parley.open());
  await p.locator('parley-widget .starters button').first().waitFor();
  const box = await p.locator('parley-widget .panel').boundingBox();
  assert.deepEqual([box?.x, box?.y, box?.width, box?.height], [0, 0, 375, 700]);
  await p.screenshot({ path: resolve(shots, 'widget-mobile.png') });
  await assertAccessible(p, 'widget open on a phone');
  await mobile.close();
});

await step('dark theme from the chatbot settings, German UI from navigator.language, AA contrast', async () => {
  const dark = await newContext(browser, { locale: 'de-DE' });
  const p = await dark.newPage();
  await p.route('**/api/widget/v1/sessions', async (route) => {
    const res = await route.fetch();
    const body = (await res.json()) as { chatbot: { widget: Record<string, unknown> } };
    body.chatbot.widget = {
      ...body.chatbot.widget,
      theme: 'dark',
      primaryColor: '#f59e0b',
      subtitle: 'Antwortet sofort',
    };
    await route.fulfill({ response: res, json: body });
  });
  await p.goto(harness.host);
  await p.evaluate(() => window.Parley.sendMessage('What is Parley?'));
  await replyDone(p);
  assert.equal(await p.locator('parley-widget textarea').getAttribute('placeholder'), 'Nachricht eingeben…');
  const { min, pairs } = await minContrast(p);
  report.push(`dark contrast ${JSON.stringify(pairs, (_, v) => (typeof v === 'number' ? +v.toFixed(2) : v))}`);
  assert.ok(min >= 4.5, `min contrast ${min}`);
  await p.screenshot({ path: resolve(shots, 'widget-dark.png') });
  await assertAccessible(p, 'widget dark theme, German');
  await dark.close();
});

await reliabilitySteps(browser, harness, step, report);

await browser.close();
await harness.stop();
report.push(axeSummary());
console.log(`\n${report.join('\n')}\n\n${tally.passed} passed, ${tally.failed} failed`);
process.exit(tally.failed ? 1 : 0);
