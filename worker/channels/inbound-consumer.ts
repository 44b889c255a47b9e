import type { InboundMessage } from '../../plugins/sdk/index.ts';
import type { PostMessageInput } from '../conversation/inputs.ts';
import { conversationStub } from '../conversation/stub.ts';
import type { ConversationRow } from '../conversations/lookup.ts';
import { type Database, database } from '../db/client.ts';
import { teamDatabase } from '../db/shards.ts';
import type { Env } from '../env.ts';
import type { ChannelInboundMessage } from '../queue/messages.ts';
import { inboundClientMessageId } from './derived-ids.ts';
import { type ConversationInput, conversationInput } from './inbound-content.ts';
import { describeFailure, PermanentInboundError, TransientInboundError } from './inbound-errors.ts';
import { applyReaction } from './inbound-reaction.ts';
import { type ChannelRuntime, loadChannel } from './runtime.ts';
import {
  channelParticipant,
  claimInbound,
  conversationById,
  markEnded,
  moveClaim,
  threadConversation,
} from './threads.ts';

/** Chat types in which the chat is not one person's: its thread records no participant (plugins' raw.chatType). */
const GROUP_CHATS = new Set(['group', 'supergroup', 'channel']);

/** Back-off for retried items: 5 s doubling to 5 min (Queues allow delaySeconds up to 12 h; a chat should not wait that long). */
export const retryDelaySeconds = (attempts: number) => Math.min(5 * 2 ** Math.max(0, attempts - 1), 300);

/**
 * Consumes verified webhook messages (`channel.inbound`, sent by worker/channels/webhook-routes.ts): finds the participant
 * and the chat's conversation, claims the platform message id, and posts the message to the conversation object,
 * which runs the turn; delivery of the reply is the object's job. Delivery is at-least-once and platforms send
 * duplicates, so every step is idempotent. Messages of one chat are handled in order; different chats in parallel.
 */
export async function consumeChannelInbound(items: readonly Message<ChannelInboundMessage>[], env: Env): Promise<void> {
  const chats = new Map<string, Message<ChannelInboundMessage>[]>();
  for (const item of items) {
    const key = `${item.body.channelId}\u0000${item.body.message.conversationKey}`;
    chats.set(key, [...(chats.get(key) ?? []), item]);
  }
  await Promise.all(
    [...chats.values()].map(async (chat) => {
      for (const item of chat) await consumeOne(item, env);
    }),
  );
}

async function consumeOne(item: Message<ChannelInboundMessage>, env: Env): Promise<void> {
  const { channelId, pluginId } = item.body;
  try {
    await processInbound(env, item.body, item.attempts);
    item.ack();
  } catch (error) {
    const failure = describeFailure(error);
    // Ids and codes only: the message text is the user's, settings are secret.
    const log = { channelId, pluginId, attempts: item.attempts, ...failure };
    if (error instanceof PermanentInboundError) {
      console.warn(JSON.stringify({ level: 'warn', event: 'channel.inbound.dropped', ...log }));
      item.ack();
      return;
    }
    console.warn(JSON.stringify({ level: 'warn', event: 'channel.inbound.retry', ...log }));
    item.retry({ delaySeconds: retryDelaySeconds(item.attempts) });
  }
}

export async function processInbound(env: Env, body: ChannelInboundMessage, attempts: number): Promise<void> {
  const channel = await loadChannel(env, body.channelId);
  if (!channel || channel.pluginId !== body.pluginId || channel.teamId !== body.teamId) {
    throw new PermanentInboundError('channel_gone', 'The channel no longer exists');
  }
  if (!channel.enabled) throw new PermanentInboundError('channel_disabled', 'The channel is disabled');
  const db = database(env.DB);
  const shard = teamDatabase(env, channel.teamId);
  const message = body.message;
  if (message.content.kind === 'reaction') {
    await applyReaction(env, db, channel, message);
    return;
  }
  const participant = await channelParticipant(db, channel, message.user);
  const chatType = message.raw?.chatType;
  const owner = typeof chatType === 'string' && GROUP_CHATS.has(chatType) ? null : participant.id;
  let conversation = await threadConversation(db, shard, channel, message.conversationKey, owner);
  const claimed = await claimInbound(db, channel, message.platformMessageId, conversation.id);
  if (claimed !== conversation.id) conversation = await claimedConversation(shard, claimed);
  // An ended conversation refuses new messages: the chat moves to a new one, and the claim with it. Each round ends
  // one more conversation, so a few rounds cover an end racing with this message.
  for (let round = 0; round < 3; round++) {
    const target = { teamId: conversation.teamId, conversationId: conversation.id };
    const input = await conversationInput(env, channel, target, message, attempts);
    const status = await post(env, channel, conversation, message, input);
    if (status === 'stored') return;
    await markEnded(shard, conversation.id);
    const next = await threadConversation(db, shard, channel, message.conversationKey, owner);
    conversation = await claimedConversation(
      shard,
      await moveClaim(db, channel, message.platformMessageId, conversation.id, next.id),
    );
  }
  throw new TransientInboundError('conversation_churn', 'The chat’s conversations kept ending; retrying later');
}

async function claimedConversation(shard: Database, conversationId: string): Promise<ConversationRow> {
  const row = await conversationById(shard, conversationId);
  if (!row) throw new PermanentInboundError('conversation_gone', 'The conversation of this message was deleted');
  return row;
}

/** Posts the user message to the conversation object; `ended` when the conversation refuses it. */
async function post(
  env: Env,
  channel: ChannelRuntime,
  conversation: ConversationRow,
  message: InboundMessage,
  input: ConversationInput,
): Promise<'stored' | 'ended'> {
  const body: PostMessageInput = {
    meta: {
      conversationId: conversation.id,
      teamId: conversation.teamId,
      chatbotId: conversation.chatbotId,
      chatbotVersionId: conversation.chatbotVersionId,
      channel: { channelId: channel.id, pluginId: channel.pluginId, conversationKey: message.conversationKey },
    },
    text: input.text,
    clientMessageId: await inboundClientMessageId(channel.id, message.platformMessageId),
    metadata: input.metadata,
    ...(input.attachments && { attachments: input.attachments }),
    ...(input.cannedReply && { cannedReply: input.cannedReply }),
    // Never wait on the model: the object stores the message and answers at once; the turn runs on without us.
    stream: false,
    detach: true,
  };
  const response = await conversationStub(env, conversation.id).fetch('https://conversation/messages', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.ok) return 'stored';
  const error = ((await response.json().catch(() => null)) as { error?: { code?: string } } | null)?.error;
  if (response.status === 409 && error?.code === 'conversation_ended') return 'ended';
  const code = error?.code ?? `status_${response.status}`;
  if (response.status >= 500 || response.status === 429) {
    throw new TransientInboundError(code, `The conversation answered ${response.status}`);
  }
  throw new PermanentInboundError(code, `The conversation refused the message (${response.status})`);
}
