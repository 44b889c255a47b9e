import { env, runInDurableObject } from 'cloudflare:test';
import { eq, inArray } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { api } from '../../test/api-fixtures.ts';
import type { ConversationMessage } from '../conversation/protocol.ts';
import { database } from '../db/client.ts';
import { chatbots, conversations } from '../db/schema/index.ts';
import { openSession, replyDone, seedWidget, socketClient, widgetFetch } from './testing.ts';

type History = { data: ConversationMessage[]; lastSeq: number };

const send = (conversationId: string, token: string, text: string, clientMessageId: string) =>
  widgetFetch(`/conversations/${conversationId}/messages`, token, {
    method: 'POST',
    body: JSON.stringify({ text, clientMessageId }),
  });

const rowsOf = (ids: string[]) => database(env.DB).select().from(conversations).where(inArray(conversations.id, ids));

/**
 * What a conversation's object has stored: its SQLite tables. Locally every object ever addressed has a database
 * file (listDurableObjectIds lists it), so "no storage" is checked as "nothing written into it".
 */
async function storedTables(conversationId: string): Promise<string[]> {
  const stub = env.CONVERSATIONS.get(env.CONVERSATIONS.idFromName(conversationId));
  return runInDurableObject(stub, (_instance, state) =>
    state.storage.sql
      .exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'")
      .toArray()
      .map((row) => row.name),
  );
}

/** Waits for the analytics consumer to have copied `count` messages of the conversation to D1. */
async function indexed(conversationId: string, count: number) {
  await vi.waitFor(
    async () => {
      const rows = await rowsOf([conversationId]);
      expect(rows).toHaveLength(1);
      expect(rows[0]?.messageCount).toBe(count);
    },
    { timeout: 15_000, interval: 100 },
  );
  return (await rowsOf([conversationId]))[0];
}

