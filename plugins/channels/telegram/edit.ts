import { splitFormatted } from '../../sdk/channel-helpers/split.ts';
import type { EditMessage, SendResult } from '../../sdk/index.ts';
import { callTelegram, type TelegramContext, target } from './api.ts';
import { toTelegramHtml } from './format.ts';
import { TELEGRAM_MAX_MESSAGE_LENGTH } from './outbound.ts';

/**
 * editMessageText for streaming (https://core.telegram.org/bots/api#editmessagetext): replaces a sent message's text,
 * in HTML like sendMessage. The text is cut to the limit (the core never edits more; the final text goes through
 * send's splitting). Telegram answers 400 "message is not modified" when the text is unchanged: that is success.
 */
export async function editTelegram(ctx: TelegramContext, message: EditMessage): Promise<SendResult> {
  const { platformMessageId } = message;
  const [chat = '', messageId = ''] = platformMessageId.split(':');
  const [text = ''] = splitFormatted(message.text, TELEGRAM_MAX_MESSAGE_LENGTH, toTelegramHtml);
  const body = { ...target(chat), message_id: Number(messageId), text, parse_mode: 'HTML' };
  const answer = await callTelegram(ctx, 'editMessageText', body);
  if (answer.ok || /message is not modified/.test(answer.failure.message)) {
    return { ok: true, platformMessageIds: [platformMessageId] };
  }
  return answer.failure;
}
