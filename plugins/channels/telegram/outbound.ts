/** send(): sendMessage in HTML parse mode (https://core.telegram.org/bots/api#sendmessage). */

import { splitFormatted } from '../../sdk/channel-helpers/split.ts';
import type { SendResult } from '../../sdk/index.ts';
import { callTelegram, messageIdOf, type TelegramContext, target } from './api.ts';
import { toTelegramHtml } from './format.ts';

/** sendMessage: "Text of the message to be sent, 1-4096 characters after entities parsing". */
export const TELEGRAM_MAX_MESSAGE_LENGTH = 4096;

/** Split at 4096 characters; ids come back as "chatId:messageId" like inbound ones. */
export async function sendTelegram(
  ctx: TelegramContext,
  conversationKey: string,
  markdown: string,
): Promise<SendResult> {
  const destination = target(conversationKey);
  const platformMessageIds: string[] = [];
  for (const text of splitFormatted(markdown, TELEGRAM_MAX_MESSAGE_LENGTH, toTelegramHtml)) {
    const answer = await callTelegram(ctx, 'sendMessage', { ...destination, text, parse_mode: 'HTML' });
    if (!answer.ok) return answer.failure;
    platformMessageIds.push(`${destination.chat_id}:${messageIdOf(answer.result)}`);
  }
  return { ok: true, platformMessageIds };
}
