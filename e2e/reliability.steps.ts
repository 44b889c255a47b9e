/// <reference types="node" />
/// <reference path="./parley.d.ts" />
/**
 * The widget's recovery paths as a visitor meets them: stopping a reply, retrying a failed one, a token that
 * expires while the page is open, and the per-participant rate limit. Each step runs in its own browser context (its
 * own anonymous participant), against the run's Worker vars (E2E_VARS) and extra chatbots (e2e/extra-bots.ts).
 */
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { offlineReply } from '../plugins/providers/offline/reply.ts';
import { root } from '../scripts/build-ui.ts';
import { assertAccessible } from './a11y.ts';
import { botTexts, newContext } from './browser.ts';
import { E2E_VARS, type Harness } from './harness.ts';
import type { Step } from './steps.ts';

const shots = resolve(root, 'docs/screenshots');
const shadow = (p: Page, selector: string) => p.locator(`parley-widget ${selector}`);
const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

/** Waits until the last reply is finished (its feedback buttons appear) and returns its text. */
async function replyDone(p: Page, timeout = 20_000): Promise<string> {
  await shadow(p, '.m.bot:last-child .fb').first().waitFor({ timeout });
  return (await botTexts(p)).at(-1) ?? '';
}

async function send(p: Page, text: string): Promise<void> {
  await shadow(p, 'textarea').fill(text);
  await shadow(p, 'textarea').press('Enter');
}

interface Frame {
  at: number;
  type: string;
  status?: string;
}

/** Every conversation event the page receives over its WebSockets, in order. */
function recordFrames(p: Page): Frame[] {
  const frames: Frame[] = [];
  p.on('websocket', (ws) =>
    ws.on('framereceived', ({ payload }) => {
      if (typeof payload !== 'string' || payload === 'pong') return;
      const event = JSON.parse(payload) as { type: string; message?: { status?: string } };
      frames.push({ at: Date.now(), type: event.type, status: event.message?.status });
    }),
  );
  return frames;
}

