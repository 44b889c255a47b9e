import { definePlugin } from '../../sdk/index.ts';
import { sendTelegramAudio } from './audio.ts';
import { editTelegram } from './edit.ts';
import { sendTelegramFile, TELEGRAM_MAX_FILE_BYTES } from './file.ts';
import { parseTelegram } from './inbound.ts';
import { downloadTelegramMedia } from './media.ts';
import { sendTelegram, TELEGRAM_MAX_MESSAGE_LENGTH } from './outbound.ts';
import { telegramSettings } from './settings.ts';
import { setupTelegram } from './setup.ts';
import { sendTyping } from './typing.ts';
import { verifyTelegram } from './verify.ts';

/** Telegram Bot API channel: webhooks in, sendMessage out, streaming by edits, voice both ways, reply files as documents. */
export const telegramChannel = definePlugin({
  id: 'telegram',
  kind: 'channel',
  displayName: 'Telegram',
  description: 'Chat with the bot on Telegram, in private chats and groups (when mentioned or replied to).',
  version: '0.2.0',
  settings: telegramSettings,
  secrets: ['botToken', 'webhookSecret'],
  capabilities: {
    inbound: [
      'text',
      'image',
      'audio',
      'voice',
      'video',
      'document',
      'sticker',
      'location',
      'contact',
      'reply',
      'reaction',
      'edit',
    ],
    typingIndicator: true,
    editMessages: true,
    maxMessageLength: TELEGRAM_MAX_MESSAGE_LENGTH,
    maxFileBytes: TELEGRAM_MAX_FILE_BYTES,
  },
  verify: verifyTelegram,
  parse: parseTelegram,
  send: (ctx, message) => sendTelegram(ctx, message.conversationKey, message.text),
  typing: sendTyping,
  edit: editTelegram,
  downloadMedia: downloadTelegramMedia,
  sendAudio: sendTelegramAudio,
  sendFile: sendTelegramFile,
  setup: setupTelegram,
});
