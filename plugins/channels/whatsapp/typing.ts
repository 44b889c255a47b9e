/**
 * Read receipts and the typing indicator (https://developers.facebook.com/docs/whatsapp/cloud-api/typing-indicators):
 * POST …/messages `{status: 'read', message_id, typing_indicator: {type: 'text'}}` for the inbound message being
 * answered. The user sees blue ticks on it (and on every earlier message) and "typing…" until the reply arrives or
 * 25 s pass, whichever comes first. WhatsApp has no typing indicator for a chat, only for a message.
 */
import type { PluginContext, SendResult, TypingContext } from '../../sdk/index.ts';
import { post } from './outbound.ts';
import type { WhatsAppSettings } from './settings.ts';

/**
 * The indicator lasts "25 seconds, whichever comes first" (guide above), and sending the receipt again renews it.
 * Renewing after 20 s (25 s minus the core's 5 s deadline on a typing call) keeps it on through a long reply at one
 * call per 20 s instead of the core's default one per 4 s: most replies need a single call.
 */
export const WHATSAPP_TYPING_REFRESH_MS = 20_000;

/** Pure: the request body (without `messaging_product`, which `post` adds) marking `messageId` read. */
export function readReceiptRequest(messageId: string, typing: boolean): Record<string, unknown> {
  return { status: 'read', message_id: messageId, ...(typing ? { typing_indicator: { type: 'text' } } : {}) };
}

/** Marks the user's message read and, with `typing`, shows the typing indicator. */
export async function markRead(
  ctx: PluginContext<WhatsAppSettings>,
  messageId: string,
  typing = true,
): Promise<SendResult> {
  const answer = await post(ctx, readReceiptRequest(messageId, typing));
  return answer.ok ? { ok: true, platformMessageIds: [] } : answer;
}

/**
 * The SDK's `typing` hook: the read receipt with the indicator for `context.replyTo`. Without it (a message the core
 * did not get from WhatsApp) there is nothing to type in reply to, and nothing is sent.
 */
export async function sendWhatsAppTyping(
  ctx: PluginContext<WhatsAppSettings>,
  _conversationKey: string,
  context?: TypingContext,
): Promise<SendResult> {
  if (!context?.replyTo) {
    const message = 'WhatsApp shows typing only in reply to an inbound message, and no message id was given';
    return { ok: false, retryable: false, code: 'no_reply_to', message };
  }
  return markRead(ctx, context.replyTo, true);
}
