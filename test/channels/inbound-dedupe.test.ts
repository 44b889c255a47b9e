/**
 * Platforms retry and duplicate webhooks; the pipeline must turn any number of deliveries of one message into one
 * user message and one reply. Each plugin's real fixture is delivered three times at once through the Worker.
 */
import { describe, expect, it } from 'vitest';
import messengerText from '../../plugins/channels/messenger/fixtures/inbound-text.json?raw';
import slackMessage from '../../plugins/channels/slack/fixtures/event-callback.message.json?raw';
import telegramText from '../../plugins/channels/telegram/fixtures/update-text.official.json?raw';
import twilioSms from '../../plugins/channels/twilio/fixtures/inbound-sms.form.txt?raw';
import whatsappText from '../../plugins/channels/whatsapp/fixtures/inbound-text.json?raw';
import {
  channelFixture,
  deliver,
  inboundClaims,
  type PluginId,
  quietPeriod,
  settledConversation,
  threadsOf,
} from './webhook-helpers.ts';

/** The Slack fixture is a channel message without a mention (not for the bot); as a DM it is addressed. */
const slackDirect = JSON.stringify({
  ...JSON.parse(slackMessage),
  event: { ...JSON.parse(slackMessage).event, channel: 'D123ABC456', channel_type: 'im' },
});

const cases: { pluginId: PluginId; body: string; conversationKey: string; text: string }[] = [
  { pluginId: 'telegram', body: telegramText, conversationKey: '1111111', text: '/start' },
  { pluginId: 'whatsapp', body: whatsappText, conversationKey: '16505551234', text: 'Does it come in another color?' },
  { pluginId: 'messenger', body: messengerText, conversationKey: '<PSID>', text: 'hello, world!' },
  { pluginId: 'slack', body: slackDirect, conversationKey: 'D123ABC456', text: 'Hello world' },
  {
    pluginId: 'twilio',
    body: twilioSms.trim(),
    conversationKey: '+14155550199',
    text: 'Hello! Is the shop open today?',
  },
];

describe('a webhook delivered three times at once', () => {
  for (const { pluginId, body, conversationKey, text } of cases) {
    it(`${pluginId}: gives exactly one user message and one reply`, async () => {
      const channel = await channelFixture(pluginId);
      const responses = await Promise.all([deliver(channel, body), deliver(channel, body), deliver(channel, body)]);
      expect(responses.map((res) => res.status)).toEqual([200, 200, 200]);

      const { conversationId, messages } = await settledConversation(channel.channelId, conversationKey);
      await quietPeriod(); // later duplicates would have landed by now
      const settled = await settledConversation(channel.channelId, conversationKey);
      expect(settled.conversationId).toBe(conversationId);
      const users = settled.messages.filter((m) => m.role === 'user');
      const replies = settled.messages.filter((m) => m.role === 'assistant');
      expect(users.map((m) => m.content)).toEqual([text]);
      expect(replies).toHaveLength(1);
      expect(replies[0]?.turnId).toBe(users[0]?.turnId);
      expect(messages.length).toBeGreaterThanOrEqual(2);
      expect(users[0]?.clientMessageId).toMatch(/^ch:[0-9a-f]{40}$/);
      // One chat, one conversation, one claim for the platform message id.
      expect(await threadsOf(channel.channelId)).toHaveLength(1);
      expect(await inboundClaims(channel.channelId)).toHaveLength(1);
    }, 30_000);
  }
});
