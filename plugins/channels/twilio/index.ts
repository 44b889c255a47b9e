import { definePlugin } from '../../sdk/index.ts';
import { sendTwilioFile, TWILIO_MAX_FILE_BYTES } from './file.ts';
import { parseTwilio } from './inbound.ts';
import { downloadTwilioMedia } from './media.ts';
import { sendTwilio } from './outbound.ts';
import { twilioSettings } from './settings.ts';
import { setupTwilio } from './setup.ts';
import { TWILIO_MAX_BODY } from './split.ts';
import { verifyTwilio } from './verify.ts';

/** SMS and WhatsApp through Twilio's messaging webhook and REST API. */
export const twilioChannel = definePlugin({
  id: 'twilio',
  kind: 'channel',
  displayName: 'Twilio (SMS and WhatsApp)',
  description: 'Answer SMS and WhatsApp messages sent to your Twilio number.',
  version: '0.3.0',
  settings: twilioSettings,
  secrets: ['authToken'],
  capabilities: {
    inbound: ['text', 'image', 'audio', 'voice', 'video', 'document', 'sticker', 'location', 'reply'],
    typingIndicator: false,
    editMessages: false,
    maxMessageLength: TWILIO_MAX_BODY,
    maxFileBytes: TWILIO_MAX_FILE_BYTES,
    // MMS media must be a public MediaUrl Twilio fetches itself
    // (https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource): the core signs a link.
    filesByUrl: true,
  },
  verify: verifyTwilio,
  parse: parseTwilio,
  send: sendTwilio,
  // SMS and WhatsApp-through-Twilio have no typing indicator or edits.
  sendFile: sendTwilioFile,
  downloadMedia: downloadTwilioMedia,
  setup: setupTwilio,
});