describe('a widget conversation starts with its first message', () => {
  it('a burst of sessions never used writes no conversation row and no object storage', async () => {
    const { demo } = await seedWidget();
    const sessions = await Promise.all(Array.from({ length: 8 }, () => openSession({ widgetKey: demo.widgetKey })));
    const ids = sessions.map((s) => s.conversationId);
    expect(new Set(ids).size).toBe(8);

    // The widget opens every session this way: history, then the socket (or the SSE stream).
    for (const s of sessions.slice(0, 3)) {
      const history = await widgetFetch(`/conversations/${s.conversationId}/messages`, s.token);
      expect(history.status).toBe(200);
      expect(await history.json()).toEqual({ data: [], lastSeq: 0, pendingApprovals: [] });
    }
    const ws = await widgetFetch(`/conversations/${ids[0]}/ws?token=${sessions[0]?.token}`, null, {
      headers: { upgrade: 'websocket' },
    });
    expect(ws.status).toBe(101);
    socketClient(ws.webSocket as WebSocket).ws.close(1000);
    const events = await widgetFetch(`/conversations/${ids[1]}/events`, sessions[1]?.token ?? '');
    expect(events.status).toBe(200);
    await events.body?.cancel();
    const feedback = await widgetFetch(`/conversations/${ids[2]}/feedback`, sessions[2]?.token ?? '', {
      method: 'POST',
      body: JSON.stringify({ messageId: 'msg_x', rating: 'up' }),
    });
    expect(feedback.status).toBe(404);

    expect(await rowsOf(ids)).toEqual([]);
    for (const id of ids) expect(await storedTables(id), id).toEqual([]);
    const listed = await api.get(demo.apiKey, '/api/v1/conversations?includeEmpty=true&limit=100');
    expect(listed.status).toBe(200);
    const listedIds = ((await listed.json()) as { data: { id: string }[] }).data.map((c) => c.id);
    for (const id of ids) expect(listedIds).not.toContain(id);
  });

  it('the first message creates exactly one row, pinned to the session’s version and participant', async () => {
    const { demo } = await seedWidget();
    const session = await openSession({ widgetKey: demo.widgetKey });
    const client = socketClient(
      (
        await widgetFetch(`/conversations/${session.conversationId}/ws?token=${session.token}`, null, {
          headers: { upgrade: 'websocket' },
        })
      ).webSocket as WebSocket,
    );
    const before = Date.now();
    client.ws.send(JSON.stringify({ type: 'message.send', text: 'Hello', clientMessageId: 'first-1' }));
    await client.until(() => replyDone(client.events()));
    client.ws.close(1000);

    const row = await indexed(session.conversationId, 2);
    const chatbot = await database(env.DB).query.chatbots.findFirst({ where: eq(chatbots.id, demo.chatbotId) });
    expect(row).toMatchObject({
      chatbotId: demo.chatbotId,
      chatbotVersionId: chatbot?.publishedVersionId,
      participantId: session.participantId,
      channelId: null,
      status: 'active',
    });
    expect(row?.createdAt).toBeGreaterThanOrEqual(before);
    expect(await storedTables(session.conversationId)).toContain('messages');
    const listed = await api.get(demo.apiKey, '/api/v1/conversations');
    expect(((await listed.json()) as { data: { id: string }[] }).data.map((c) => c.id)).toContain(
      session.conversationId,
    );
  });

  it('concurrent first messages make one conversation and one row', async () => {
    const { demo } = await seedWidget();
    const session = await openSession({ widgetKey: demo.widgetKey });
    const sends = await Promise.all(
      ['a', 'b', 'c'].map((name) => send(session.conversationId, session.token, `Hi ${name}`, `burst-${name}`)),
    );
    expect(sends.map((res) => res.status)).toEqual([202, 202, 202]);
    await vi.waitFor(
      async () => {
        const history = (await (
          await widgetFetch(`/conversations/${session.conversationId}/messages`, session.token)
        ).json()) as History;
        expect(history.data.filter((m) => m.role === 'user')).toHaveLength(3);
        expect(history.data.some((m) => m.role === 'assistant' && m.status === 'complete')).toBe(true);
      },
      { timeout: 15_000, interval: 100 },
    );
    const history = (await (
      await widgetFetch(`/conversations/${session.conversationId}/messages`, session.token)
    ).json()) as History;
    await indexed(session.conversationId, history.data.length);
    const db = database(env.DB);
    const all = await db.select().from(conversations).where(eq(conversations.participantId, session.participantId));
    expect(all.map((c) => c.id)).toEqual([session.conversationId]);
  });

  it('a reload right after the first message resumes it, before and after its row exists', async () => {
    const { demo } = await seedWidget();
    const first = await openSession({ widgetKey: demo.widgetKey });
    // Before any message: a reload (or token refresh) names the same conversation, still without a row.
    const same = await openSession({ widgetKey: demo.widgetKey, anonymousId: first.anonymousId });
    expect(same.conversationId).toBe(first.conversationId);
    expect((await send(first.conversationId, first.token, 'Remember me', 'reload-1')).status).toBe(202);
    // At once, as the page reloads: the row may still be on the queue.
    const reload = await openSession({
      widgetKey: demo.widgetKey,
      anonymousId: first.anonymousId,
      conversationId: first.conversationId,
    });
    expect(reload.conversationId).toBe(first.conversationId);
    const history = (await (
      await widgetFetch(`/conversations/${reload.conversationId}/messages`, reload.token)
    ).json()) as History;
    expect(history.data[0]).toMatchObject({ role: 'user', content: 'Remember me' });

    await indexed(first.conversationId, 2);
    const later = await openSession({ widgetKey: demo.widgetKey, anonymousId: first.anonymousId });
    expect(later.conversationId).toBe(first.conversationId);
    // Ended, the next session names a new conversation, which again has no row until it is used.
    expect((await api.send(demo.apiKey, 'POST', `/api/v1/conversations/${first.conversationId}/end`)).status).toBe(200);
    const next = await openSession({
      widgetKey: demo.widgetKey,
      anonymousId: first.anonymousId,
      conversationId: first.conversationId,
    });
    expect(next.conversationId).not.toBe(first.conversationId);
    expect(await rowsOf([next.conversationId])).toEqual([]);
  });
});
