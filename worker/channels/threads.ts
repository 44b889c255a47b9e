import { and, eq } from 'drizzle-orm';
import type { PlatformUser } from '../../plugins/sdk/index.ts';
import type { ConversationRow } from '../conversations/lookup.ts';
import type { Database } from '../db/client.ts';
import { channelInbound, channelThreads, chatbots, conversations, participants } from '../db/schema/index.ts';
import { upsertParticipant } from '../participants/upsert.ts';
import { threadConversationId } from './derived-ids.ts';
import { PermanentInboundError, TransientInboundError } from './inbound-errors.ts';
import type { ChannelRuntime } from './runtime.ts';

type ParticipantRow = typeof participants.$inferSelect;

/**
 * The participant behind a platform user: (team, platform = plugin id, external id = the platform's user id). Most
 * messages come from someone already known with the same name and phone, so the write is skipped then.
 */
export async function channelParticipant(
  db: Database,
  channel: ChannelRuntime,
  user: PlatformUser,
): Promise<ParticipantRow> {
  const identity = { teamId: channel.teamId, platform: channel.pluginId, externalId: user.id };
  const existing = await db.query.participants.findFirst({
    where: and(
      eq(participants.teamId, identity.teamId),
      eq(participants.platform, identity.platform),
      eq(participants.externalId, identity.externalId),
    ),
  });
  const sameName = user.name === undefined || existing?.name === user.name;
  const samePhone = user.phone === undefined || existing?.data.phone === user.phone;
  if (existing && sameName && samePhone) return existing;
  const { row } = await upsertParticipant(db, identity, {
    ...(user.name !== undefined && { name: user.name }),
    ...(user.phone !== undefined && { data: { phone: user.phone } }),
  });
  return row;
}

/**
 * The chat's thread row (control plane, `db`) and its current conversation (the team's shard, `shard`; null when that
 * row was deleted). Two reads: the tables may sit in different databases (worker/db/shards.ts).
 */
async function readThread(db: Database, shard: Database, channelId: string, conversationKey: string) {
  const thread = await db.query.channelThreads.findFirst({
    where: and(eq(channelThreads.channelId, channelId), eq(channelThreads.conversationKey, conversationKey)),
  });
  if (!thread) return undefined;
  const conversation = await conversationById(shard, thread.conversationId);
  return { thread, conversation };
}

// Each round either finds an active conversation or moves the thread on by one; concurrent writers agree on the id
// they move to, so two rounds settle any race and a third covers an end landing in between.
const MAX_ROUNDS = 3;

/**
 * The conversation a platform chat is in now, started when the chat is new or its conversation has ended. D1 has no
 * interactive transactions (and the row and the claim may sit in different databases: the team's shard and `DB`), so
 * the new conversation row and then the thread claim are each written only if absent (INSERT … ON CONFLICT DO NOTHING, or an UPDATE guarded by the conversation it replaces), then the
 * thread is read back. The new id is derived from the channel, the chat and the conversation it replaces, so
 * concurrent first messages insert the same row (no orphans) and agree on one conversation.
 */
