/**
 * No channel plugin exists yet, so this proves the channel contract against FIXTURE_CHANNEL: a minimal signed-JSON
 * channel defined only here. It is a test fixture, never registered in plugins/registry.ts.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { constantTimeEqual, hmacSha256Hex } from '../crypto.ts';
import type { InboundMessage, InboundRequest, SendResult } from '../index.ts';
import { definePlugin } from '../index.ts';
import { FIXED_EPOCH, fakeServer } from '../testing/fakes.ts';
import { runChannelContract, tamper } from './channel.contract.ts';

const SIGNATURE = 'x-fixture-signature';
const TIMESTAMP = 'x-fixture-timestamp';
const REPLAY_WINDOW_MS = 5 * 60 * 1000;
const API = 'https://fixture-chat.test/api';
const MAX_MESSAGE_LENGTH = 1000;

const fixtureBody = z.object({
  events: z
    .array(
      z.object({
        id: z.string(),
        chat: z.string(),
        from: z.object({ id: z.string(), name: z.string().optional() }),
        text: z.string(),
        ts: z.number(),
      }),
    )
    .default([]),
});

/** FIXTURE: signs `${timestamp}.${body}` with HMAC-SHA256, like Slack and Stripe do. */
const FIXTURE_CHANNEL = definePlugin({
  id: 'fixture-signed-json',
  kind: 'channel',
  displayName: 'Fixture: signed JSON',
  description: 'Test fixture for the channel contract. Not a real platform; never registered.',
  version: '0.0.1',
  settings: z.object({
    apiBaseUrl: z.url().default(API),
    signingSecret: z.string().min(16),
    botToken: z.string().min(1),
  }),
  secrets: ['signingSecret', 'botToken'],
  capabilities: {
    inbound: ['text'],
    typingIndicator: false,
    editMessages: false,
    maxMessageLength: MAX_MESSAGE_LENGTH,
  },
  async verify(settings, request, now) {
    const signature = request.headers.get(SIGNATURE);
    const timestamp = Number(request.headers.get(TIMESTAMP));
    if (!signature || !Number.isFinite(timestamp)) return { ok: false, status: 401, reason: 'Missing signature' };
    if (Math.abs(now - timestamp) > REPLAY_WINDOW_MS) return { ok: false, status: 401, reason: 'Stale timestamp' };
    const expected = `v1=${await hmacSha256Hex(settings.signingSecret, `${timestamp}.${request.rawBody}`)}`;
    return constantTimeEqual(signature, expected) ? { ok: true } : { ok: false, status: 401, reason: 'Bad signature' };
  },
  parse(request) {
    const body = fixtureBody.safeParse(JSON.parse(request.rawBody));
    if (!body.success) return { messages: [] };
    const messages = body.data.events.map(
      (event): InboundMessage => ({
        platformMessageId: event.id,
        conversationKey: event.chat,
        user: event.from.name ? { id: event.from.id, name: event.from.name } : { id: event.from.id },
        content: { kind: 'text', text: event.text },
        sentAt: event.ts,
      }),
    );
    return { messages };
  },
  async send(ctx, message): Promise<SendResult> {
    const platformMessageIds: string[] = [];
    for (let start = 0; start < message.text.length; start += MAX_MESSAGE_LENGTH) {
      const response = await ctx.fetch(`${ctx.settings.apiBaseUrl}/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ctx.settings.botToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          chat: message.conversationKey,
          text: message.text.slice(start, start + MAX_MESSAGE_LENGTH),
        }),
        signal: ctx.signal,
      });
      if (!response.ok) {
        const retryable = response.status === 429 || response.status >= 500;
        return { ok: false, retryable, code: `http_${response.status}`, message: await response.text() };
      }
      platformMessageIds.push(z.object({ id: z.string() }).parse(await response.json()).id);
    }
    return { ok: true, platformMessageIds };
  },
});

const settings = { apiBaseUrl: API, signingSecret: 'fixture-signing-secret-0123456789', botToken: 'fixture-bot-token' };

async function signed(body: unknown): Promise<InboundRequest> {
  const rawBody = JSON.stringify(body);
  const signature = `v1=${await hmacSha256Hex(settings.signingSecret, `${FIXED_EPOCH}.${rawBody}`)}`;
  const headers = new Headers({
    'content-type': 'application/json',
    [SIGNATURE]: signature,
    [TIMESTAMP]: `${FIXED_EPOCH}`,
  });
  return { method: 'POST', url: 'https://parley.test/webhooks/fixture-signed-json/bot-1', headers, rawBody };
}

/** The fixture platform's API: accepts authorized message posts and answers with a fresh message id. */
function fixturePlatform() {
  let sent = 0;
  return fakeServer(async (request) => {
    const url = new URL(request.url);
    if (request.method !== 'POST' || url.pathname !== '/api/messages') return new Response('', { status: 404 });
    if (request.headers.get('authorization') !== `Bearer ${settings.botToken}`) {
      return new Response('', { status: 401 });
    }
    sent++;
    return Response.json({ id: `out-${sent}` });
  });
}

const event = (id: string, text: string) => ({
  id,
  chat: 'chat-42',
  from: { id: 'user-7', name: 'Ada' },
  text,
  ts: FIXED_EPOCH,
});

const omitted = runChannelContract(FIXTURE_CHANNEL, {
  context: ({ signal, clock }) => ({ settings, fetch: fixturePlatform().fetch, clock, signal }),
  now: FIXED_EPOCH,
  samples: [
    { name: 'one text message', request: await signed({ events: [event('m-1', 'Hello there')] }) },
    {
      name: 'two messages in one delivery',
      request: await signed({ events: [event('m-2', 'a'), event('m-3', 'b')] }),
      messages: 2,
    },
    { name: 'keep-alive ping', request: await signed({ type: 'ping' }), messages: 0 },
  ],
  signatureHeaders: [SIGNATURE, TIMESTAMP],
  replayWindowMs: REPLAY_WINDOW_MS,
  outbound: { conversationKey: 'chat-42', text: 'Hi **Ada**' },
});

describe('channel contract helpers', () => {
  it('leaves out exactly the checks for hooks the fixture lacks, each with its reason', () => {
    // The fixture signs its body and has a replay window, but no handshake and no optional hooks.
    expect(omitted.map(({ check }) => check)).toEqual([
      'answers no handshake for ordinary webhooks',
      'typing() shows the indicator through ctx.fetch',
      'typing() without a reply-to answers a result instead of throwing',
      'edit() replaces a sent message and keeps its id',
      'downloadMedia() fetches the bytes and a mime type',
      'sendAudio() uploads a voice message and returns its id',
      'sendFile() uploads a document with its name and returns its id',
      'setup() explains the outcome without echoing secrets',
    ]);
    expect(omitted.find(({ check }) => check.startsWith('edit()'))?.reason).toMatch(/capabilities\.editMessages/);
  });

  it('tamper changes exactly one character and keeps hex hex', () => {
    const hex = 'v1=0123456789abcdef';
    const changed = tamper(hex);
    expect(changed).not.toBe(hex);
    expect(changed).toHaveLength(hex.length);
    expect(changed.slice(3)).toMatch(/^[0-9a-f]+$/);
    expect([...changed].filter((char, i) => char !== hex[i])).toHaveLength(1);
  });

  it('the fixture splits long messages, and the fake platform records them', async () => {
    const platform = fixturePlatform();
    const ctx = {
      settings,
      fetch: platform.fetch,
      clock: { now: () => 0, sleep: async () => {} },
      signal: AbortSignal.abort(),
    };
    await expect(FIXTURE_CHANNEL.send(ctx, { conversationKey: 'c', text: 'x' })).rejects.toMatchObject({
      name: 'AbortError',
    });
    const live = { ...ctx, signal: new AbortController().signal };
    const result = await FIXTURE_CHANNEL.send(live, { conversationKey: 'chat-9', text: 'y'.repeat(1500) });
    expect(result).toEqual({ ok: true, platformMessageIds: ['out-1', 'out-2'] });
    expect(platform.requests.map((request) => JSON.parse(request.body))).toEqual([
      { chat: 'chat-9', text: 'y'.repeat(1000) },
      { chat: 'chat-9', text: 'y'.repeat(500) },
    ]);
  });
});
