/// <reference types="node" />
/**
 * Dashboard end-to-end run in headless Chromium against a real `wrangler dev` (e2e/harness.ts): an admin signs in,
 * creates a chatbot, sets its prompt, publishes it, chats with it in the test panel and watches the reply stream,
 * finds the conversation, tags it and one of its messages, comments, exports it, and invites a viewer who joins.
 * Every view it shows is checked by axe-core (e2e/a11y.ts), the routes it does not pass through too
 * (e2e/dashboard-views.steps.ts), and the main tasks are done once more by keyboard alone (e2e/keyboard.steps.ts).
 * The pipeline editor's story is e2e/pipeline-editor.steps.ts.
 * The Knowledge section's story is e2e/knowledge-dashboard.steps.ts; events and schedules are
 * e2e/events-dashboard.steps.ts; the MCP servers page's, e2e/mcp-servers.steps.ts.
 * The Custom actions page's story is e2e/custom-actions-dashboard.steps.ts.
 * Saves docs/screenshots/dashboard-*.png.
 * Usage: `tsx e2e/dashboard.e2e.ts` (needs /usr/bin/chromium or CHROMIUM_PATH). `E2E_ONLY=knowledge` runs sign-in,
 * the steps whose names start with that word and the closing axe and CSP checks (to iterate on one story);
 * `E2E_PORT` fixes the Worker's port (e2e/harness.ts).
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { root } from '../scripts/build-ui.ts';
import { assertNoRecordedViolations, axeSummary, recordAccessibility } from './a11y.ts';
import { launch, newContext } from './browser.ts';
import { customActionsDashboardSteps } from './custom-actions-dashboard.steps.ts';
import { dashboardViewSteps } from './dashboard-views.steps.ts';
import { eventsDashboardSteps } from './events-dashboard.steps.ts';
import { startHarness } from './harness.ts';
import { keyboardSteps } from './keyboard.steps.ts';
import { knowledgeDashboardSteps } from './knowledge-dashboard.steps.ts';
import { mcpServerSteps } from './mcp-servers.steps.ts';
import { pipelineDataSteps } from './pipeline-data.steps.ts';
import { pipelineEditorSteps, recordFrameTimes } from './pipeline-editor.steps.ts';
import { type Step, stepRunner } from './steps.ts';

const shots = resolve(root, 'docs/screenshots');
// The browser first: a missing Chromium must fail before a `wrangler dev` is left running without its stop().
const browser = await launch();
const harness = await startHarness();

const { step: runStep, tally } = stepRunner();
const only = process.env.E2E_ONLY;
/** Steps every filtered run keeps: the sign-in the others need, and the checks over every view shown. */
const ALWAYS = /^(signs in|every view the story showed|ran every view)/;
const step: Step = (name, fn) =>
  !only || name.startsWith(only) || ALWAYS.test(name) ? runStep(name, fn) : Promise.resolve();

const context = await newContext(browser, { viewport: { width: 1280, height: 860 }, acceptDownloads: true });
const page = await context.newPage();
page.on('pageerror', (error) => console.error('[page error]', error));
/** Screenshots the view for docs/screenshots and checks it with axe (failures fail the run's axe step, at the end). */
async function shot(name: string): Promise<void> {
  await page.screenshot({ path: resolve(shots, `dashboard-${name}.png`) });
  await recordAccessibility(page, name);
}
const dashboard = `${harness.api}/dashboard/`;
let chatbotId = '';

// A blocked script, style or request shows as a console error naming the Content Security Policy.
const cspViolations: string[] = [];
page.on('console', (message) => {
  if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
});

