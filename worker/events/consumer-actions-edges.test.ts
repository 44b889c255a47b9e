import { env, SELF } from 'cloudflare:test';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { authed, BASE, seedDemo } from '../../test/seed.ts';
import { conversationStub } from '../conversation/stub.ts';
import { database } from '../db/client.ts';
import { chatbots, conversations } from '../db/schema/index.ts';
import type { EventsMessage } from '../queue/messages.ts';
import { scheduleStub } from '../schedules/client.ts';
import { HANDOVER } from './action-calls.ts';
import { consumeEventMessages } from './consumer.ts';
import { logOf, offlineBot, queued } from './testing.ts';

/** A conversation of `chatbotId` over the API with a new participant, and one user message in it. */
async function talk(apiKey: string, chatbotId: string, text: string) {
  const started = await SELF.fetch(
    `${BASE}/api/v1/conversations`,
    authed(apiKey, {
      method: 'POST',
      body: JSON.stringify({ chatbotId, participant: { id: `p-${crypto.randomUUID()}` } }),
    }),
  );
  expect(started.status).toBe(201);
  const conversation = (await started.json()) as { id: string; participantId: string };
  const sent = await SELF.fetch(
    `${BASE}/api/v1/conversations/${conversation.id}/messages`,
    authed(apiKey, { method: 'POST', body: JSON.stringify({ text }) }),
  );
  expect(sent.status).toBe(201);
  return conversation;
}

const conversationsWith = (participantId: string, chatbotId: string) =>
  database(env.DB)
    .select({ id: conversations.id })
    .from(conversations)
    .where(and(eq(conversations.participantId, participantId), eq(conversations.chatbotId, chatbotId)));

describe('start_pipeline edges', { timeout: 40_000 }, () => {
  it('with history none, the target chatbot sees none of the source conversation', async () => {
    const demo = await seedDemo();
    const target = await offlineBot(demo.teamId);
    const source = await offlineBot(demo.teamId, {
      triggers: [
        { id: 'pass', on: 'user_message', actions: [{ type: 'start_pipeline', chatbotId: target, history: 'none' }] },
      ],
    });
    const conversation = await talk(demo.apiKey, source, 'my secret order number is 4711');
    const [entry] = await logOf(demo.apiKey, conversation.id, 1);
    expect(entry).toMatchObject({ action: 'start_pipeline', outcome: 'ok' });
    const targetId = entry?.detail as string;
    expect(targetId).not.toBe(conversation.id);
    const messages = (await conversationStub(env, targetId).history()).data;
    // Only the target's reply: no user message copied over, and nothing of the source in what it said.
    expect(messages.map((m) => m.role)).toEqual(['assistant']);
    expect(messages[0]?.status).toBe('complete');
    expect(JSON.stringify(messages)).not.toContain('4711');
    // The offline model echoes the instruction it was given: the hand-over alone.
    expect(messages[0]?.content).toContain(HANDOVER.split('.')[0]);
  });

  it('a target archived or unpublished since publish is logged error at once, never retried, and sent nothing', async () => {
    const demo = await seedDemo();
    const target = await offlineBot(demo.teamId);
    const source = await offlineBot(demo.teamId, {
      triggers: [
        {
          id: 'pass',
          on: 'user_message',
          actions: [{ type: 'start_pipeline', chatbotId: target, history: 'conversation' }],
        },
      ],
    });
    const db = database(env.DB);
    await db.update(chatbots).set({ archivedAt: Date.now() }).where(eq(chatbots.id, target));
    const conversation = await talk(demo.apiKey, source, 'hand me over');
    // attempt 1 and logged now: a retry re-sends the call without a log row (action-calls.ts), 30 s later.
    const [archived] = await logOf(demo.apiKey, conversation.id, 1);
    expect(archived).toMatchObject({
      action: 'start_pipeline',
      outcome: 'error',
      error: 'the chatbot is archived or has no published version',
      detail: null,
      attempt: 1,
    });
    expect(await conversationsWith(conversation.participantId, target)).toEqual([]);

    // Unpublished: the same, for a redelivered call (a new log id) straight to the consumer.
    await db.update(chatbots).set({ archivedAt: null, publishedVersionId: null }).where(eq(chatbots.id, target));
    const body: EventsMessage = {
      type: 'events.action',
      ref: {
        conversationId: conversation.id,
        teamId: demo.teamId,
        chatbotId: source,
        participantId: conversation.participantId,
      },
      call: {
        action: 'start_pipeline',
        logId: `evl_${crypto.randomUUID()}`,
        triggerId: 'pass',
        triggerType: 'user_message',
        participantId: conversation.participantId,
        idempotencyKey: `${conversation.id}:unpublished:0`,
        attempt: 1,
        firedAt: Date.now(),
        chatbotId: target,
        history: { throughPosition: 1 },
      },
    };
    await consumeEventMessages([queued(body)], env);
    const [unpublished] = await logOf(demo.apiKey, conversation.id, 2);
    expect(unpublished).toMatchObject({ outcome: 'error', attempt: 1, detail: null });
    expect(await conversationsWith(conversation.participantId, target)).toEqual([]);
  });
});

describe("a participant's invalid time zone", { timeout: 30_000 }, () => {
  it('falls back to UTC for the schedule_message action and for the API, never a 500', async () => {
    const demo = await seedDemo();
    const chatbotId = await offlineBot(demo.teamId, {
      triggers: [
        {
          id: 'later',
          on: 'user_message',
          actions: [{ type: 'schedule_message', prompt: 'Check in', delay: { amount: 1, unit: 'days' } }],
        },
      ],
    });
    const started = await SELF.fetch(
      `${BASE}/api/v1/conversations`,
      authed(demo.apiKey, { method: 'POST', body: JSON.stringify({ chatbotId, participant: { id: 'mars' } }) }),
    );
    const conversation = (await started.json()) as { id: string; participantId: string };
    const { participantId } = conversation;
    for (const timezone of ['Mars/Olympus_Mons', 'x'.repeat(500)]) {
      const put = await SELF.fetch(
        `${BASE}/api/v1/participants/${participantId}/data/${chatbotId}`,
        authed(demo.apiKey, { method: 'PUT', body: JSON.stringify({ timezone }) }),
      );
      expect(put.status).toBeLessThan(300);
      const created = await SELF.fetch(
        `${BASE}/api/v1/participants/${participantId}/schedules`,
        authed(demo.apiKey, {
          method: 'POST',
          body: JSON.stringify({ chatbotId, prompt: 'Hello', at: new Date(Date.now() + 3_600_000).toISOString() }),
        }),
      );
      expect(created.status).toBe(201);
      expect(await created.json()).toMatchObject({ timeZone: 'UTC' });
    }
    const sent = await SELF.fetch(
      `${BASE}/api/v1/conversations/${conversation.id}/messages`,
      authed(demo.apiKey, { method: 'POST', body: JSON.stringify({ text: 'hello' }) }),
    );
    expect(sent.status).toBe(201);
    const [entry] = await logOf(demo.apiKey, conversation.id, 1);
    expect(entry).toMatchObject({ action: 'schedule_message', outcome: 'ok' });
    const ref = { teamId: demo.teamId, participantId };
    const fromAction = await scheduleStub(env, ref).getSchedule(ref, entry?.detail as string);
    expect(fromAction).toMatchObject({ origin: 'action', timeZone: 'UTC', prompt: 'Check in' });
  });
});
