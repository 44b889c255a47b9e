import { definePlugin } from '../../sdk/index.ts';
import { editSlack } from './edit.ts';
import { SLACK_MAX_FILE_BYTES, sendSlackFile } from './file.ts';
import { parseSlack } from './inbound.ts';
import { downloadSlackFile } from './media.ts';
import { sendSlack } from './outbound.ts';
import { slackSettings } from './settings.ts';
import { setupSlack } from './setup.ts';
import { SLACK_SPLIT_AT } from './split.ts';
import { verifySlack } from './verify.ts';

/** Slack through the Events API and the Web API (chat.postMessage / chat.update, files.info, external file uploads). */
export const slackChannel = definePlugin({
  id: 'slack',
  kind: 'channel',
  displayName: 'Slack',
  description: 'Answer mentions, direct messages and threads in a Slack workspace.',
  version: '0.2.0',
  settings: slackSettings,
  secrets: ['botToken', 'signingSecret'],
  capabilities: {
    inbound: ['text', 'image', 'audio', 'video', 'document', 'reaction', 'edit'],
    typingIndicator: false,
    editMessages: true,
    // Hard limit 40,000 (SLACK_MAX_TEXT); we send at most 3,000 per message for readability (see split.ts).
    maxMessageLength: SLACK_SPLIT_AT,
    maxFileBytes: SLACK_MAX_FILE_BYTES,
  },
  verify: verifySlack,
  parse: parseSlack,
  send: sendSlack,
  // No typing indicator: Slack offers none to bots using the Events API.
  edit: editSlack,
  downloadMedia: downloadSlackFile,
  sendFile: sendSlackFile,
  setup: setupSlack,
});
