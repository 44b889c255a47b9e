import { env, runInDurableObject, SELF } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { inject } from 'vitest';
import type { ChannelOptions } from '../../worker/channels/options.ts';
import { type LlmNode, simpleDefinition } from '../../worker/chatbots/definition.ts';
import type { ConversationMessage } from '../../worker/conversation/protocol.ts';
import { conversationStub } from '../../worker/conversation/stub.ts';
import type { ConversationDO, ConversationMeta } from '../../worker/conversation-do/conversation-do.ts';
import { database } from '../../worker/db/client.ts';
import { channels, conversations, pluginConfigs } from '../../worker/db/schema/index.ts';
import type { EventsSection } from '../../worker/events/schemas.ts';
import { newId } from '../../worker/ids.ts';
import { SecretBox, secretContext } from '../../worker/security/secrets.ts';
import { addChatbot, authed, BASE, seedDemo, startConversation } from '../seed.ts';

/** Test helpers for replies delivered to messaging platforms: a Telegram channel on the fake Bot API. */

export const TELEGRAM_TOKEN = '123456:TEST-fake-bot-token';

/** A chat id of its own for every test: the fake is shared by test files running in parallel. */
export const freshChatId = () => 7_000_000_000 + Math.floor(Math.random() * 1_000_000_000);

export type LlmOverrides = Partial<Omit<LlmNode, 'id' | 'type'>>;

/** A chatbot on the offline provider (tokens paced by `delayMs`) or on the fake OpenAI server (`model: 'fake-…'`). */
async function chatbotFor(
  teamId: string,
  llm: LlmOverrides & { delayMs?: number },
  events?: EventsSection,
): Promise<string> {
  const { delayMs = 0, ...node } = llm;
  const credentialId = `cred_${crypto.randomUUID()}`;
  const openai = node.providerId === 'openai';
  const definition = simpleDefinition({
    providerId: 'offline',
    credentialId,
    model: 'offline-echo',
    systemPrompt: 'Be brief.',
    parameters: {},
    tools: [],
    maxToolSteps: 1,
    ...node,
  });
  return addChatbot(teamId, events ? { ...definition, events } : definition, {
    id: credentialId,
    providerId: openai ? 'openai' : 'offline',
    settings: openai ? { baseUrl: inject('fakeServers').openai, maxRetries: 0 } : { delayMs },
    secrets: openai ? { apiKey: 'test-key' } : {},
  });
}

export interface ChannelChat {
  apiKey: string;
  teamId: string;
  channelId: string;
  conversationId: string;
  chatId: number;
  /** What the Worker hands the conversation object with every call (channel address included). */
  meta: ConversationMeta;
  /** Sends a user message as the inbound pipeline does (detached; the reply is delivered to the chat). */
  post(
    text: string,
    extra?: { cannedReply?: string; clientMessageId?: string; metadata?: Record<string, unknown> },
  ): Promise<Response>;
  messages(): Promise<ConversationMessage[]>;
  stub(): DurableObjectStub<ConversationDO>;
}

/** A Telegram channel of a fresh team and one conversation in chat `chatId`. */
export async function telegramChat(
  options: {
    chatId?: number;
    channelOptions?: Partial<ChannelOptions>;
    llm?: LlmOverrides & { delayMs?: number };
    /** The chatbot's triggers (worker/events). */
    events?: EventsSection;
  } = {},
): Promise<ChannelChat> {
  const demo = await seedDemo();
  const chatbotId = await chatbotFor(demo.teamId, options.llm ?? {}, options.events);
  const chatId = options.chatId ?? freshChatId();
  const channelId = newId('chn', Date.now());
  const box = await SecretBox.fromBase64Url(env.ENCRYPTION_KEY);
  const db = database(env.DB);
  const now = Date.now();
  const secrets = await box.sealJson(
    { botToken: TELEGRAM_TOKEN, webhookSecret: 'test-webhook-secret-0123456789' },
    secretContext(demo.teamId, 'channel', channelId),
  );
  await db.batch([
    db.insert(pluginConfigs).values({
      id: channelId,
      teamId: demo.teamId,
      kind: 'channel',
      pluginId: 'telegram',
      name: 'Test Telegram',
      settings: { apiBaseUrl: inject('fakeServers').telegram },
      secrets,
      createdAt: now,
      updatedAt: now,
    }),
    db.insert(channels).values({
      id: channelId,
      teamId: demo.teamId,
      chatbotId,
      pluginId: 'telegram',
      options: options.channelOptions ?? {},
      enabled: true,
      createdAt: now,
      updatedAt: now,
    }),
  ]);
  const conversationId = await startConversation(demo.apiKey, chatbotId);
  const row = await db.query.conversations.findFirst({ where: eq(conversations.id, conversationId) });
  if (!row) throw new Error('conversation row missing');
  const meta = {
    conversationId,
    teamId: demo.teamId,
    chatbotId,
    chatbotVersionId: row.chatbotVersionId,
    channel: { channelId, pluginId: 'telegram', conversationKey: String(chatId) },
  };
  // Env names no class (worker/env.ts); these tests address the class itself.
  const namespace = env.CONVERSATIONS as unknown as DurableObjectNamespace<ConversationDO>;
  const stub = () => namespace.get(namespace.idFromName(conversationId));
  return {
    apiKey: demo.apiKey,
    teamId: demo.teamId,
    channelId,
    conversationId,
    chatId,
    meta,
    stub,
    post: (text, extra = {}) =>
      conversationStub(env, conversationId).fetch('https://conversation/messages', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ meta, text, stream: false, detach: true, ...extra }),
      }),
    messages: async () => {
      const res = await SELF.fetch(`${BASE}/api/v1/conversations/${conversationId}/messages`, authed(demo.apiKey));
      return ((await res.json()) as { data: ConversationMessage[] }).data;
    },
  };
}

export interface TelegramCall {
  /** ISO-8601 time the fake received it. */
  at: string;
  path: string;
  body: { chat_id?: number; text?: string; message_id?: number; action?: string; parse_mode?: string };
}

/** The Bot API calls the fake Telegram answered for `chatId`, oldest first, as `{ method, body }`. */
export async function telegramCalls(chatId: number): Promise<(TelegramCall & { method: string })[]> {
  const res = await fetch(`${inject('fakeServers').telegram}/__requests?contains=${chatId}`);
  const calls = (await res.json()) as TelegramCall[];
  return calls
    .filter((call) => call.body?.chat_id === chatId)
    .map((call) => ({ ...call, method: call.path.split('/').at(-1) ?? '' }));
}

/** Polls until `check` returns a value that is not undefined (replies are delivered in the background). */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The delivery record of the conversation's assistant message number `index`, once it has `status`. */
export function deliveryOf(chat: ChannelChat, status: string, index = 0) {
  return eventually(async () => {
    const reply = (await chat.messages()).filter((m) => m.role === 'assistant')[index];
    const delivery = reply?.metadata.delivery as { status?: string } | undefined;
    return reply && delivery?.status === status
      ? { reply, delivery: reply.metadata.delivery as Record<string, unknown> }
      : undefined;
  });
}

/** The object's scheduled alarm, read inside it. */
export function scheduledAlarm(chat: ChannelChat): Promise<number | null> {
  return runInDurableObject(chat.stub(), (_instance, state) => state.storage.getAlarm());
}
