import { env, SELF } from 'cloudflare:test';
import { describe, expect, inject, it } from 'vitest';
import { addChatbot, authed, BASE, seedDemo } from '../../test/seed.ts';
import { simpleDefinition } from '../chatbots/definition.ts';
import type { ConversationMessage } from '../conversation/protocol.ts';
import { scheduleStub } from './client.ts';

/** A chatbot on the real OpenAI plugin and SDK, pointed at the fake's `fake-script` model, with the reminder tools. */
async function reminderChatbot(teamId: string): Promise<string> {
  const credentialId = `cred_${crypto.randomUUID()}`;
  const definition = simpleDefinition({
    providerId: 'openai',
    credentialId,
    model: 'fake-script',
    systemPrompt: 'You help people remember things.',
    parameters: {},
    tools: ['builtin:reminders'],
    maxToolSteps: 2,
  });
  return addChatbot(teamId, definition, {
    id: credentialId,
    providerId: 'openai',
    settings: { baseUrl: inject('fakeServers').openai, maxRetries: 0 },
    secrets: { apiKey: 'test-key' },
  });
}

interface ToolRecord {
  name: string;
  ok: boolean;
}

/**
 * Issue 17's test of the LLM reminder tools: a model (the OpenAI fake, through the official SDK unchanged) calls
 * `create_reminder`, `list_reminders`, `move_reminder` and `cancel_reminder` in a conversation whose chatbot has
 * `builtin:reminders`; each call changes the participant's object, and each result goes back to the model.
 */
describe('the reminder tools, called by a model', () => {
  it('creates, lists, moves and cancels a reminder in the participant’s object', async () => {
    const demo = await seedDemo();
    const chatbotId = await reminderChatbot(demo.teamId);
    const started = await SELF.fetch(
      `${BASE}/api/v1/conversations`,
      authed(demo.apiKey, {
        method: 'POST',
        body: JSON.stringify({ chatbotId, participant: { id: `remind-${crypto.randomUUID()}` } }),
      }),
    );
    expect(started.status).toBe(201);
    const conversation = (await started.json()) as { id: string; participantId: string };
    const ref = { teamId: demo.teamId, participantId: conversation.participantId };
    const stub = scheduleStub(env, ref);

    /** One user turn whose text is the fake model's script: the tool calls it makes. */
    const turn = async (name: string, args: Record<string, unknown>) => {
      const res = await SELF.fetch(
        `${BASE}/api/v1/conversations/${conversation.id}/messages`,
        authed(demo.apiKey, {
          method: 'POST',
          body: JSON.stringify({ text: JSON.stringify([{ name, arguments: args }]) }),
        }),
      );
      expect(res.status).toBe(201);
      const { reply } = (await res.json()) as { reply: ConversationMessage };
      expect(reply.status).toBe('complete');
      expect(reply.metadata.tools as unknown as ToolRecord[]).toEqual([expect.objectContaining({ name, ok: true })]);
      // The fake answers from the tool message it was sent: the result went back to the model.
      const prefix = `Tool ${name} returned: `;
      expect(reply.content.startsWith(prefix)).toBe(true);
      return JSON.parse(reply.content.slice(prefix.length)) as Record<string, unknown>;
    };

    const at = new Date(Math.ceil((Date.now() + 86_400_000) / 1000) * 1000);
    const created = await turn('create_reminder', {
      prompt: 'Remind them to take their medicine',
      at: at.toISOString(),
      timeZone: 'Europe/Berlin',
    });
    const id = String(created.id);
    expect(created).toMatchObject({ status: 'active', nextDueAt: at.toISOString(), timeZone: 'Europe/Berlin' });
    expect(await stub.listSchedules(ref)).toEqual([
      expect.objectContaining({
        id,
        chatbotId,
        origin: 'llm',
        status: 'active',
        nextDueAt: at.getTime(),
        prompt: 'Remind them to take their medicine',
      }),
    ]);

    const listed = await turn('list_reminders', {});
    expect(listed).toEqual({ reminders: [expect.objectContaining({ id, nextDueAt: at.toISOString() })] });

    const later = new Date(at.getTime() + 2 * 3_600_000);
    const moved = await turn('move_reminder', { id, at: later.toISOString() });
    expect(moved).toMatchObject({ id, nextDueAt: later.toISOString() });
    expect(await stub.getSchedule(ref, id)).toMatchObject({ status: 'active', nextDueAt: later.getTime() });

    const cancelled = await turn('cancel_reminder', { id });
    expect(cancelled).toMatchObject({ id, status: 'cancelled', nextDueAt: null });
    expect(await stub.getSchedule(ref, id)).toMatchObject({ status: 'cancelled', nextDueAt: null });
    expect(await stub.listSchedules(ref, { live: true })).toEqual([]);
    // The reminder fired nothing: cancelled before it was due.
    expect(await stub.scheduleAttempts(ref, id)).toEqual([]);
  });
});
