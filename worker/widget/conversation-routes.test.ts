import { env, SELF } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { readUntil } from '../../test/seed.ts';
import { parseSse } from '../../test/sse.ts';
import type { ConversationEvent, ConversationMessage } from '../conversation/protocol.ts';
import { database } from '../db/client.ts';
import { messages } from '../db/schema/index.ts';
import { SecretBox } from '../security/secrets.ts';
import { WIDGET_LIMITS } from './rate-limits.ts';
import { API, EVIL, ORIGIN, openSession, replyDone, seedWidget, socketClient, widgetFetch } from './testing.ts';
import { signWidgetToken, verifyWidgetToken } from './token.ts';

type History = { data: ConversationMessage[]; lastSeq: number };

const send = (conversationId: string, token: string, body: Record<string, unknown>, origin?: string | null) =>
  widgetFetch(`/conversations/${conversationId}/messages`, token, {
    method: 'POST',
    body: JSON.stringify(body),
    origin,
  });

/** Follows the SSE fallback until the reply of the first turn has completed. */
async function followUntilReply(conversationId: string, token: string, after = 0): Promise<ConversationEvent[]> {
  const res = await widgetFetch(`/conversations/${conversationId}/events?after=${after}`, token);
  expect(res.status).toBe(200);
  expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
  return parseSse(await readUntil(res, (text) => replyDone(parseSse(text.slice(0, text.lastIndexOf('\n\n'))))));
}

