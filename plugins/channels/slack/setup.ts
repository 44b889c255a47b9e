import type { ChannelSetupInput, SetupResult } from '../../sdk/index.ts';

/**
 * Slack has no API to set an app's Events API URL: the admin pastes it in the app's settings, where Slack checks it
 * at once with a url_verification request (answered by parse).
 */
export async function setupSlack(_ctx: unknown, input: ChannelSetupInput): Promise<SetupResult> {
  return {
    ok: true,
    message:
      `In your Slack app (api.slack.com/apps) open Event Subscriptions, enable events and set the Request URL to ` +
      `${input.webhookUrl}; subscribe to the bot events app_mention, message.im, message.channels (and ` +
      `message.groups for private channels). Scopes: chat:write, app_mentions:read, im:history, channels:history, ` +
      `files:read. Then reinstall the app.`,
  };
}
