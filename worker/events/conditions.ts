import { and, eq, ne } from 'drizzle-orm';
import type { JsonObject } from '../../plugins/sdk/json.ts';
import type { ConversationMeta } from '../conversation/meta.ts';
import { conversations, conversationTags } from '../db/schema/index.ts';
import { teamDatabase } from '../db/shards.ts';
import type { Env } from '../env.ts';
import { loadParticipantData } from '../participant-data/client.ts';
import type { TriggerConditions } from './schemas.ts';

/** The conversation as conditions see it; tags its events added and not yet copied to D1 count too. */
export interface ConditionContext {
  env: Env;
  meta: ConversationMeta;
  sessionState(): JsonObject;
  pendingTags(): readonly string[];
}

/** Where a conversation happens, as `channels` conditions name it: the channel plugin id, `widget` or `api`. */
export function channelOf(meta: ConversationMeta): string {
  return meta.channel?.pluginId ?? meta.surface ?? 'api';
}

/**
 * Whether every condition holds. Cheap ones first; tag and participant data are one read each (D1, the
 * participant's object), made only when the trigger names them.
 */
export async function conditionsHold(
  conditions: TriggerConditions | undefined,
  context: ConditionContext,
): Promise<boolean> {
  if (!conditions) return true;
  const { meta } = context;
  if (conditions.channels && !conditions.channels.includes(channelOf(meta))) return false;
  if (conditions.sessionState) {
    const { key, equals } = conditions.sessionState;
    if ((context.sessionState()[key] ?? null) !== equals) return false;
  }
  if (conditions.hasTag && !(await hasTag(context, conditions.hasTag))) return false;
  if (conditions.participantData) {
    if (!meta.participantId) return false;
    const data = await loadParticipantData(context.env, {
      teamId: meta.teamId,
      participantId: meta.participantId,
      chatbotId: meta.chatbotId,
    });
    const { key, equals } = conditions.participantData;
    if ((data[key] ?? null) !== equals) return false;
  }
  return true;
}

async function hasTag(context: ConditionContext, tag: string): Promise<boolean> {
  if (context.pendingTags().includes(tag)) return true;
  const { teamId, conversationId } = context.meta;
  const row = await teamDatabase(context.env, teamId)
    .select({ tag: conversationTags.tag })
    .from(conversationTags)
    .where(
      and(
        eq(conversationTags.teamId, teamId),
        eq(conversationTags.conversationId, conversationId),
        eq(conversationTags.tag, tag),
      ),
    )
    .limit(1);
  return row.length > 0;
}

/** participant_joined: the participant has no other conversation with this chatbot (one indexed D1 read). */
export async function isFirstConversation(env: Env, meta: ConversationMeta): Promise<boolean> {
  if (!meta.participantId) return false;
  const earlier = await teamDatabase(env, meta.teamId)
    .select({ id: conversations.id })
    .from(conversations)
    .where(
      and(
        eq(conversations.teamId, meta.teamId),
        eq(conversations.chatbotId, meta.chatbotId),
        eq(conversations.participantId, meta.participantId),
        ne(conversations.id, meta.conversationId),
      ),
    )
    .limit(1);
  return earlier.length === 0;
}
