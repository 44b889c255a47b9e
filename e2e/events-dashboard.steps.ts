/// <reference types="node" />
/**
 * Events and schedules in the dashboard (issue 17 §5): on a chatbot's Events tab an admin adds an inactivity trigger
 * with two actions and sees it after a reload; adds a `conversation_started` trigger with a `log` action, publishes,
 * sends a message over the API and finds the firing in the `#/events` log with a filter applied; on a participant
 * creates a recurring schedule (an invalid time zone first, refused under its field), pauses, resumes and moves it,
 * opens the attempts of one that fired, and cancels it. Saves docs/screenshots/chatbot-events.png, events-log.png and
 * participant-schedules.png; every view is checked by axe (e2e/a11y.ts).
 */
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { root } from '../scripts/build-ui.ts';
import { recordAccessibility } from './a11y.ts';
import { settled } from './dashboard-views.steps.ts';
import type { Step } from './steps.ts';

interface Context {
  page: Page;
  dashboard: string;
  api: string;
  apiKey: string;
}

/** The log is written by the queue consumer a few seconds after a firing; on a loaded 2-core machine, more. */
const LOG_TIMEOUT_MS = 60_000;

async function call<T>(context: Context, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${context.api}${path}`, {
    method,
    headers: { authorization: `Bearer ${context.apiKey}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  assert.ok(res.ok, `${method} ${path}: ${res.status} ${await res.clone().text()}`);
  return (res.status === 204 ? null : await res.json()) as T;
}

async function shot(page: Page, name: string): Promise<void> {
  await settled(page);
  await page.screenshot({ path: resolve(root, `docs/screenshots/${name}.png`), fullPage: true });
  await recordAccessibility(page, `events: ${name}`);
}

/** The page's document is no wider than its viewport: nothing overflows sideways. */
async function assertNoOverflow(page: Page, view: string): Promise<void> {
  const { scroll, width } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    width: window.innerWidth,
  }));
  assert.ok(scroll <= width, `${view} is ${scroll} px wide in a ${width} px window`);
}

