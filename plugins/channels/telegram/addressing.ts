/**
 * Whether a Telegram message addresses the bot (InboundMessage.addressed). Private chats always do. In groups and
 * supergroups the bot answers only when the message @mentions it (a `mention` entity with its username, or a
 * `text_mention` of its user), replies to one of its messages, or is a bot command for it (`/cmd@ThisBot`, or a bare
 * `/cmd`, which Telegram delivers to every bot in the group). With privacy mode on, Telegram delivers little else
 * (https://core.telegram.org/bots/features#privacy-mode); with it off, everything else is chatter the bot ignores.
 */
import type { TelegramSettings } from './settings.ts';

export interface TelegramEntity {
  type: string;
  offset: number;
  length: number;
  user?: { id: number; username?: string | undefined } | undefined;
}

export interface AddressingInput {
  chatType?: string | undefined;
  text?: string | undefined;
  entities: readonly TelegramEntity[];
  replyTo?: { id: number; username?: string | undefined } | undefined;
}

/** The bot's own identity: the user id is the bot token's prefix ("123456:ABC…" → 123456), the username a setting. */
export function botIdentity(settings: Pick<TelegramSettings, 'botToken' | 'botUsername'>): {
  id: number;
  username?: string;
} {
  const id = Number(settings.botToken.split(':')[0]);
  const username = settings.botUsername?.replace(/^@/, '').toLowerCase();
  return username ? { id, username } : { id };
}

export function isAddressed(input: AddressingInput, bot: { id: number; username?: string }): boolean {
  if (input.chatType === undefined || input.chatType === 'private') return true;
  const text = input.text ?? '';
  const isBot = (user: { id: number; username?: string | undefined }) =>
    user.id === bot.id || (bot.username !== undefined && user.username?.toLowerCase() === bot.username);
  if (input.replyTo && isBot(input.replyTo)) return true;
  for (const entity of input.entities) {
    const value = text.slice(entity.offset, entity.offset + entity.length);
    if (entity.type === 'mention' && bot.username && value.slice(1).toLowerCase() === bot.username) return true;
    if (entity.type === 'text_mention' && entity.user && isBot(entity.user)) return true;
    if (entity.type === 'bot_command') {
      const [, target] = value.split('@');
      if (target === undefined || target.toLowerCase() === bot.username) return true;
    }
  }
  return false;
}
