/**
 * Helpers for the webhook pipeline tests: channels of every plugin pointed at the fake platforms, requests signed the
 * way each platform signs them (see plugins/channels/<id>/verify.ts), and polling the result with a deadline.
 */
import { env, SELF } from 'cloudflare:test';
import { and, eq } from 'drizzle-orm';
import { inject } from 'vitest';
import type { ChannelOptions } from '../../worker/channels/options.ts';
import { createChannel } from '../../worker/channels/store.ts';
import type { ConversationMessage } from '../../worker/conversation/protocol.ts';
import { conversationStub } from '../../worker/conversation/stub.ts';
import { database } from '../../worker/db/client.ts';
import { channelInbound, channelThreads } from '../../worker/db/schema/index.ts';
import { BASE, seedDemo } from '../seed.ts';

export type PluginId = 'telegram' | 'whatsapp' | 'messenger' | 'slack' | 'twilio';

const encoder = new TextEncoder();
const hex = (bytes: ArrayBuffer) => [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');

async function hmac(hash: 'SHA-256' | 'SHA-1', secret: string, payload: string): Promise<ArrayBuffer> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash }, false, ['sign']);
  return crypto.subtle.sign('HMAC', key, encoder.encode(payload));
}

/** Secrets of the test channels: the signing halves are what each platform would hold. */
export const SECRETS = {
  telegram: 'test_Webhook-Secret_0123456789',
  meta: 'test-app-secret',
  slack: 'test-slack-signing-secret',
  // The fake Twilio API's own auth token (plugins/channels/twilio/fake/server.ts): sends authenticate with it.
  twilio: '12345',
  verifyToken: 'test-verify-token',
};

function settingsFor(pluginId: PluginId): Record<string, unknown> {
  const fakes = inject('fakeServers');
  switch (pluginId) {
    case 'telegram':
      return {
        botToken: '123456:TEST-fake-bot-token',
        webhookSecret: SECRETS.telegram,
        botUsername: 'ParleyBot',
        apiBaseUrl: fakes.telegram,
      };
    case 'whatsapp':
      return {
        phoneNumberId: '106540352242922',
        accessToken: 'test-access-token',
        appSecret: SECRETS.meta,
        verifyToken: SECRETS.verifyToken,
        apiBaseUrl: fakes.whatsapp,
      };
    case 'messenger':
      return {
        pageAccessToken: 'test-page-token',
        appSecret: SECRETS.meta,
        verifyToken: SECRETS.verifyToken,
        apiBaseUrl: fakes.messenger,
      };
    case 'slack':
      return { botToken: 'xoxb-test-token', signingSecret: SECRETS.slack, apiBaseUrl: fakes.slack };
    case 'twilio':
      return {
        accountSid: `AC${'0'.repeat(31)}1`,
        authToken: SECRETS.twilio,
        smsFrom: '+14155550100',
        apiBaseUrl: fakes.twilio,
      };
  }
}

export interface TestChannel {
  teamId: string;
  chatbotId: string;
  apiKey: string;
  channelId: string;
  pluginId: PluginId;
  url: string;
}

/** A fresh demo team (published offline chatbot) with one channel of `pluginId`, saved without the setup call. */
export async function channelFixture(
  pluginId: PluginId,
  extra: { enabled?: boolean; options?: Partial<ChannelOptions> } = {},
): Promise<TestChannel> {
  const seed = await seedDemo();
  const { row } = await createChannel(database(env.DB), env, seed.teamId, {
    chatbotId: seed.chatbotId,
    pluginId,
    name: `Test ${pluginId}`,
    settings: settingsFor(pluginId),
    ...extra,
  });
  return {
    teamId: seed.teamId,
    chatbotId: seed.chatbotId,
    apiKey: seed.apiKey,
    channelId: row.id,
    pluginId,
    url: `${BASE}/webhooks/${pluginId}/${row.id}`,
  };
}

/** A webhook request as the platform would send it, signed over exactly `body`. */
export async function signedRequest(channel: TestChannel, body: string): Promise<Request> {
  const headers = new Headers();
  switch (channel.pluginId) {
    case 'telegram':
      headers.set('content-type', 'application/json');
      headers.set('x-telegram-bot-api-secret-token', SECRETS.telegram);
      break;
    case 'whatsapp':
    case 'messenger':
      headers.set('content-type', 'application/json');
      headers.set('x-hub-signature-256', `sha256=${hex(await hmac('SHA-256', SECRETS.meta, body))}`);
      break;
    case 'slack': {
      const timestamp = String(Math.floor(Date.now() / 1000));
      headers.set('content-type', 'application/json');
      headers.set('x-slack-request-timestamp', timestamp);
      headers.set('x-slack-signature', `v0=${hex(await hmac('SHA-256', SECRETS.slack, `v0:${timestamp}:${body}`))}`);
      break;
    }
    case 'twilio': {
      headers.set('content-type', 'application/x-www-form-urlencoded');
      const pairs = [...new URLSearchParams(body)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      const payload = channel.url + pairs.map(([k, v]) => k + v).join('');
      const mac = new Uint8Array(await hmac('SHA-1', SECRETS.twilio, payload));
      headers.set('x-twilio-signature', btoa(String.fromCharCode(...mac)));
      break;
    }
  }
  return new Request(channel.url, { method: 'POST', headers, body });
}

export async function deliver(channel: TestChannel, body: string): Promise<Response> {
  return SELF.fetch(await signedRequest(channel, body));
}

/** Polls `read` until `done` holds or the deadline passes; the queue consumer runs with max_batch_timeout = 1 s. */
export async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function threadOf(channelId: string, conversationKey: string) {
  return database(env.DB).query.channelThreads.findFirst({
    where: and(eq(channelThreads.channelId, channelId), eq(channelThreads.conversationKey, conversationKey)),
  });
}

export async function inboundClaims(channelId: string) {
  return database(env.DB).query.channelInbound.findMany({ where: eq(channelInbound.channelId, channelId) });
}

export async function threadsOf(channelId: string) {
  return database(env.DB).query.channelThreads.findMany({ where: eq(channelThreads.channelId, channelId) });
}

export const messagesOf = (conversationId: string): Promise<ConversationMessage[]> =>
  conversationStub(env, conversationId).listMessages();

/** The chat's conversation once it holds `users` user messages with a finished reply each. */
export async function settledConversation(channelId: string, conversationKey: string, users = 1) {
  const thread = await waitFor(
    () => threadOf(channelId, conversationKey),
    (row) => row !== undefined,
  );
  if (!thread) throw new Error(`no thread for ${conversationKey}`);
  const messages = await waitFor(
    () => messagesOf(thread.conversationId),
    (list) =>
      list.filter((m) => m.role === 'user').length >= users &&
      list.filter((m) => m.role === 'assistant' && m.status !== 'streaming').length >= users,
  );
  return { conversationId: thread.conversationId, messages };
}

/** Waits long enough for the consumer to have run (two batch timeouts), for tests asserting nothing happened. */
export const quietPeriod = () => new Promise((resolve) => setTimeout(resolve, 2500));