export async function reliabilitySteps(browser: Browser, harness: Harness, step: Step, report: string[]) {
  await step('Stop ends a long reply: the text so far is kept, marked stopped, and no token follows', async () => {
    const context = await newContext(browser);
    const p = await context.newPage();
    const frames = recordFrames(p);
    await p.goto(`${harness.host}/?key=${harness.slowKey}`);
    const question = 'Tell me everything about Parley, at length.';
    await p.evaluate((q) => window.Parley.sendMessage(q), question);
    // A few tokens in (the slow chatbot streams one every 250 ms), the composer's button is Stop.
    await p.waitForFunction(
      () =>
        (document.querySelector('parley-widget')?.shadowRoot?.querySelector('.m.bot:last-child .b')?.textContent
          ?.length ?? 0) > 30,
    );
    await shadow(p, 'button[aria-label="Stop"]').click();
    await shadow(p, '.m.bot:last-child .stp').waitFor({ timeout: 5000 });
    assert.equal(await shadow(p, '.m.bot:last-child .stp').textContent(), 'Stopped');
    const stoppedAt = Date.now();
    const kept = (await botTexts(p)).at(-1) ?? '';
    const whole = offlineReply([{ role: 'user', content: question }]);
    assert.ok(kept.length > 30 && kept.length < whole.length / 2, `kept ${kept.length} of ${whole.length} chars`);
    assert.ok(whole.startsWith(kept.trimEnd()), `kept text is not the reply's beginning: ${kept}`);
    await sleep(1500); // six tokens' worth
    assert.equal((await botTexts(p)).at(-1), kept, 'the reply grew after Stop');
    const completed = frames.findIndex((f) => f.type === 'message.completed' && f.status === 'stopped');
    assert.ok(completed >= 0, `no stopped message.completed among ${frames.map((f) => f.type).join(',')}`);
    assert.deepEqual(
      frames.slice(completed + 1).filter((f) => f.type === 'delta'),
      [],
      'deltas arrived after the stop',
    );
    assert.ok(frames.every((f) => f.type !== 'delta' || f.at <= stoppedAt + 50));
    assert.equal(await shadow(p, 'button[aria-label="Send"]').count(), 1, 'the composer is ready again');
    await p.screenshot({ path: resolve(shots, 'widget-stopped.png') });
    await assertAccessible(p, 'widget reply stopped');
    // Stored that way: a reload shows the same partial reply, still marked stopped.
    await p.reload();
    await p.evaluate(() => window.Parley.open());
    await shadow(p, '.m.bot:last-child .stp').waitFor();
    assert.equal((await botTexts(p)).at(-1), kept);
    await context.close();
  });

  await step(
    'a failed reply shows the error with Retry; Retry sends the message again and the answer arrives',
    async () => {
      const context = await newContext(browser);
      const p = await context.newPage();
      harness.flaky.failing = true;
      const before = harness.flaky.completions;
      await p.goto(`${harness.host}/?key=${harness.flakyKey}`);
      await p.evaluate(() => window.Parley.sendMessage('Where is my order 1234?'));
      await shadow(p, '.m.bot:last-child .err').waitFor({ timeout: 15_000 });
      assert.equal(await shadow(p, '.m.bot:last-child .err').textContent(), 'The reply failed.');
      assert.equal(harness.flaky.completions, before + 1);
      await p.screenshot({ path: resolve(shots, 'widget-error-retry.png') });
      await assertAccessible(p, 'widget error with Retry');
      harness.flaky.failing = false;
      await shadow(p, '.m.bot:last-child button.link').click();
      const answer = await replyDone(p);
      assert.equal(harness.flaky.completions, before + 2, 'Retry did not reach the provider');
      assert.match(answer, /Where is my order 1234\?/);
      // The failed reply stays in the transcript, above the question asked again and its answer.
      assert.equal(await shadow(p, '.m.me').count(), 2);
      assert.equal(await shadow(p, '.m.bot .err').count(), 1);
      assert.equal(await shadow(p, '.m.bot:last-child .err').count(), 0);
      await context.close();
    },
  );

  await step('the token expires while the page is open: the widget refreshes it and keeps its history', async () => {
    const ttlMs = E2E_VARS.WIDGET_TOKEN_TTL_SECONDS * 1000;
    const context = await newContext(browser);
    const p = await context.newPage();
    const sessions: { at: number; status: number; conversationId?: string; expiresAt?: string }[] = [];
    const expired: string[] = [];
    p.on('response', async (res) => {
      const url = new URL(res.url());
      if (url.pathname.endsWith('/sessions') && res.request().method() === 'POST') {
        const body = (await res.json().catch(() => ({}))) as { conversationId?: string; expiresAt?: string };
        sessions.push({ at: Date.now(), status: res.status(), ...body });
      }
      if (res.status() === 401) expired.push(`${res.request().method()} ${url.pathname.split('/').at(-1)}`);
    });
    await p.goto(harness.host);
    await p.evaluate(() => window.Parley.sendMessage('First question'));
    await replyDone(p);
    // 1. Left open past the first token's expiry: refreshed ahead of time, same conversation.
    const first = sessions[0];
    assert.ok(first?.expiresAt, 'no session');
    await sleep(Date.parse(first.expiresAt) - Date.now() + 1500);
    const refreshed = sessions.filter((s) => s.status === 200);
    assert.ok(refreshed.length >= 2, `${refreshed.length} sessions in ${ttlMs} ms`);
    assert.ok(refreshed.every((s) => s.conversationId === first.conversationId));
    await send(p, 'Second question');
    await shadow(p, '.m.me').nth(1).waitFor();
    assert.match(await replyDone(p), /Second question/);
    // 2. Refreshes fail (a laptop asleep, a flaky network) until the token has expired for good.
    let blocked = true;
    await p.route('**/api/widget/v1/sessions', (route) => (blocked ? route.abort() : route.fallback()));
    const lastGood = sessions.filter((s) => s.status === 200).at(-1)?.expiresAt ?? '';
    await sleep(Date.parse(lastGood) - Date.now() + 1000);
    blocked = false;
    // The next call with the expired token gets 401 token_expired, refreshes, and is sent again.
    await shadow(p, '.m.bot:last-child .fb').first().click();
    await shadow(p, '.m.bot:last-child .fb[aria-pressed="true"]').waitFor();
    for (let i = 0; i < 50 && !sessions.some((s) => s.status === 200 && s.at > Date.parse(lastGood)); i++) {
      await sleep(100);
    }
    assert.ok(
      sessions.some((s) => s.status === 200 && s.at > Date.parse(lastGood)),
      'no session after the token expired',
    );
    report.push(
      `token refresh: ${refreshed.length} refreshes within one ${ttlMs / 1000}s token; 401s seen: ${expired.join(', ') || 'none'}`,
    );
    await send(p, 'Third question');
    await shadow(p, '.m.me').nth(2).waitFor();
    assert.match(await replyDone(p), /Third question/);
    // Nothing was lost on the way: the server's history has all three turns and the feedback.
    await p.reload();
    await p.evaluate(() => window.Parley.open());
    await shadow(p, '.m.me').nth(2).waitFor();
    assert.equal(await shadow(p, '.m.me').count(), 3);
    const replies = await botTexts(p);
    assert.deepEqual(
      ['First', 'Second', 'Third'].map((n) => replies.some((r) => r.includes(`${n} question`))),
      [true, true, true],
    );
    await shadow(p, '.m.bot .fb[aria-pressed="true"]').waitFor();
    await context.close();
  });

  await step('over the message rate limit: a clear notice, the message kept as not sent, then Retry', async () => {
    const { WIDGET_RATE_LIMIT_PER_PARTICIPANT: limit, WIDGET_RATE_LIMIT_WINDOW_SECONDS: windowSeconds } = E2E_VARS;
    const context = await newContext(browser);
    const p = await context.newPage();
    await p.goto(harness.host);
    await p.evaluate(() => window.Parley.open());
    await shadow(p, 'textarea').waitFor();
    // Fixed windows (worker/http/rate-limiter-do.ts): start the burst just after a window begins, and send it from
    // inside the page, so that every message of it falls in the same window even on a busy machine.
    const windowMs = windowSeconds * 1000;
    await sleep(windowMs - (Date.now() % windowMs) + 200);
    const sent = limit + 2;
    await p.evaluate(async (n) => {
      for (let i = 1; i <= n; i++) await window.Parley.sendMessage(`Message number ${i}`);
    }, sent);
    await shadow(p, '.net[role=alert]').waitFor({ timeout: 5000 });
    assert.equal(await shadow(p, '.net[role=alert]').textContent(), 'Too many messages, please wait a moment.');
    const notSent = shadow(p, '.m.me .err');
    await notSent.nth(sent - limit - 1).waitFor();
    assert.equal(await notSent.count(), sent - limit, 'only the messages over the quota are refused');
    assert.equal(await notSent.first().textContent(), 'Not sent.');
    await p.screenshot({ path: resolve(shots, 'widget-rate-limited.png') });
    await assertAccessible(p, 'widget rate-limited');
    // The notice goes away by itself once the quota resets (Retry-After), and Retry then goes through.
    await shadow(p, '.net[role=alert]').waitFor({ state: 'detached', timeout: (windowSeconds + 2) * 1000 });
    const refused = await notSent.count();
    for (let i = 0; i < refused; i++) {
      await shadow(p, '.m.me:has(.err) button.link').first().click();
      await sleep(100);
    }
    await p.waitForFunction(
      (n) => {
        const root = document.querySelector('parley-widget')?.shadowRoot;
        return (root?.querySelectorAll('.m.bot .fb').length ?? 0) >= 2 * n && !root?.querySelector('.err');
      },
      sent,
      { timeout: 30_000 },
    );
    assert.equal(await shadow(p, '.m.me').count(), sent, 'a message was doubled or lost');
    assert.equal(await shadow(p, '.net[role=alert]').count(), 0);
    report.push(
      `rate limit: refused after ${limit} messages per ${windowSeconds}s window; ${refused} retried after the reset`,
    );
    await context.close();
  });
}