describe('widget conversation routes', () => {
  it('SSE fallback: POST a message with page context (202), stream the reply, reload the history', async () => {
    const { demo } = await seedWidget();
    const session = await openSession({ widgetKey: demo.widgetKey });
    const context = { url: 'https://shop.example/cart', title: 'Cart', fields: { plan: 'pro', items: 3 } };
    const res = await send(session.conversationId, session.token, { text: 'Hello', clientMessageId: 'w-1', context });
    expect(res.status).toBe(202);
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    const accepted = (await res.json()) as { messageId: string; turnId: string };
    expect(accepted).toMatchObject({
      messageId: expect.stringMatching(/^msg_/),
      turnId: expect.stringMatching(/^turn_/),
    });

    const events = await followUntilReply(session.conversationId, session.token);
    const text = events.flatMap((e) => (e.type === 'delta' ? [e.text] : [])).join('');
    expect(text.length).toBeGreaterThan(0);

    const history = await widgetFetch(`/conversations/${session.conversationId}/messages`, session.token);
    const body = (await history.json()) as History;
    expect(body.data.map((m) => [m.role, m.status])).toEqual([
      ['user', 'complete'],
      ['assistant', 'complete'],
    ]);
    expect(body.data[0]?.metadata).toEqual({ context });
    expect(body.data[1]?.content).toBe(text);
    expect(body.lastSeq).toBe(events.at(-1)?.seq);
    const invalid = await send(session.conversationId, session.token, {
      text: 'x',
      clientMessageId: 'w-2',
      context: { url: 'javascript:alert(1)' },
    });
    expect(invalid.status).toBe(400);
  });

  it('WebSocket with the token in the query streams a reply; the upgrade checks the origin', async () => {
    const { demo } = await seedWidget();
    const session = await openSession({ widgetKey: demo.widgetKey });
    const url = `${API}/conversations/${session.conversationId}/ws?token=${encodeURIComponent(session.token)}`;
    const upgrade = (origin: string | null) =>
      SELF.fetch(url, { headers: { upgrade: 'websocket', ...(origin && { origin }) } });
    expect((await upgrade(EVIL)).status).toBe(403);
    expect((await upgrade(null)).status).toBe(403);
    const res = await upgrade(ORIGIN);
    expect(res.status).toBe(101);
    const client = socketClient(res.webSocket as WebSocket);
    client.ws.send(JSON.stringify({ type: 'message.send', text: 'over the socket', context: { title: 'Pricing' } }));
    await client.until(() => replyDone(client.events()));
    const created = client.events().find((e) => e.type === 'message.created' && e.message.role === 'user');
    expect(created).toMatchObject({
      message: { content: 'over the socket', metadata: { context: { title: 'Pricing' } } },
    });
    client.ws.close(1000);
  });

  it('feedback is stored on the reply, announced, and copied to D1', async () => {
    const { demo } = await seedWidget();
    const session = await openSession({ widgetKey: demo.widgetKey });
    await send(session.conversationId, session.token, { text: 'Rate me', clientMessageId: 'f-1' });
    const events = await followUntilReply(session.conversationId, session.token);
    const reply = events.find((e) => e.type === 'message.completed')?.message as ConversationMessage;
    const user = events.find((e) => e.type === 'message.created')?.message as ConversationMessage;
    const rate = (messageId: string, rating: string | null) =>
      widgetFetch(`/conversations/${session.conversationId}/feedback`, session.token, {
        method: 'POST',
        body: JSON.stringify({ messageId, rating }),
      });
    const res = await rate(reply.id, 'down');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ feedback: { rating: 'down', at: expect.any(Number) } });
    expect((await rate(user.id, 'up')).status).toBe(400);
    expect((await rate('msg_unknown', 'up')).status).toBe(404);
    expect((await rate(reply.id, 'meh')).status).toBe(400);

    const updated = await followUntilReplyUpdated(session.conversationId, session.token, events.at(-1)?.seq ?? 0);
    expect(updated).toMatchObject({
      type: 'message.updated',
      message: { id: reply.id, metadata: { feedback: { rating: 'down' } } },
    });
    const db = database(env.DB);
    await vi.waitFor(
      async () => {
        const row = await db.query.messages.findFirst({ where: eq(messages.id, reply.id) });
        // D1 keeps the rating the list filters on, not the metadata (index-row.ts).
        expect(row?.rating).toBe('down');
      },
      { timeout: 10_000, interval: 100 },
    );
  });

  it('limits messages per participant: 429 with Retry-After over HTTP, a rejected frame over the socket', async () => {
    const { demo } = await seedWidget();
    const session = await openSession({ widgetKey: demo.widgetKey });
    for (let i = 0; i < WIDGET_LIMITS.participantMessages.limit; i++) {
      const res = await send(session.conversationId, session.token, { text: `m${i}`, clientMessageId: `rl-${i}` });
      expect(res.status).toBe(202);
    }
    const limited = await send(session.conversationId, session.token, { text: 'one more', clientMessageId: 'rl-x' });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(await limited.json()).toMatchObject({ error: { code: 'rate_limited' } });
    const url = `${API}/conversations/${session.conversationId}/ws?token=${session.token}&after=1000000`;
    const res = await SELF.fetch(url, { headers: { upgrade: 'websocket', origin: ORIGIN } });
    const client = socketClient(res.webSocket as WebSocket);
    client.ws.send(JSON.stringify({ type: 'message.send', text: 'and another' }));
    // Live events of the queued turns arrive too; the refusal is the one frame without a seq.
    const rejected = () => client.frames.find((f) => (f as { type?: string }).type === 'rejected');
    await client.until(() => rejected() !== undefined);
    expect(rejected()).toMatchObject({
      type: 'rejected',
      error: { code: 'rate_limited', retryAfterSeconds: expect.any(Number) },
    });
    client.ws.close(1000);
    await widgetFetch(`/conversations/${session.conversationId}/cancel`, session.token, { method: 'POST' });
  });

  it('refuses bad, expired, forged and other conversations’ tokens, and wrong or missing origins', async () => {
    const { demo } = await seedWidget();
    const a = await openSession({ widgetKey: demo.widgetKey });
    const b = await openSession({ widgetKey: demo.widgetKey });
    const payload = await verifyWidgetToken(env.ENCRYPTION_KEY, a.token);
    const expired = await signWidgetToken(env.ENCRYPTION_KEY, { ...payload, exp: Math.floor(Date.now() / 1000) - 1 });
    const forged = await signWidgetToken(SecretBox.generateKey(), payload);
    const routes: [string, string, string?][] = [
      ['GET', `/conversations/${a.conversationId}/messages`],
      ['GET', `/conversations/${a.conversationId}/events`],
      ['POST', `/conversations/${a.conversationId}/messages`, JSON.stringify({ text: 'x', clientMessageId: 'c' })],
      ['POST', `/conversations/${a.conversationId}/cancel`],
      ['POST', `/conversations/${a.conversationId}/feedback`, JSON.stringify({ messageId: 'msg_x', rating: 'up' })],
    ];
    for (const [method, path, body] of routes) {
      const call = (token: string | null, origin?: string | null) => widgetFetch(path, token, { method, body, origin });
      const label = `${method} ${path}`;
      expect((await call(null)).status, label).toBe(401);
      expect((await call('v1.bad.token')).status, label).toBe(401);
      expect((await call(forged)).status, label).toBe(401);
      const late = await call(expired);
      expect(late.status, label).toBe(401);
      expect(await late.json()).toMatchObject({ error: { code: 'token_expired' } });
      expect(late.headers.get('access-control-allow-origin')).toBe(ORIGIN);
      expect((await call(b.token)).status, label).toBe(404);
      const evil = await call(a.token, EVIL);
      expect(evil.status, label).toBe(403);
      expect(evil.headers.get('access-control-allow-origin')).toBeNull();
      expect((await call(a.token, null)).status, label).toBe(403);
    }
    // The allowed origin with its own token passes (cancel has no side effect when nothing runs).
    const ok = await widgetFetch(`/conversations/${a.conversationId}/cancel`, a.token, { method: 'POST' });
    expect(await ok.json()).toEqual({ cancelled: false, turnId: null });
  });
});

async function followUntilReplyUpdated(conversationId: string, token: string, after: number) {
  const res = await widgetFetch(`/conversations/${conversationId}/events?after=${after}`, token);
  const text = await readUntil(res, (sofar) => sofar.includes('event: message.updated'));
  return parseSse(text.slice(0, text.lastIndexOf('\n\n'))).find((e) => e.type === 'message.updated');
}