try {
  await step('serves the dashboard with a strict CSP and no-sniff, and leaves the widget embeddable', async () => {
    const res = await page.goto(dashboard);
    const headers = res?.headers() ?? {};
    const csp = headers['content-security-policy'] ?? '';
    for (const directive of ["script-src 'self'", "frame-ancestors 'none'", "object-src 'none'"])
      if (!csp.includes(directive)) throw new Error(`dashboard CSP lacks ${directive}: ${csp}`);
    if (headers['x-content-type-options'] !== 'nosniff') throw new Error('dashboard lacks nosniff');
    if (headers['referrer-policy'] !== 'no-referrer') throw new Error('dashboard lacks Referrer-Policy');
    const widget = await fetch(`${harness.api}/widget.js`);
    if (widget.headers.get('content-security-policy') || widget.headers.get('x-frame-options'))
      throw new Error('widget.js must stay embeddable: no CSP or frame rules');
    const api = await fetch(`${harness.api}/api/v1/auth/me`);
    if (api.headers.get('x-content-type-options') !== 'nosniff') throw new Error('API responses lack nosniff');
  });

  await step('signs in with the seeded owner and sees the home page', async () => {
    await page.goto(dashboard);
    await page.getByLabel('Email').fill(harness.owner.email);
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').getByText("Couldn't sign in").waitFor();
    await shot('sign-in');
    await page.getByLabel('Password').fill(harness.owner.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Home' }).waitFor();
    await page.getByText('Median response time').waitFor();
    // The charts' screen-reader tables must not stretch the page below its last card (they once added ~600 px).
    const overscroll = await page.evaluate(() => {
      const last = [...document.querySelectorAll('main .card')].at(-1);
      const bottom = (last?.getBoundingClientRect().bottom ?? 0) + window.scrollY;
      return document.documentElement.scrollHeight - Math.max(bottom, window.innerHeight);
    });
    assert.ok(overscroll < 80, `the home page scrolls ${overscroll} px past its content`);
    const icon = await page.evaluate(() => document.querySelector<HTMLLinkElement>('link[rel="icon"]')?.href ?? '');
    const iconResponse = await page.request.get(icon);
    assert.equal(iconResponse.status(), 200, 'the favicon is served');
    assert.match(iconResponse.headers()['content-type'] ?? '', /svg/);
    await shot('home');
  });

  await step('creates a chatbot and sets its prompt', async () => {
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Chatbots' }).click();
    await page.getByRole('cell', { name: /Demo assistant/ }).waitFor();
    await shot('chatbots');
    const form = page.getByRole('form', { name: 'New chatbot' });
    await form.getByLabel('Name').fill('Returns helper');
    await form.getByLabel('Description').fill('Answers questions about returns');
    await form.getByRole('button', { name: 'Create chatbot' }).click();
    await page.getByRole('heading', { name: 'Returns helper' }).waitFor();
    chatbotId = decodeURIComponent(new URL(page.url()).hash.split('/')[2] ?? '');
    assert.match(chatbotId, /^bot_/);
    await page.getByLabel('System prompt').fill('You help {{participant.name}} with returns. Be brief.');
    await page.getByLabel('Welcome message').fill('Hi! Ask me about returns.');
    // The model is picked from the provider's list; its parameters are fields with the schema's ranges.
    const model = page.getByRole('combobox', { name: 'Model', exact: true });
    await model.locator('option', { hasText: 'Offline echo' }).waitFor({ state: 'attached' });
    const temperature = page.getByRole('spinbutton', { name: 'Temperature' });
    assert.equal(await temperature.getAttribute('max'), '2');
    await temperature.fill('0.3');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByText('Draft saved').waitFor();
    await page.reload();
    assert.equal(await page.getByRole('spinbutton', { name: 'Temperature' }).inputValue(), '0.3');
    await shot('chatbot-settings');
  });

  await step('publishes the draft with a note and lists the version', async () => {
    await page.getByRole('link', { name: 'Versions' }).click();
    await page.getByLabel('Publish the draft with a note').fill('First release');
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByText('Published: new conversations use it now.').waitFor();
    await page.getByRole('cell', { name: 'First release' }).waitFor();
    await page.getByRole('button', { name: 'Compare with draft' }).first().click();
    await page.getByText('No differences.').waitFor();
    await shot('versions');
  });

  await step('chats in the test panel and watches the reply stream in', async () => {
    await page.getByRole('link', { name: 'Test chat' }).click();
    await page.locator('.test-chat .transcript').waitFor();
    // Every text the reply shows is recorded in the page as it changes: streaming means several growing versions.
    await page.evaluate(() => {
      const seen: string[] = [];
      Object.assign(window, { replyTexts: seen });
      const transcript = document.querySelector('.test-chat .transcript') as Element;
      new MutationObserver(() => {
        const text = [...transcript.querySelectorAll('.bubble.assistant .bubble-text')].at(-1)?.textContent ?? '';
        if (text && text !== '…' && seen.at(-1) !== text) seen.push(text);
      }).observe(transcript, { subtree: true, childList: true, characterData: true });
    });
    await page.getByLabel('Message').fill('Can I return shoes?');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.locator('.test-chat .bubble.assistant').last().waitFor();
    await page.getByRole('button', { name: 'Send' }).waitFor({ state: 'visible' });
    await page.waitForFunction(() => !document.querySelector('.test-chat .bubble.assistant.streaming'), null, {
      timeout: 20_000,
    });
    const texts = await page.evaluate(() => (window as unknown as { replyTexts: string[] }).replyTexts);
    assert.ok(texts.length >= 3, `expected the reply to grow while streaming, saw ${texts.length} versions`);
    const final = texts.at(-1) ?? '';
    assert.ok(
      texts.every((text) => final.startsWith(text)),
      'each version extends the previous one',
    );
    assert.ok(final.length > 10);
    await shot('test-chat');
  });

  await step('finds the conversation, tags it and leaves a comment', async () => {
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Conversations' }).click();
    await page.getByLabel('Chatbot').selectOption(chatbotId);
    const row = await listedRow(async () => {
      await page.reload();
      await page.getByLabel('Chatbot').selectOption(chatbotId);
    });
    await row.getByRole('link').click();
    await page.getByRole('heading', { name: 'Conversation' }).waitFor();
    await page.getByText('Can I return shoes?', { exact: true }).waitFor();
    const conversationTag = page.getByLabel('New tag for conversation tags');
    await conversationTag.fill('returns');
    await conversationTag.press('Enter');
    await page.getByRole('button', { name: 'Remove tag returns' }).waitFor();
    await page.getByRole('textbox', { name: 'Comment', exact: true }).fill('Good answer; reuse for the FAQ.');
    await page.getByRole('button', { name: 'Add comment' }).click();
    await page.getByText('Good answer; reuse for the FAQ.').waitFor();
  });

  await step('tags one reply and comments on one question, under those messages', async () => {
    const reply = page.locator('.message.assistant').first();
    await reply.getByRole('button', { name: 'Add tag' }).click();
    const replyTag = reply.getByLabel(/^New tag for tags of message/);
    await replyTag.fill('needs-source');
    await replyTag.press('Enter');
    await reply.getByRole('button', { name: 'Remove tag needs-source' }).waitFor();
    const question = page.locator('.message.user').first();
    await question.getByRole('button', { name: 'Comment' }).click();
    await question.getByRole('textbox', { name: 'Comment on this message' }).fill('Bought in store, not online.');
    await question.getByRole('button', { name: 'Comment', exact: true }).click();
    await question
      .getByRole('list', { name: /^Comments on message/ })
      .getByText('Bought in store, not online.')
      .waitFor();
    // The comments card lists it too, pointing at the message; the reply's tag stays on the reply only.
    const comments = page.getByRole('region', { name: 'Comments' });
    await comments.getByRole('button', { name: /^on message \d+$/ }).waitFor();
    assert.equal(await question.getByRole('button', { name: 'Remove tag needs-source' }).count(), 0);
    await page.reload();
    await reply.getByRole('button', { name: 'Remove tag needs-source' }).waitFor();
    await shot('transcript');
  });

  if (!only)
    await pipelineDataSteps({ page, dashboard, api: harness.api, apiKey: harness.apiKey, chatbotId, shot }, step);

  await step('exports the filtered conversations as CSV', async () => {
    await page.goto(`${dashboard}#/conversations?tag=returns`);
    await listedRow(() => page.reload().then(() => undefined));
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export CSV' }).click();
    const file = await (await download).path();
    const csv = await readFile(file, 'utf8');
    const lines = csv.trim().split('\n');
    assert.match(lines[0] ?? '', /^conversation_id,chatbot_id/);
    assert.ok(csv.includes('Can I return shoes?'), 'the export holds the user message');
    assert.ok(csv.includes(',returns,'), 'the export holds the tag');
    assert.ok(csv.includes(',needs-source,'), 'the export holds the message tag');
    assert.match(csv, /,\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z,/, 'times are ISO 8601');
    // The tag filter also finds a conversation by a tag on one of its messages.
    await page.goto(`${dashboard}#/conversations?tag=needs-source`);
    await page.getByRole('row').filter({ hasText: 'Returns helper' }).first().waitFor();
    await shot('conversations');
  });

  if (!only) await keyboardSteps(browser, dashboard, harness.owner, step);

  await step(
    'is usable on a 390 px wide phone: the navigation wraps or scrolls, tables scroll in their card',
    async () => {
      await page.setViewportSize({ width: 390, height: 844 });
      try {
        await page.goto(`${dashboard}#/conversations`);
        await page.getByRole('row').filter({ hasText: 'Returns helper' }).first().waitFor();
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(width <= 390, `the page is ${width} px wide at 390 px`);
        await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Members' }).waitFor();
        await shot('phone-conversations');
        await page.goto(`${dashboard}#/`);
        await page.getByText('Median response time').waitFor();
        assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= 390, 'home fits 390 px');
        await shot('phone-home');
      } finally {
        await page.setViewportSize({ width: 1280, height: 860 });
      }
    },
  );

  await step('invites a viewer, who joins by the link and can read but not change', async () => {
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Members' }).click();
    const invite = page.getByRole('form', { name: 'Invite' });
    await invite.getByLabel('Invite by email').fill('reviewer@example.com');
    await invite.getByLabel('Role').selectOption('viewer');
    await invite.getByRole('button', { name: 'Create invitation link' }).click();
    const link = (await page.locator('.banner.notice code').textContent()) ?? '';
    assert.match(link, /#invite=[\w-]{20,}$/);
    await page
      .getByRole('row')
      .filter({ hasText: 'reviewer@example.com' })
      .getByRole('cell', { name: 'viewer', exact: true })
      .waitFor();
    await page.getByRole('row').filter({ hasText: 'reviewer@example.com' }).getByText('expires in 7 days').waitFor();
    // The form is ready for the next invitation, back on the default role (never on owner).
    assert.equal(await invite.getByLabel('Role').inputValue(), 'editor');
    await shot('members');

    // The invited person: another browser, no session. A new account needs a name and a password of 12+.
    const guest = await newContext(browser, { viewport: { width: 1280, height: 860 } });
    try {
      const reviewer = await guest.newPage();
      reviewer.on('pageerror', (error) => console.error('[reviewer page error]', error));
      await reviewer.goto(link);
      await reviewer.getByRole('heading', { name: 'Join the team' }).waitFor();
      await recordAccessibility(reviewer, 'join the team (sign-up by invitation)');
      await reviewer.getByLabel('Your name (new accounts)').fill('Rae Viewer');
      await reviewer.getByLabel('Password').fill('short');
      await reviewer.getByRole('button', { name: 'Accept invitation' }).click();
      await reviewer.getByRole('alert').getByText("Couldn't accept the invitation").waitFor();
      await reviewer.getByLabel('Password').fill('a long enough passphrase');
      await reviewer.getByRole('button', { name: 'Accept invitation' }).click();
      await reviewer.getByRole('heading', { name: 'Home' }).waitFor();
      await reviewer.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Chatbots' }).click();
      await reviewer.getByRole('cell', { name: /Returns helper/ }).waitFor();
      // A viewer reads: no form to create a chatbot.
      assert.equal(await reviewer.getByRole('form', { name: 'New chatbot' }).count(), 0);
      // Nor a Test chat tab it could not use (sending needs the chat permission).
      await reviewer.goto(`${dashboard}#/chatbots/${chatbotId}`);
      await reviewer
        .getByRole('navigation', { name: 'Chatbot sections' })
        .getByRole('link', { name: 'Versions' })
        .waitFor();
      const sections = reviewer.getByRole('navigation', { name: 'Chatbot sections' });
      assert.equal(await sections.getByRole('link', { name: 'Test chat' }).count(), 0);
    } finally {
      await guest.close();
    }
    // The invitation was used: it is no longer pending, and the reviewer is a member.
    await page.reload();
    await page.getByRole('cell', { name: /Rae Viewer/ }).waitFor();
    assert.equal(await page.getByRole('row').filter({ hasText: 'expires' }).count(), 0);
  });

  await step('audit log shows who created and published the chatbot', async () => {
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Audit log' }).click();
    await page
      .getByRole('cell', { name: /chatbot\.create/ })
      .first()
      .waitFor();
    await shot('audit-log');
  });

  await step('channels and providers pages explain what to do next; a credential lists its models', async () => {
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Channels' }).click();
    await page.getByRole('button', { name: 'Add channel' }).click();
    await page.getByLabel('Bot Token').waitFor();
    await shot('channels');
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Providers' }).click();
    await page.getByRole('heading', { name: 'OpenAI', exact: true }).waitFor();
    // A credential's models come from the provider through the API (here the fake OpenAI-compatible server).
    const credential = page.getByRole('listitem', { name: 'Flaky assistant (e2e)' });
    await credential.getByRole('button', { name: 'Models' }).click();
    const models = page.getByRole('region', { name: 'Models of Flaky assistant (e2e)' });
    await models.getByText(/models available/).waitFor();
    assert.ok((await models.getByRole('row').count()) > 2, 'the model list shows the provider’s models');
    await credential.getByRole('button', { name: 'Test connection' }).click();
    await credential
      .getByRole('status')
      .getByText(/Connected/)
      .waitFor();
    await shot('providers');
    // A failed test is an error (role=alert), not an info box; a credential can be edited (renamed here).
    await credential.getByRole('button', { name: 'Edit' }).click();
    const edit = page.getByRole('form', { name: 'Edit Flaky assistant (e2e)' });
    await edit.getByLabel('Name').fill('Flaky assistant (edited)');
    await edit.getByRole('button', { name: 'Save credentials' }).click();
    await page.getByRole('listitem', { name: 'Flaky assistant (edited)' }).waitFor();
  });

  await step('2FA setup shows a QR code with a text alternative, and the setup key as text', async () => {
    await page.goto(`${dashboard}#/account`);
    await page.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
    const qr = page.getByRole('img', { name: /QR code of the authenticator setup link/ });
    await qr.waitFor();
    // Drawn, not a broken image: the data: URI decoded to a 200 px picture (CSP img-src allows data:).
    assert.ok(await qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), 'QR code drawn');
    assert.match((await page.locator('code.secret').textContent()) ?? '', /^[A-Z2-7]{16,}$/);
    await shot('account-2fa');
  });

  await eventsDashboardSteps({ page, dashboard, api: harness.api, apiKey: harness.apiKey }, step);
  await knowledgeDashboardSteps(page, dashboard, step);
  await mcpServerSteps(page, dashboard, harness, step);

  await customActionsDashboardSteps(page, dashboard, step);

  if (!only) {
    const editor = await pipelineEditorSteps(browser, page, dashboard, step, shot, harness);
    if (editor.frames) await recordFrameTimes(editor.frames);
    await dashboardViewSteps(page, dashboard, chatbotId, step);
  }

  await step('every view the story showed passed axe (WCAG 2.2 AA; failures printed where they happened)', async () => {
    assertNoRecordedViolations();
  });

  await step('ran every view without a Content Security Policy violation', async () => {
    assert.deepEqual(cspViolations, []);
  });
} finally {
  await browser.close();
  await harness.stop();
}

console.log(`\n${axeSummary()}\n\n${tally.passed} passed, ${tally.failed} failed`);
if (tally.failed > 0) process.exitCode = 1;

/**
 * The test chat's conversation, once the list shows it. Lists skip conversations whose messages the queue consumer has
 * not indexed yet (messageCount 0), so right after a chat the first load can miss it by a batch: reload until it shows.
 */
async function listedRow(reload: () => Promise<void>) {
  const row = page.getByRole('row').filter({ hasText: 'Returns helper' }).first();
  for (let attempt = 0; attempt < 10; attempt++) {
    try {
      await row.waitFor({ timeout: 3000 });
      return row;
    } catch {
      await reload();
    }
  }
  await row.waitFor();
  return row;
}
