import type { ChannelPlugin } from '../../sdk/index.ts';
import { definePlugin } from '../../sdk/index.ts';
import { parseWhatsApp } from './inbound.ts';
import { sendWhatsApp, WHATSAPP_MAX_MESSAGE_LENGTH } from './outbound.ts';
import { whatsappSettings } from './settings.ts';
import { handshakeWhatsApp, verifyWhatsApp } from './verify.ts';

/** WhatsApp Cloud API channel. Not registered yet: it lands in plugins/registry.ts with the webhook pipeline. */
export const whatsappChannel: ChannelPlugin<typeof whatsappSettings> = definePlugin({
  id: 'whatsapp',
  kind: 'channel',
  displayName: 'WhatsApp',
  description: 'Chat with the bot on WhatsApp through the Meta WhatsApp Cloud API.',
  version: '0.1.0',
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
    typingIndicator: true,
    // The Cloud API cannot edit a sent message.
    editMessages: false,
    maxMessageLength: WHATSAPP_MAX_MESSAGE_LENGTH,
  },
  handshake: handshakeWhatsApp,
  verify: (settings, request) => verifyWhatsApp(settings, request),
  parse: parseWhatsApp,
  send: (ctx, message) => sendWhatsApp(ctx, message.conversationKey, message.text),
});
