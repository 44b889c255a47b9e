import { and, eq } from 'drizzle-orm';
import { conversationStub } from '../conversation/stub.ts';
import { conversationMeta } from '../conversations/lookup.ts';
import { participantConversation } from '../conversations/participant-conversation.ts';
import { database } from '../db/client.ts';
import { chatbots } from '../db/schema/index.ts';
import type { Env } from '../env.ts';
import type { BotMessageRequest, BotMessageResult } from '../events/bot-message.ts';

/** Whose schedule fires: the participant (of a team) and the chatbot that writes to them. */
export interface DeliveryTarget {
  teamId: string;
  participantId: string;
  chatbotId: string;
}

export interface Delivery extends BotMessageResult {
  conversationId: string;
}

/** A delivery that cannot succeed by retrying soon is still retried (as Open Chat Studio does), then logged failed. */
export class DeliveryError extends Error {}

/**
 * Sends a firing's prompt to the bot on the participant's conversation (worker/conversations/participant-
 * conversation.ts: their channel chat, else their latest active conversation, else a new one). The one place a
 * schedule touches a conversation.
 *
 * Until the ConversationDO's `botMessage(meta, request)` lands (the timers branch; worker/events/bot-message.ts),
 * this uses the trigger entry point, which queues the instruction behind a running turn, so a firing never runs
 * inside a reply. What it lacks is `idempotencyKey`: the participant object's row state (one firing per
 * (schedule, due time), advanced in the same transaction that logs it) is then the only guard, so an object
 * crashing between the call and its log could ask twice. botMessage closes that gap.
 */
export async function deliverToBot(env: Env, target: DeliveryTarget, request: BotMessageRequest): Promise<Delivery> {
  const chatbot = await database(env.DB).query.chatbots.findFirst({
    columns: { id: true, publishedVersionId: true, archivedAt: true },
    where: and(eq(chatbots.id, target.chatbotId), eq(chatbots.teamId, target.teamId)),
  });
  if (!chatbot) throw new DeliveryError('the chatbot no longer exists');
  if (chatbot.archivedAt || !chatbot.publishedVersionId) {
    throw new DeliveryError('the chatbot is archived or has no published version');
  }
  const { conversation, channel } = await participantConversation(
    env,
    target.teamId,
    { id: chatbot.id, publishedVersionId: chatbot.publishedVersionId },
    target.participantId,
    Date.now(),
  );
  const meta = { ...conversationMeta(conversation), participantId: target.participantId, ...(channel && { channel }) };
  const { turnId } = await conversationStub(env, conversation.id).trigger(meta, { instruction: request.prompt });
  // The trigger path returns before the reply exists: no message ids yet (botMessage gives them).
  void turnId;
  return { conversationId: conversation.id, status: 'ran', messageIds: [] };
}
