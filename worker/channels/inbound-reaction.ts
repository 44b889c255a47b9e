import type { InboundMessage, JsonObject } from '../../plugins/sdk/index.ts';
import type { FeedbackRating } from '../conversation/feedback.ts';
import type { ConversationMessage } from '../conversation/protocol.ts';
import { conversationStub } from '../conversation/stub.ts';
import type { Database } from '../db/client.ts';
import { teamDatabase } from '../db/shards.ts';
import type { Env } from '../env.ts';
import type { ChannelRuntime } from './runtime.ts';
import { currentThread } from './threads.ts';

/**
 * Thumbs as platforms send them: the emoji (Telegram, WhatsApp, Messenger; any skin tone) or Slack's reaction names
 * (`+1`, `thumbsup`, with an optional `::skin-tone-N`).
 */
export function ratingOf(emoji: string): FeedbackRating | undefined {
  const base = emoji.replace(/[\u{1F3FB}-\u{1F3FF}\uFE0F]/gu, '').replace(/::skin-tone-\d$/, '');
  if (base === '👍' || base === '+1' || base === 'thumbsup') return 'up';
  if (base === '👎' || base === '-1' || base === 'thumbsdown') return 'down';
  return undefined;
}

/** Whether a delivered reply was sent as this platform message (H3 stores `metadata.delivery.platformMessageIds`). */
function deliveredAs(message: ConversationMessage, platformMessageId: string): boolean {
  const delivery = message.metadata.delivery as JsonObject | undefined;
  const ids = delivery?.platformMessageIds;
  return Array.isArray(ids) && ids.includes(platformMessageId);
}

/**
 * A 👍/👎 on a reply of the bot becomes that reply's feedback; any other reaction, or one on a message the chat's
 * current conversation did not deliver, is ignored. Feedback is idempotent, so a redelivery changes nothing.
 */
export async function applyReaction(
  env: Env,
  db: Database,
  channel: ChannelRuntime,
  message: InboundMessage,
): Promise<'applied' | 'ignored'> {
  if (message.content.kind !== 'reaction') return 'ignored';
  const rating = ratingOf(message.content.emoji);
  if (!rating) return 'ignored';
  const thread = await currentThread(db, teamDatabase(env, channel.teamId), channel.id, message.conversationKey);
  if (!thread) return 'ignored';
  const stub = conversationStub(env, thread.thread.conversationId);
  const target = message.content.targetMessageId;
  const reply = (await stub.listMessages()).find((m) => m.role === 'assistant' && deliveredAs(m, target));
  if (!reply) return 'ignored';
  const result = await stub.feedback(reply.id, rating);
  return result.ok ? 'applied' : 'ignored';
}
