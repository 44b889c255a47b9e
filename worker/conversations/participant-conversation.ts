import { and, desc, eq } from 'drizzle-orm';
import { channelConversationFor } from '../channels/trigger-thread.ts';
import type { ChannelAddress } from '../conversation/meta.ts';
import { conversations } from '../db/schema/index.ts';
import { teamDatabase } from '../db/shards.ts';
import type { Env } from '../env.ts';
import { newId } from '../ids.ts';
import type { ConversationRow } from './lookup.ts';

/**
 * Where the bot writes to a participant first (the trigger API, scheduled messages): their chat on a messaging
 * channel when they have one (so the reply reaches it), else their latest active conversation with the chatbot,
 * else a new conversation on the chatbot's published version.
 */
export async function participantConversation(
  env: Env,
  teamId: string,
  chatbot: { id: string; publishedVersionId: string },
  participantId: string,
  now: number,
): Promise<{ conversation: ConversationRow; channel?: ChannelAddress }> {
  const routed = await channelConversationFor(env, teamId, chatbot.id, participantId);
  if (routed) return routed;
  const db = teamDatabase(env, teamId);
  const latest = await db.query.conversations.findFirst({
    where: and(
      eq(conversations.teamId, teamId),
      eq(conversations.chatbotId, chatbot.id),
      eq(conversations.participantId, participantId),
      eq(conversations.status, 'active'),
    ),
    orderBy: desc(conversations.createdAt),
  });
  if (latest) return { conversation: latest };
  const conversation: ConversationRow = {
    id: newId('conv', now),
    teamId,
    chatbotId: chatbot.id,
    chatbotVersionId: chatbot.publishedVersionId,
    channelId: null,
    participantId,
    status: 'active',
    messageCount: 0,
    lastMessageAt: null,
    createdAt: now,
    updatedAt: now,
  };
  await db.insert(conversations).values(conversation);
  return { conversation };
}
