import type { SendResult } from '../../sdk/index.ts';
import { callTelegram, type TelegramContext, target } from './api.ts';

/**
 * sendChatAction "typing": shown for 5 seconds or until the bot's next message
 * (https://core.telegram.org/bots/api#sendchataction), so the core renews it while a reply is generated.
 */
export async function sendTyping(ctx: TelegramContext, conversationKey: string): Promise<SendResult> {
  const answer = await callTelegram(ctx, 'sendChatAction', { ...target(conversationKey), action: 'typing' });
  return answer.ok ? { ok: true, platformMessageIds: [] } : answer.failure;
}
