import { and, count, desc, eq, isNull, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { ChatbotDefinition } from '../chatbots/definition.ts';
import { type Database, database } from '../db/client.ts';
import { chatbots, chatbotVersions, conversations, widgetKeys } from '../db/schema/index.ts';
import { teamDatabase } from '../db/shards.ts';
import type { Env } from '../env.ts';
import { ApiError } from '../http/errors.ts';
import { ID_ALPHABET } from '../ids.ts';
import { upsertParticipant } from '../participants/upsert.ts';
import { toBase64Url } from '../security/encoding.ts';
import { secretBox } from '../security/secrets.ts';
import { ANONYMOUS_PREFIX, type sessionRequest, type WidgetSession } from './api-schemas.ts';
import { identityValid, openIdentitySecret } from './identity.ts';
import { originAllowed } from './origin.ts';
import { presentChatbot } from './settings.ts';
import { signWidgetToken, widgetTokenTtlSeconds } from './token.ts';

export type SessionRequest = z.infer<typeof sessionRequest>;
export type { WidgetSession };

type WidgetKeyRow = typeof widgetKeys.$inferSelect;

/** An active widget key by its public value; unknown and revoked keys look the same. */
export async function findWidgetKey(db: Database, key: string): Promise<WidgetKeyRow> {
  const row = await db.query.widgetKeys.findFirst({
    where: and(eq(widgetKeys.key, key), isNull(widgetKeys.revokedAt)),
  });
  if (!row) throw new ApiError(401, 'invalid_widget_key', 'Unknown or revoked widget key');
  return row;
}

/**
 * Whether any active widget key allows `origin`. Only for CORS preflights, which carry neither the key nor the
 * token; the real check runs again on the request itself, so this only decides what the browser may send.
 */
export async function anyKeyAllows(env: Env, origin: string): Promise<boolean> {
  // Exact entries and `*` match in SQL; `scheme://host:*` candidates are narrowed there and matched by originAllowed.
  const { results } = await env.DB.prepare(
    `SELECT DISTINCT o.value AS entry FROM widget_keys, json_each(widget_keys.allowed_origins) AS o
     WHERE widget_keys.revoked_at IS NULL AND (o.value = ?1 OR o.value = '*' OR o.value LIKE '%:*')`,
  )
    .bind(origin)
    .all<{ entry: string }>();
  return originAllowed(
    results.map((row) => row.entry),
    origin,
  );
}

/**
 * Creates a widget session (the widget contract §1) for a key whose origin was checked: resolves the participant (signed
 * identity or anonymous id), continues or starts a conversation, and signs a token bound to both.
 */
export async function createSession(
  env: Env,
  key: WidgetKeyRow,
  origin: string,
  body: SessionRequest,
): Promise<WidgetSession> {
  const db = database(env.DB);
  const chatbot = await db.query.chatbots.findFirst({
    where: and(eq(chatbots.id, key.chatbotId), eq(chatbots.teamId, key.teamId)),
  });
  if (!chatbot || chatbot.archivedAt || !chatbot.publishedVersionId) {
    throw new ApiError(409, 'not_published', 'This chatbot is archived or has no published version');
  }
  let externalId: string;
  let anonymousId: string | null = null;
  if (body.identity) {
    const secret = await openIdentitySecret(await secretBox(env), key);
    if (!(await identityValid(secret, body.identity.id, body.identity.hash))) {
      throw new ApiError(401, 'invalid_identity', 'identity.hash does not match identity.id');
    }
    externalId = body.identity.id;
  } else {
    anonymousId = body.anonymousId ?? toBase64Url(crypto.getRandomValues(new Uint8Array(18)));
    externalId = ANONYMOUS_PREFIX + anonymousId;
  }
  const data: Record<string, unknown> = {};
  if (body.identity?.email) data.email = body.identity.email;
  if (body.locale) data.locale = body.locale;
  const { row: participant } = await upsertParticipant(
    db,
    { teamId: key.teamId, platform: 'widget', externalId },
    { ...(body.identity?.name !== undefined && { name: body.identity.name }), data },
  );
  const conversation = await continueOrStart(teamDatabase(env, key.teamId), {
    teamId: key.teamId,
    chatbotId: chatbot.id,
    participantId: participant.id,
    requested: body.conversationId,
  });
  const version = await db.query.chatbotVersions.findFirst({
    where: and(eq(chatbotVersions.id, chatbot.publishedVersionId), eq(chatbotVersions.teamId, key.teamId)),
  });
  const exp = Math.floor(Date.now() / 1000) + widgetTokenTtlSeconds(env.WIDGET_TOKEN_TTL_SECONDS);
  const token = await signWidgetToken(env.ENCRYPTION_KEY, {
    t: key.teamId,
    b: chatbot.id,
    c: conversation,
    v: chatbot.publishedVersionId,
    p: participant.id,
    o: origin,
    k: key.id,
    exp,
  });
  return {
    token,
    expiresAt: new Date(exp * 1000).toISOString(),
    conversationId: conversation,
    participantId: participant.id,
    anonymousId,
    chatbot: presentChatbot(chatbot, version?.definition as ChatbotDefinition),
  };
}

/**
 * The requested conversation if it is this participant's, with this chatbot, and active; else the participant's
 * latest active one (a signed-in user on a new device); else (and when the requested one is not found) the id the
 * next one will have. Never another
 * participant's conversation. Nothing is written: the conversation starts with its first message.
 */
async function continueOrStart(
  db: Database,
  input: { teamId: string; chatbotId: string; participantId: string; requested?: string },
): Promise<string> {
  const mine = and(
    eq(conversations.teamId, input.teamId),
    eq(conversations.chatbotId, input.chatbotId),
    eq(conversations.participantId, input.participantId),
  );
  const active = and(mine, eq(conversations.status, 'active'));
  const found = await db.query.conversations.findFirst({
    where: input.requested ? and(active, eq(conversations.id, input.requested)) : active,
    orderBy: [desc(sql`COALESCE(${conversations.lastMessageAt}, ${conversations.createdAt})`)],
    columns: { id: true },
  });
  if (found) return found.id;
  const [row] = await db.select({ started: count() }).from(conversations).where(mine);
  return nextConversationId(input, row?.started ?? 0);
}

/**
 * The id of a participant's next conversation, derived from how many it has: every session until that conversation
 * starts (a reload, a token refresh, a second device) names the same one without storing anything, and a first
 * message sent just before a reload is found again even while its D1 row is still on the queue. Ids are not
 * secrets (tokens guard access); the hash only keeps them unique and in the `conv_` + 26 base32 shape of newId.
 */
export async function nextConversationId(
  input: { teamId: string; chatbotId: string; participantId: string },
  started: number,
): Promise<string> {
  const seed = `parley-conversation\n${input.teamId}\n${input.chatbotId}\n${input.participantId}\n${started}`;
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(seed)));
  let id = '';
  for (const byte of digest.subarray(0, 26)) id += ID_ALPHABET[byte % 32];
  return `conv_${id}`;
}
