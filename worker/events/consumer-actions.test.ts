import { env, SELF } from 'cloudflare:test';
import { describe, expect, it, vi } from 'vitest';
import { addChatbot, authed, BASE, seedDemo } from '../../test/seed.ts';
import { simpleDefinition } from '../chatbots/definition.ts';
import { conversationStub } from '../conversation/stub.ts';
import type { EventsMessage } from '../queue/messages.ts';
import { scheduleStub } from '../schedules/client.ts';
import { consumeEventMessages } from './consumer.ts';
import type { EventLogView } from './log-routes.ts';
import { offlineBot, queued } from './testing.ts';

describe('the start_pipeline action', { timeout: 30_000 }, () => {
  it('runs the target chatbot for the participant with the source transcript, once under redelivery', async () => {
    const demo = await seedDemo();
    const target = await offlineBot(demo.teamId);
    const source = await offlineBot(demo.teamId, {
      triggers: [
        {
          id: 'handover',
          on: 'user_message',
          actions: [{ type: 'start_pipeline', chatbotId: target, history: 'conversation' }],
        },
      ],
    });
    const started = await SELF.fetch(
      `${BASE}/api/v1/conversations`,
      authed(demo.apiKey, { method: 'POST', body: JSON.stringify({ chatbotId: source, participant: { id: 'bo' } }) }),
    );
    const conversation = (await started.json()) as { id: string; participantId: string };
    await SELF.fetch(
      `${BASE}/api/v1/conversations/${conversation.id}/messages`,
      authed(demo.apiKey, { method: 'POST', body: JSON.stringify({ text: 'please hand me over' }) }),
    );
    const entry = await vi.waitFor(
      async () => {
        const res = await SELF.fetch(
          `${BASE}/api/v1/events/log?conversationId=${conversation.id}`,
          authed(demo.apiKey),
        );
        const { data } = (await res.json()) as { data: EventLogView[] };
        expect(data).toHaveLength(1);
        return data[0] as EventLogView;
      },
      { timeout: 20_000, interval: 200 },
    );
    expect(entry).toMatchObject({ action: 'start_pipeline', outcome: 'ok' });
    const targetId = entry.detail as string;
    expect(targetId).not.toBe(conversation.id);
    const replies = async () =>
      (await conversationStub(env, targetId).history()).data.filter((m) => m.role === 'assistant');
    const first = await replies();
    expect(first).toHaveLength(1);
    expect(first[0]?.content).toContain('please hand me over');

    const call = {
      action: 'start_pipeline' as const,
      logId: 'evl_again',
      triggerId: 'handover',
      triggerType: 'user_message',
      participantId: conversation.participantId,
      idempotencyKey: (await idempotencyKeyOf(conversation.id)) as string,
      attempt: 1,
      firedAt: Date.now(),
      chatbotId: target,
      history: { throughPosition: 1 },
    };
    const ref = {
      conversationId: conversation.id,
      teamId: demo.teamId,
      chatbotId: source,
      participantId: call.participantId,
    };
    const body: EventsMessage = { type: 'events.action', ref, call };
    await consumeEventMessages([queued(body)], env);
    await consumeEventMessages([queued(body)], env);
    expect(await replies()).toHaveLength(1);
  });
});

/** The key the firing used: the source conversation, the user message's firing key, action 0. */
async function idempotencyKeyOf(conversationId: string): Promise<string | undefined> {
  const messages = (await conversationStub(env, conversationId).history()).data;
  const user = messages.find((m) => m.role === 'user');
  return user && `${conversationId}:user_message:${user.id}:handover:0`;
}

describe('the schedule_message action', { timeout: 30_000 }, () => {
  it("schedules once for an API conversation's participant, in their time zone, even when redelivered", async () => {
    const demo = await seedDemo();
    const credentialId = `cred_${crypto.randomUUID()}`;
    const definition = simpleDefinition({
      providerId: 'offline',
      credentialId,
      model: 'offline-echo',
      systemPrompt: 'Be brief.',
      parameters: {},
      tools: [],
      maxToolSteps: 1,
    });
    const chatbotId = await addChatbot(
      demo.teamId,
      {
        ...definition,
        events: {
          triggers: [
            {
              id: 'follow-up',
              on: 'conversation_started',
              actions: [{ type: 'schedule_message', prompt: 'Ask how it went', delay: { amount: 2, unit: 'days' } }],
            },
          ],
        },
      },
      { id: credentialId, providerId: 'offline', settings: {}, secrets: {} },
    );
    const started = await SELF.fetch(
      `${BASE}/api/v1/conversations`,
      authed(demo.apiKey, { method: 'POST', body: JSON.stringify({ chatbotId, participant: { id: 'ada' } }) }),
    );
    const conversation = (await started.json()) as { id: string; participantId: string };
    const participantId = conversation.participantId;
    expect(participantId).toMatch(/^ptc_/);
    const put = await SELF.fetch(
      `${BASE}/api/v1/participants/${participantId}/data/${chatbotId}`,
      authed(demo.apiKey, { method: 'PUT', body: JSON.stringify({ timezone: 'Europe/London' }) }),
    );
    expect(put.status).toBeLessThan(300);
    const before = Date.now();
    const sent = await SELF.fetch(
      `${BASE}/api/v1/conversations/${conversation.id}/messages`,
      authed(demo.apiKey, { method: 'POST', body: JSON.stringify({ text: 'hello' }) }),
    );
    expect(sent.status).toBe(201);

    const entry = await vi.waitFor(
      async () => {
        const res = await SELF.fetch(
          `${BASE}/api/v1/events/log?conversationId=${conversation.id}`,
          authed(demo.apiKey),
        );
        const { data } = (await res.json()) as { data: EventLogView[] };
        expect(data).toHaveLength(1);
        return data[0] as EventLogView;
      },
      { timeout: 15_000, interval: 200 },
    );
    // The participant reached the firing (conversationMeta keeps it): the log names them, and the schedule is theirs.
    expect(entry).toMatchObject({ action: 'schedule_message', outcome: 'ok', participantId });
    const ref = { teamId: demo.teamId, participantId };
    const schedules = await scheduleStub(env, ref).listSchedules(ref);
    expect(schedules).toHaveLength(1);
    expect(schedules[0]).toMatchObject({
      id: entry.detail,
      chatbotId,
      origin: 'action',
      prompt: 'Ask how it went',
      timeZone: 'Europe/London',
    });
    expect(schedules[0]?.nextDueAt).toBeGreaterThanOrEqual(before + 2 * 86_400_000);

    // The same call redelivered (same firing key) creates nothing more and logs nothing twice.
    const call = {
      action: 'schedule_message' as const,
      logId: 'evl_redelivered',
      triggerId: 'follow-up',
      triggerType: 'conversation_started',
      participantId,
      idempotencyKey: `${conversation.id}:started:follow-up:0`,
      attempt: 1,
      firedAt: before,
      prompt: 'Ask how it went',
      startAt: before + 1,
      recurrence: null,
    };
    const body: EventsMessage = {
      type: 'events.fired',
      ref: { conversationId: conversation.id, teamId: demo.teamId, chatbotId, participantId },
      entries: [],
      tags: [],
      ended: false,
      webhooks: [],
      actions: [call],
    };
    await consumeEventMessages([queued(body)], env);
    await consumeEventMessages([queued(body)], env);
    const after = await scheduleStub(env, ref).listSchedules(ref);
    expect(after.map((s) => s.id)).toEqual([entry.detail]);
  });
});
