import { env, SELF } from 'cloudflare:test';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { authed, BASE, seedDemo } from '../../test/seed.ts';
import type { ConversationMessage } from '../conversation/protocol.ts';
import { database } from '../db/client.ts';
import { participants } from '../db/schema/index.ts';

async function participantOf(
  apiKey: string,
  chatbotId: string,
  externalId: string,
): Promise<{ id: string; conversationId: string }> {
  const res = await SELF.fetch(
    `${BASE}/api/v1/conversations`,
    authed(apiKey, {
      method: 'POST',
      body: JSON.stringify({ chatbotId, participant: { id: externalId, name: 'Ada' } }),
    }),
  );
  const conversation = (await res.json()) as { id: string; participantId: string };
  return { id: conversation.participantId, conversationId: conversation.id };
}

const trigger = (apiKey: string, chatbotId: string, body: unknown) =>
  SELF.fetch(
    `${BASE}/api/v1/chatbots/${chatbotId}/trigger`,
    authed(apiKey, { method: 'POST', body: JSON.stringify(body) }),
  );

async function messagesOf(apiKey: string, conversationId: string): Promise<ConversationMessage[]> {
  const res = await SELF.fetch(`${BASE}/api/v1/conversations/${conversationId}/messages`, authed(apiKey));
  return ((await res.json()) as { data: ConversationMessage[] }).data;
}

describe('POST /api/v1/chatbots/{id}/trigger', () => {
  it('posts verbatim text as the bot into the participant’s active conversation', async () => {
    const demo = await seedDemo();
    const participant = await participantOf(demo.apiKey, demo.chatbotId, 'ada');
    const res = await trigger(demo.apiKey, demo.chatbotId, {
      participantId: participant.id,
      text: 'Your order has shipped.',
    });
    expect(res.status).toBe(202);
    const body = (await res.json()) as { conversationId: string; message: ConversationMessage };
    expect(body.conversationId).toBe(participant.conversationId);
    expect(body.message).toMatchObject({
      role: 'assistant',
      content: 'Your order has shipped.',
      status: 'complete',
      metadata: { triggered: true },
    });
    expect((await messagesOf(demo.apiKey, participant.conversationId)).map((m) => m.content)).toEqual([
      'Your order has shipped.',
    ]);
    const row = await database(env.DB).query.participants.findFirst({
      where: and(eq(participants.id, participant.id)),
    });
    expect(row?.externalId).toBe('ada');
  });

  it('generates a message from a prompt, which itself is never stored as a message', async () => {
    const demo = await seedDemo();
    const participant = await participantOf(demo.apiKey, demo.chatbotId, 'bob');
    const res = await trigger(demo.apiKey, demo.chatbotId, {
      participantId: participant.id,
      prompt: 'Remind them about tomorrow',
    });
    expect(res.status).toBe(202);
    const body = (await res.json()) as { turnId: string; message: null };
    expect(body.message).toBeNull();
    await vi.waitFor(
      async () => {
        const messages = await messagesOf(demo.apiKey, participant.conversationId);
        expect(messages.map((m) => [m.role, m.status])).toEqual([['assistant', 'complete']]);
        expect(messages[0]?.turnId).toBe(body.turnId);
        expect(messages[0]?.metadata.triggered).toBe(true);
        // The offline provider restates what the model was given: the instruction reached it.
        expect(messages[0]?.content).toContain('Remind them about tomorrow');
      },
      { timeout: 10_000, interval: 100 },
    );
  });

  it('validates the body and scopes everything by team', async () => {
    const demo = await seedDemo();
    const participant = await participantOf(demo.apiKey, demo.chatbotId, 'cy');
    const both = await trigger(demo.apiKey, demo.chatbotId, { participantId: participant.id, text: 'a', prompt: 'b' });
    expect(both.status).toBe(400);
    expect(JSON.stringify(await both.json())).toContain('body.text');
    const neither = await trigger(demo.apiKey, demo.chatbotId, { participantId: participant.id });
    expect(neither.status).toBe(400);
    const other = await seedDemo();
    expect((await trigger(other.apiKey, demo.chatbotId, { participantId: participant.id, text: 'hi' })).status).toBe(
      404,
    );
    expect((await trigger(other.apiKey, other.chatbotId, { participantId: participant.id, text: 'hi' })).status).toBe(
      404,
    );
    expect((await trigger(demo.apiKey, demo.chatbotId, { participantId: 'ptc_nope', text: 'hi' })).status).toBe(404);
    expect((await SELF.fetch(`${BASE}/api/v1/chatbots/${demo.chatbotId}/trigger`, { method: 'POST' })).status).toBe(
      401,
    );
  });
});
