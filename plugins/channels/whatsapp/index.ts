import { definePlugin } from '../../sdk/index.ts';
import { sendWhatsAppAudio } from './audio.ts';
import { sendWhatsAppFile, WHATSAPP_MAX_FILE_BYTES } from './file.ts';
import { parseWhatsApp } from './inbound.ts';
import { downloadWhatsAppMedia } from './media.ts';
import { sendWhatsApp, WHATSAPP_MAX_MESSAGE_LENGTH } from './outbound.ts';
import { whatsappSettings } from './settings.ts';
import { setupWhatsApp } from './setup.ts';
import { sendWhatsAppTyping, WHATSAPP_TYPING_REFRESH_MS } from './typing.ts';
import { handshakeWhatsApp, verifyWhatsApp } from './verify.ts';

/** WhatsApp Cloud API channel: one-to-one chats, text and media in, text, voice and files out. */
export const whatsappChannel = definePlugin({
  id: 'whatsapp',
  kind: 'channel',
  displayName: 'WhatsApp',
  description: 'Chat with the bot on WhatsApp through the Meta WhatsApp Cloud API.',
  version: '0.3.0',
  settings: whatsappSettings,
  secrets: ['accessToken', 'appSecret', 'verifyToken'],
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
    ],
    // A read receipt with typing_indicator for the message being answered (the core passes its id as replyTo).
    typingIndicator: true,
    // The indicator shows for up to 25 s (see typing.ts): renewed every 20 s, not the default 4 s.
    typingRefreshMs: WHATSAPP_TYPING_REFRESH_MS,
    // The Cloud API cannot edit a sent message.
    editMessages: false,
    maxMessageLength: WHATSAPP_MAX_MESSAGE_LENGTH,
    maxFileBytes: WHATSAPP_MAX_FILE_BYTES,
  },
  handshake: handshakeWhatsApp,
  verify: verifyWhatsApp,
  parse: parseWhatsApp,
  send: (ctx, message) => sendWhatsApp(ctx, message.conversationKey, message.text),
  typing: sendWhatsAppTyping,
  downloadMedia: downloadWhatsAppMedia,
  sendAudio: sendWhatsAppAudio,
  sendFile: sendWhatsAppFile,
  setup: setupWhatsApp,
});
