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
 * conversation.ts: their channel chat, else their latest active conversation, else a new one) through the
 * ConversationDO's `botMessage`: it runs after any running turn (never inside a reply), is idempotent by the
 * firing's key (a retried or redelivered firing runs nothing twice), and resolves when the reply is written.
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
  const result = await conversationStub(env, conversation.id).botMessage(meta, request);
  return { conversationId: conversation.id, ...result };
}