export async function threadConversation(
  db: Database,
  shard: Database,
  channel: ChannelRuntime,
  conversationKey: string,
  participantId: string | null,
): Promise<ConversationRow> {
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const current = await readThread(db, shard, channel.id, conversationKey);
    if (current?.conversation?.status === 'active') return current.conversation;
    const previousId = current?.thread.conversationId ?? null;
    const chatbot = await db.query.chatbots.findFirst({
      where: and(eq(chatbots.id, channel.chatbotId), eq(chatbots.teamId, channel.teamId)),
    });
    if (!chatbot?.publishedVersionId || chatbot.archivedAt) {
      throw new PermanentInboundError('not_published', 'The channel’s chatbot is archived or has no published version');
    }
    const now = Date.now();
    const conversation: ConversationRow = {
      id: await threadConversationId(channel.id, conversationKey, previousId),
      teamId: channel.teamId,
      chatbotId: chatbot.id,
      chatbotVersionId: chatbot.publishedVersionId,
      channelId: channel.id,
      participantId,
      status: 'active',
      messageCount: 0,
      lastMessageAt: null,
      createdAt: now,
      updatedAt: now,
    };

    const claim =
      previousId === null
        ? db
            .insert(channelThreads)
            .values({
              channelId: channel.id,
              conversationKey,
              teamId: channel.teamId,
              conversationId: conversation.id,
              participantId,
              createdAt: now,
              updatedAt: now,
            })
            .onConflictDoNothing()
        : db
            .update(channelThreads)
            .set({ conversationId: conversation.id, participantId, updatedAt: now })
            .where(
              and(
                eq(channelThreads.channelId, channel.id),
                eq(channelThreads.conversationKey, conversationKey),
                eq(channelThreads.conversationId, previousId),
              ),
            );
    // The row first, then the claim that points at it: the row is insert-or-ignore by a derived id, so a claim lost
    // to a concurrent writer leaves at most an empty row (lists skip those) that the same writer's retry reuses.
    await shard.insert(conversations).values(conversation).onConflictDoNothing();
    await claim;
  }
  throw new TransientInboundError('thread_contention', 'The chat’s conversation kept changing; retrying later');
}

/** The chat's current conversation if it has one, without starting any (reactions, the trigger API). */
export async function currentThread(db: Database, shard: Database, channelId: string, conversationKey: string) {
  return (await readThread(db, shard, channelId, conversationKey)) ?? null;
}

/**
 * Claims a platform message id for a conversation; the first delivery wins and every later one (retries, duplicate
 * deliveries) gets the conversation the first one chose, where the message's clientMessageId makes it a no-op.
 */
export async function claimInbound(
  db: Database,
  channel: ChannelRuntime,
  platformMessageId: string,
  conversationId: string,
): Promise<string> {
  const [claimed] = await db
    .insert(channelInbound)
    .values({ channelId: channel.id, platformMessageId, teamId: channel.teamId, conversationId, createdAt: Date.now() })
    .onConflictDoNothing()
    .returning({ conversationId: channelInbound.conversationId });
  if (claimed) return claimed.conversationId;
  const existing = await db.query.channelInbound.findFirst({
    where: and(eq(channelInbound.channelId, channel.id), eq(channelInbound.platformMessageId, platformMessageId)),
  });
  if (!existing) throw new TransientInboundError('claim_missing', 'The inbound claim vanished; retrying');
  return existing.conversationId;
}

/**
 * Moves a claimed message that was never stored to the chat's new conversation (its conversation ended between the
 * claim and the post). Guarded by the old conversation so concurrent deliveries move it once; returns the winner.
 */
export async function moveClaim(
  db: Database,
  channel: ChannelRuntime,
  platformMessageId: string,
  from: string,
  to: string,
): Promise<string> {
  const where = and(eq(channelInbound.channelId, channel.id), eq(channelInbound.platformMessageId, platformMessageId));
  await db
    .update(channelInbound)
    .set({ conversationId: to })
    .where(and(where, eq(channelInbound.conversationId, from)));
  const row = await db.query.channelInbound.findFirst({ where });
  return row?.conversationId ?? to;
}

/** Records that a conversation ended when its object says so before D1 does (the end route writes D1 second). */
export async function markEnded(shard: Database, conversationId: string): Promise<void> {
  await shard
    .update(conversations)
    .set({ status: 'ended', updatedAt: Date.now() })
    .where(and(eq(conversations.id, conversationId), eq(conversations.status, 'active')));
}

/** A conversation's row from the shard that holds its team's data plane. */
export async function conversationById(shard: Database, conversationId: string): Promise<ConversationRow | null> {
  return (await shard.query.conversations.findFirst({ where: eq(conversations.id, conversationId) })) ?? null;
}
