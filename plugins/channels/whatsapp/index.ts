import { definePlugin } from '../../sdk/index.ts';
import { sendWhatsAppAudio } from './audio.ts';
import { parseWhatsApp } from './inbound.ts';
import { downloadWhatsAppMedia } from './media.ts';
import { sendWhatsApp, WHATSAPP_MAX_MESSAGE_LENGTH } from './outbound.ts';
import { whatsappSettings } from './settings.ts';
import { setupWhatsApp } from './setup.ts';
import { handshakeWhatsApp, verifyWhatsApp } from './verify.ts';

/** WhatsApp Cloud API channel: one-to-one chats, text and media in, text and voice out. */
export const whatsappChannel = definePlugin({
  id: 'whatsapp',
  kind: 'channel',
  displayName: 'WhatsApp',
  description: 'Chat with the bot on WhatsApp through the Meta WhatsApp Cloud API.',
  version: '0.2.0',
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
    // The Cloud API's typing indicator needs the id of the message being answered; the SDK's typing hook gets only
    // the conversation key (see README and outbound.ts markRead).
    typingIndicator: false,
    // The Cloud API cannot edit a sent message.
    editMessages: false,
    maxMessageLength: WHATSAPP_MAX_MESSAGE_LENGTH,
  },
  handshake: handshakeWhatsApp,
  verify: verifyWhatsApp,
  parse: parseWhatsApp,
  send: (ctx, message) => sendWhatsApp(ctx, message.conversationKey, message.text),
  downloadMedia: downloadWhatsAppMedia,
  sendAudio: sendWhatsAppAudio,
  setup: setupWhatsApp,
});
