import { env, SELF } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { createChannel } from '../worker/channels/store.ts';
import { database } from '../worker/db/client.ts';
import { chatbots, conversations } from '../worker/db/schema/index.ts';
import { teamDatabase } from '../worker/db/shards.ts';
import { newId } from '../worker/ids.ts';
import { createApiKey } from './api-keys.ts';
import { authed, BASE } from './seed.ts';

/** A key of the team holding only `scopes` (one helper for every test: test/api-keys.ts). */
export const scopedKey = createApiKey;

type ConversationInsert = typeof conversations.$inferInsert;

/** A conversation row written straight to D1, for exact dates and states the API cannot produce on demand. */
export async function insertConversation(
  teamId: string,
  chatbotId: string,
  fields: Partial<ConversationInsert> = {},
): Promise<string> {
  const chatbot = await database(env.DB).query.chatbots.findFirst({ where: eq(chatbots.id, chatbotId) });
  const createdAt = fields.createdAt ?? Date.now();
  const id = fields.id ?? newId('conv', createdAt);
  await teamDatabase(env, teamId)
    .insert(conversations)
    .values({
      id,
      teamId,
      chatbotId,
      chatbotVersionId: chatbot?.publishedVersionId ?? '',
      createdAt,
      updatedAt: createdAt,
      // Lists and counts skip empty conversations by default: a fixture stands for one that has messages.
      messageCount: 1,
      ...fields,
    });
  return id;
}

/**
 * A Telegram channel of `chatbotId` saved straight through the store (no setup call, so no network), for tests that
 * need a channel id of a team. The settings are valid but point nowhere reachable.
 */
export async function insertChannel(teamId: string, chatbotId: string): Promise<string> {
  const { row } = await createChannel(database(env.DB), env, teamId, {
    chatbotId,
    pluginId: 'telegram',
    name: 'Fixture channel',
    settings: { botToken: '123456:fixture-token', webhookSecret: 'fixture-webhook-secret-0123' },
  });
  return row.id;
}

export const api = {
  get: (key: string, path: string) => SELF.fetch(`${BASE}${path}`, authed(key)),
  anonymous: (path: string, method = 'GET') => SELF.fetch(`${BASE}${path}`, { method }),
  send: (key: string, method: string, path: string, body?: unknown) =>
    SELF.fetch(
      `${BASE}${path}`,
      authed(key, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }),
    ),
};

/** The fields a 400 names, sorted. */
export async function errorFields(res: Response): Promise<string[]> {
  const body = (await res.json()) as { error: { code: string; details?: { field: string }[] } };
  return [...new Set((body.error.details ?? []).map((detail) => detail.field))].sort();
}
