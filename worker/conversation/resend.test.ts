import { abortAllDurableObjects, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { authed, BASE, readUntil, seedDemo, startConversation } from '../../test/seed.ts';
import { parseSse } from '../../test/sse.ts';
import type { ConversationMessage } from './protocol.ts';

type Answer = { message: ConversationMessage; reply: ConversationMessage | null };

describe('re-sending a clientMessageId', () => {
  it('runs a turn that ended in an error again: one new reply, no second user message; other text → 409', async () => {
    const demo = await seedDemo();
    const conversationId = await startConversation(demo.apiKey, demo.chatbotId);
    const url = `${BASE}/api/v1/conversations/${conversationId}/messages`;
    const body = JSON.stringify({ text: 'tell me everything', clientMessageId: 'retry-1' });
    const post = (payload: string, headers: Record<string, string> = {}) =>
      SELF.fetch(url, authed(demo.apiKey, { method: 'POST', body: payload, headers }));
    const first = await post(body, { accept: 'text/event-stream' });
    const firstEvents = parseSse(await readUntil(first, (text) => parseSse(text).some((e) => e.type === 'delta')));
    await abortAllDurableObjects();
    const list = async () =>
      ((await (await SELF.fetch(url, authed(demo.apiKey))).json()) as { data: ConversationMessage[] }).data;
    const interrupted = (await list()).find((m) => m.role === 'assistant');
    expect(interrupted?.error?.code).toBe('interrupted');

    // The resend streams like the first send: the user message first, then the one new reply.
    const retried = parseSse(
      await readUntil(await post(body, { accept: 'text/event-stream' }), (text) => text.includes('message.completed')),
    );
    expect(retried[0]).toMatchObject({
      type: 'message.created',
      message: { role: 'user', clientMessageId: 'retry-1' },
    });
    const created = (events: ReturnType<typeof parseSse>) =>
      events[0]?.type === 'message.created' ? events[0].message.id : undefined;
    expect(created(retried)).toBe(created(firstEvents));
    const completed = retried.find((e) => e.type === 'message.completed');
    expect(completed).toMatchObject({ message: { role: 'assistant', status: 'complete' } });
    expect(retried.some((e) => e.type === 'message.created' && e.message.id === interrupted?.id)).toBe(false);

    const messages = await list();
    expect(messages.filter((m) => m.role === 'user')).toHaveLength(1);
    const replies = messages.filter((m) => m.role === 'assistant');
    expect(replies.map((m) => m.status)).toEqual(['error', 'complete']);

    // Now the turn has a good reply: the same id replays it, in the shape of a first answer.
    const replay = await post(body);
    expect(replay.status).toBe(200);
    const replayed = (await replay.json()) as Answer;
    expect(Object.keys(replayed).sort()).toEqual(['message', 'reply']);
    expect(replayed.reply?.id).toBe(replies[1]?.id);
    expect(replayed.message.id).toBe(messages.find((m) => m.role === 'user')?.id);

    const conflict = await post(JSON.stringify({ text: 'something else', clientMessageId: 'retry-1' }));
    expect(conflict.status).toBe(409);
    expect(await conflict.json()).toMatchObject({ error: { code: 'client_message_id_conflict' } });
    expect((await list()).length).toBe(messages.length);
  });

  it('answers a retried synchronous send like a first one (201 with message and reply)', async () => {
    const demo = await seedDemo();
    const conversationId = await startConversation(demo.apiKey, demo.chatbotId);
    const url = `${BASE}/api/v1/conversations/${conversationId}/messages`;
    const body = JSON.stringify({ text: 'tell me everything', clientMessageId: 'retry-2' });
    const first = await SELF.fetch(
      url,
      authed(demo.apiKey, { method: 'POST', body, headers: { accept: 'text/event-stream' } }),
    );
    await readUntil(first, (text) => parseSse(text).some((e) => e.type === 'delta'));
    await abortAllDurableObjects();
    const res = await SELF.fetch(url, authed(demo.apiKey, { method: 'POST', body }));
    expect(res.status).toBe(201);
    const answer = (await res.json()) as Answer;
    expect(Object.keys(answer).sort()).toEqual(['message', 'reply']);
    expect(answer.reply?.status).toBe('complete');
    expect(answer.message.clientMessageId).toBe('retry-2');
  });
});
