import { definePlugin } from '../../sdk/index.ts';
import { sendMessengerAudio } from './audio.ts';
import { MESSENGER_MAX_FILE_BYTES, sendMessengerFile } from './file.ts';
import { parseMessenger } from './inbound.ts';
import { downloadMessengerMedia } from './media.ts';
import { sendMessenger, sendMessengerTyping } from './outbound.ts';
import { messengerSettings } from './settings.ts';
import { setupMessenger } from './setup.ts';
import { MESSENGER_MAX_TEXT } from './split.ts';
import { messengerHandshake, verifyMessenger } from './verify.ts';

/** Facebook Messenger through a Meta app's page webhook and the Send API. */
export const messengerChannel = definePlugin({
  id: 'messenger',
  kind: 'channel',
  displayName: 'Facebook Messenger',
  description: 'Chat with people who message your Facebook Page.',
  version: '0.2.0',
  settings: messengerSettings,
  secrets: ['pageAccessToken', 'appSecret', 'verifyToken'],
  capabilities: {
    inbound: ['text', 'image', 'audio', 'video', 'document', 'sticker', 'location', 'reply', 'reaction', 'edit'],
    typingIndicator: true,
    // Messenger turns typing_on off after 20 s or at the next message (developers.facebook.com/docs/messenger-platform/
    // send-messages/sender-actions): renewed every 15 s, well inside that, instead of the 4 s default.
    typingRefreshMs: 15_000,
    editMessages: false,
    maxMessageLength: MESSENGER_MAX_TEXT,
    maxFileBytes: MESSENGER_MAX_FILE_BYTES,
  },
  handshake: messengerHandshake,
  verify: verifyMessenger,
  parse: parseMessenger,
  send: sendMessenger,
  typing: sendMessengerTyping,
  downloadMedia: downloadMessengerMedia,
  sendAudio: sendMessengerAudio,
  sendFile: sendMessengerFile,
  setup: setupMessenger,
});
