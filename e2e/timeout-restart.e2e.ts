/// <reference types="node" />
/**
 * Issue 17's first reliability budget under a real `wrangler dev`: "an inactivity timeout of N seconds fires within
 * N + 2 s locally, exactly once, also when … the Worker restarted in between". A published chatbot with a 30 s
 * inactivity trigger gets a message; `wrangler dev` is stopped and started again on the same state (as an operator
 * restarting `npm start` would) while the timer waits; the follow-up must then arrive once, 30–32 s after the
 * participant's last message. The eviction half of the budget is worker/events/timers.test.ts.
 * Usage: `E2E_PORT=… tsx e2e/timeout-restart.e2e.ts`.
 */
import assert from 'node:assert/strict';
import { startHarness } from './harness.ts';
import { stepRunner } from './steps.ts';

/** The trigger's delay: long enough that a restart (≈ 5–15 s on a 2-core machine) ends before the timer is due. */
const DELAY_SECONDS = 30;
/** The budget's slack: "within N + 2 s". */
const SLACK_MS = 2_000;
const FOLLOW_UP = 'Still there? (e2e follow-up)';

const harness = await startHarness();
const { step, tally } = stepRunner();

async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${harness.api}${path}`, {
    method,
    headers: { authorization: `Bearer ${harness.apiKey}`, 'content-type': 'application/json' },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  assert.ok(res.status < 300, `${method} ${path}: ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

interface Message {
  role: string;
  content: string;
  createdAt: string | number;
}

/** Unix ms, whether the API answers ISO text or a number. */
const at = (message: Message) =>
  typeof message.createdAt === 'number' ? message.createdAt : Date.parse(message.createdAt);

const messagesOf = async (conversationId: string) =>
  (await api<{ data: Message[] }>('GET', `/api/v1/conversations/${conversationId}/messages?limit=100`)).data;

let conversationId = '';
let lastMessageAt = 0;

try {
  await step('a published chatbot with a 30 s inactivity trigger gets a message', async () => {
    // The offline chatbot's draft definition (any seeded chatbot with a draft; the e2e extras have none).
    const bots = await api<{ data: { id: string }[] }>('GET', '/api/v1/chatbots');
    let draft: { definition: Record<string, unknown> } | undefined;
    for (const bot of bots.data) {
      const res = await fetch(`${harness.api}/api/v1/chatbots/${bot.id}/versions/0`, {
        headers: { authorization: `Bearer ${harness.apiKey}` },
      });
      if (res.ok) {
        draft = (await res.json()) as { definition: Record<string, unknown> };
        break;
      }
    }
    assert.ok(draft, 'a seeded chatbot has a draft');
    const definition = {
      ...draft.definition,
      events: {
        triggers: [
          {
            id: 'nudge',
            on: 'inactivity',
            delaySeconds: DELAY_SECONDS,
            times: 1,
            from: 'last_message',
            actions: [{ type: 'send_message', text: FOLLOW_UP }],
          },
        ],
      },
    };
    const bot = await api<{ id: string }>('POST', '/api/v1/chatbots', { name: 'Timeout across a restart', definition });
    await api('POST', `/api/v1/chatbots/${bot.id}/versions`, { note: 'e2e' });
    conversationId = (await api<{ id: string }>('POST', '/api/v1/conversations', { chatbotId: bot.id })).id;
    await api('POST', `/api/v1/conversations/${conversationId}/messages`, { text: 'Hello' });
    const messages = await messagesOf(conversationId);
    assert.deepEqual(
      messages.map((message) => message.role),
      ['user', 'assistant'],
    );
    // The timer counts from the participant's last message (worker/events/schemas.ts), not the reply.
    const user = messages.find((message) => message.role === 'user');
    assert.ok(user);
    lastMessageAt = at(user);
  });

  await step('wrangler dev restarts on the same state before the timer is due', async () => {
    await harness.restartWorker();
    const restartedAfter = Date.now() - lastMessageAt;
    assert.ok(restartedAfter < DELAY_SECONDS * 1000 - 3_000, `the restart took too long (${restartedAfter} ms)`);
  });

  await step('the follow-up arrives once, within N + 2 s of the last message', async () => {
    const deadline = lastMessageAt + DELAY_SECONDS * 1000 + 20_000;
    let followUps: Message[] = [];
    while (Date.now() < deadline) {
      followUps = (await messagesOf(conversationId)).filter((message) => message.content === FOLLOW_UP);
      if (followUps.length > 0) break;
      await new Promise((done) => setTimeout(done, 250));
    }
    const [first] = followUps;
    assert.ok(first, 'the inactivity follow-up arrived');
    const late = at(first) - lastMessageAt;
    assert.ok(late >= DELAY_SECONDS * 1000, `fired early: ${late} ms after the last message`);
    assert.ok(late <= DELAY_SECONDS * 1000 + SLACK_MS, `fired ${late} ms after the last message (budget N + 2 s)`);
    console.log(`  follow-up ${late} ms after the last message (budget ${DELAY_SECONDS * 1000 + SLACK_MS} ms)`);
    // Exactly once: nothing more after the alarm's own retry window.
    await new Promise((done) => setTimeout(done, 5_000));
    const again = (await messagesOf(conversationId)).filter((message) => message.content === FOLLOW_UP);
    assert.equal(again.length, 1);
  });
} finally {
  await harness.stop();
}
console.log(`\n${tally.passed} passed, ${tally.failed} failed`);
if (tally.failed > 0) process.exitCode = 1;
