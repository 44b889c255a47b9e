import { and, eq } from 'drizzle-orm';
import { database } from '../db/client.ts';
import { chatbotVersions } from '../db/schema/index.ts';
import type { Env } from '../env.ts';
import { ApiError } from '../http/errors.ts';
import type { KnowledgePins } from '../knowledge/pins/types.ts';
import type { AnyDefinition } from '../pipelines/definition.ts';
import { IsolateCache } from '../ports/isolate-cache.ts';
import type { ConversationRef } from '../queue/messages.ts';

/** What a conversation object knows about itself; the Worker sends it with every call that may be the first. */
export interface ConversationMeta extends ConversationRef {
  chatbotVersionId: string;
  /** The participant, for a conversation whose D1 row is created from its first message (widget sessions). */
  participantId?: string;
  /** When the object stored its first message; set by the object itself. */
  createdAt?: number;
  /** Set when the conversation lives on a messaging channel: where its replies are delivered. */
  channel?: ChannelAddress;
  /**
   * Where a person reads the conversation: the chat widget (set by the widget's routes), or the dashboard (its test
   * chat: messages sent by a signed-in user). Pipelines see it as their channel; both can show tool approvals.
   */
  surface?: 'widget' | 'dashboard';
}

/** A chat on a messaging platform, as the channel plugin addresses it. */
export interface ChannelAddress {
  channelId: string;
  pluginId: string;
  /** The plugin's opaque key for the chat (chat id, phone number, Slack channel + thread). */
  conversationKey: string;
}

/** What a version gives a conversation: its definition, and the knowledge pins frozen at publish (null: draft). */
export interface LoadedDefinition {
  definition: AnyDefinition;
  knowledge: KnowledgePins | null;
}

/**
 * Published versions in this isolate, by team and version id. A published version never changes (an edit is a new
 * draft, a restore a new version), so a hit can never be stale and entries never expire; drafts are always read from
 * D1. Bounded so an isolate serving many teams stays small: a definition is at most a few hundred KB (the chatbot
 * API's body limit), and the least recently used goes first. Issue 19 §2: the control-plane `DB` is read once per
 * version per isolate, not once per conversation (bench/README.md "Shared services per turn").
 */
const publishedVersions = new IsolateCache<LoadedDefinition>({ maxEntries: 200, ttlMs: Number.POSITIVE_INFINITY });

/**
 * The version's definition as stored: schemaVersion 1 (start → llm → end) or 2 (a pipeline); the turn picks its
 * reader by `schemaVersion` (a v1 definition runs as before; `toPipeline` gives any of them as a graph). With it, in
 * the same D1 read, the knowledge pins frozen at publish; `null` for the draft (the test chat), whose searches resolve
 * each collection's latest revision.
 */
export async function loadDefinition(env: Env, meta: ConversationMeta): Promise<LoadedDefinition> {
  const cacheKey = `${meta.teamId}:${meta.chatbotVersionId}`;
  const cached = publishedVersions.get(cacheKey);
  if (cached) return cached;
  const version = await database(env.DB).query.chatbotVersions.findFirst({
    where: and(eq(chatbotVersions.id, meta.chatbotVersionId), eq(chatbotVersions.teamId, meta.teamId)),
  });
  if (!version) throw new ApiError(409, 'version_missing', 'The chatbot version of this conversation no longer exists');
  if (version.status === 'draft') return { definition: version.definition, knowledge: null };
  const loaded = { definition: version.definition, knowledge: version.knowledge };
  publishedVersions.set(cacheKey, loaded);
  return loaded;
}
