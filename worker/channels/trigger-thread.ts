import { and, desc, eq } from 'drizzle-orm';
import type { ChannelAddress } from '../conversation/meta.ts';
import type { ConversationRow } from '../conversations/lookup.ts';
import { database } from '../db/client.ts';
import { channels, channelThreads } from '../db/schema/index.ts';
import { teamDatabase } from '../db/shards.ts';
import type { Env } from '../env.ts';
import { loadChannel } from './runtime.ts';
import { threadConversation } from './threads.ts';

/**
 * Where the trigger API writes to a participant who talks to this chatbot on a messaging channel: their chat's
 * current conversation (a new one when it ended), addressed to the platform so the reply is delivered there. The
 * most recently active chat wins when they use several channels. Null when they have no chat on an enabled channel.
 */
export async function channelConversationFor(
  env: Env,
  teamId: string,
  chatbotId: string,
  participantId: string,
): Promise<{ conversation: ConversationRow; channel: ChannelAddress } | null> {
  const db = database(env.DB);
  const [thread] = await db
    .select({ channelId: channelThreads.channelId, conversationKey: channelThreads.conversationKey })
    .from(channelThreads)
    .innerJoin(channels, eq(channels.id, channelThreads.channelId))
    .where(
      and(
        eq(channelThreads.teamId, teamId),
        eq(channelThreads.participantId, participantId),
        eq(channels.chatbotId, chatbotId),
        eq(channels.enabled, true),
      ),
    )
    .orderBy(desc(channelThreads.updatedAt))
    .limit(1);
  if (!thread) return null;
  const channel = await loadChannel(env, thread.channelId);
  if (!channel) return null;
  const conversation = await threadConversation(
    db,
    teamDatabase(env, teamId),
    channel,
    thread.conversationKey,
    participantId,
  );
  return {
    conversation,
    channel: { channelId: channel.id, pluginId: channel.pluginId, conversationKey: thread.conversationKey },
  };
}