export async function eventsDashboardSteps(context: Context, step: Step) {
  const { page, dashboard } = context;
  let chatbotId = '';

  await step(
    "events: the chatbot's Events tab adds an inactivity trigger with two actions; a reload keeps it",
    async () => {
      const bot = await call<{ id: string }>(context, 'POST', '/api/v1/chatbots', { name: 'Check-in coach' });
      chatbotId = bot.id;
      await page.goto(`${dashboard}#/chatbots/${chatbotId}/events`);
      await page.getByText('No triggers yet.').waitFor();
      await page.getByRole('button', { name: 'Add trigger' }).click();
      let form = page.getByRole('form', { name: /^Trigger / });
      await form.getByLabel('When').selectOption('inactivity');
      await form.getByLabel('Trigger id').fill('nudge');
      await form.getByLabel('Delay (10 s to 30 days)').fill('15');
      await form.getByLabel('Delay unit').selectOption('minutes');
      await form.getByLabel('Times (1–10)').fill('2');
      const first = form.getByRole('group', { name: 'Action 1' });
      await first.getByLabel('Type').selectOption('bot_message');
      await first.getByLabel(/^Instruction for the bot/).fill('Ask kindly whether they are still there.');
      await form.getByRole('button', { name: 'Add action' }).click();
      const second = form.getByRole('group', { name: 'Action 2' });
      await second.getByLabel('Type').selectOption('tag');
      await second.getByLabel('Tag', { exact: true }).fill('went-quiet');
      await form.getByRole('button', { name: 'Save trigger' }).click();
      await page.getByText('Trigger nudge saved.').waitFor();

      await page.reload();
      const nudge = page.getByRole('article', { name: 'Trigger nudge' });
      await nudge.getByText("15 minutes after the participant's last message, up to 2 times").waitFor();
      await nudge.getByText('Ask the bot to say something').waitFor();
      await nudge.getByText('Tag the conversation').waitFor();
      await nudge.getByText('went-quiet').waitFor();

      // A second trigger: the conversation's start, logged.
      await page.getByRole('button', { name: 'Add trigger' }).click();
      form = page.getByRole('form', { name: /^Trigger / });
      assert.equal(await form.getByLabel('When').inputValue(), 'conversation_started');
      assert.equal(await form.getByLabel('Trigger id').inputValue(), 'conversation-started');
      const log = form.getByRole('group', { name: 'Action 1' });
      assert.equal(await log.getByLabel('Type').inputValue(), 'log');
      await log.getByLabel('Log message (optional)').fill('A conversation began');
      await form.getByRole('button', { name: 'Save trigger' }).click();
      await page.getByText('Trigger conversation-started saved.').waitFor();
      await page.getByRole('article', { name: 'Trigger conversation-started' }).waitFor();
      await assertNoOverflow(page, 'the Events tab');
      await shot(page, 'chatbot-events');
    },
  );

  await step('events: a conversation_started log fires on a message and shows in the event log, filtered', async () => {
    assert.ok(chatbotId, 'the Events tab step created the chatbot');
    await page.getByRole('navigation', { name: 'Chatbot sections' }).getByRole('link', { name: 'Versions' }).click();
    await page.getByLabel('Publish the draft with a note').fill('Check-ins and a start log');
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByText('Published: new conversations use it now.').waitFor();

    const conversation = await call<{ id: string }>(context, 'POST', '/api/v1/conversations', { chatbotId });
    await call(context, 'POST', `/api/v1/conversations/${conversation.id}/messages`, { text: 'Hello, coach!' });

    await page.goto(`${dashboard}#/events?chatbotId=${chatbotId}`);
    await page.getByRole('heading', { level: 1, name: 'Events' }).waitFor();
    await page.getByLabel('Outcome').selectOption('ok');
    assert.match(page.url(), /outcome=ok/);
    const row = page.getByRole('row').filter({ hasText: 'conversation-started' });
    const started = Date.now();
    while (!(await row.count())) {
      assert.ok(Date.now() - started < LOG_TIMEOUT_MS, 'the firing reached the event log');
      await page.waitForTimeout(1500);
      await page.reload();
      await settled(page);
    }
    await row.getByText('A conversation began').waitFor();
    await row.getByText('OK', { exact: true }).waitFor();
    assert.equal(
      await row.getByRole('link', { name: `Open conversation ${conversation.id}` }).getAttribute('href'),
      `#/conversations/${conversation.id}`,
    );
    // Another outcome hides it: the filter is applied by the API, not only shown.
    await page.getByLabel('Outcome').selectOption('error');
    await page.getByText('No trigger has fired for these filters.').waitFor();
    await page.getByLabel('Outcome').selectOption('ok');
    await row.waitFor();
    await assertNoOverflow(page, 'the event log');
    await shot(page, 'events-log');
  });

  await step(
    'events: a participant gets a recurring schedule, paused, resumed, moved, its attempts, cancelled',
    async () => {
      assert.ok(chatbotId, 'the Events tab step created the chatbot');
      const participant = await call<{ id: string }>(context, 'PUT', '/api/v1/participants/api/coach-e2e', {
        name: 'Ada Check-in',
      });
      // What this chatbot knows about them: their time zone, the new schedule's default.
      await call(context, 'PUT', `/api/v1/participants/${participant.id}/data/${chatbotId}`, {
        timezone: 'Asia/Kolkata',
      });
      // One that fires at once (a first time up to 5 minutes past is allowed), so there are attempts to open.
      const fired = await call<{ id: string }>(context, 'POST', `/api/v1/participants/${participant.id}/schedules`, {
        chatbotId,
        prompt: 'Welcome them to the check-in programme.',
        at: new Date().toISOString(),
        timeZone: 'Asia/Kolkata',
      });

      await page.goto(`${dashboard}#/participants/${participant.id}`);
      const section = page.getByRole('region', { name: 'Schedules' });
      // The one that fired at once: its attempt was sent into a new conversation.
      const once = section.getByRole('article').filter({ hasText: 'Welcome them to the check-in programme.' });
      const sent = Date.now();
      while (!(await once.getByText('Done', { exact: true }).count())) {
        assert.ok(Date.now() - sent < LOG_TIMEOUT_MS, 'the one-off schedule fired');
        await page.waitForTimeout(1500);
        await page.reload();
        await settled(page);
      }
      await section.getByRole('button', { name: 'New schedule' }).click();
      const form = section.getByRole('form', { name: 'New schedule' });
      await form.getByRole('combobox', { name: /^Chatbot/ }).selectOption(chatbotId);
      assert.equal(await form.getByRole('combobox', { name: /^Time zone/ }).inputValue(), 'Asia/Kolkata');
      await form.getByLabel('Prompt for the bot').fill('Ask how today went, in one short question.');
      await form.getByLabel('First time (in the time zone above)').fill('2030-01-15T09:00');
      await form.getByLabel('Repeat', { exact: true }).check();
      await form.getByLabel('Every').fill('2');
      await form.getByLabel('Unit').selectOption('days');
      await form.getByLabel('Times in all (empty: no limit)').fill('5');
      // An unknown zone: the API refuses it, and says so under the field.
      await form.getByRole('combobox', { name: /^Time zone/ }).fill('Mars/Olympus');
      await form.getByRole('button', { name: 'Schedule', exact: true }).click();
      const zone = form.getByRole('combobox', { name: /^Time zone/ });
      await form.getByText('must be an IANA time zone such as Europe/London').first().waitFor();
      assert.equal(await zone.getAttribute('aria-invalid'), 'true');
      await zone.fill('Asia/Kolkata');
      await form.getByRole('button', { name: 'Schedule', exact: true }).click();
      await section.getByText(/^Scheduled: first due/).waitFor();

      const recurring = section.getByRole('article').filter({ hasText: 'Ask how today went' });
      await recurring.getByText('Every 2 days, 5 times').waitFor();
      await recurring.getByText(/15 Jan 2030.*09:00|Jan 15, 2030.*09:00/).waitFor();
      await recurring.getByText('Active', { exact: true }).waitFor();

      await recurring.getByRole('button', { name: 'Pause' }).click();
      await recurring.getByText('Paused', { exact: true }).waitFor();
      await recurring.getByRole('button', { name: 'Resume' }).click();
      await recurring.getByText('Active', { exact: true }).waitFor();

      await recurring.getByRole('button', { name: 'Move' }).click();
      const move = recurring.getByRole('form', { name: /^Move the schedule/ });
      assert.equal(await move.getByLabel('Next due (Asia/Kolkata)').inputValue(), '2030-01-15T09:00');
      await move.getByLabel('Next due (Asia/Kolkata)').fill('2030-01-16T18:30');
      await move.getByRole('button', { name: 'Move' }).click();
      await recurring.getByText(/16 Jan 2030.*18:30|Jan 16, 2030.*(18:30|06:30\s?PM)/).waitFor();
      const stored = await call<{ data: { id: string; nextDueAt: string; status: string }[] }>(
        context,
        'GET',
        `/api/v1/participants/${participant.id}/schedules`,
      );
      const moved = stored.data.find((s) => s.id !== fired.id);
      assert.equal(moved?.nextDueAt, '2030-01-16T13:00:00.000Z', '18:30 in Kolkata (UTC+5:30)');
      assert.equal(moved?.status, 'active');

      await recurring.getByRole('button', { name: 'Attempts', exact: true }).click();
      await recurring.getByText(/^No attempts yet\. The first is due/).waitFor();

      await once.getByRole('button', { name: 'Attempts', exact: true }).click();
      const attempts = once.getByRole('table', { name: `Attempts of the schedule ${fired.id}` });
      await attempts.getByText('Sent', { exact: true }).waitFor();
      await attempts.getByRole('link', { name: /^Open conversation conv_/ }).waitFor();
      await assertNoOverflow(page, 'the participant page');
      await shot(page, 'participant-schedules');

      page.once('dialog', (dialog) => void dialog.accept());
      await recurring.getByRole('button', { name: 'Cancel schedule' }).click();
      await recurring.getByText('Cancelled', { exact: true }).first().waitFor();
      assert.equal(await recurring.getByRole('button', { name: 'Pause' }).count(), 0, 'a cancelled schedule is final');
    },
  );
}
