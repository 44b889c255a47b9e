import { definePlugin } from '../../sdk/index.ts';
import { parseMessenger } from './inbound.ts';
import { sendMessenger } from './outbound.ts';
import { messengerSettings } from './settings.ts';
import { MESSENGER_MAX_TEXT } from './split.ts';
import { messengerHandshake, verifyMessenger } from './verify.ts';

/** Facebook Messenger through a Meta app's page webhook and the Send API. Not registered yet (see README). */
export const messengerChannel = definePlugin({
  id: 'messenger',
  kind: 'channel',
  displayName: 'Facebook Messenger',
  description: 'Chat with people who message your Facebook Page.',
  version: '0.1.0',
  settings: messengerSettings,
  secrets: ['pageAccessToken', 'appSecret', 'verifyToken'],
  capabilities: {
    inbound: ['text', 'image', 'audio', 'video', 'document', 'sticker', 'location', 'reply', 'reaction', 'edit'],
    typingIndicator: true,
    editMessages: false,
    maxMessageLength: MESSENGER_MAX_TEXT,
  },
  handshake: messengerHandshake,
  verify: verifyMessenger,
  parse: parseMessenger,
  send: sendMessenger,
});
